package bench

import (
	"context"
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/guard"
	"github.com/peercircle/peercircle/sqlstore"
)

// Meeting is a meeting happening today that the benchmark runs: started on
// the facilitator's live page, with its feedback open, its members to tap
// present or absent, and its Sheet 2 being written.
type Meeting struct {
	ID          int64
	Facilitator *Person
	Member      *Person // a signed-in member of the group, not facilitating
	Members     []int64
	version     int // Sheet 2's version, for the next save
}

// side is "product" or "baseline": the two servers get different meetings
// and feedback codes, so that what one side writes never makes the other's
// requests fail, even on a database they share.
const (
	sideProduct  = 0
	sideBaseline = 1
)

// livePool is one side's meetings and codes.
type livePool struct {
	meetings []*Meeting
	free     chan *Meeting // meetings whose Sheet 2 nobody is saving now
	codes    chan feedbackCode
}

type feedbackCode struct {
	session int64
	token   string
}

// codesPerMeeting is how many feedback codes each meeting gets: more than
// a benchmark run can spend.
const codesPerMeeting = 60

// startMeetings plans a meeting an hour from now for each facilitator's
// group, starts it live, opens its feedback and issues codes, and splits
// them between the product and the baseline.
func (c *Cast) startMeetings(ctx context.Context, s *sqlstore.Store, r *rand.Rand) error {
	loc, err := time.LoadLocation("Asia/Amman")
	if err != nil {
		loc = time.FixedZone("Asia/Amman", 3*3600)
	}
	now := time.Now()
	start := now.Add(time.Hour).Truncate(time.Minute)
	for i := range c.Live {
		c.Live[i] = &livePool{free: make(chan *Meeting, 2*len(c.Facilitators)), codes: make(chan feedbackCode, 2*len(c.Facilitators)*codesPerMeeting)}
	}
	var all []*Meeting
	// Two meetings per facilitator: each side gets about as many meetings
	// as there are writers, so a writer always finds a Sheet 2 nobody else
	// is saving.
	facilitators := append(slices.Clone(c.Facilitators), c.Facilitators...)
	for i, f := range facilitators {
		start := start.Add(time.Duration(i/len(c.Facilitators)) * 30 * time.Minute)
		m := &peercircle.Session{GroupID: f.GroupID, PlannedStart: start, PlannedEnd: start.Add(2 * time.Hour),
			LocalDate: start.In(loc).Format("2006-01-02"), Status: peercircle.SessionPlanned, FacilitatorID: f.ID}
		if err := s.AddSession(ctx, m); err != nil {
			return fmt.Errorf("planning today's meeting of group %d: %w", f.GroupID, err)
		}
		if _, err := s.StartLive(ctx, m.ID); err != nil {
			return fmt.Errorf("starting meeting %d: %w", m.ID, err)
		}
		if err := s.OpenFeedback(ctx, m.ID); err != nil {
			return fmt.Errorf("opening feedback of meeting %d: %w", m.ID, err)
		}
		ms, err := s.Memberships(ctx, f.GroupID)
		if err != nil {
			return err
		}
		mt := &Meeting{ID: m.ID, Facilitator: f}
		for _, mb := range ms {
			if mb.Current() {
				mt.Members = append(mt.Members, mb.PersonID)
				if mt.Member == nil && mb.PersonID != f.ID && mb.Role == peercircle.RoleMember && !mb.Visiting {
					if p, err := s.Person(ctx, mb.PersonID); err != nil || p.Status != peercircle.PersonActive {
						continue // invited, not yet signed up
					}
					token, as, err := s.CreateAuthSession(ctx, mb.PersonID)
					if err != nil {
						return err
					}
					mt.Member = &Person{ID: mb.PersonID, Cookie: token, CSRF: as.CSRFToken, GroupID: f.GroupID}
				}
			}
		}
		if len(mt.Members) == 0 || mt.Member == nil {
			continue
		}
		all = append(all, mt)
		pool := c.Live[i%2]
		pool.meetings = append(pool.meetings, mt)
		pool.free <- mt
	}
	// The codes a facilitator's screen would hand out, one per person
	// present, here many per meeting so no run runs out.
	err = s.DB.Write(ctx, func(tx *sqlstore.Tx) error {
		b := tx.Bulk("feedback_tokens", "token_hash", "session_id", "state")
		for i, mt := range all {
			pool := c.Live[i%2]
			for range codesPerMeeting {
				raw := make([]byte, 16)
				for j := range raw {
					raw[j] = byte(r.Uint32())
				}
				token := base64.RawURLEncoding.EncodeToString(raw)
				if err := b.Add(sqlstore.HashToken(token), mt.ID, "issued"); err != nil {
					return err
				}
				pool.codes <- feedbackCode{session: mt.ID, token: token}
			}
			if _, err := tx.Exec("UPDATE feedback_rounds SET tokens_issued = tokens_issued + ? WHERE session_id = ?", codesPerMeeting, mt.ID); err != nil {
				return err
			}
		}
		return b.Close()
	})
	if err != nil {
		return err
	}
	for _, p := range c.Live {
		if len(p.meetings) == 0 {
			return fmt.Errorf("no meeting could be started for today")
		}
	}
	return nil
}

