package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/sqlstore"
	"github.com/peercircle/peercircle/web"
)

// The fixture's listed group: an open community group at the "in" site,
// meeting on Wednesdays in a room it shows, with a position. The "out"
// half's {listed} is its unlisted staff group.
var _ = func() bool {
	fixtureSteps = append(fixtureSteps, func(ctx context.Context, s *sqlstore.Store, f *fixture) error {
		lat, lon := 31.95, 35.91
		v := &peercircle.Venue{SiteID: f.In["site"], Name: "Community room", Address: "Ground floor, door 2", Accessible: true, Toilets: true,
			Latitude: &lat, Longitude: &lon}
		if err := s.SaveVenue(ctx, v); err != nil {
			return err
		}
		g := &peercircle.Group{SiteID: f.In["site"], Name: "Open Circle", Purpose: "Peers who share their experience of recovery.",
			Kind: peercircle.KindCommunity, Membership: peercircle.MembershipOpen, Structure: peercircle.StructureInformal, Lang: "en",
			Status: peercircle.GroupActive, VenueID: v.ID, Listed: true, VenuePublic: true}
		if err := s.CreateGroup(ctx, g); err != nil {
			return err
		}
		if err := s.SaveSchedule(ctx, &peercircle.GroupSchedule{GroupID: g.ID, Preset: "custom", Rule: "FREQ=WEEKLY;BYDAY=WE",
			StartDate: "2026-01-01", StartTime: "17:30", Minutes: 90}); err != nil {
			return err
		}
		f.In["listed"], f.Out["listed"] = g.ID, f.Out["group"]
		return nil
	})
	return true
}()

func TestFinderShowsOnlyListedGroupsAndNoPerson(t *testing.T) {
	e := newEnv(t)
	listed, unlisted := id(e.In["listed"]), id(e.Out["listed"])
	for _, role := range []string{"anon", "facilitator", "admin"} {
		t.Run("as "+role, func(t *testing.T) {
			c := e.as(role)
			res := c.get("/find")
			if res.StatusCode != 200 || !strings.Contains(res.Body, "Open Circle") || strings.Contains(res.Body, "Group 1") || strings.Contains(res.Body, "Group 2") {
				t.Fatalf("status %d, body:\n%s", res.StatusCode, res.Body)
			}
			for _, p := range e.People {
				if strings.Contains(res.Body, p.FullName) {
					t.Fatalf("finder shows %q", p.FullName)
				}
			}
			if strings.Contains(res.Body, `name="csrf"`) || len(res.Header.Values("Set-Cookie")) > 0 {
				t.Fatalf("a cacheable page carries a token or sets a cookie: %v", res.Header.Values("Set-Cookie"))
			}
			if cc := res.Header.Get("Cache-Control"); !strings.HasPrefix(cc, "public") {
				t.Fatalf("Cache-Control %q", cc)
			}
			page := c.get("/find/" + listed)
			if page.StatusCode != 200 || !strings.Contains(page.Body, "Ground floor, door 2") || !strings.Contains(page.Body, "Peers who share") {
				t.Fatalf("listed page %d:\n%s", page.StatusCode, page.Body)
			}
			for _, p := range []string{"/find/" + unlisted, "/find/" + unlisted + "/contact", "/find/" + id(e.In["group"]), "/find/999999"} {
				if res := c.get(p); res.StatusCode != 404 {
					t.Fatalf("%s: status %d", p, res.StatusCode)
				}
			}
			if res := c.post("/find/"+unlisted+"/contact", url.Values{"text": {"hello"}}); res.StatusCode != 404 {
				t.Fatalf("post to an unlisted group: %d", res.StatusCode)
			}
		})
	}
}

func TestFinderFilters(t *testing.T) {
	e := newEnv(t)
	c := e.as("anon")
	for _, f := range []struct {
		query string
		found bool
	}{
		{"", true},
		{"q=recovery", true},
		{"q=nothing+like+this", false},
		{"mode=online", false},
		{"mode=in_person", true},
		{"language=en&kind=community&membership=open", true},
		{"language=ar", false},
		{"kind=staff", false},
		{"membership=closed", false},
		{"day=3&time=evening", true},
		{"day=1", false},
		{"place=s:" + id(e.In["site"]), true},
		{"place=s:" + id(e.Out["site"]), false},
		{"near=31.96,35.92&km=5", true},
		{"near=" + url.QueryEscape("٣١٫٩٦، ٣٥٫٩٢") + "&km=5", true},
		{"near=32.5,35.92&km=5", false},
	} {
		res := c.get("/find?" + f.query)
		if got := strings.Contains(res.Body, "Open Circle"); got != f.found || res.StatusCode != 200 {
			t.Errorf("%s: found %v (status %d), want %v", f.query, got, res.StatusCode, f.found)
		}
	}
	if res := c.get("/find?near=here"); !strings.Contains(res.Body, "two numbers") {
		t.Errorf("a bad point is not explained")
	}
	if res := c.get("/find/" + id(e.In["listed"]) + "?lang=ar"); !strings.Contains(res.Body, `dir="rtl"`) || !strings.Contains(res.Body, "كيف تنضم") {
		t.Errorf("the page is not in Arabic with ?lang=ar")
	}
}

