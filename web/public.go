package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/i18n"
)

// publicRoutes are the meeting finder (issue 15): pages anyone may read
// without an account, about groups that chose to be listed. They never
// show a person, only the role "the group's contact".
func (s *Server) publicRoutes() {
	s.handlePublic("GET /find", http.HandlerFunc(s.finder))
	s.handlePublic("GET /find/meetings.json", http.HandlerFunc(s.finderFeed))
	s.handlePublic("GET /find/{listed}", http.HandlerFunc(s.finderGroup))
	s.handlePublic("GET /find/{listed}/calendar.ics", http.HandlerFunc(s.finderCalendar))
	s.handlePublic("GET /find/{listed}/flyer", http.HandlerFunc(s.finderFlyer))
	s.handlePublic("GET /find/{listed}/flyer.pdf", http.HandlerFunc(s.finderFlyerPDF))
	s.handlePublic("GET /find/{listed}/contact", http.HandlerFunc(s.finderContactForm))
	s.handlePublic("POST /find/{listed}/contact", http.HandlerFunc(s.finderContactSend))
	s.handlePublic("GET /find/{listed}/join", http.HandlerFunc(s.finderJoinForm))
	s.handlePublic("POST /find/{listed}/join", http.HandlerFunc(s.finderJoin))
	s.handle("GET /groups/{group}/messages", s.groupMessages)
}

// cacheablePath reports whether a path is a finder page or feed every
// visitor sees alike: it is served without a session or cookie, so
// browsers and proxies may keep it for a few minutes. The contact and
// join forms are not: they carry a CSRF token and a fresh question.
func cacheablePath(p string) bool {
	if p == "/find" {
		return true
	}
	rest, ok := strings.CutPrefix(p, "/find/")
	return ok && rest != "" && !strings.HasSuffix(rest, "/contact") && !strings.HasSuffix(rest, "/join")
}

// finderCache is how long a finder page may be kept.
const finderCache = "public, max-age=300"

// publicPage prepares a cacheable finder page: nobody is signed in on it,
// whoever asks.
func (s *Server) publicPage(w http.ResponseWriter, r *http.Request) {
	forgetPerson(r)
	h := w.Header()
	h.Set("Cache-Control", finderCache)
	h.Set("Vary", "Accept-Language, Cookie")
}

// finderPageSize is how many groups one page of results shows: a page
// stays well under 50 KB with its stylesheet.
const finderPageSize = 20

// finderPlace is one choice of the place filter.
type finderPlace struct {
	Value, Name string
	Depth       int // 0 region, 1 area, 2 site
}

// finderResult is one group in the results.
type finderResult struct {
	L        *peercircle.Listing
	When     string
	Next     string
	Distance string
}

type finderData struct {
	Query    url.Values
	Places   []finderPlace
	Langs    []string
	Kinds    []string
	Days     []int
	Times    []string
	Modes    []string
	Members  []string
	Kms      []string
	Results  []finderResult
	Total    int
	Page     int
	Prev     string
	Next     string
	NearBad  bool
	Searched bool
}