func (c *Cast) meeting(side int, r *rand.Rand) *Meeting {
	p := c.Live[side].meetings
	return p[r.IntN(len(p))]
}

// A note of a realistic length for Sheet 2, with nothing the guard stops.
const summaryNote = "We talked about the pressure of the vaccination campaign and how tired everyone is at the end of the day. " +
	"Two colleagues described difficult conversations with relatives at reception; the group suggested taking a short pause " +
	"before answering and asking a colleague to join. We reviewed the referral pathway for clients with thoughts of self-harm " +
	"and agreed to keep the crisis line number next to the phone."

// borrow takes a meeting whose Sheet 2 nobody is saving, or reports that
// there is none (counted as a failed request: the pool is larger than any
// number of writers in flight, so it does not happen in a normal run).
func (c *Cast) borrow(side int) (*Meeting, func(ok bool), bool) {
	pool := c.Live[side]
	select {
	case mt := <-pool.free:
		return mt, func(ok bool) {
			if ok {
				mt.version++
				pool.free <- mt
			}
			// A failed save leaves the version unknown: the meeting is
			// not used again in this run.
		}, true
	default:
		return nil, nil, false
	}
}

func (c *Cast) code(side int) (feedbackCode, bool) {
	select {
	case fc := <-c.Live[side].codes:
		return fc, true
	default:
		return feedbackCode{}, false
	}
}

func summaryForm(mt *Meeting) url.Values {
	return url.Values{"topic": {"Self-care and preventing burnout"}, "key_issues": {summaryNote},
		"decisions": {"Keep the crisis line number next to the phone."}, "cases_discussed": {"2"},
		"version": {strconv.Itoa(mt.version)}, "op": {"save"}}
}

func feedbackForm() url.Values {
	return url.Values{"rating_safe": {"5"}, "rating_heard": {"4"}, "rating_together": {"5"}, "rating_useful": {"4"},
		"meaningful": {"The breathing exercise at the start"}}
}

