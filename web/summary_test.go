package web_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/sqlstore"
)

// summaryForm is a Sheet 2 form as the page would post it.
func summaryForm(version string, notes map[string]string) url.Values {
	v := url.Values{"version": {version}, "topic": {"Psychological first aid"}, "cases_discussed": {"2"}, "support_gp": {"1"}, "support_crisis": {"٢"}}
	for k, n := range notes {
		v.Set(k, n)
	}
	return v
}

var versionRE = regexp.MustCompile(`name="version" value="(\d+)"`)

func formVersion(t *testing.T, body string) string {
	t.Helper()
	m := versionRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no version in the form: %s", excerpt(body))
	}
	return m[1]
}

func TestSummaryReview(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	id := newMeetingIn(t, e, 3*time.Hour)
	fac, org, coord := e.as("facilitator"), e.as("organiser"), e.as("coordinator")
	edit := fmt.Sprintf("/sessions/%d/summary/edit", id)
	save := fmt.Sprintf("/sessions/%d/summary", id)
	const secret = "the rota at the vaccination clinic"

	t.Run("the form is pre-filled from the meeting", func(t *testing.T) {
		it := &peercircle.AgendaItem{SessionID: id, AuthorID: e.People["member"].ID, Kind: peercircle.ItemCase, Title: "A home visit that went wrong"}
		if err := e.Store.ProposeItem(ctx, it); err != nil {
			t.Fatal(err)
		}
		if err := e.Store.UpdateItem(ctx, id, it.ID, peercircle.ItemDiscussed, 0); err != nil {
			t.Fatal(err)
		}
		res := fac.get(edit)
		wantStatus(t, res, http.StatusOK)
		if !strings.Contains(res.Body, "- A home visit that went wrong") || !regexp.MustCompile(`name="cases_discussed" type="number" value="1"`).MatchString(res.Body) {
			t.Fatalf("not pre-filled: %s", excerpt(res.Body))
		}
	})

	t.Run("a planted name is caught in place and removed in one submit", func(t *testing.T) {
		form := summaryForm("0", map[string]string{"key_issues": "We talked about " + secret + ".", "decisions": "Ask Test Member to call 0795551234"})
		res := fac.post(save, form)
		wantStatus(t, res, http.StatusUnprocessableEntity)
		if fs := guardFindings(res.Body); len(fs) != 2 {
			t.Fatalf("findings = %v", fs)
		}
		if _, err := e.Store.Summary(ctx, id, false); peercircle.ErrorCode(err) != peercircle.ENOTFOUND {
			t.Fatal("the summary was saved with a name in it")
		}
		res = fac.post(save, decideAll(form, res.Body, "remove"))
		wantStatus(t, res, http.StatusSeeOther)
		su, err := e.Store.Summary(ctx, id, true)
		if err != nil || su.Notes["decisions"] != "Ask [name] to call [phone number]" {
			t.Fatalf("decisions now %q (%v)", su.Notes["decisions"], err)
		}
	})

	t.Run("an over-long note is refused and nothing typed is lost", func(t *testing.T) {
		page := fac.get(edit)
		long := strings.Repeat("calm ", peercircle.MaxNote/5+1)
		res := fac.post(save, summaryForm(formVersion(t, page.Body), map[string]string{"challenges": long, "key_issues": "kept text"}))
		wantStatus(t, res, http.StatusUnprocessableEntity)
		if !strings.Contains(res.Body, "4000 characters at most") || !strings.Contains(res.Body, "kept text") {
			t.Fatal(excerpt(res.Body))
		}
	})

	t.Run("a stale form is refused", func(t *testing.T) {
		res := fac.post(save, summaryForm("0", map[string]string{"key_issues": "old"}))
		wantStatus(t, res, http.StatusConflict)
	})

	t.Run("submitting notifies the organiser", func(t *testing.T) {
		if err := e.Store.MarkPresent(ctx, id, e.People["member"].ID, true); err != nil {
			t.Fatal(err)
		}
		page := fac.get(edit)
		form := summaryForm(formVersion(t, page.Body), map[string]string{"key_issues": "We talked about " + secret + "."})
		form.Set("op", "submit")
		wantStatus(t, fac.post(save, form), http.StatusSeeOther)
		ns, _ := e.Store.Notifications(ctx, e.People["organiser"].ID, false, 10)
		if len(ns) == 0 || ns[0].Kind != "summary_submitted" {
			t.Fatalf("notifications = %+v", ns)
		}
		if list := org.get("/summaries"); !strings.Contains(list.Body, "Waiting for your review") {
			t.Fatal(excerpt(list.Body))
		}
	})

	t.Run("the organiser returns it with a comment; the facilitator fixes it", func(t *testing.T) {
		page := org.get(save)
		if !strings.Contains(page.Body, secret) || !strings.Contains(page.Body, `id="review"`) {
			t.Fatalf("the organiser cannot review: %s", excerpt(page.Body))
		}
		res := org.post(save+"/review", url.Values{"decision": {"return"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantStatus(t, org.post(save+"/review", url.Values{"decision": {"return"}, "comment": {"Please add the follow-up dates."}}), http.StatusSeeOther)
		page = fac.get(edit)
		if !strings.Contains(page.Body, "Please add the follow-up dates.") {
			t.Fatal("the facilitator does not see the comment")
		}
		form := summaryForm(formVersion(t, page.Body), map[string]string{"key_issues": "We talked about " + secret + ".", "follow_ups": "Ask the area team by the 20th."})
		form.Set("op", "submit")
		wantStatus(t, fac.post(save, form), http.StatusSeeOther)
	})

	t.Run("accepted, the coordinator sees figures and never the text", func(t *testing.T) {
		org.get(save)
		wantStatus(t, org.post(save+"/review", url.Values{"decision": {"accept"}}), http.StatusSeeOther)
		// The figures of an accepted summary no longer move (issue 10).
		if err := e.Store.MarkPresent(ctx, id, e.People["member"].ID, false); peercircle.ErrorKey(err) != "summary.locked" {
			t.Fatalf("attendance of an accepted summary changed: %v", err)
		}
		if !strings.Contains(plain(org.get(save).Body), "members present: 1 ") {
			t.Error("the organiser should see the exact count")
		}
		res := coord.get(save)
		if !strings.Contains(plain(res.Body), "members present: fewer than 3") {
			t.Errorf("a count about one person is shown to the coordinator: %s", excerpt(res.Body))
		}
		wantStatus(t, res, http.StatusOK)
		if strings.Contains(res.Body, secret) || strings.Contains(res.Body, "area team by the 20th") || !strings.Contains(res.Body, "Psychological first aid") ||
			!strings.Contains(res.Body, `id="confidential-hidden"`) {
			t.Fatalf("coordinator's view: %s", excerpt(res.Body))
		}
		list := coord.get("/summaries")
		if !strings.Contains(list.Body, "Psychological first aid") {
			t.Fatal(excerpt(list.Body))
		}
		csv := coord.get("/summaries.csv")
		if !strings.Contains(csv.Body, "Psychological first aid") || strings.Contains(csv.Body, "vaccination") {
			t.Fatalf("csv:\n%s", csv.Body)
		}
		ns, _ := e.Store.Notifications(ctx, e.People["coordinator"].ID, false, 10)
		if len(ns) == 0 || ns[0].Kind != "summary_to_read" {
			t.Fatalf("coordinator notifications = %+v", ns)
		}
	})

	t.Run("a summary of a cancelled meeting is refused with a clear message", func(t *testing.T) {
		c := newMeetingIn(t, e, 48*time.Hour)
		if _, err := e.Store.DB.WritePool().Exec(fmt.Sprintf("UPDATE sessions SET status = 'cancelled' WHERE id = %d", c)); err != nil {
			t.Fatal(err)
		}
		fac.get(fmt.Sprintf("/sessions/%d/summary/edit", c))
		res := fac.post(fmt.Sprintf("/sessions/%d/summary", c), summaryForm("0", map[string]string{"key_issues": "x"}))
		wantStatus(t, res, http.StatusUnprocessableEntity)
		if !strings.Contains(res.Body, "cancelled or postponed") {
			t.Fatal(excerpt(res.Body))
		}
	})

	t.Run("reading the notes is audited, without the text", func(t *testing.T) {
		evs, _ := e.Store.AuditEvents(ctx, "summary", id, 50)
		read := false
		for _, ev := range evs {
			read = read || (ev.Action == "summary.read" && ev.ActorID == e.People["organiser"].ID)
			if strings.Contains(ev.Detail, "vaccination") {
				t.Fatalf("audit detail holds text: %+v", ev)
			}
		}
		if !read {
			t.Fatal("the organiser's read was not audited")
		}
	})
}

// TestCanaryNameNeverLeaves writes a member's name into a meeting's notes
// (agenda, Sheet 2, feedback), confirms it as "not a person" so it is
// stored, takes the summary through review, and then looks for the name
// everywhere it must never be: logs, notifications, coordinators' pages,
// exports, and the database file in clear.
func TestCanaryNameNeverLeaves(t *testing.T) {
	e := newEnv(t)
	spreadChannels(t, e) // what the flows send leaves by e-mail, SMS and WhatsApp
	ctx := context.Background()
	const canary = "Zubaida Qandeel"
	p := &peercircle.Person{Username: "zubaida", FullName: canary, HomeSiteID: e.In["site"], Status: peercircle.PersonActive}
	if err := e.Store.CreatePerson(ctx, p); err != nil {
		t.Fatal(err)
	}
	if err := e.Store.SaveMembership(ctx, &peercircle.Membership{GroupID: e.In["group"], PersonID: p.ID, Role: peercircle.RoleMember, Status: peercircle.MemberActive}); err != nil {
		t.Fatal(err)
	}
	id := newMeetingIn(t, e, 30*time.Minute)
	fac, member, org := e.as("facilitator"), e.as("member"), e.as("organiser")

	member.get(fmt.Sprintf("/sessions/%d", id))
	wantStatus(t, confirmAll(member, fmt.Sprintf("/sessions/%d/agenda", id), url.Values{"kind": {"case"}, "title": {"Support for " + canary}}), http.StatusSeeOther)
	wantStatus(t, fac.post(fmt.Sprintf("/sessions/%d/live", id), url.Values{"op": {"start"}}), http.StatusSeeOther)
	wantStatus(t, member.post(fmt.Sprintf("/sessions/%d/here", id), nil), http.StatusSeeOther)
	wantStatus(t, fac.post(fmt.Sprintf("/sessions/%d/feedback", id), url.Values{"op": {"open"}}), http.StatusSeeOther)
	claim := member.post(fmt.Sprintf("/sessions/%d/feedback/claim", id), nil)
	loc := claim.Header.Get("Location")
	member.get(loc)
	wantStatus(t, confirmAll(member, loc, url.Values{"grateful": {canary + " listened"}}), http.StatusOK)
	wantStatus(t, fac.post(fmt.Sprintf("/sessions/%d/live", id), url.Values{"op": {"end"}}), http.StatusSeeOther)

	page := fac.get(fmt.Sprintf("/sessions/%d/summary/edit", id))
	form := summaryForm(formVersion(t, page.Body), map[string]string{"key_issues": "How to support " + canary + " after the incident."})
	res := confirmAll(fac, fmt.Sprintf("/sessions/%d/summary", id), form)
	wantStatus(t, res, http.StatusSeeOther)
	page = fac.get(fmt.Sprintf("/sessions/%d/summary/edit", id))
	form = summaryForm(formVersion(t, page.Body), map[string]string{"key_issues": "How to support " + canary + " after the incident."})
	for _, m := range regexp.MustCompile(`name="(allow\.[a-z_]+)" value="([^"]+)"`).FindAllStringSubmatch(page.Body, -1) {
		form.Add(m[1], m[2])
	}
	form.Set("op", "submit")
	wantStatus(t, fac.post(fmt.Sprintf("/sessions/%d/summary", id), form), http.StatusSeeOther)
	if !strings.Contains(org.get(fmt.Sprintf("/sessions/%d/summary", id)).Body, canary) {
		t.Fatal("the reviewing organiser should read the notes; the canary was not stored")
	}
	wantStatus(t, org.post(fmt.Sprintf("/sessions/%d/summary/review", id), url.Values{"decision": {"accept"}}), http.StatusSeeOther)

	leaks := func(where, text string) {
		t.Helper()
		for _, part := range strings.Fields(canary) {
			if strings.Contains(text, part) {
				t.Errorf("the canary leaked into %s", where)
				return
			}
		}
	}
	t.Run("not in the logs", func(t *testing.T) { leaks("the server log", e.Log.String()) })

	t.Run("not in anything that left, by any channel", func(t *testing.T) {
		sent := deliverAll(t, e)
		n := 0
		for ch, raws := range sent {
			for _, raw := range raws {
				leaks("a message sent by "+ch, raw)
				n++
			}
		}
		if n == 0 {
			t.Fatal("nothing left the app: the check above saw nothing")
		}
		t.Logf("%d messages: %d by e-mail, %d by SMS, %d by WhatsApp", n, len(sent[peercircle.ChannelEmail]), len(sent[peercircle.ChannelSMS]), len(sent[peercircle.ChannelWhatsApp]))
	})

	t.Run("not in any notification", func(t *testing.T) {
		rows, err := e.Store.DB.Query(ctx, "SELECT kind, params, link FROM notifications")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		n := 0
		for rows.Next() {
			var kind, params, link string
			if err := rows.Scan(&kind, &params, &link); err != nil {
				t.Fatal(err)
			}
			leaks("a notification", kind+params+link)
			n++
		}
		if n == 0 {
			t.Fatal("no notifications were sent at all")
		}
	})

	t.Run("not in the audit log", func(t *testing.T) {
		evs, _ := e.Store.AuditEvents(ctx, "", 0, 1000)
		for _, ev := range evs {
			leaks("the audit log", ev.Action+ev.TargetKind+ev.Detail)
		}
	})

	t.Run("not on coordinators' pages or in exports", func(t *testing.T) {
		coord := e.as("coordinator")
		now := time.Now().UTC()
		quarter := fmt.Sprintf("%dQ%d", now.Year(), (int(now.Month())-1)/3+1)
		for _, path := range []string{
			"/", "/summaries", "/summaries.csv",
			fmt.Sprintf("/sessions/%d", id), fmt.Sprintf("/sessions/%d/summary", id), fmt.Sprintf("/sessions/%d/feedback", id),
			fmt.Sprintf("/areas/%d", e.In["area"]), fmt.Sprintf("/areas/%d/export/csv", e.In["area"]),
			fmt.Sprintf("/sites/%d/reports/%s", e.In["site"], quarter), fmt.Sprintf("/sites/%d/reports/%s/export/csv", e.In["site"], quarter),
			"/notifications",
		} {
			res := coord.get(path)
			if res.StatusCode >= 500 {
				t.Errorf("%s: status %d", path, res.StatusCode)
			}
			leaks("the coordinator's "+path, res.Body)
		}
		leaks("the organiser's CSV export", org.get("/summaries.csv").Body)
	})

	t.Run("not in the database in clear", func(t *testing.T) {
		if _, err := e.Store.DB.WritePool().ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
			t.Fatal(err)
		}
		path := e.dbFile(t)
		for _, f := range []string{path, path + "-wal"} {
			b, err := os.ReadFile(f)
			if err != nil {
				continue
			}
			// The person's own record holds the name, as it must, in
			// its row and in the index the people list pages by
			// (people_name); the notes must not. Count occurrences: only
			// those two.
			if n := bytes.Count(b, []byte("Qandeel")); n > 2 {
				t.Errorf("%s holds the canary %d times in clear; only the person's own record (row and name index) may", f, n)
			}
		}
	})
}

// plain drops the isolation marks the catalogue puts around arguments, so
// tests can look for a sentence as a person reads it.
func plain(s string) string { return strings.NewReplacer("\u2068", "", "\u2069", "").Replace(s) }

// Issue 14, goal 2: the accepted summaries page by key. With 120 of them
// a coordinator walks "Older summaries" from the newest to the oldest and
// sees each once, newest first; the CSV has every one, not the latest 500.
func TestAcceptedSummariesPageByKey(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	start := time.Date(2019, 1, 7, 9, 0, 0, 0, time.UTC)
	err := e.Store.DB.Write(ctx, func(tx *sqlstore.Tx) error {
		for i := range 120 {
			at := start.AddDate(0, 0, 7*i)
			id, err := tx.Insert(`INSERT INTO sessions (group_id, planned_start, planned_end, local_date, status, created_at, updated_at)
				VALUES (?, ?, ?, ?, 'held', ?, ?)`, e.In["group"], at, at.Add(time.Hour), at.Format(time.DateOnly), at, at)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(`INSERT INTO summaries (session_id, state, topic, created_at, updated_at) VALUES (?, 'accepted', ?, ?, ?)`,
				id, fmt.Sprintf("Keyed topic %03d", i), at, at); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	coord := e.as("coordinator")
	topic := regexp.MustCompile(`Keyed topic (\d{3})`)
	older := regexp.MustCompile(`rel="next" href="(/summaries\?before=\d+)"`)
	var seen []string
	res := coord.get("/summaries")
	for pages := 1; ; pages++ {
		wantStatus(t, res, http.StatusOK)
		for _, m := range topic.FindAllStringSubmatch(res.Body, -1) {
			seen = append(seen, m[1])
		}
		if pages > 1 && !strings.Contains(res.Body, `<a href="/summaries">Newest</a>`) {
			t.Fatalf("page %d has no way back to the newest", pages)
		}
		m := older.FindStringSubmatch(res.Body)
		if m == nil {
			if pages != 3 {
				t.Fatalf("%d pages of 120 accepted summaries, want 3", pages)
			}
			break
		}
		res = coord.get(m[1])
	}
	if len(seen) != 120 || seen[0] != "119" || seen[119] != "000" {
		t.Fatalf("%d summaries seen, first %v", len(seen), seen[:min(3, len(seen))])
	}
	for i := 1; i < len(seen); i++ {
		if seen[i] >= seen[i-1] {
			t.Fatalf("not newest first at %d: %s after %s", i, seen[i], seen[i-1])
		}
	}
	csv := coord.get("/summaries.csv")
	if n := strings.Count(csv.Body, "Keyed topic"); n != 120 {
		t.Fatalf("the CSV has %d of 120", n)
	}
}
