package guard

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// group is the protected names of a test group: members and facilitators
// in Latin and Arabic script, as a group's records hold them.
var group = []string{
	"Sara Khalil", "سارة خليل",
	"Omar Abu Khalil",
	"Huda Al-Zoubi", "هدى الزعبي",
	"Hélène Dubois",
	"أمل قاسم", "إيمان", "آمنة", "ليلى",
	"Samir", "سمير",
	"نور", "Noor",
	"Ahmad bin Faisal",
	"Seán O'Brien",
}

// found is a compact form of findings for table tests: "kind:text@start".
func found(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, fmt.Sprintf("%s:%s@%d", f.Kind, f.Text, f.Start))
	}
	return out
}

type guardCase struct {
	name string
	text string
	want []string
}

func runCases(t *testing.T, cases []guardCase) {
	t.Helper()
	g := New(group)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := found(g.Check(c.text))
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("Check(%q)\n got %q\nwant %q", c.text, got, c.want)
			}
			checkInvariants(t, c.text, g.Check(c.text))
		})
	}
}

func TestNamesInLatinScript(t *testing.T) {
	runCases(t, []guardCase{
		{"a full name is one finding", "We met with Sara Khalil about the rota.", []string{"name:Sara Khalil@12"}},
		{"a first name alone is found", "Sara felt tired after the night shift.", []string{"name:Sara@0"}},
		{"a surname alone is found", "Then Khalil spoke.", []string{"name:Khalil@5"}},
		{"letter case does not matter", "SARA KHALIL and sara and kHaLiL", []string{"name:SARA KHALIL@0", "name:sara@16", "name:kHaLiL@25"}},
		{"an English possessive is part of the finding", "Sara's patient list", []string{"name:Sara's@0"}},
		{"a curly apostrophe possessive is found too", "Khalil’s idea", []string{"name:Khalil’s@0"}},
		{"a name inside a longer word is not a name", "From Sarajevo to Khalilabad", nil},
		{"a name that starts a longer word is not found", "samirah and nooria", nil},
		{"a particle alone is not a name", "Abu and bin and al", nil},
		{"a full name with a particle is one finding", "Omar Abu Khalil came late", []string{"name:Omar Abu Khalil@0"}},
		{"the particle and surname together are one finding", "ask Abu Khalil", []string{"name:Abu Khalil@4"}},
		{"a hyphenated family name is found whole", "Huda Al-Zoubi and al-zoubi", []string{"name:Huda Al-Zoubi@0", "name:al-zoubi@18"}},
		{"the surname after a particle is found alone", "Zoubi said", []string{"name:Zoubi@0"}},
		{"an apostrophe inside a name belongs to it", "O'Brien and Seán O'Brien", []string{"name:O'Brien@0", "name:Seán O'Brien@12"}},
		{"accents may be left out", "Helene and HELENE DUBOIS", []string{"name:Helene@0", "name:HELENE DUBOIS@11"}},
		{"a name between punctuation is found", "(Sara), «Samir»; Noor.", []string{"name:Sara@1", "name:Samir@9", "name:Noor@17"}},
		{"two names side by side from different people are two findings", "Sara Samir", []string{"name:Sara@0", "name:Samir@5"}},
		{"a name glued to digits is still a whole word", "Sara2 wrote", []string{"name:Sara@0"}},
		{"ordinary text is clean", "We refreshed psychological first aid and planned the next topic.", nil},
	})
}

