package importer

import (
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/schedule"
)

// GroupColumns are the groups template's columns.
var GroupColumns = []Column{
	{"key", map[string]string{"en": "Key", "ar": "المفتاح", "fr": "Clé"}},
	{"site", map[string]string{"en": "Site key", "ar": "مفتاح المركز", "fr": "Clé du site"}},
	{"name", map[string]string{"en": "Name", "ar": "الاسم", "fr": "Nom"}},
	{"kind", map[string]string{"en": "Kind", "ar": "النوع", "fr": "Type"}},
	{"purpose", map[string]string{"en": "Purpose", "ar": "الغرض", "fr": "Objet"}},
	{"membership", map[string]string{"en": "Membership", "ar": "العضوية", "fr": "Adhésion"}},
	{"lang", map[string]string{"en": "Language", "ar": "اللغة", "fr": "Langue"}},
	{"schedule", map[string]string{"en": "Schedule", "ar": "المواعيد", "fr": "Calendrier"}},
	{"first_date", map[string]string{"en": "First date", "ar": "التاريخ الأول", "fr": "Première date"}},
	{"time", map[string]string{"en": "Time", "ar": "الوقت", "fr": "Heure"}},
	{"minutes", map[string]string{"en": "Minutes", "ar": "الدقائق", "fr": "Minutes"}},
	{"facilitators", map[string]string{"en": "Facilitators (people keys)", "ar": "الميسّرون (مفاتيح الأشخاص)", "fr": "Animateurs (clés des personnes)"}},
}

// MembershipColumns are the memberships template's columns.
var MembershipColumns = []Column{
	{"group", map[string]string{"en": "Group key", "ar": "مفتاح المجموعة", "fr": "Clé du groupe"}},
	{"person", map[string]string{"en": "Person key", "ar": "مفتاح الشخص", "fr": "Clé de la personne"}},
	{"role", map[string]string{"en": "Role", "ar": "الدور", "fr": "Rôle"}},
}

// ReadGroups reads a groups file: the records, the header of each column
// as the file wrote it, and the rows' own problems (a kind, membership,
// language or schedule it cannot read, a time or a length that is not
// one); the file's problems are the error.
func ReadGroups(r io.Reader) ([]peercircle.GroupRecord, map[string]string, []peercircle.RowError, error) {
	var recs []peercircle.GroupRecord
	v := words()
	names, errs, err := readTable(r, GroupColumns, []string{"key", "site", "name"}, func(row int, cell func(string) string, fail func(col, key string)) {
		g := peercircle.GroupRecord{Row: row, Key: cell("key"), Site: cell("site"), Name: cell("name"), Purpose: cell("purpose"),
			FirstDate: fold(cell("first_date")), Time: fold(cell("time")), Facilitators: splitList(cell("facilitators"))}
		ok := true
		pick := func(col string, m map[string]string, dflt string) string {
			c := cell(col)
			if c == "" {
				return dflt
			}
			code, found := choice(m, c)
			if !found {
				fail(col, "error.choice")
				ok = false
			}
			return code
		}
		g.Kind = pick("kind", v.kinds, peercircle.KindStaff)
		g.Membership = pick("membership", v.memberships, peercircle.MembershipClosed)
		g.Lang = pick("lang", v.langs, "")
		var problem string
		if g.Preset, g.Rule, problem = scheduleWords(cell("schedule")); problem != "" {
			fail("schedule", problem)
			ok = false
		}
		if m := fold(cell("minutes")); m != "" {
			n, err := strconv.Atoi(m)
			if err != nil || n <= 0 {
				fail("minutes", "error.number")
				ok = false
			}
			g.Minutes = n
		}
		if g.Preset != "" {
			if g.Time == "" {
				g.Time = schedule.StaffTime.String()
			}
			if g.Minutes == 0 {
				g.Minutes = int(schedule.StaffDuration.Minutes())
			}
		}
		if ok {
			recs = append(recs, g)
		}
	})
	return recs, names, errs, err
}

// ReadMemberships reads a memberships file (see ReadGroups).
func ReadMemberships(r io.Reader) ([]peercircle.MembershipRecord, map[string]string, []peercircle.RowError, error) {
	var recs []peercircle.MembershipRecord
	v := words()
	names, errs, err := readTable(r, MembershipColumns, []string{"group", "person"}, func(row int, cell func(string) string, fail func(col, key string)) {
		m := peercircle.MembershipRecord{Row: row, Group: cell("group"), Person: cell("person"), Role: peercircle.RoleMember}
		if c := cell("role"); c != "" {
			role, ok := choice(v.roles, c)
			if !ok || (role != peercircle.RoleMember && role != peercircle.RoleFacilitator) {
				fail("role", "import.error.membership_role")
				return
			}
			m.Role = role
		}
		recs = append(recs, m)
	})
	return recs, names, errs, err
}

// readRoles reads a people file's roles cell: only the roles an import may
// give.
func readRoles(cell string) ([]string, bool) {
	var out []string
	for _, w := range splitList(cell) {
		role, ok := choice(words().roles, w)
		if !ok || !slices.Contains(peercircle.ImportableRoles, role) {
			return nil, false
		}
		if !slices.Contains(out, role) {
			out = append(out, role)
		}
	}
	return out, true
}

// WriteGroups writes groups as a groups file (headers in lang), the
// export that imports back: the schedule as its rule.
func WriteGroups(w io.Writer, format, lang string, recs []peercircle.GroupRecord) error {
	var rows [][]string
	for _, g := range recs {
		minutes := ""
		if g.Minutes > 0 {
			minutes = strconv.Itoa(g.Minutes)
		}
		rows = append(rows, []string{g.Key, g.Site, g.Name, g.Kind, g.Purpose, g.Membership, g.Lang, g.Rule, g.FirstDate, g.Time, minutes,
			strings.Join(g.Facilitators, "; ")})
	}
	return writeTable(w, format, lang, "groups", header(GroupColumns, lang), rows)
}

// WriteMemberships writes memberships as a memberships file.
func WriteMemberships(w io.Writer, format, lang string, recs []peercircle.MembershipRecord) error {
	var rows [][]string
	for _, m := range recs {
		rows = append(rows, []string{m.Group, m.Person, m.Role})
	}
	return writeTable(w, format, lang, "memberships", header(MembershipColumns, lang), rows)
}

// WritePeople writes people as a people file.
func WritePeople(w io.Writer, format, lang string, recs []peercircle.PersonRecord) error {
	var rows [][]string
	for _, p := range recs {
		rows = append(rows, []string{p.Key, p.FullName, p.DisplayName, p.Email, p.Username, p.Site, p.Lang, strings.Join(p.Roles, "; ")})
	}
	return writeTable(w, format, lang, "people", header(PeopleColumns, lang), rows)
}