var hiddenRE = regexp.MustCompile(`name="(issued|a|b|stamp)" value="([^"]*)"`)

func TestFinderContactForm(t *testing.T) {
	e := newEnv(t)
	now := time.Now()
	e.Web.Now = func() time.Time { return now }
	c := e.as("anon")
	path := "/find/" + id(e.In["listed"]) + "/contact"
	form := func() url.Values {
		res := c.get(path)
		if res.StatusCode != 200 || res.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("form %d %q", res.StatusCode, res.Header.Get("Cache-Control"))
		}
		v := url.Values{"text": {"Can I come with my sister?"}, "reply": {"Text me on 0790000001"}}
		for _, m := range hiddenRE.FindAllStringSubmatch(res.Body, -1) {
			v.Set(m[1], m[2])
		}
		return v
	}
	answer := func(v url.Values) string {
		a, b := v.Get("a"), v.Get("b")
		return id(int64(atoi(a) + atoi(b)))
	}
	v := form()
	v.Set("answer", answer(v))
	if res := c.post(path, v); res.StatusCode != 422 || !strings.Contains(res.Body, "very quick") {
		t.Fatalf("an instant post: %d", res.StatusCode)
	}
	now = now.Add(10 * time.Second)
	v.Set("answer", id(int64(atoi(answer(v))+1)))
	if res := c.post(path, v); res.StatusCode != 422 || !strings.Contains(res.Body, "not the answer") || !strings.Contains(res.Body, "Can I come with my sister?") {
		t.Fatalf("a wrong answer: %d", res.StatusCode)
	}
	v.Set("answer", answer(v))
	v.Set("website", "http://spam.example")
	if res := c.post(path, v); res.StatusCode != 422 {
		t.Fatalf("the trap field filled: %d", res.StatusCode)
	}
	v.Del("website")
	v.Set("stamp", strings.Repeat("0", 32))
	if res := c.post(path, v); res.StatusCode != 422 {
		t.Fatalf("a forged stamp: %d", res.StatusCode)
	}
	v = form()
	now = now.Add(3 * time.Hour)
	v.Set("answer", answer(v))
	if res := c.post(path, v); res.StatusCode != 422 || !strings.Contains(res.Body, "too long") {
		t.Fatalf("an old form: %d", res.StatusCode)
	}
	v = form()
	now = now.Add(30 * time.Second)
	v.Set("answer", answer(v))
	res := c.post(path, v)
	if res.StatusCode != 200 || !strings.Contains(res.Body, "Message sent") {
		t.Fatalf("a good message: %d\n%s", res.StatusCode, res.Body)
	}
	if strings.Contains(e.Log.String(), "0790000001") || strings.Contains(e.Log.String(), "my sister") {
		t.Fatal("the message reached the log")
	}
	org := e.as("organiser")
	box := org.get("/groups/" + id(e.In["listed"]) + "/messages")
	if box.StatusCode != 200 || !strings.Contains(box.Body, "Can I come with my sister?") || !strings.Contains(box.Body, "0790000001") {
		t.Fatalf("the organiser's messages %d:\n%s", box.StatusCode, box.Body)
	}
	ns, err := e.Store.Notifications(context.Background(), e.People["organiser"].ID, false, 10)
	if err != nil || len(ns) == 0 || ns[0].Kind != "public_message" {
		t.Fatalf("notifications %v %v", ns, err)
	}
	if home := org.get("/notifications"); strings.Contains(home.Body, "my sister") {
		t.Fatal("the notification holds the text")
	}
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}

var assetRE = regexp.MustCompile(`(?:href|src)="(/static/[^"]+)"`)

// TestFinderPageWeight holds the finder's pages under 50 KB each with the
// assets they load (uncompressed: a proxy may not compress), and logs the
// figures: go test ./web -run TestFinderPageWeight -v
func TestFinderPageWeight(t *testing.T) {
	e := newEnv(t)
	c := e.as("anon")
	for _, p := range []string{"/find", "/find?lang=ar", "/find/" + id(e.In["listed"]), "/find/" + id(e.In["listed"]) + "?lang=ar",
		"/find/" + id(e.In["listed"]) + "/contact"} {
		res := c.get(p)
		total, assets := len(res.Body), 0
		for _, m := range assetRE.FindAllStringSubmatch(res.Body, -1) {
			a := c.get(m[1])
			if a.StatusCode != 200 {
				t.Fatalf("%s: %d", m[1], a.StatusCode)
			}
			assets += len(a.Body)
		}
		total += assets
		t.Logf("%-40s html %6d B, assets %6d B, total %6d B", p, len(res.Body), assets, total)
		if total > 50*1024 {
			t.Errorf("%s weighs %d bytes with its assets", p, total)
		}
	}
}

