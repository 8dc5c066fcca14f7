package web_test

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/peercircle/peercircle"
)

// seen is a page's text as a person reads it: entities decoded, isolation
// marks dropped.
func seen(body string) string { return html.UnescapeString(plain(body)) }

var codeRE = regexp.MustCompile(`[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}`)

// fileComplaint sends the complaint form and follows to the page that
// shows the code, returning the code.
func fileComplaint(t *testing.T, c *client, form url.Values) string {
	t.Helper()
	c.get("/complaints/new")
	res := c.post("/complaints/new", form)
	wantStatus(t, res, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/complaints/filed" {
		t.Fatalf("after filing, sent to %q", loc)
	}
	page := c.get("/complaints/filed")
	code := codeRE.FindString(page.Body)
	if code == "" {
		t.Fatalf("no code on the page:\n%s", excerpt(page.Body))
	}
	return code
}

func TestSafetyTheNeedMoreSupportPage(t *testing.T) {
	e := newEnv(t)
	t.Run("the public reads the guidance and can complain, but sees no file", func(t *testing.T) {
		body := seen(e.as("anon").get("/support").Body)
		for _, want := range []string{"If you or someone else is in danger now", "Signs that peer support may not be enough", `href="/complaints/new"`, `href="/complaints/track"`, "Sign in"} {
			if !strings.Contains(body, want) {
				t.Errorf("the public page lacks %q", want)
			}
		}
		if strings.Contains(body, "Crisis line") || strings.Contains(body, "/support/requests/new") {
			t.Error("the public sees a file or the request form")
		}
	})
	t.Run("a member sees their group's and site's files, phone first, and can ask to talk", func(t *testing.T) {
		body := seen(e.as("member").get("/support").Body)
		for _, want := range []string{"Support near you", "Crisis line", `href="tel:911"`, "Legal aid clinic", "Gathered by Group 1", "At Site 1", `href="/support/requests/new"`, "You have 1 request waiting"} {
			if !strings.Contains(body, want) {
				t.Errorf("the member's page lacks %q", want)
			}
		}
		if strings.Contains(body, "For you to look at") {
			t.Error("a member is shown a handler's list")
		}
	})
	t.Run("handlers see what waits for them, as counts", func(t *testing.T) {
		if body := seen(e.as("facilitator").get("/support").Body); !strings.Contains(body, "1 request for support waiting") {
			t.Errorf("the facilitator is not told of the waiting request:\n%s", excerpt(body))
		}
		if body := seen(e.as("organiser").get("/support").Body); !strings.Contains(body, "1 complaint waiting for an answer") {
			t.Errorf("the organiser is not told of the waiting complaint:\n%s", excerpt(body))
		}
	})
	t.Run("the group page links to the group's file", func(t *testing.T) {
		if body := e.as("member").get("/groups/" + id(e.In["group"])).Body; !strings.Contains(body, fmt.Sprintf(`href="/groups/%d/support"`, e.In["group"])) {
			t.Error("no link from the group page")
		}
	})
}