// sessionScenarios are the meeting pages of issue 4: read, polled, and
// written to by 50 writers at once.
var sessionScenarios = []*Scenario{
	{
		Name: "session_page", What: "meeting page (member)", P99Target: targetPage,
		product: func(c *Cast, r *rand.Rand) Request {
			mt := c.meeting(sideProduct, r)
			return get("/sessions/"+id(mt.ID), mt.Member)
		},
		baselineRequest: func(c *Cast, r *rand.Rand) Request {
			mt := c.meeting(sideBaseline, r)
			return Request{Method: http.MethodGet, Path: "/session?id=" + id(mt.ID) + "&person=" + id(mt.Member.ID)}
		},
		baselinePattern: "GET /session",
		baseline: func(b *Baseline, r *http.Request, out *rowWriter) error {
			return b.sessionPage(r.Context(), out, formID(r, "id"), formID(r, "person"))
		},
	},
	{
		Name: "live_poll", What: "live page update (facilitator's poll)", P99Target: targetPage,
		product: func(c *Cast, r *rand.Rand) Request {
			mt := c.meeting(sideProduct, r)
			return get("/sessions/"+id(mt.ID)+"/live.json", mt.Facilitator)
		},
		baselineRequest: func(c *Cast, r *rand.Rand) Request {
			return Request{Method: http.MethodGet, Path: "/live?id=" + id(c.meeting(sideBaseline, r).ID)}
		},
		baselinePattern: "GET /live",
		baseline: func(b *Baseline, r *http.Request, out *rowWriter) error {
			return b.livePoll(r.Context(), out, formID(r, "id"))
		},
	},
	{
		Name: "attendance_tap", What: "facilitator taps present/absent", Write: true, P99Target: targetWrite,
		product: func(c *Cast, r *rand.Rand) Request {
			mt := c.meeting(sideProduct, r)
			f := mt.Facilitator
			return Request{Method: http.MethodPost, Path: "/sessions/" + id(mt.ID) + "/live/attendance", Cookie: f.Cookie, OK: http.StatusSeeOther,
				Form: url.Values{"csrf": {f.CSRF}, "person": {id(mt.Members[r.IntN(len(mt.Members))])}, "present": {strconv.Itoa(r.IntN(2))}}}
		},
		baselineRequest: func(c *Cast, r *rand.Rand) Request {
			mt := c.meeting(sideBaseline, r)
			return Request{Method: http.MethodPost, Path: "/attendance?id=" + id(mt.ID),
				Form: url.Values{"person": {id(mt.Members[r.IntN(len(mt.Members))])}, "present": {strconv.Itoa(r.IntN(2))}}}
		},
		baselinePattern: "POST /attendance",
		baseline: func(b *Baseline, r *http.Request, out *rowWriter) error {
			return b.attendanceTap(r.Context(), out, formID(r, "id"), formID(r, "person"), r.PostFormValue("present") == "1")
		},
	},
	{
		Name: "summary_save", What: "facilitator saves Sheet 2", Write: true, P99Target: targetWrite,
		product: func(c *Cast, r *rand.Rand) Request {
			mt, done, ok := c.borrow(sideProduct)
			if !ok {
				return Request{Path: "no meeting free to write Sheet 2 for"}
			}
			form := summaryForm(mt)
			form.Set("csrf", mt.Facilitator.CSRF)
			return Request{Method: http.MethodPost, Path: "/sessions/" + id(mt.ID) + "/summary", Cookie: mt.Facilitator.Cookie,
				OK: http.StatusSeeOther, Form: form, Done: done}
		},
		baselineRequest: func(c *Cast, r *rand.Rand) Request {
			mt, done, ok := c.borrow(sideBaseline)
			if !ok {
				return Request{Path: "no meeting free to write Sheet 2 for"}
			}
			return Request{Method: http.MethodPost, Path: "/summary?id=" + id(mt.ID) + "&person=" + id(mt.Facilitator.ID),
				Form: summaryForm(mt), Done: done}
		},
		baselinePattern: "POST /summary",
		baseline: func(b *Baseline, r *http.Request, out *rowWriter) error {
			return b.summarySave(r.Context(), out, formID(r, "id"), formID(r, "person"), r)
		},
	},
	{
		Name: "feedback_submit", What: "member gives anonymous feedback", Write: true, P99Target: targetWrite,
		product: func(c *Cast, r *rand.Rand) Request {
			fc, ok := c.code(sideProduct)
			if !ok {
				return Request{Path: "no feedback code left"}
			}
			const csrf = "benchmark-csrf-token-for-the-public-feedback-form"
			form := feedbackForm()
			form.Set("csrf", csrf)
			return Request{Method: http.MethodPost, Path: "/feedback/" + id(fc.session) + "/" + fc.token, CSRF: csrf, Form: form}
		},
		baselineRequest: func(c *Cast, r *rand.Rand) Request {
			fc, ok := c.code(sideBaseline)
			if !ok {
				return Request{Path: "no feedback code left"}
			}
			return Request{Method: http.MethodPost, Path: "/feedback?id=" + id(fc.session) + "&token=" + fc.token, Form: feedbackForm()}
		},
		baselinePattern: "POST /feedback",
		baseline: func(b *Baseline, r *http.Request, out *rowWriter) error {
			return b.feedbackSubmit(r.Context(), out, formID(r, "id"), r.FormValue("token"), r)
		},
	},
}

// meeting is what the meeting pages load first: the scope, the session,
// its group and site, and its facilitators' names.
func (b *Baseline) meeting(ctx context.Context, id int64) (*peercircle.Session, error) {
	if _, err := b.store.SessionScope(ctx, id); err != nil {
		return nil, err
	}
	m, err := b.store.Session(ctx, id)
	if err != nil {
		return nil, err
	}
	g, err := b.store.Group(ctx, m.GroupID)
	if err != nil {
		return nil, err
	}
	if _, err := b.store.Site(ctx, g.SiteID); err != nil {
		return nil, err
	}
	for _, p := range []int64{m.FacilitatorID, m.CoFacilitatorID} {
		if p != 0 {
			if _, err := b.store.Person(ctx, p); err != nil {
				return nil, err
			}
		}
	}
	return m, nil
}

// sessionPage is the meeting page for a member.
func (b *Baseline) sessionPage(ctx context.Context, out *rowWriter, id, person int64) error {
	if _, err := b.meeting(ctx, id); err != nil {
		return err
	}
	items, err := b.store.AgendaItems(ctx, id)
	if err != nil {
		return err
	}
	times, err := b.store.SegmentTimes(ctx, id)
	if err != nil {
		return err
	}
	att, err := b.store.Attendance(ctx, id)
	if err != nil {
		return err
	}
	live, err := b.store.Live(ctx, id)
	if err != nil && peercircle.ErrorCode(err) != peercircle.ENOTFOUND {
		return err
	}
	picked, err := b.store.HasPickedFeeling(ctx, id, person)
	if err != nil {
		return err
	}
	claimed, err := b.store.HasClaimedFeedback(ctx, id, person)
	if err != nil {
		return err
	}
	fr, err := b.store.FeedbackRound(ctx, id)
	if err != nil && peercircle.ErrorCode(err) != peercircle.ENOTFOUND {
		return err
	}
	su, err := b.store.Summary(ctx, id, false)
	if err != nil && peercircle.ErrorCode(err) != peercircle.ENOTFOUND {
		return err
	}
	return out.json(map[string]any{"items": items, "times": times, "attendance": att, "live": live, "picked": picked,
		"claimed": claimed, "feedback": fr, "summary": su})
}