// finder is the public list of groups with its filters, read from the
// query string so any search is a link.
func (s *Server) finder(w http.ResponseWriter, r *http.Request) {
	s.publicPage(w, r)
	ctx := r.Context()
	all, err := s.Store.Listings(ctx)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	qv := r.URL.Query()
	d := &finderData{Query: qv, Langs: peercircle.Languages, Kinds: peercircle.GroupKinds, Days: []int{1, 2, 3, 4, 5, 6, 7},
		Times: []string{peercircle.DayMorning, peercircle.DayAfternoon, peercircle.DayEvening}, Modes: []string{"in_person", "online"},
		Members: []string{peercircle.MembershipOpen, peercircle.MembershipClosed}, Kms: []string{"2", "5", "10", "25", "50"}}
	d.Places = finderPlaces(all)
	q, nearBad := finderQuery(qv)
	d.NearBad = nearBad
	for k := range qv {
		if k != "lang" && k != "page" && qv.Get(k) != "" {
			d.Searched = true
		}
	}
	found := q.Filter(all)
	d.Total = len(found)
	d.Page, _ = strconv.Atoi(qv.Get("page"))
	if d.Page < 1 || (d.Page-1)*finderPageSize >= len(found) {
		d.Page = 1
	}
	from := (d.Page - 1) * finderPageSize
	to := min(from+finderPageSize, len(found))
	L := s.loc(r)
	for _, l := range found[from:to] {
		res := finderResult{L: l, When: describeSchedule(l.Schedule, L)}
		if len(l.Next) > 0 {
			res.Next = L.Date(l.Next[0].In(listingZone(l))) + " " + L.Digits(l.Next[0].In(listingZone(l)).Format("15:04"))
		}
		if km, ok := q.Distances[l.Group.ID]; ok {
			res.Distance = L.Digits(strconv.FormatFloat(km, 'f', 1, 64))
		}
		d.Results = append(d.Results, res)
	}
	page := func(n int) string {
		v := url.Values{}
		for k, vs := range qv {
			v[k] = vs
		}
		v.Set("page", strconv.Itoa(n))
		return "/find?" + v.Encode()
	}
	if d.Page > 1 {
		d.Prev = page(d.Page - 1)
	}
	if to < len(found) {
		d.Next = page(d.Page + 1)
	}
	s.render(w, r, "find", s.page(r, "public.finder_title", d))
}

// finderQuery reads the filters; nearBad says the point could not be read.
func finderQuery(v url.Values) (*peercircle.FinderQuery, bool) {
	q := &peercircle.FinderQuery{Text: v.Get("q"), Lang: v.Get("language"), Kind: v.Get("kind"), PartOfDay: v.Get("time"),
		Mode: v.Get("mode"), Membership: v.Get("membership")}
	if !slices.Contains(peercircle.Languages, q.Lang) {
		q.Lang = ""
	}
	if !slices.Contains(peercircle.GroupKinds, q.Kind) {
		q.Kind = ""
	}
	if kind, n, ok := strings.Cut(v.Get("place"), ":"); ok {
		id, _ := strconv.ParseInt(n, 10, 64)
		switch kind {
		case "r":
			q.RegionID = id
		case "a":
			q.AreaID = id
		case "s":
			q.SiteID = id
		}
	}
	if n, err := strconv.Atoi(v.Get("day")); err == nil && n >= 1 && n <= 7 {
		q.Weekday = n
	}
	near := strings.TrimSpace(i18n.ParseDigits(v.Get("near")))
	if near == "" {
		return q, false
	}
	la, lo, ok := strings.Cut(strings.NewReplacer("،", ",", "٫", ".").Replace(near), ",")
	lat, err1 := strconv.ParseFloat(strings.TrimSpace(la), 64)
	lon, err2 := strconv.ParseFloat(strings.TrimSpace(lo), 64)
	if !ok || err1 != nil || err2 != nil || lat < -90 || lat > 90 || lon < -180 || lon > 180 {
		return q, true
	}
	q.Near, q.Lat, q.Lon, q.Km = true, lat, lon, 10
	if km, err := strconv.ParseFloat(v.Get("km"), 64); err == nil && km > 0 && km <= 500 {
		q.Km = km
	}
	return q, false
}

// finderPlaces lists the regions, areas and sites that have listed groups,
// in tree order, for the place filter.
func finderPlaces(ls []*peercircle.Listing) []finderPlace {
	seen := map[string]bool{}
	var out []finderPlace
	sorted := slices.Clone(ls)
	slices.SortFunc(sorted, func(a, b *peercircle.Listing) int {
		return strings.Compare(a.Region.Name+"\x00"+a.Area.Name+"\x00"+a.Site.Name, b.Region.Name+"\x00"+b.Area.Name+"\x00"+b.Site.Name)
	})
	add := func(value, name string, depth int) {
		if !seen[value] {
			seen[value] = true
			out = append(out, finderPlace{Value: value, Name: name, Depth: depth})
		}
	}
	for _, l := range sorted {
		add("r:"+id64(l.Region.ID), l.Region.Name, 0)
		add("a:"+id64(l.Area.ID), l.Area.Name, 1)
		add("s:"+id64(l.Site.ID), l.Site.Name, 2)
	}
	return out
}

