package e2e

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/internal/browser"
	"github.com/peercircle/peercircle/sqlstore"
	"github.com/peercircle/peercircle/sqlstore/sqlite"
)

// TestListsThatGrowPageByKey (issue 14, goal 2): on a phone, the
// administrator pages the people list forward and back by its links, which
// carry a person's id and never a name, and pages the accepted Sheet 2s to
// older ones and back to the newest, in English, Arabic and French. Each
// page is photographed, checked with axe and must not scroll sideways.
func TestListsThatGrowPageByKey(t *testing.T) {
	a := startDemo(t)
	db, err := sqlite.Open(filepath.Join(a.DataDir, "peercircle.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx0 := context.Background()
	err = sqlstore.New(db, nil).DB.Write(ctx0, func(tx *sqlstore.Tx) error {
		var site, group int64
		if err := tx.QueryRow("SELECT MIN(id) FROM sites").Scan(&site); err != nil {
			return err
		}
		if err := tx.QueryRow("SELECT MIN(id) FROM groups WHERE site_id = ?", site).Scan(&group); err != nil {
			return err
		}
		now := time.Now().UTC()
		for i := range 60 {
			if _, err := tx.Exec(`INSERT INTO people (full_name, status, home_site_id, lang, created_at) VALUES (?, ?, ?, 'en', ?)`,
				fmt.Sprintf("Zz Paged %02d", i), peercircle.PersonNoLogin, site, now); err != nil {
				return err
			}
			at := time.Date(2019, 1, 7, 9, 0, 0, 0, time.UTC).AddDate(0, 0, 7*i)
			id, err := tx.Insert(`INSERT INTO sessions (group_id, planned_start, planned_end, local_date, status, created_at, updated_at)
				VALUES (?, ?, ?, ?, 'held', ?, ?)`, group, at, at.Add(time.Hour), at.Format(time.DateOnly), at, at)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(`INSERT INTO summaries (session_id, state, topic, created_at, updated_at) VALUES (?, 'accepted', 'Self-care', ?, ?)`,
				id, at, at); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	ctx := browser.New(t, browser.WithPhone(360, 740))
	signIn(t, ctx, a, "admin")
	noSidewaysScroll := func(what string) {
		t.Helper()
		if w := browser.Eval[bool](t, ctx, `document.documentElement.scrollWidth > window.innerWidth + 1`); w {
			t.Errorf("%s scrolls sideways at 360 px", what)
		}
	}

	browser.Navigate(t, ctx, a.URL+"/people")
	browser.Click(t, ctx, `nav.pager a[rel="next"]`)
	browser.WaitVisible(t, ctx, `nav.pager a[rel="prev"]`)
	if u := browser.URL(t, ctx); !strings.Contains(u, "after=") || strings.Contains(u, "Paged") {
		t.Fatalf("the second page's address %q should page by a person's id", u)
	}
	browser.Screenshot(t, ctx, "paging/people-2-en")
	checkAccessibility(t, ctx, "people, second page (en)")
	noSidewaysScroll("the people list")
	browser.Click(t, ctx, `nav.pager a[rel="prev"]`)
	browser.WaitVisible(t, ctx, `nav.pager a[rel="next"]`)

	browser.Navigate(t, ctx, a.URL+"/summaries")
	browser.Click(t, ctx, `nav.pager a[rel="next"]`)
	browser.WaitVisible(t, ctx, `nav.pager a[href="/summaries"]`)
	if !strings.Contains(browser.URL(t, ctx), "before=") {
		t.Fatal("older summaries should be found by key")
	}
	browser.Screenshot(t, ctx, "paging/summaries-older-en")
	checkAccessibility(t, ctx, "older summaries (en)")
	noSidewaysScroll("the older summaries")

	toLanguage(t, ctx, "ar")
	browser.WaitVisible(t, ctx, `nav.pager a[href="/summaries"]`)
	if got := browser.Text(t, ctx, `nav.pager a[href="/summaries"]`); got != "الأحدث" {
		t.Errorf("the way back reads %q in Arabic", got)
	}
	browser.Screenshot(t, ctx, "paging/summaries-older-ar")
	checkAccessibility(t, ctx, "older summaries (ar)")
	noSidewaysScroll("the older summaries in Arabic")

	browser.Submit(t, ctx, `form.lang button[value="fr"]`)
	browser.WaitVisible(t, ctx, `html[lang="fr"]`)
	browser.Navigate(t, ctx, a.URL+"/people")
	browser.Click(t, ctx, `nav.pager a[rel="next"]`)
	browser.WaitVisible(t, ctx, `nav.pager a[rel="prev"]`)
	browser.Screenshot(t, ctx, "paging/people-2-fr")
	checkAccessibility(t, ctx, "people, second page (fr)")
	noSidewaysScroll("the people list in French")
}