func TestFinderFeeds(t *testing.T) {
	e := newEnv(t)
	c := e.as("anon")
	res := c.get("/find/meetings.json")
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") || len(res.Header.Values("Set-Cookie")) > 0 {
		t.Fatalf("feed %d %q %v", res.StatusCode, res.Header.Get("Content-Type"), res.Header.Values("Set-Cookie"))
	}
	var feed []web.FeedMeeting
	if err := json.Unmarshal([]byte(res.Body), &feed); err != nil {
		t.Fatal(err)
	}
	if len(feed) != 1 {
		t.Fatalf("feed has %d meetings, want only the listed group", len(feed))
	}
	m := feed[0]
	want := fmt.Sprintf("%s|%v|%s|%s|%s|%v|%s|%v|%v", "Open Circle", m.Day, m.Time, m.EndTime, m.Timezone, m.Types, m.AttendanceOption, *m.Latitude, m.Accessibility.Accessible)
	if want != "Open Circle|[3]|17:30|19:00|Asia/Amman|[O EN X]|in_person|31.95|true" {
		t.Fatalf("feed entry %s", want)
	}
	if m.GroupID != e.In["listed"] || !strings.HasSuffix(m.URL, "/find/"+id(m.GroupID)) || !strings.HasSuffix(m.CalendarURL, "/calendar.ics") ||
		m.RRule != "FREQ=WEEKLY;BYDAY=WE" || m.Schedule == "" || m.FormattedAddress != "Ground floor, door 2, Site 1, Area 1, Region 1" || m.Updated == "" {
		t.Fatalf("feed entry %+v", m)
	}
	for _, p := range e.People {
		if strings.Contains(res.Body, p.FullName) {
			t.Fatalf("the feed names %s", p.FullName)
		}
	}
	if ar := c.get("/find/meetings.json?lang=ar"); !strings.Contains(ar.Body, "كل يوم أربعاء") {
		t.Errorf("the schedule is not in Arabic with ?lang=ar:\n%s", ar.Body)
	}

	cal := c.get("/find/" + id(e.In["listed"]) + "/calendar.ics")
	if cal.StatusCode != 200 || !strings.Contains(cal.Body, "BEGIN:VCALENDAR") || !strings.Contains(cal.Body, "SUMMARY:Open Circle") ||
		!strings.Contains(cal.Body, "LOCATION:Community room\\, Ground floor\\, door 2\\, Site 1") {
		t.Fatalf("calendar %d:\n%s", cal.StatusCode, cal.Body)
	}
	if res := c.get("/find/" + id(e.Out["listed"]) + "/calendar.ics"); res.StatusCode != 404 {
		t.Fatalf("an unlisted group's calendar: %d", res.StatusCode)
	}
}

func TestFinderFlyer(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	ar := &peercircle.Group{SiteID: e.In["site"], Name: "دائرة الأهل", Purpose: "لقاء لأفراد الأسرة الذين يرعون شخصًا عزيزًا.",
		Kind: peercircle.KindFamily, Membership: peercircle.MembershipClosed, Structure: peercircle.StructureInformal, Lang: "ar",
		Status: peercircle.GroupActive, Listed: true}
	if err := e.Store.CreateGroup(ctx, ar); err != nil {
		t.Fatal(err)
	}
	c := e.as("anon")
	for _, f := range []struct {
		group            int64
		lang, dir, words string
	}{
		{e.In["listed"], "en", "ltr", "Scan the code"},
		{ar.ID, "ar", "rtl", "امسح الرمز"},
	} {
		for _, size := range []string{"a4", "a5"} {
			// Asked in French, the flyer still speaks the group's language.
			res := c.get("/find/" + id(f.group) + "/flyer?size=" + size + "&lang=fr")
			join := "/find/" + id(f.group) + "/join?lang=" + f.lang
			if res.StatusCode != 200 || !strings.Contains(res.Body, `lang="`+f.lang+`" dir="`+f.dir+`"`) || !strings.Contains(res.Body, f.words) ||
				!strings.Contains(res.Body, "flyer-"+size) || !strings.Contains(res.Body, "Site 1") || !strings.Contains(res.Body, `<svg class="qr"`) ||
				!strings.Contains(res.Body, join+"</bdi>") {
				t.Fatalf("flyer %d %s %d:\n%s", f.group, size, res.StatusCode, res.Body)
			}
			pdf := c.get("/find/" + id(f.group) + "/flyer.pdf?size=" + size)
			if pdf.StatusCode != 200 || pdf.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(pdf.Body, "%PDF-") {
				t.Fatalf("pdf %d %q", pdf.StatusCode, pdf.Header.Get("Content-Type"))
			}
		}
	}
	if res := c.get("/find/" + id(e.Out["listed"]) + "/flyer"); res.StatusCode != 404 {
		t.Fatalf("an unlisted group's flyer: %d", res.StatusCode)
	}
	if res := c.get("/find/" + id(e.Out["listed"]) + "/flyer.pdf"); res.StatusCode != 404 {
		t.Fatalf("an unlisted group's flyer PDF: %d", res.StatusCode)
	}
}