func listingZone(l *peercircle.Listing) *time.Location {
	if loc, err := peercircle.LoadZone(l.Site.TimeZone); err == nil {
		return loc
	}
	return time.UTC
}

type finderGroupData struct {
	L     *peercircle.Listing
	When  string
	Next  []string
	Links map[string]string
}

// listing loads the listed group in the path, or answers 404: a group that
// is not listed does not exist for the public.
func (s *Server) listing(w http.ResponseWriter, r *http.Request) (*peercircle.Listing, bool) {
	id, ok := pathID(r, "listed")
	if !ok {
		s.renderError(w, r, http.StatusNotFound)
		return nil, false
	}
	l, err := s.Store.Listing(r.Context(), id)
	if err != nil {
		s.renderErr(w, r, err)
		return nil, false
	}
	return l, true
}

// finderGroup is a listed group's public page.
func (s *Server) finderGroup(w http.ResponseWriter, r *http.Request) {
	s.publicPage(w, r)
	l, ok := s.listing(w, r)
	if !ok {
		return
	}
	L := s.loc(r)
	d := &finderGroupData{L: l, When: describeSchedule(l.Schedule, L)}
	loc := listingZone(l)
	for _, t := range l.Next {
		t = t.In(loc)
		d.Next = append(d.Next, L.Date(t)+" "+L.Digits(t.Format("15:04")))
	}
	p := s.page(r, "public.group_title", d)
	p.TitleArgs = []any{l.Group.Name}
	s.render(w, r, "find_group", p)
}

// The contact form's spam checks, without tracking: a question, a time
// check (not sooner than contactMinDelay after the form was shown, not
// later than contactMaxAge) and an empty trap field, all signed into the
// form with the installation's key, plus the store's rate limits.
const (
	contactMinDelay = 3 * time.Second
	contactMaxAge   = 2 * time.Hour
)

type contactData struct {
	L            *peercircle.Listing
	Issued       int64
	A, B         int
	Stamp        string
	QuestionText string
}

// formStamp signs what a public form carries, for one purpose (contact,
// join) and one group.
func (s *Server) formStamp(purpose string, groupID, issued int64, a, b int) string {
	return s.Store.Stamp(fmt.Sprintf("%s:%d:%d:%d:%d", purpose, groupID, issued, a, b))
}

// publicForm makes a fresh question and stamp for a public form.
func (s *Server) publicForm(r *http.Request, l *peercircle.Listing, purpose string) *contactData {
	now := s.now()
	n := now.UnixNano()
	d := &contactData{L: l, Issued: now.Unix(), A: int(n%7) + 2, B: int((n/7)%6) + 1}
	d.Stamp = s.formStamp(purpose, l.Group.ID, d.Issued, d.A, d.B)
	L := s.loc(r)
	d.QuestionText = L.T("public.question", L.Number(int64(d.A)), L.Number(int64(d.B)))
	return d
}

// publicCheck checks a public form's trap field, stamp, time and answer;
// nil when it passes.
func (s *Server) publicCheck(r *http.Request, groupID int64, purpose string) error {
	issued, _ := strconv.ParseInt(r.PostFormValue("issued"), 10, 64)
	a, _ := strconv.Atoi(r.PostFormValue("a"))
	b, _ := strconv.Atoi(r.PostFormValue("b"))
	age := s.now().Sub(time.Unix(issued, 0))
	switch {
	case r.PostFormValue("website") != "":
		return &peercircle.Error{Code: peercircle.EINVALID, Key: "public.error.check"}
	case issued == 0 || r.PostFormValue("stamp") != s.formStamp(purpose, groupID, issued, a, b) || age > contactMaxAge:
		return &peercircle.Error{Code: peercircle.EINVALID, Key: "public.error.expired"}
	case age < contactMinDelay:
		return &peercircle.Error{Code: peercircle.EINVALID, Key: "public.error.too_fast"}
	}
	answer, err := strconv.Atoi(strings.TrimSpace(i18n.ParseDigits(r.PostFormValue("answer"))))
	if err != nil || answer != a+b {
		return peercircle.FieldErrors{"answer": "public.error.answer"}.Err()
	}
	return nil
}