func TestSafetyManagingAFileOfSupport(t *testing.T) {
	e := newEnv(t)
	org, fac := e.as("organiser"), e.as("facilitator")
	site := "/sites/" + id(e.In["site"]) + "/support"
	group := "/groups/" + id(e.In["group"]) + "/support"

	t.Run("the organiser adds a resource to the site's file", func(t *testing.T) {
		org.get(site)
		res := org.post(site, url.Values{"name": {"Amman mental health team"}, "kind": {"mental_health"}, "phone": {"٠٦ ٥٥٥ ٠١٠٢"},
			"when_to_use": {"If low mood lasts more than two weeks."}, "hours": {"Sunday to Thursday, 8:00–15:00"}, "languages": {"Arabic"}})
		wantStatus(t, res, http.StatusSeeOther)
		body := seen(org.get(site).Body)
		for _, want := range []string{"Amman mental health team", `href="tel:065550102"`, "If low mood lasts more than two weeks.", "Mental health team", "Sunday to Thursday"} {
			if !strings.Contains(body, want) {
				t.Errorf("the file lacks %q", want)
			}
		}
	})

	t.Run("a bad link comes back with what was typed and the field marked", func(t *testing.T) {
		res := org.post(site, url.Values{"name": {"Help site"}, "kind": {"other"}, "link": {"javascript:alert(1)"}, "when_to_use": {"Any time"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		body := seen(res.Body)
		if !strings.Contains(body, "Give a web address starting with https://") || !strings.Contains(body, `value="Help site"`) || !strings.Contains(body, "Any time") {
			t.Fatalf("the form did not come back as typed:\n%s", excerpt(body))
		}
		if strings.Contains(res.Body, `href="javascript:`) {
			t.Fatal("a javascript link reached the page")
		}
	})

	t.Run("the facilitator adds to the group's file, not the site's", func(t *testing.T) {
		wantStatus(t, fac.post(group, url.Values{"name": {"Women's legal aid"}, "kind": {"legal"}, "address": {"Second floor, Jabal Amman"}}), http.StatusSeeOther)
		wantStatus(t, fac.post(site, url.Values{"name": {"X"}, "kind": {"gp"}, "phone": {"1"}}), http.StatusForbidden)
		if !strings.Contains(seen(e.as("member").get(group).Body), "Women's legal aid") {
			t.Error("the member does not see the group's new resource")
		}
	})

	t.Run("a resource of one file cannot be changed through another", func(t *testing.T) {
		path := group + "/" + id(e.In["resource"]) // the site's resource, under the group
		wantStatus(t, fac.post(path, url.Values{"name": {"Taken over"}, "kind": {"gp"}, "phone": {"12"}}), http.StatusNotFound)
		wantStatus(t, fac.post(path+"/delete", nil), http.StatusNotFound)
		r, err := e.Store.SupportResource(context.Background(), e.In["resource"])
		if err != nil || r.Name != "Crisis line" {
			t.Fatalf("resource changed: %+v %v", r, err)
		}
	})

	t.Run("the organiser changes and removes a resource", func(t *testing.T) {
		path := site + "/" + id(e.In["resource"])
		wantStatus(t, org.post(path, url.Values{"name": {"National crisis line"}, "kind": {"crisis"}, "phone": {"911"}}), http.StatusSeeOther)
		if !strings.Contains(org.get(site).Body, "National crisis line") {
			t.Fatal("the change is not shown")
		}
		wantStatus(t, org.post(path+"/delete", nil), http.StatusSeeOther)
		if strings.Contains(org.get(site).Body, "National crisis line") {
			t.Fatal("the resource is still there")
		}
	})

	t.Run("the handout holds the group's and the site's resources and no form", func(t *testing.T) {
		body := seen(e.as("member").get(group + "/handout").Body)
		for _, want := range []string{"Where to find more support", "Test Programme", "Women's legal aid", "Amman mental health team", "If you or someone else is in danger now"} {
			if !strings.Contains(body, want) {
				t.Errorf("the handout lacks %q", want)
			}
		}
		if strings.Contains(body, `method="post" action="/groups`) {
			t.Error("the handout has a form")
		}
	})
}

func TestSafetyASupportRequestFromAskingToAnswer(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	member, fac, org := e.as("member"), e.as("facilitator"), e.as("organiser")
	const words = "Since the night in the emergency room I cannot stop shaking"

	member.get("/support/requests/new")
	res := member.post("/support/requests", url.Values{"to": {"g:" + id(e.In["group"])}, "message": {words},
		"contact_channel": {"whatsapp"}, "contact_address": {"+962 79 555 0199"}})
	wantStatus(t, res, http.StatusSeeOther)
	path := res.Header.Get("Location")
	rid, _ := pathTail(path)

	t.Run("the member sees their own request", func(t *testing.T) {
		body := seen(member.get(path).Body)
		if !strings.Contains(body, words) || !strings.Contains(body, "+962 79 555 0199") || !strings.Contains(body, "Withdraw my request") {
			t.Fatalf("member's view:\n%s", excerpt(body))
		}
	})

	t.Run("the facilitator is told one waits, never what it says", func(t *testing.T) {
		ns, _ := e.Store.Notifications(ctx, e.People["facilitator"].ID, false, 10)
		if len(ns) == 0 || ns[0].Kind != "support_request" || ns[0].Link != path || len(ns[0].Params) != 0 {
			t.Fatalf("notifications %+v", ns)
		}
		body := seen(fac.get("/notifications").Body)
		if !strings.Contains(body, "A member has asked for more support") || strings.Contains(body, "shaking") {
			t.Fatalf("notifications page:\n%s", excerpt(body))
		}
	})

	t.Run("only the chosen people may read it", func(t *testing.T) {
		for _, role := range []string{"organiser", "coordinator", "admin", "supervisor"} {
			res := e.as(role).get(path)
			if res.StatusCode != http.StatusForbidden || strings.Contains(res.Body, "shaking") {
				t.Errorf("%s: status %d", role, res.StatusCode)
			}
		}
		if strings.Contains(org.get("/support/requests").Body, "Request from") {
			t.Error("the organiser's list shows a request sent to the facilitators")
		}
	})

	t.Run("the facilitator's read is audited; the member's own is not", func(t *testing.T) {
		before, _ := e.Store.AuditEvents(ctx, "support_request", rid, 100)
		body := seen(fac.get(path).Body)
		if !strings.Contains(body, words) || !strings.Contains(body, "Request from Test Member") {
			t.Fatalf("facilitator's view:\n%s", excerpt(body))
		}
		member.get(path)
		after, _ := e.Store.AuditEvents(ctx, "support_request", rid, 100)
		if len(after) != len(before)+1 || after[0].Action != "support_request.read" || after[0].ActorID != e.People["facilitator"].ID {
			t.Fatalf("audit before %d, after %+v", len(before), after)
		}
	})

	t.Run("an empty reply is refused and nothing is lost", func(t *testing.T) {
		res := fac.post(path, url.Values{"op": {"reply"}, "reply": {"  "}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
	})

	const reply = "Thank you for telling me. I will call you on WhatsApp tonight at eight."
	t.Run("the facilitator answers and the member reads the answer", func(t *testing.T) {
		wantStatus(t, fac.post(path, url.Values{"op": {"reply"}, "reply": {reply}}), http.StatusSeeOther)
		body := seen(member.get(path).Body)
		if !strings.Contains(body, reply) || !strings.Contains(body, "In hand") {
			t.Fatalf("member's view after the answer:\n%s", excerpt(body))
		}
		ns, _ := e.Store.Notifications(ctx, e.People["member"].ID, false, 10)
		if len(ns) == 0 || ns[0].Kind != "support_request_news" || len(ns[0].Params) != 0 {
			t.Fatalf("member's notifications %+v", ns)
		}
	})

	t.Run("the member may not answer their own request; the facilitator may not withdraw it", func(t *testing.T) {
		wantStatus(t, member.post(path, url.Values{"op": {"close"}}), http.StatusForbidden)
		wantStatus(t, fac.post(path+"/withdraw", nil), http.StatusForbidden)
	})

	t.Run("withdrawing erases the words", func(t *testing.T) {
		wantStatus(t, member.post(path+"/withdraw", nil), http.StatusSeeOther)
		body := seen(fac.get(path).Body)
		if strings.Contains(body, "shaking") || strings.Contains(body, "+962 79") || !strings.Contains(body, "This request was withdrawn") {
			t.Fatalf("after withdrawing:\n%s", excerpt(body))
		}
		wantStatus(t, member.post(path+"/withdraw", nil), http.StatusConflict)
	})

	t.Run("asking someone not of one's groups is refused", func(t *testing.T) {
		wantStatus(t, member.post("/support/requests", url.Values{"to": {"s:" + id(e.Out["site"])}, "contact_channel": {"in_person"}}), http.StatusForbidden)
		wantStatus(t, member.post("/support/requests", url.Values{"to": {"x:1"}, "contact_channel": {"in_person"}}), http.StatusUnprocessableEntity)
	})
}

func pathTail(p string) (int64, error) {
	var n int64
	_, err := fmt.Sscanf(p[strings.LastIndex(p, "/")+1:], "%d", &n)
	return n, err
}

func TestSafetyAnAnonymousComplaintFromFilingToAnswer(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	visitor := e.as("anon")
	const words = "During the meeting someone was laughed at for crying"

	code := fileComplaint(t, visitor, url.Values{"about": {"programme"}, "text": {words}})

	t.Run("the code is shown once", func(t *testing.T) {
		body := seen(visitor.get("/complaints/filed").Body)
		if codeRE.MatchString(body) || !strings.Contains(body, "The code was shown already") {
			t.Fatalf("second visit:\n%s", excerpt(body))
		}
	})

	t.Run("the code follows the complaint, however it is typed", func(t *testing.T) {
		visitor.get("/complaints/track")
		res := visitor.post("/complaints/track", url.Values{"code": {strings.ToLower(strings.ReplaceAll(code, "-", " "))}})
		wantStatus(t, res, http.StatusOK)
		body := seen(res.Body)
		if !strings.Contains(body, "Received") || !strings.Contains(body, "The programme as a whole") || strings.Contains(body, "laughed") {
			t.Fatalf("tracking page:\n%s", excerpt(body))
		}
	})

	t.Run("a wrong code finds nothing and says so", func(t *testing.T) {
		res := visitor.post("/complaints/track", url.Values{"code": {peercircle.NewTrackingCode()}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		if !strings.Contains(seen(res.Body), "We could not find a complaint with this code") {
			t.Fatal("no message for a wrong code")
		}
	})

	// A complaint about the programme goes to the admins.
	admin := e.as("admin")
	var cid int64
	t.Run("the admins find it in their list and read it, audited", func(t *testing.T) {
		body := admin.get("/complaints").Body
		m := regexp.MustCompile(`href="/complaints/(\d+)"`).FindAllStringSubmatch(body, -1)
		for _, x := range m {
			fmt.Sscanf(x[1], "%d", &cid)
			if cid != e.In["complaint"] && cid != e.Out["complaint"] {
				break
			}
		}
		page := seen(admin.get(fmt.Sprintf("/complaints/%d", cid)).Body)
		if !strings.Contains(page, words) {
			t.Fatalf("the admin cannot read it:\n%s", excerpt(page))
		}
		evs, _ := e.Store.AuditEvents(ctx, "complaint", cid, 10)
		if len(evs) == 0 || evs[0].Action != "complaint.read" || evs[0].ActorID != e.People["admin"].ID {
			t.Fatalf("audit %+v", evs)
		}
		if res := e.as("organiser").get(fmt.Sprintf("/complaints/%d", cid)); res.StatusCode != http.StatusForbidden {
			t.Fatalf("the organiser reads a complaint about the programme: %d", res.StatusCode)
		}
	})

	const note = "Thank you. We spoke with the facilitators about respect in the group."
	t.Run("the answer reaches the visitor with the code", func(t *testing.T) {
		wantStatus(t, admin.post(fmt.Sprintf("/complaints/%d", cid), url.Values{"note": {note}, "state": {"resolved"}}), http.StatusSeeOther)
		body := seen(visitor.post("/complaints/track", url.Values{"code": {code}}).Body)
		if !strings.Contains(body, note) || !strings.Contains(body, "Resolved") {
			t.Fatalf("tracking after the answer:\n%s", excerpt(body))
		}
	})

	t.Run("a complaint about the organiser goes to the area's coordinator", func(t *testing.T) {
		fileComplaint(t, e.as("member"), url.Values{"about": {"s:" + id(e.In["site"])}, "about_organiser": {"1"}, "text": {"The organiser shouts at us."}})
		list := seen(e.as("coordinator").get("/complaints").Body)
		if !strings.Contains(list, "About Site 1") || !strings.Contains(list, "about the organiser") {
			t.Fatalf("coordinator's list:\n%s", excerpt(list))
		}
		if strings.Contains(seen(e.as("organiser").get("/complaints").Body), "about the organiser") {
			t.Fatal("the organiser sees the complaint about them")
		}
	})

	t.Run("the group's facilitators never handle a complaint about it, even as organiser", func(t *testing.T) {
		const about = "The facilitator repeats at home what is said in the group."
		fileComplaint(t, e.as("member"), url.Values{"about": {"g:" + id(e.In["group"])}, "text": {about}})
		org := e.as("organiser")
		m := regexp.MustCompile(`href="/complaints/(\d+)"`).FindStringSubmatch(org.get("/complaints").Body)
		if m == nil {
			t.Fatal("the organiser does not find the complaint about a group at her site")
		}
		path := "/complaints/" + m[1]
		if !strings.Contains(seen(org.get(path).Body), about) {
			t.Fatal("the organiser cannot read it")
		}
		// She becomes the group's standing facilitator: the complaint, routed
		// before, is no longer hers to read.
		if err := e.Store.SaveMembership(ctx, &peercircle.Membership{GroupID: e.In["group"], PersonID: e.People["organiser"].ID,
			Role: peercircle.RoleFacilitator, Status: peercircle.MemberActive}); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(org.get("/complaints").Body, `href="`+path+`"`) {
			t.Error("the facilitating organiser still lists the complaint about her group")
		}
		wantStatus(t, org.get(path), http.StatusForbidden)
		// A new one about the group goes past her, to the area's coordinator.
		before := strings.Count(seen(e.as("coordinator").get("/complaints").Body), "About Group 1")
		fileComplaint(t, e.as("member"), url.Values{"about": {"g:" + id(e.In["group"])}, "text": {"Again the same."}})
		if after := strings.Count(seen(e.as("coordinator").get("/complaints").Body), "About Group 1"); after != before+1 {
			t.Errorf("the complaint did not go up to the coordinator (%d listed, %d before)", after, before)
		}
	})

	t.Run("only what the form offers can be chosen", func(t *testing.T) {
		// Group 2 is not listed and the visitor is in no group.
		visitor.get("/complaints/new")
		res := visitor.post("/complaints/new", url.Values{"about": {"g:" + id(e.Out["group"])}, "text": {"x"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		if !strings.Contains(res.Body, `<textarea id="f-text" name="text"`) || !strings.Contains(res.Body, ">x</textarea>") {
			t.Fatal("the form did not come back with the text")
		}
	})

	t.Run("one address files a few complaints an hour, then waits", func(t *testing.T) {
		f := newEnv(t)
		c := f.as("anon")
		for i := range peercircle.ComplaintThrottle {
			fileComplaint(t, c, url.Values{"about": {"programme"}, "text": {fmt.Sprintf("complaint %d", i)}})
		}
		res := c.post("/complaints/new", url.Values{"about": {"programme"}, "text": {"one too many"}})
		wantStatus(t, res, http.StatusTooManyRequests)
		if !strings.Contains(seen(res.Body), "Please wait an hour") || !strings.Contains(res.Body, "one too many") {
			t.Fatalf("throttled page:\n%s", excerpt(res.Body))
		}
	})
}

// TestSafetyCanaryRequestAndComplaintNeverLeave writes a canary into a support
// request and a complaint, takes both through their answers, and then
// looks for it everywhere it must never be: the logs, notifications, the
// audit log, the pages of people not allowed, exports, and the database
// file in clear. Signed-in filing must not tie the person to the
// complaint in the request log.
func TestSafetyCanaryRequestAndComplaintNeverLeave(t *testing.T) {
	e := newEnv(t)
	spreadChannels(t, e) // what the flows send leaves by e-mail, SMS and WhatsApp
	const canary = "Quokkaberry"
	member, fac, org := e.as("member"), e.as("facilitator"), e.as("organiser")

	member.get("/support/requests/new")
	res := member.post("/support/requests", url.Values{"to": {"g:" + id(e.In["group"])}, "message": {"Please help " + canary},
		// the confidentiality guard takes the canary for a name: the member
		// confirms it is not a person (a confirmation is not stored)
		"allow.message":   {strings.ToLower(canary)},
		"contact_channel": {"sms"}, "contact_address": {"0795550111"}})
	wantStatus(t, res, http.StatusSeeOther)
	request := res.Header.Get("Location")
	if !strings.Contains(fac.get(request).Body, canary) {
		t.Fatal("the facilitator cannot read the request: the canary was not stored")
	}
	wantStatus(t, fac.post(request, url.Values{"op": {"reply"}, "reply": {"Noted, " + canary}}), http.StatusSeeOther)

	code := fileComplaint(t, member, url.Values{"about": {"g:" + id(e.In["group"])}, "text": {"Complaint " + canary}})
	var cid int64
	for _, m := range regexp.MustCompile(`href="/complaints/(\d+)"`).FindAllStringSubmatch(org.get("/complaints").Body, -1) {
		var n int64
		fmt.Sscanf(m[1], "%d", &n)
		if n > cid {
			cid = n
		}
	}
	if !strings.Contains(org.get(fmt.Sprintf("/complaints/%d", cid)).Body, canary) {
		t.Fatal("the organiser cannot read the complaint: the canary was not stored")
	}
	wantStatus(t, org.post(fmt.Sprintf("/complaints/%d", cid), url.Values{"note": {"Answer " + canary}}), http.StatusSeeOther)
	if !strings.Contains(e.as("anon").post("/complaints/track", url.Values{"code": {code}}).Body, canary) {
		t.Fatal("the answer is not shown with the code")
	}

	leaks := func(where, text string) {
		t.Helper()
		if strings.Contains(text, canary) {
			t.Errorf("the canary leaked into %s", where)
		}
	}
	t.Run("not in the logs, and no person or address beside a complaint", func(t *testing.T) {
		logs := e.Log.String()
		leaks("the server log", logs)
		lines := 0
		for _, line := range strings.Split(logs, "\n") {
			// Posting a complaint is a private act, logged as route=private.
			if strings.Contains(line, "/complaints/new") || strings.Contains(line, "/complaints/filed") || strings.Contains(line, "/complaints/track") || strings.Contains(line, "route=private") {
				lines++
				if !strings.Contains(line, "person=0") {
					t.Errorf("a complaint route's log line names a person: %s", line)
				}
				if strings.Contains(line, "127.0.0.1") {
					t.Errorf("a complaint route's log line holds the address: %s", line)
				}
			}
		}
		if lines < 3 {
			t.Fatalf("only %d log lines of complaint routes; the check above saw nothing", lines)
		}
		leaks("the code in the log", strings.ReplaceAll(logs, code, canary))
	})

	t.Run("not in any notification or audit event", func(t *testing.T) {
		rows, err := e.Store.DB.Query(context.Background(), "SELECT kind, params, link FROM notifications")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var kind, params, link string
			if err := rows.Scan(&kind, &params, &link); err != nil {
				t.Fatal(err)
			}
			leaks("a notification", kind+params+link)
		}
		evs, _ := e.Store.AuditEvents(context.Background(), "", 0, 1000)
		for _, ev := range evs {
			leaks("the audit log", ev.Action+ev.TargetKind+ev.Detail)
		}
	})

	t.Run("not in anything that left, by any channel", func(t *testing.T) {
		sent := deliverAll(t, e)
		n := 0
		for ch, raws := range sent {
			for _, raw := range raws {
				leaks("a message sent by "+ch, raw)
				leaks("the contact address in a message by "+ch, strings.ReplaceAll(raw, "0795550111", canary))
				n++
			}
		}
		if n == 0 {
			t.Fatal("nothing left the app: the check above saw nothing")
		}
		t.Logf("%d messages: %d by e-mail, %d by SMS, %d by WhatsApp", n, len(sent[peercircle.ChannelEmail]), len(sent[peercircle.ChannelSMS]), len(sent[peercircle.ChannelWhatsApp]))
	})

	t.Run("not on the pages of people not allowed, nor in exports", func(t *testing.T) {
		for _, role := range []string{"admin", "coordinator", "supervisor", "trainer", "organiser", "member", "facilitator", "anon"} {
			c := e.as(role)
			for _, path := range []string{"/", "/support", "/support/requests", "/complaints", "/notifications", "/summaries", "/summaries.csv",
				request, fmt.Sprintf("/complaints/%d", cid), "/groups/" + id(e.In["group"]), "/groups/" + id(e.In["group"]) + "/support",
				"/areas/" + id(e.In["area"]) + "/export/csv", "/reports/organisation/export/csv"} {
				allowed := (path == request && (role == "member" || role == "facilitator")) || (path == fmt.Sprintf("/complaints/%d", cid) && role == "organiser")
				if allowed {
					continue
				}
				res := c.get(path)
				if res.StatusCode >= 500 {
					t.Errorf("%s as %s: status %d", path, role, res.StatusCode)
				}
				leaks(path+" as "+role, res.Body)
			}
		}
	})

	t.Run("not in the database in clear", func(t *testing.T) {
		if _, err := e.Store.DB.WritePool().ExecContext(context.Background(), "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
			t.Fatal(err)
		}
		path := e.dbFile(t)
		for _, f := range []string{path, path + "-wal"} {
			b, err := os.ReadFile(f)
			if err != nil {
				continue
			}
			for _, needle := range []string{canary, "0795550111", code} {
				if bytes.Contains(b, []byte(needle)) {
					t.Errorf("%s holds %q in clear", f, needle)
				}
			}
		}
	})
}
