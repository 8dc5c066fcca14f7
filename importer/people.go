package importer

import (
	"io"
	"strings"

	"github.com/peercircle/peercircle"
)

// PeopleColumns are the people template's columns.
var PeopleColumns = []Column{
	{"key", map[string]string{"en": "Key", "ar": "المفتاح", "fr": "Clé"}},
	{"full_name", map[string]string{"en": "Full name", "ar": "الاسم الكامل", "fr": "Nom complet"}},
	{"display_name", map[string]string{"en": "Name in groups", "ar": "الاسم في المجموعات", "fr": "Nom dans les groupes"}},
	{"email", map[string]string{"en": "E-mail", "ar": "البريد الإلكتروني", "fr": "E-mail"}},
	{"username", map[string]string{"en": "Username", "ar": "اسم المستخدم", "fr": "Nom d’utilisateur"}},
	{"site", map[string]string{"en": "Site key", "ar": "مفتاح المركز", "fr": "Clé du site"}},
	{"lang", map[string]string{"en": "Language", "ar": "اللغة", "fr": "Langue"}},
	{"roles", map[string]string{"en": "Roles", "ar": "الأدوار", "fr": "Rôles"}},
}

// langWords are the words a file may use for a language.
var langWords = map[string]string{
	"en": "en", "english": "en", "الإنجليزية": "en", "anglais": "en",
	"ar": "ar", "arabic": "ar", "العربية": "ar", "arabe": "ar",
	"fr": "fr", "french": "fr", "الفرنسية": "fr", "français": "fr",
}

// ReadPeople reads a people CSV file: the records, the header of each
// column as the file wrote it, and the rows' own problems (a language it
// does not know, a cell too long); the file's problems are the error.
func ReadPeople(r io.Reader) ([]peercircle.PersonRecord, map[string]string, []peercircle.RowError, error) {
	var recs []peercircle.PersonRecord
	names, errs, err := readTable(r, PeopleColumns, []string{"key", "full_name", "site"}, func(row int, cell func(string) string, fail func(col, key string)) {
		p := peercircle.PersonRecord{Row: row, Key: cell("key"), FullName: cell("full_name"), DisplayName: cell("display_name"),
			Email: cell("email"), Username: cell("username"), Site: cell("site")}
		if l := strings.ToLower(cell("lang")); l != "" {
			if p.Lang = langWords[l]; p.Lang == "" {
				fail("lang", "error.choice")
				return
			}
		}
		if c := cell("roles"); c != "" {
			roles, ok := readRoles(c)
			if !ok {
				fail("roles", "import.error.role")
				return
			}
			p.Roles = roles
		}
		recs = append(recs, p)
	})
	return recs, names, errs, err
}
