package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/demo"
	"github.com/peercircle/peercircle/importer"
	"github.com/peercircle/peercircle/seal"
	"github.com/peercircle/peercircle/sqlstore"
	"github.com/peercircle/peercircle/sqlstore/sqlite"
)

// openDir opens (creating) the SQLite store of a data directory.
func openDir(t *testing.T, dir string) *sqlstore.Store {
	t.Helper()
	db, err := sqlite.Open(filepath.Join(dir, "peercircle.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	key, err := seal.LoadOrCreateKeyFile(filepath.Join(dir, "secret.key"))
	if err != nil {
		t.Fatal(err)
	}
	keys, _ := seal.NewKeyring(key)
	return sqlstore.New(db, keys)
}

// treeFigures says a tree the way its reports roll up: every site with its
// area, region, kind and zone.
func treeFigures(t *peercircle.Tree) []string {
	areas := map[int64]peercircle.Area{}
	for _, a := range t.Areas {
		areas[a.ID] = a
	}
	regions := map[int64]peercircle.Region{}
	for _, r := range t.Regions {
		regions[r.ID] = r
	}
	var out []string
	for _, s := range t.Sites {
		a := areas[s.AreaID]
		r := regions[a.RegionID]
		out = append(out, fmt.Sprintf("%s|%s|%s|%s|%s|%s", r.Name, r.TimeZone, a.Name, s.Name, s.Kind, s.TimeZone))
	}
	sort.Strings(out)
	return append(out, fmt.Sprintf("%d regions, %d areas, %d sites", len(t.Regions), len(t.Areas), len(t.Sites)))
}

// TestTheNationalTreeImportsBackToTheSameFigures exports the national
// data set's organisation tree (5 regions, 20 areas, 300 sites) as an
// import file with Arabic headers, imports it into an empty installation
// with `peercircle import`, and finds the same tree; importing it again
// changes nothing. The time of the import is logged:
// go test ./cmd/peercircle -run TestTheNationalTreeImports -v
func TestTheNationalTreeImportsBackToTheSameFigures(t *testing.T) {
	ctx := context.Background()
	src := openDir(t, t.TempDir())
	scale := demo.Scales["national"]
	scale.People, scale.Years, scale.AheadWeeks = 2000, 1, 1 // the tree is the national one; fewer meetings to generate
	if _, err := demo.National(ctx, src, demo.NationalOptions{Scale: scale, Seed: 1, AsOf: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	tree, err := src.Tree(ctx)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "organisation-ar.csv")
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := importer.WriteOrg(f, tree, "ar"); err != nil {
		t.Fatal(err)
	}
	f.Close()

	dst := t.TempDir()
	code, out, errOut := run(t, "", "import", "--data-dir", dst, "--dry-run", file)
	if code != 0 || !strings.Contains(out, "Dry run") {
		t.Fatalf("dry run: %d\n%s\n%s", code, out, errOut)
	}
	t0 := time.Now()
	code, out, errOut = run(t, "", "import", "--data-dir", dst, file)
	took := time.Since(t0)
	if code != 0 || !strings.Contains(out, "Sites: 300 new, 0 changed, 0 unchanged") {
		t.Fatalf("import: %d\n%s\n%s", code, out, errOut)
	}
	t.Logf("imported %d regions, %d areas, %d sites in %v", len(tree.Regions), len(tree.Areas), len(tree.Sites), took)
	got, err := openDir(t, dst).Tree(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want, have := treeFigures(tree), treeFigures(got)
	if len(tree.Sites) != 300 || strings.Join(want, "\n") != strings.Join(have, "\n") {
		t.Fatalf("the tree differs: want %s, got %s", want[len(want)-1], have[len(have)-1])
	}
	code, out, _ = run(t, "", "import", "--data-dir", dst, file)
	if code != 0 || !strings.Contains(out, "0 new, 0 changed, 300 unchanged") {
		t.Fatalf("a second import: %d\n%s", code, out)
	}
}

func TestImportListsErrorsInTheReadersLanguage(t *testing.T) {
	file := filepath.Join(t.TempDir(), "org.csv")
	os.WriteFile(file, []byte("النوع,المفتاح,الاسم,مفتاح الأعلى\nالإقليم,R1,عمّان,\nالمنطقة,A1,شرق عمّان,R9\n"), 0o600)
	dst := t.TempDir()
	code, out, _ := run(t, "", "import", "--data-dir", dst, "--lang", "ar", file)
	if code != 1 || !strings.Contains(out, "الصف ٣، العمود مفتاح الأعلى: لا يوجد إقليم أو منطقة بالمفتاح R9") || !strings.Contains(out, "لم يُكتب شيء") {
		t.Fatalf("%d\n%s", code, out)
	}
	code, out, _ = run(t, "", "import", "--data-dir", dst, "--clean-rows", file)
	if code != 0 || !strings.Contains(out, "Written in one transaction") {
		t.Fatalf("clean rows: %d\n%s", code, out)
	}
	code, out, _ = run(t, "", "import", "--template", "fr")
	if code != 0 || !strings.HasPrefix(out, "Type,Clé,Nom,Clé du parent,Fuseau horaire,Type de site") {
		t.Fatalf("template: %d\n%s", code, out)
	}
}

// TestPeopleImportFromTheCommandLine: the Arabic people template, filled
// in, imports after the organisation file, errors listed in Arabic, and the
// same file twice changes nothing.
func TestPeopleImportFromTheCommandLine(t *testing.T) {
	dir := t.TempDir()
	code, tmpl, _ := run(t, "", "import", "--kind", "people", "--template", "ar")
	if code != 0 || !strings.Contains(tmpl, "الاسم الكامل") {
		t.Fatalf("template: %d %s", code, tmpl)
	}
	orgFile := filepath.Join(dir, "org.csv")
	os.WriteFile(orgFile, []byte("Type,Key,Name,Parent key,Time zone\nregion,R-1,Centre,,Asia/Amman\narea,A-1,East,R-1,\nsite,S-0001,Nuzha HC,A-1,\n"), 0o600)
	data := t.TempDir()
	if code, out, errOut := run(t, "", "import", "--data-dir", data, orgFile); code != 0 {
		t.Fatalf("org: %d %s %s", code, out, errOut)
	}
	people := filepath.Join(dir, "people.csv")
	os.WriteFile(people, []byte(tmpl+"N-0044,سامي عودة,,,,S-0009,ar\n"), 0o600)
	code, out, _ := run(t, "", "import", "--data-dir", data, "--kind", "people", "--lang", "ar", people)
	if code != 1 || !strings.Contains(out, "لا مركز بالمفتاح S-0009") {
		t.Fatalf("a row with an unknown site: %d\n%s", code, out)
	}
	os.WriteFile(people, []byte(tmpl+"N-0044,سامي عودة,,,,S-0001,ar\n"), 0o600)
	if code, out, _ := run(t, "", "import", "--data-dir", data, "--kind", "people", people); code != 0 || !strings.Contains(out, "People: 3 new, 0 changed, 0 unchanged") {
		t.Fatalf("import: %d\n%s", code, out)
	}
	if code, out, _ := run(t, "", "import", "--data-dir", data, "--kind", "people", people); code != 0 || !strings.Contains(out, "People: 0 new, 0 changed, 3 unchanged") {
		t.Fatalf("again: %d\n%s", code, out)
	}
	if p, err := openDir(t, data).PersonByLogin(context.Background(), "rana.haddad@example.org"); err != nil || p.Status != peercircle.PersonInvited {
		t.Fatalf("the template's person: %+v %v", p, err)
	}
}

// programmeFiles exports a store's people (with the roles an import
// gives), groups (with schedules and facilitators) and current
// memberships as the import files, keyed by record ids the way
// importer.WriteOrg keys the tree, with headers in lang.
func programmeFiles(t *testing.T, s *sqlstore.Store, dir, lang, format string) (people, groups, members string) {
	t.Helper()
	ctx := context.Background()
	tree, err := s.Tree(ctx)
	if err != nil {
		t.Fatal(err)
	}
	key := func(prefix string, id int64) string { return fmt.Sprintf("%s-%d", prefix, id) }
	var ps []peercircle.PersonRecord
	var gs []peercircle.GroupRecord
	var ms []peercircle.MembershipRecord
	for _, site := range tree.Sites {
		found, _, err := s.FindPeople(ctx, peercircle.PersonFilter{SiteID: site.ID, Limit: 100000})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range found {
			r := peercircle.PersonRecord{Key: key("P", p.ID), FullName: p.FullName, DisplayName: p.DisplayName, Email: p.Email,
				Username: p.Username, Site: key("S", site.ID), Lang: p.Lang}
			grants, _ := s.Grants(ctx, p.ID)
			for _, g := range grants {
				if (g.Role == peercircle.RoleOrganiser && g.ScopeKind == peercircle.ScopeSite && g.ScopeID == site.ID) ||
					(g.Role == peercircle.RoleCoordinator && g.ScopeKind == peercircle.ScopeArea && g.ScopeID == site.AreaID) {
					r.Roles = append(r.Roles, g.Role)
				}
			}
			ps = append(ps, r)
		}
		list, err := s.GroupsAtSite(ctx, site.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range list {
			if g.Status == peercircle.GroupEnded {
				continue
			}
			r := peercircle.GroupRecord{Key: key("G", g.ID), Site: key("S", site.ID), Name: g.Name, Kind: g.Kind, Purpose: g.Purpose,
				Membership: g.Membership, Lang: g.Lang}
			if sch, err := s.GroupScheduleOf(ctx, g.ID); err == nil {
				r.Rule, r.FirstDate, r.Time, r.Minutes = sch.Rule, sch.StartDate, sch.StartTime, sch.Minutes
			}
			all, err := s.Memberships(ctx, g.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range all {
				if !m.Current() {
					continue
				}
				if m.Role == peercircle.RoleFacilitator {
					r.Facilitators = append(r.Facilitators, key("P", m.PersonID))
				} else {
					ms = append(ms, peercircle.MembershipRecord{Group: r.Key, Person: key("P", m.PersonID), Role: m.Role})
				}
			}
			gs = append(gs, r)
		}
	}
	write := func(name string, fn func(f *os.File) error) string {
		path := filepath.Join(dir, name+"."+format)
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := fn(f); err != nil {
			t.Fatal(err)
		}
		f.Close()
		return path
	}
	people = write("people", func(f *os.File) error { return importer.WritePeople(f, format, lang, ps) })
	groups = write("groups", func(f *os.File) error { return importer.WriteGroups(f, format, lang, gs) })
	members = write("memberships", func(f *os.File) error { return importer.WriteMemberships(f, format, lang, ms) })
	return people, groups, members
}

// programmeFigures says a programme the way its pages count it: people
// per site, each group with its site, kind, membership, language,
// schedule and how many facilitators and members it has, and the
// organisers and coordinators.
func programmeFigures(t *testing.T, s *sqlstore.Store) []string {
	t.Helper()
	ctx := context.Background()
	tree, _ := s.Tree(ctx)
	var out []string
	for _, site := range tree.Sites {
		found, n, _ := s.FindPeople(ctx, peercircle.PersonFilter{SiteID: site.ID, Limit: 100000})
		roles := 0
		for _, p := range found {
			grants, _ := s.Grants(ctx, p.ID)
			for _, g := range grants {
				if g.Role == peercircle.RoleOrganiser || g.Role == peercircle.RoleCoordinator {
					roles++
				}
			}
		}
		out = append(out, fmt.Sprintf("%s: %d people, %d organisers and coordinators", site.Name, n, roles))
		list, _ := s.GroupsAtSite(ctx, site.ID)
		for _, g := range list {
			if g.Status == peercircle.GroupEnded {
				continue
			}
			line := fmt.Sprintf("%s/%s %s %s %s", site.Name, g.Name, g.Kind, g.Membership, g.Lang)
			if sch, err := s.GroupScheduleOf(ctx, g.ID); err == nil {
				line += fmt.Sprintf(" %s from %s at %s for %d", sch.Rule, sch.StartDate, sch.StartTime, sch.Minutes)
			}
			all, _ := s.Memberships(ctx, g.ID)
			count := map[string]int{}
			for _, m := range all {
				if m.Current() {
					count[m.Role]++
				}
			}
			out = append(out, fmt.Sprintf("%s: %d facilitators, %d members", line, count[peercircle.RoleFacilitator], count[peercircle.RoleMember]))
		}
	}
	sort.Strings(out)
	return out
}

// TestTheNationalProgrammeImportsBackToTheSameFigures exports the national
// data set's tree, people, groups and memberships as import files (XLSX
// with Arabic headers for the people, CSV in French for the rest),
// imports them in order with `peercircle import` into an empty
// installation, and finds the same programme; a second import of every
// file changes nothing. The times are logged:
// go test ./cmd/peercircle -run TestTheNationalProgramme -v
func TestTheNationalProgrammeImportsBackToTheSameFigures(t *testing.T) {
	ctx := context.Background()
	src := openDir(t, t.TempDir())
	scale := demo.Scales["national"]
	scale.Years, scale.AheadWeeks = 1, 1 // every person and group of the national set; fewer meetings to generate
	if _, err := demo.National(ctx, src, demo.NationalOptions{Scale: scale, Seed: 1, AsOf: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	tree, _ := src.Tree(ctx)
	dir := t.TempDir()
	orgFile := filepath.Join(dir, "organisation.csv")
	f, _ := os.Create(orgFile)
	if err := importer.WriteOrg(f, tree, "fr"); err != nil {
		t.Fatal(err)
	}
	f.Close()
	people, _, _ := programmeFiles(t, src, dir, "ar", importer.FormatXLSX)
	_, groups, members := programmeFiles(t, src, dir, "fr", importer.FormatCSV)

	dst := t.TempDir()
	steps := []struct{ kind, file string }{{"org", orgFile}, {"people", people}, {"groups", groups}, {"memberships", members}}
	for _, st := range steps {
		t0 := time.Now()
		code, out, errOut := run(t, "", "import", "--data-dir", dst, "--kind", st.kind, st.file)
		if code != 0 {
			t.Fatalf("%s: %d\n%s\n%s", st.kind, code, out, errOut)
		}
		t.Logf("%s: %v\n%s", st.kind, time.Since(t0), out)
	}
	want, got := programmeFigures(t, src), programmeFigures(t, openDir(t, dst))
	if len(want) < 300 || strings.Join(want, "\n") != strings.Join(got, "\n") {
		for i := range want {
			if i >= len(got) || want[i] != got[i] {
				t.Fatalf("the programme differs at line %d of %d:\nwant %s\ngot  %s", i, len(want), want[i], got[min(i, len(got)-1)])
			}
		}
		t.Fatalf("the programme differs: %d lines, then %d", len(want), len(got))
	}
	for _, st := range steps {
		code, out, _ := run(t, "", "import", "--data-dir", dst, "--kind", st.kind, st.file)
		if code != 0 || !strings.Contains(out, " 0 new, 0 changed") {
			t.Fatalf("%s again: %d\n%s", st.kind, code, out)
		}
	}
}