func TestFinderJoin(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	now := time.Now()
	e.Web.Now = func() time.Time { return now }
	closed := &peercircle.Group{SiteID: e.In["site"], Name: "دائرة الأهل", Kind: peercircle.KindFamily, Membership: peercircle.MembershipClosed,
		Structure: peercircle.StructureInformal, Lang: "ar", Status: peercircle.GroupActive, Listed: true}
	if err := e.Store.CreateGroup(ctx, closed); err != nil {
		t.Fatal(err)
	}
	c := e.as("anon")
	fill := func(path string, v url.Values) url.Values {
		res := c.get(path)
		if res.StatusCode != 200 || res.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("%s: %d %q", path, res.StatusCode, res.Header.Get("Cache-Control"))
		}
		for _, m := range hiddenRE.FindAllStringSubmatch(res.Body, -1) {
			v.Set(m[1], m[2])
		}
		v.Set("answer", id(int64(atoi(v.Get("a"))+atoi(v.Get("b")))))
		return v
	}

	t.Run("a closed group takes a request with only the contact given, in Arabic", func(t *testing.T) {
		path := "/find/" + id(closed.ID) + "/join?lang=ar"
		v := fill(path, url.Values{"name": {"أم علي"}, "contact_channel": {"whatsapp"}, "contact_address": {"+962 79 ٠٠٠ ٠٠٤٢"}, "note": {"المساء أنسب لي"}})
		now = now.Add(20 * time.Second)
		res := c.post("/find/"+id(closed.ID)+"/join?lang=ar", v)
		if res.StatusCode != 200 || !strings.Contains(res.Body, "أُرسل طلبك") || !strings.Contains(res.Body, `dir="rtl"`) {
			t.Fatalf("request %d:\n%s", res.StatusCode, res.Body)
		}
		if strings.Contains(e.Log.String(), "0042") || strings.Contains(e.Log.String(), "المساء") {
			t.Fatal("the request reached the log")
		}
		org := e.as("organiser")
		page := org.get("/groups/" + id(closed.ID) + "/members")
		if page.StatusCode != 200 || !strings.Contains(page.Body, "أم علي") || !strings.Contains(page.Body, "962 79 000 0042") ||
			!strings.Contains(page.Body, "المساء أنسب لي") || !strings.Contains(page.Body, "public page") {
			t.Fatalf("members page %d:\n%s", page.StatusCode, page.Body)
		}
		evs, err := e.Store.AuditEvents(ctx, "group", closed.ID, 10)
		if err != nil || len(evs) == 0 || evs[0].Action != "membership.contacts.read" {
			t.Fatalf("audit %v %v", evs, err)
		}
	})
	t.Run("an open group takes 'I'll come' for the next meeting, with nothing given", func(t *testing.T) {
		path := "/find/" + id(e.In["listed"]) + "/join"
		v := fill(path, url.Values{})
		now = now.Add(20 * time.Second)
		res := c.post(path, v)
		if res.StatusCode != 200 || !strings.Contains(res.Body, "See you there") {
			t.Fatalf("rsvp %d:\n%s", res.StatusCode, res.Body)
		}
		page := e.as("organiser").get("/groups/" + id(e.In["listed"]) + "/members")
		if !strings.Contains(page.Body, "coming to the meeting on") || !strings.Contains(page.Body, "No way to reach them was given") {
			t.Fatalf("members page:\n%s", page.Body)
		}
	})
	t.Run("a bad phone number is shown again with what was typed", func(t *testing.T) {
		path := "/find/" + id(closed.ID) + "/join"
		v := fill(path, url.Values{"name": {"Rana"}, "contact_channel": {"phone"}, "contact_address": {"call me"}})
		now = now.Add(20 * time.Second)
		res := c.post(path, v)
		if res.StatusCode != 422 || !strings.Contains(res.Body, `value="Rana"`) {
			t.Fatalf("bad phone %d", res.StatusCode)
		}
	})
}
