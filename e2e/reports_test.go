package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/internal/browser"
)

// lastQuarter is the demo's last closed quarter in Amman, whose Sheet 3
// the demo leaves for the Nuzha organiser to submit.
func lastQuarter() peercircle.Quarter {
	amman, _ := time.LoadLocation("Asia/Amman")
	return peercircle.QuarterOf(time.Now().In(amman), 1).Prev()
}

// TestSheet3IsSubmittedReturnedFixedAndAccepted walks the review of a
// quarterly report in two browsers: the organiser submits Sheet 3, the
// coordinator returns it with a comment, the organiser answers and submits
// it again, the coordinator accepts it; both then see it on their
// dashboards. Pages are photographed in English and Arabic.
func TestSheet3IsSubmittedReturnedFixedAndAccepted(t *testing.T) {
	a := startDemo(t)
	root := browser.New(t)
	q := lastQuarter()
	report := fmt.Sprintf("%s/sites/1/reports/%s", a.URL, q)

	organiser := browser.NewContext(t, root)
	signIn(t, organiser, a, "organiser")
	coordinator := browser.NewContext(t, root)
	signIn(t, coordinator, a, "coordinator")

	// 1. The organiser opens last quarter's Sheet 3 and submits it.
	browser.Navigate(t, organiser, report)
	if got := browser.Text(t, organiser, ".report-head .tag"); got != "Not submitted" {
		t.Fatalf("state before submitting = %q", got)
	}
	held := browser.Text(t, organiser, ".stats li:first-child .stat")
	if held == "" || held == "0" {
		t.Fatalf("the demo should have meetings held last quarter, the page says %q", held)
	}
	browser.Screenshot(t, organiser, "reports/sheet3-draft-en")
	checkAccessibility(t, organiser, "sheet3 draft")
	browser.Fill(t, organiser, "#f-comment", "Good attendance. The room was needed for a clinic day once.")
	browser.Submit(t, organiser, `button.primary`)
	if msg := browser.Text(t, organiser, ".flash"); !strings.Contains(msg, "submitted") {
		t.Fatalf("flash after submit = %q", msg)
	}
	if got := browser.Text(t, organiser, ".report-head .tag"); got != "Submitted" {
		t.Fatalf("state after submitting = %q", got)
	}

	// 2. The coordinator sees it waiting on the area dashboard and returns it.
	browser.Navigate(t, coordinator, a.URL+"/areas/1?quarter="+q.String())
	row := browser.Text(t, coordinator, "table.dash tbody")
	if !strings.Contains(row, "Jabal Al-Nuzha") || !strings.Contains(row, "Report waiting for your review") {
		t.Fatalf("the dashboard does not show the report waiting: %q", row)
	}
	browser.Screenshot(t, coordinator, "reports/area-dashboard-en")
	checkAccessibility(t, coordinator, "area dashboard")
	browser.Navigate(t, coordinator, report)
	browser.Submit(t, coordinator, `button[value="return"]`)
	if msg := browser.Text(t, coordinator, ".error-summary"); msg == "" {
		t.Fatal("a return without a comment was not refused")
	}
	browser.Fill(t, coordinator, "#f-review_comment", "Please add what the members asked for in the second meeting of the quarter.")
	browser.Submit(t, coordinator, `button[value="return"]`)
	if got := browser.Text(t, coordinator, ".report-head .tag"); got != "Returned" {
		t.Fatalf("state after returning = %q", got)
	}

	// 3. The organiser reads the comment, fixes the report and submits again.
	browser.Navigate(t, organiser, report)
	if txt := browser.Text(t, organiser, "section.review"); !strings.Contains(txt, "second meeting of the quarter") {
		t.Fatalf("the organiser does not see the coordinator's comment: %q", txt)
	}
	browser.Screenshot(t, organiser, "reports/sheet3-returned-en")
	browser.Fill(t, organiser, "#f-comment", "Good attendance. Members asked for a refresher on referral pathways.")
	browser.Submit(t, organiser, `button.primary`)
	if got := browser.Text(t, organiser, ".report-head .tag"); got != "Submitted" {
		t.Fatalf("state after resubmitting = %q", got)
	}

	// 4. The coordinator accepts it.
	browser.Navigate(t, coordinator, report)
	browser.Fill(t, coordinator, "#f-review_comment", "Thank you.")
	browser.Submit(t, coordinator, `button[value="accept"]`)
	if got := browser.Text(t, coordinator, ".report-head .tag"); got != "Accepted" {
		t.Fatalf("state after accepting = %q", got)
	}
	history := browser.Text(t, coordinator, "section.review ol")
	for _, step := range []string{"submitted by", "returned by", "accepted by"} {
		if !strings.Contains(history, step) {
			t.Errorf("history lacks %q: %q", step, history)
		}
	}
	browser.Screenshot(t, coordinator, "reports/sheet3-accepted-en")

	// 5. Both see it on their dashboards.
	browser.Navigate(t, coordinator, a.URL+"/areas/1?quarter="+q.String())
	if row := browser.Text(t, coordinator, "table.dash tbody"); !strings.Contains(row, "Accepted") {
		t.Errorf("the coordinator's dashboard does not show the acceptance: %q", row)
	}
	browser.Navigate(t, organiser, a.URL+"/sites/1/reports")
	if row := browser.Text(t, organiser, "table tbody tr:nth-child(2)"); !strings.Contains(row, "Accepted") {
		t.Errorf("the organiser's list does not show the acceptance: %q", row)
	}
	browser.Screenshot(t, organiser, "reports/site-reports-en")

	// The same pages in Arabic, right to left.
	for _, p := range []struct {
		who  string
		path string
	}{{"organiser", report}, {"coordinator", a.URL + "/areas/1?quarter=" + q.String()}} {
		ctx := organiser
		if p.who == "coordinator" {
			ctx = coordinator
		}
		browser.Submit(t, ctx, `form.lang button[value="ar"]`)
		browser.WaitVisible(t, ctx, `html[dir="rtl"]`)
		browser.Navigate(t, ctx, p.path)
		if missing := browser.Eval[string](t, ctx, `(document.body.innerText.match(/![a-z_.]+!/) || [""])[0]`); missing != "" {
			t.Errorf("%s shows a missing message key %s", p.path, missing)
		}
		name := map[string]string{"organiser": "sheet3-accepted-ar", "coordinator": "area-dashboard-ar"}[p.who]
		browser.Screenshot(t, ctx, "reports/"+name)
		checkAccessibility(t, ctx, name)
	}
}