func TestNamesInArabicScript(t *testing.T) {
	runCases(t, []guardCase{
		{"a full name is one finding", "تحدثنا مع سارة خليل عن المناوبات", []string{"name:سارة خليل@10"}},
		{"a first name alone is found", "قالت سارة إنها متعبة", []string{"name:سارة@5"}},
		{"a surname alone is found", "ثم تكلم خليل", []string{"name:خليل@8"}},
		{"a name inside a longer word is not a name", "سميع ونورس", nil},
		{"the conjunction و is stripped", "وسارة", []string{"name:وسارة@0"}},
		{"the conjunction ف is stripped", "فسمير", []string{"name:فسمير@0"}},
		{"the preposition ب is stripped", "اتصلت بسارة", []string{"name:بسارة@6"}},
		{"the preposition ل is stripped", "قلت لسمير", []string{"name:لسمير@4"}},
		{"the preposition ك is stripped", "كسارة تماما", []string{"name:كسارة@0"}},
		{"the article ال is stripped", "الخليل", []string{"name:الخليل@0"}},
		{"و then ب is stripped", "وبسارة", []string{"name:وبسارة@0"}},
		{"ف then ل is stripped", "فلخليل", []string{"name:فلخليل@0"}},
		{"ب then ال is stripped", "بالخليل", []string{"name:بالخليل@0"}},
		{"و then ب then ال is stripped", "وبالخليل", []string{"name:وبالخليل@0"}},
		{"ل before the article is written لل", "للزعبي", []string{"name:للزعبي@0"}},
		{"و then لل is stripped", "وللزعبي", []string{"name:وللزعبي@0"}},
		{"a family name is found without its article", "زعبي", []string{"name:زعبي@0"}},
		{"prefixes on a full name are part of the finding", "وسارة خليل", []string{"name:وسارة خليل@0"}},
		{"diacritics are ignored", "سَارَة", []string{"name:سَارَة@0"}},
		{"tatweel is ignored", "ســـارة", []string{"name:ســـارة@0"}},
		{"أ is written ا", "امل قاسم", []string{"name:امل قاسم@0"}},
		{"إ is written ا", "ايمان", []string{"name:ايمان@0"}},
		{"آ is written ا and ة as ه", "امنه", []string{"name:امنه@0"}},
		{"ة is written ه", "ساره", []string{"name:ساره@0"}},
		{"ى is written ي", "ليلي", []string{"name:ليلي@0"}},
		{"a name written with hamza is found from a plain name", "قابلت أمل", []string{"name:أمل@6"}},
		{"a word that only shares letters is not a name", "سرور وخلال", nil},
		{"Arabic and Latin forms of one name are both found", "نور و Noor", []string{"name:نور@0", "name:Noor@6"}},
		{"ordinary Arabic text is clean", "راجعنا موضوع الإسعاف النفسي الأولي وخططنا للجلسة القادمة", nil},
	})
}

func TestIdentifiers(t *testing.T) {
	runCases(t, []guardCase{
		{"an e-mail address is found", "write to sara.k@example.org today", []string{"email:sara.k@example.org@9"}},
		{"an e-mail in capitals is found", "SARA@EXAMPLE.COM", []string{"email:SARA@EXAMPLE.COM@0"}},
		{"an e-mail in Arabic text is found", "راسلوها على huda_z+psg@mail.example.jo للتواصل", []string{"email:huda_z+psg@mail.example.jo@12"}},
		{"an e-mail hides the name inside it", "sara.khalil@example.org", []string{"email:sara.khalil@example.org@0"}},
		{"a trailing full stop is not part of the address", "Mail a@example.com.", []string{"email:a@example.com@5"}},
		{"an @ without a domain is not an address", "meet @home or a@b or x@y.z", nil},
		{"an international number with spaces", "call +962 79 123 4567 now", []string{"phone:+962 79 123 4567@5"}},
		{"an international number with dashes", "+962-79-123-4567", []string{"phone:+962-79-123-4567@0"}},
		{"an international number with 00", "00962791234567", []string{"phone:00962791234567@0"}},
		{"a local mobile without separators", "رقمها 0791234567", []string{"phone:0791234567@6"}},
		{"a local mobile with spaces", "079 123 4567", []string{"phone:079 123 4567@0"}},
		{"a local mobile with dashes", "079-123-4567", []string{"phone:079-123-4567@0"}},
		{"a landline with the area code in brackets", "(06) 551 2345", []string{"phone:(06) 551 2345@0"}},
		{"a number in Arabic-Indic digits", "هاتفه ٠٧٩١٢٣٤٥٦٧", []string{"phone:٠٧٩١٢٣٤٥٦٧@6"}},
		{"an international number in Arabic-Indic digits", "+٩٦٢ ٧٩ ١٢٣ ٤٥٦٧", []string{"phone:+٩٦٢ ٧٩ ١٢٣ ٤٥٦٧@0"}},
		{"an ID number is a long digit sequence", "national ID 9871012345", []string{"number:9871012345@12"}},
		{"an ID with letters attached is taken whole", "passport N1234567 expired", []string{"number:N1234567@9"}},
		{"a six-digit file number is found", "file 123456", []string{"number:123456@5"}},
		{"a card number in groups of four is a number", "4111 1111 1111 1111", []string{"number:4111 1111 1111 1111@0"}},
		{"dates and years are not identifiers", "2025-03-12, 12-03-2025, 12.03.2025, the 2024-2025 plan, 14:00-16:00", nil},
		{"small counts are not identifiers", "12 members, 3 cases, 60 minutes, 2 guests", nil},
	})
}