// finderContactForm is the form that reaches the group's contact.
func (s *Server) finderContactForm(w http.ResponseWriter, r *http.Request) {
	forgetPerson(r)
	w.Header().Set("Cache-Control", "no-store")
	l, ok := s.listing(w, r)
	if !ok {
		return
	}
	p := s.page(r, "public.contact_title", s.publicForm(r, l, "contact"))
	p.TitleArgs = []any{l.Group.Name}
	s.render(w, r, "find_contact", p)
}

// finderContactSend checks the form and stores the message for the
// group's contact. A failed check shows the form again with what was
// written and a new question.
func (s *Server) finderContactSend(w http.ResponseWriter, r *http.Request) {
	forgetPerson(r)
	w.Header().Set("Cache-Control", "no-store")
	l, ok := s.listing(w, r)
	if !ok {
		return
	}
	fail := func(err error) {
		p := s.page(r, "public.contact_title", s.publicForm(r, l, "contact"))
		p.TitleArgs = []any{l.Group.Name}
		s.formError(w, r, "find_contact", p, err)
	}
	if err := s.publicCheck(r, l.Group.ID, "contact"); err != nil {
		fail(err)
		return
	}
	m := &peercircle.PublicMessage{GroupID: l.Group.ID, Text: r.PostFormValue("text"), Reply: r.PostFormValue("reply")}
	if err := s.Store.SendPublicMessage(r.Context(), m, s.clientAddr(r)); err != nil {
		fail(err)
		return
	}
	s.renderMessage(w, r, http.StatusOK, "public.sent_title", "public.sent_body")
}

type groupMessagesData struct {
	Group    *peercircle.Group
	Messages []*peercircle.PublicMessage
	Loc      *time.Location
}

// groupMessages shows the messages the public sent to the group's
// contact, to those who look after joining (facilitators, organisers).
// Each reading is audited: the text is confidential.
func (s *Server) groupMessages(w http.ResponseWriter, r *http.Request) {
	sc, ok := s.groupScope(w, r, peercircle.ActManageMembership)
	if !ok {
		return
	}
	ctx := r.Context()
	g, err := s.Store.Group(ctx, sc.GroupID)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	ms, err := s.Store.PublicMessages(ctx, g.ID, 100)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	if len(ms) > 0 {
		_ = s.Store.Audit(ctx, &peercircle.AuditEvent{ActorID: principal(r).PersonID, Action: "public_message.read", TargetKind: "group", TargetID: g.ID})
	}
	loc := time.UTC
	if site, err := s.Store.Site(ctx, g.SiteID); err == nil {
		if l, err := peercircle.LoadZone(site.TimeZone); err == nil {
			loc = l
		}
	}
	p := s.page(r, "public.messages_title", &groupMessagesData{Group: g, Messages: ms, Loc: loc})
	p.TitleArgs = []any{g.Name}
	s.render(w, r, "group_messages", p)
}

// meetingWhen says a meeting's date and time in the group's site zone,
// in the reader's language.
func (s *Server) meetingWhen(r *http.Request, g *peercircle.Group, t time.Time) string {
	loc := time.UTC
	if site, err := s.Store.Site(r.Context(), g.SiteID); err == nil {
		if l, err := peercircle.LoadZone(site.TimeZone); err == nil {
			loc = l
		}
	}
	L := s.loc(r)
	t = t.In(loc)
	return L.Date(t) + " " + L.Digits(t.Format("15:04"))
}
