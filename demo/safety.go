package demo

import (
	"context"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/sqlstore"
)

// demoResource is one entry of a demo file of external support.
type demoResource struct {
	kind, name, phone, address, hours, when, langs string
}

// The demo files of external support (001: "collectively build a file on
// the possible sources of support"; 003: "when peer support is not enough":
// GP, crisis centre, mental health team). The places are invented like the
// people; the only real number is 911, Jordan's emergency number. The
// other "phones" are extensions of the demo's own health centres, so no
// one who reads the demo dials a stranger.
var (
	// Jabal Al-Nuzha's file is written in English by its organiser.
	nuzhaFile = []demoResource{
		{"gp", "Family doctor on duty, Jabal Al-Nuzha Health Centre", "101",
			"Ground floor, room 4; ask at reception for a private appointment", "Sunday–Thursday, 8:00–15:00",
			"If you have slept badly for two weeks or more, feel unwell for a long time, or want to talk about stress or low mood with a doctor. You may ask to see a doctor from another team.",
			"Arabic, English"},
		{"crisis", "Emergency services", "911", "", "Day and night",
			"If you or someone else is in danger now, has been hurt, or talks about ending their life. Stay with them if it is safe, and call.",
			"Arabic, English"},
		{"mental_health", "Community mental health team, Amman East", "",
			"Amman East comprehensive health centre, mental health clinic, first floor", "Sunday–Thursday, 8:00–14:00",
			"When low mood, panic or not coping goes on for weeks and gets in the way of work or home, or when the group is no longer enough. The family doctor writes the referral; staff may also ask the organiser to arrange it quietly.",
			"Arabic"},
		{"legal", "Free legal advice clinic", "",
			"Amman East community centre, ground floor (Tuesdays)", "Tuesdays, 10:00–14:00",
			"For advice on work contracts, family disputes, papers, or violence at home. What you tell the lawyer stays with them.",
			"Arabic"},
		{"social", "Social services office, Amman East", "",
			"Next to the Amman East directorate of health, second floor", "Sunday–Thursday, 8:30–14:30",
			"If money, housing, or caring for a relative at home has become too much: they explain what help you are entitled to and how to ask for it.",
			"Arabic"},
	}
	// The Nuzha staff group meets in Arabic; its facilitator keeps its own
	// short file in Arabic.
	nuzhaGroupFile = []demoResource{
		{"other", "الإشراف: جلسة فردية مع منسّقة المنطقة", "",
			"تُرتَّب عبر المنظِّمة، في غرفة الاجتماعات الصغيرة في الطابق الأول", "بموعد مسبق",
			"بعد حادثة صعبة في العمل، أو إذا شعرت أن ما يُطرح في المجموعة أثقل من أن تحمله وحدك.",
			"العربية"},
		{"mental_health", "عيادة الصحة النفسية، عمّان الشرقية", "",
			"المركز الصحي الشامل في عمّان الشرقية، الطابق الأول", "من الأحد إلى الخميس، 8:00–14:00",
			"إذا استمرّ الحزن أو القلق أو قلّة النوم أسابيع، وصار يؤثّر في العمل أو البيت. يكتب طبيب الأسرة الإحالة.",
			"العربية"},
	}
	// Marka's organiser writes in Arabic.
	markaFile = []demoResource{
		{"gp", "طبيب الأسرة المناوب، مركز صحي ماركا", "102",
			"الطابق الأرضي؛ اطلب من الاستقبال موعدًا خاصًا", "من الأحد إلى الخميس، 8:00–15:00",
			"إذا ساء نومك أو مزاجك أسبوعين أو أكثر، أو أردت أن تتحدّث مع طبيب عن الضغط.",
			"العربية"},
		{"crisis", "الطوارئ", "911", "", "على مدار الساعة",
			"إذا كنت أنت أو شخص آخر في خطر الآن، أو تحدّث أحد عن إنهاء حياته. ابقَ معه إن كان ذلك آمنًا، واتصل.",
			"العربية، الإنجليزية"},
	}
	// Al-Amal Community Centre's file, for its community, family and
	// training groups, in English.
	amalFile = []demoResource{
		{"crisis", "Emergency services", "911", "", "Day and night",
			"If you or someone else is in danger now, or someone talks about ending their life. Stay with them if it is safe, and call.",
			"Arabic, English"},
		{"mental_health", "Zarqa community mental health clinic", "",
			"Zarqa comprehensive health centre, mental health clinic", "Sunday–Thursday, 8:00–14:00",
			"When distress goes on for weeks, a crisis keeps coming back, or you would like to talk about treatment. You can go without a referral; a peer from the group may come with you.",
			"Arabic"},
		{"social", "Families and care partners desk, Al-Amal Community Centre", "",
			"Al-Amal Community Centre, office 2", "Mondays and Wednesdays, 10:00–13:00",
			"For families who care for someone at home: respite, allowances, and who to call when caring becomes too much.",
			"Arabic, English"},
	}
)

// seedSupportFiles writes the sites' and the Nuzha group's files of
// external support, as their organisers and facilitator would. Zarqa Camp
// has not joined the programme yet and has no file.
func seedSupportFiles(ctx context.Context, s *sqlstore.Store, w *World) error {
	organisers := map[string]string{"nuzha": "organiser", "marka": "organiser.marka", "amal": "organiser.amal"}
	add := func(site string, group *peercircle.Group, by string, list []demoResource) error {
		for _, d := range list {
			r := &peercircle.SupportResource{SiteID: w.Sites[site].ID, Kind: d.kind, Name: d.name, Phone: d.phone,
				Address: d.address, Hours: d.hours, WhenToUse: d.when, Languages: d.langs}
			if group != nil {
				r.GroupID = group.ID
			}
			if err := s.SaveSupportResource(ctx, r, w.People[by].ID); err != nil {
				return err
			}
		}
		return nil
	}
	for _, f := range []struct {
		site string
		list []demoResource
	}{{"nuzha", nuzhaFile}, {"marka", markaFile}, {"amal", amalFile}} {
		if err := add(f.site, nil, organisers[f.site], f.list); err != nil {
			return err
		}
	}
	return add("nuzha", w.Groups["nuzha-staff"], "facilitator", nuzhaGroupFile)
}