func TestMixedNote(t *testing.T) {
	note := "سارة (Sara) gave her number 079 123 4567 and e-mail sara@example.org; لسمير ملف 123456."
	got := found(New(group).Check(note))
	want := []string{"name:سارة@0", "name:Sara@6", "phone:079 123 4567@28", "email:sara@example.org@52", "name:لسمير@70", "number:123456@80"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %q\nwant %q", got, want)
	}
}

func TestOffsetsAreCharactersOfTheInput(t *testing.T) {
	text := "هدى: 0791234567 ✓ Sara"
	for _, f := range New(group).Check(text) {
		rs := []rune(text)
		if string(rs[f.Start:f.End]) != f.Text {
			t.Errorf("finding %+v does not sit at its offsets", f)
		}
	}
	fs := New(group).Check(text)
	if len(fs) != 3 || fs[0].Start != 0 || fs[0].End != 3 || fs[1].Start != 5 || fs[2].Start != 18 {
		t.Fatalf("findings = %+v", fs)
	}
}

func TestNoNamesFindsOnlyIdentifiers(t *testing.T) {
	if got := found(New(nil).Check("rota 0791234567")); !reflect.DeepEqual(got, []string{"phone:0791234567@5"}) {
		t.Fatalf("got %q", got)
	}
	var g *Guard
	if got := g.Check("rota a@b.cd"); len(got) != 1 {
		t.Fatalf("a nil guard should still find identifiers: %v", got)
	}
	if got := New([]string{"", "  ", "A"}).Check("A a"); got != nil {
		t.Fatalf("blank and one-letter names should protect nothing: %v", got)
	}
}

// checkInvariants holds for every input: findings are ordered, do not
// overlap, lie inside the text and carry the text at their offsets.
func checkInvariants(t *testing.T, text string, fs []Finding) {
	t.Helper()
	rs := []rune(text)
	prev := 0
	for _, f := range fs {
		if f.Start < prev || f.End <= f.Start || f.End > len(rs) {
			t.Fatalf("finding %+v out of order or bounds (prev end %d, len %d)", f, prev, len(rs))
		}
		if string(rs[f.Start:f.End]) != f.Text {
			t.Fatalf("finding %+v: text at offsets is %q", f, string(rs[f.Start:f.End]))
		}
		switch f.Kind {
		case KindName, KindEmail, KindPhone, KindNumber:
		default:
			t.Fatalf("unknown kind %q", f.Kind)
		}
		prev = f.End
	}
}

func FuzzCheck(f *testing.F) {
	f.Add("We met with Sara Khalil; وللزعبي قال 079 123 4567", "هدى الزعبي")
	f.Add("sara@example.org +962-79-123-4567 N1234567", "Sara Khalil")
	f.Add("ســارة's (06) 551 2345", "O'Brien")
	f.Add("\u200cسارة\u200d\ufe0f a@b.c.d @ @@ ++1 ((1", "ال")
	f.Add("x at y dot com (at)(dot) [at] arobase point fr MRN A-1234 tel 5551234 Ref 2025/0417 رقم الملف ٤٥", "Dina Qasem")
	f.Add("Dr. Ahmad, the client, Rami said; قالت أم خالد وأبو علي بن حسن التميمي al-X HbA1c", "عبد الله")
	f.Fuzz(func(t *testing.T, text, name string) {
		if !utf8.ValidString(text) || !utf8.ValidString(name) {
			return
		}
		g := New([]string{name})
		fs := g.Check(text)
		checkInvariants(t, text, fs)
		if again := g.Check(text); !reflect.DeepEqual(fs, again) {
			t.Fatalf("two checks of one text differ: %v and %v", fs, again)
		}
		// A protected one-word name written alone between spaces is found.
		toks := tokenize([]rune(name))
		if len(toks) != 1 || toks[0].start != 0 || toks[0].end != len([]rune(name)) {
			return
		}
		w := canonical([]rune(name))
		if utf8.RuneCountInString(w) < 2 || particles[w] || strings.ContainsAny(name, "'’ʼ") {
			return
		}
		probe := "x " + name + " x"
		hit := false
		for _, f := range g.Check(probe) {
			hit = hit || (f.Kind == KindName && f.Start == 2)
		}
		if !hit {
			t.Fatalf("name %q written alone was not found in %q", name, probe)
		}
	})
}