// livePoll is the live page's JSON: the live state and the feedback round.
func (b *Baseline) livePoll(ctx context.Context, out *rowWriter, id int64) error {
	if _, err := b.store.SessionScope(ctx, id); err != nil {
		return err
	}
	l, err := b.store.Live(ctx, id)
	if err != nil && peercircle.ErrorCode(err) != peercircle.ENOTFOUND {
		return err
	}
	fr, err := b.store.FeedbackRound(ctx, id)
	if err != nil && peercircle.ErrorCode(err) != peercircle.ENOTFOUND {
		return err
	}
	st := map[string]any{"feedback": fr}
	if l != nil {
		now := time.Now()
		st["version"], st["state"], st["segment"] = l.Version, l.State, l.Segment
		st["remaining"], st["total"], st["planned"] = l.RemainingSeconds(now), l.TotalSeconds(now), l.PlannedSeconds()
		st["feelings"], st["present"] = l.Feelings, len(l.Checkin)
	}
	return out.json(st)
}

// attendanceTap is a tap on the live page's attendance list.
func (b *Baseline) attendanceTap(ctx context.Context, out *rowWriter, id, person int64, present bool) error {
	if _, err := b.meeting(ctx, id); err != nil {
		return err
	}
	if err := b.store.MarkPresent(ctx, id, person, present); err != nil {
		return err
	}
	out.row(id, person, present)
	return nil
}

// guardFields checks the fields the way the forms do, with the meeting's
// protected names.
func (b *Baseline) guardFields(ctx context.Context, id int64, values map[string]string) (int, error) {
	names, err := b.store.ProtectedNames(ctx, id)
	if err != nil {
		return 0, err
	}
	g := guard.New(names)
	n := 0
	for _, v := range values {
		n += len(g.Check(v))
	}
	return n, nil
}

// summarySave is the Sheet 2 form's save: the meeting, its agenda times,
// the guard over every field, and the save.
func (b *Baseline) summarySave(ctx context.Context, out *rowWriter, id, person int64, r *http.Request) error {
	if _, err := b.meeting(ctx, id); err != nil {
		return err
	}
	if _, err := b.store.SegmentTimes(ctx, id); err != nil {
		return err
	}
	su := &peercircle.Summary{SessionID: id, Topic: r.PostFormValue("topic"), Notes: map[string]string{}, Support: map[string]int{}}
	values := map[string]string{"topic": su.Topic}
	for _, f := range peercircle.NoteFields {
		su.Notes[f] = r.PostFormValue(f)
		values[f] = su.Notes[f]
	}
	su.CasesDiscussed, _ = strconv.Atoi(r.PostFormValue("cases_discussed"))
	su.Version, _ = strconv.Atoi(r.PostFormValue("version"))
	if found, err := b.guardFields(ctx, id, values); err != nil || found > 0 {
		return fmt.Errorf("guard: %d found, %v", found, err)
	}
	if err := b.store.SaveSummary(ctx, su, person); err != nil {
		return err
	}
	out.row(id, int64(su.Version))
	return nil
}

// feedbackSubmit is the anonymous feedback form's answer.
func (b *Baseline) feedbackSubmit(ctx context.Context, out *rowWriter, id int64, token string, r *http.Request) error {
	resp := &peercircle.FeedbackResponse{Ratings: map[string]int{}, Notes: map[string]string{}}
	for _, q := range peercircle.FeedbackQuestions {
		if v, err := strconv.Atoi(r.PostFormValue("rating_" + q)); err == nil {
			resp.Ratings[q] = v
		}
	}
	values := map[string]string{}
	for _, p := range peercircle.FeedbackPrompts {
		values[p] = r.PostFormValue(p)
	}
	if found, err := b.guardFields(ctx, id, values); err != nil || found > 0 {
		return fmt.Errorf("guard: %d found, %v", found, err)
	}
	resp.Notes = values
	if err := b.store.SubmitFeedback(ctx, id, token, resp); err != nil {
		return err
	}
	out.row(id)
	return nil
}
