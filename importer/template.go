package importer

import (
	"fmt"
	"io"
	"slices"
)

// Kinds of files, in the order a programme imports them: each refers to
// keys the ones before it made.
const (
	KindOrg         = "org"
	KindPeople      = "people"
	KindGroups      = "groups"
	KindMemberships = "memberships"
)

// Kinds lists the kinds of files in import order.
var Kinds = []string{KindOrg, KindPeople, KindGroups, KindMemberships}

// Columns returns a kind's template columns.
func Columns(kind string) []Column {
	switch kind {
	case KindOrg:
		return OrgColumns
	case KindPeople:
		return PeopleColumns
	case KindGroups:
		return GroupColumns
	case KindMemberships:
		return MembershipColumns
	}
	return nil
}

// templateRows are each kind's example rows, in English; the words of
// choices are translated for the other languages.
var templateRows = map[string][][]string{
	KindOrg: {
		{"region", "R-AMM", "Amman", "", "Asia/Amman", ""},
		{"area", "A-AMM-E", "Amman East", "R-AMM", "", ""},
		{"site", "S-0001", "Jabal Al-Nuzha Health Centre", "A-AMM-E", "", "health_centre"},
	},
	KindPeople: {
		{"N-0042", "Rana Haddad", "Rana", "rana.haddad@example.org", "", "S-0001", "", "organiser"},
		{"N-0043", "Omar Saleh", "Omar", "", "", "S-0001", "", ""},
	},
	KindGroups: {
		{"G-0001", "S-0001", "Jabal Al-Nuzha staff group", "staff", "Support for the centre's staff", "closed", "", "staff tuesday", "2027-01-12", "14:00", "120", "N-0042"},
	},
	KindMemberships: {
		{"G-0001", "N-0043", "member"},
	},
}

// localWords are the example rows' choices in Arabic and French.
var localWords = map[string]map[string]string{
	"ar": {"region": "الإقليم", "area": "المنطقة", "site": "المركز", "health_centre": "مركز صحي", "organiser": "منظّم", "staff": "مجموعة دعم للعاملين",
		"closed": "مجموعة مغلقة", "member": "عضو", "staff tuesday": "مرتان في الشهر، الثلاثاء"},
	"fr": {"region": "région", "area": "zone", "health_centre": "centre de santé", "organiser": "Organisateur", "staff": "Groupe de soutien du personnel",
		"closed": "Groupe fermé", "member": "Membre", "staff tuesday": "Deux fois par mois, mardi"},
}

// WriteTemplate writes a kind's template: the header row in lang (en, ar
// or fr) and example rows, as CSV or XLSX.
func WriteTemplate(w io.Writer, kind, lang, format string) error {
	cols := Columns(kind)
	if cols == nil {
		return fmt.Errorf("importer: no template for %q", kind)
	}
	var rows [][]string
	for _, r := range templateRows[kind] {
		r = slices.Clone(r)
		for i, v := range r {
			if t, ok := localWords[lang][v]; ok {
				r[i] = t
			}
		}
		if kind == KindPeople {
			r[6] = lang
		}
		rows = append(rows, r)
	}
	return writeTable(w, format, lang, kind, header(cols, lang), rows)
}