// longNote is a long session note in English and Arabic, about 20 KB, with
// names, numbers and addresses sprinkled through it.
func longNote() string {
	var b strings.Builder
	paras := []string{
		"The group refreshed psychological first aid and discussed how to support a colleague after a difficult night shift. ",
		"ناقشت المجموعة كيفية دعم الزملاء بعد المناوبات الطويلة، واتفقنا على تخصيص وقت للاستراحة في الجلسة القادمة. ",
		"A member shared how they manage stress with rhythmic breathing; others tried it and found it calming. ",
		"تحدثت سارة عن تجربتها مع حالة صعبة، وقدم الزملاء اقتراحات عملية دون إصدار أحكام. ",
		"Follow-up: ask the area team about the referral pathway, call 079 123 4567 before 2025-03-12. ",
		"We agreed to meet again in the second week; Samir will bring the topic on self-care. ",
	}
	for b.Len() < 20000 {
		for _, p := range paras {
			b.WriteString(p)
		}
	}
	return b.String()
}

// thirtyNames is a group of thirty members in both scripts.
func thirtyNames() []string {
	first := []string{"Huda", "Rana", "Samir", "Layla", "Omar", "Noor", "Khaled", "Maha", "Yousef", "Dina", "Tariq", "Salma", "Fadi", "Reem", "Hani"}
	family := []string{"Haddad", "Khalil", "Nasser", "Saleh", "Awad", "Hamdan", "Qasem", "Odeh", "Jaber", "Mansour"}
	arabic := []string{"هدى حداد", "رنا خليل", "سمير ناصر", "ليلى صالح", "عمر عوض", "نور حمدان", "خالد قاسم", "مها عودة", "يوسف جابر", "دينا منصور", "سارة الزعبي", "أمل قاسم", "إيمان عودة", "آمنة حمدان", "طارق منصور"}
	var out []string
	for i := range first {
		out = append(out, first[i]+" "+family[i%len(family)], arabic[i])
	}
	return out
}

func BenchmarkCheckLongNote(b *testing.B) {
	note := longNote()
	g := New(thirtyNames())
	b.SetBytes(int64(len(note)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if len(g.Check(note)) == 0 {
			b.Fatal("nothing found in the long note")
		}
	}
}

func BenchmarkNewGuard(b *testing.B) {
	names := thirtyNames()
	b.ReportAllocs()
	for b.Loop() {
		New(names)
	}
}

func TestConfirmedFindingsAreNotFlaggedAgain(t *testing.T) {
	g := New([]string{"أمل قاسم", "Amal Qasem"})
	fs := g.Check("فيه أمل كبير and AMAL is hope; call 0791234567")
	if len(fs) != 3 {
		t.Fatalf("findings = %+v", fs)
	}
	confirmed := []string{Key("أمل"), Key("Amal")}
	left := Unconfirmed(fs, confirmed)
	if len(left) != 1 || left[0].Kind != KindPhone {
		t.Fatalf("after confirming the two words, left = %+v", left)
	}
	if Key("امل") != Key("أَمل") || Key("AMAL") != Key("amal") {
		t.Fatal("keys differ by spelling")
	}
	if got := Unconfirmed(fs, nil); len(got) != 3 {
		t.Fatalf("nothing confirmed should leave everything: %v", got)
	}
}
