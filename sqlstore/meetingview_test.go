package sqlstore_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/sqlstore"
	"github.com/peercircle/peercircle/sqlstore/storetest"
)

// The meeting page reads its parts in one go (MeetingView). Through a
// meeting's life (planned, running with a code taken, ended, written up,
// past its feedback window) each part must be what the method that reads
// that part alone returns, for a member and for someone who took nothing.
func TestMeetingViewIsEachPartOfTheMeeting(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		m := newMeeting(t, s)
		sid, huda, rana := m.session.ID, m.members[0], m.members[1]
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		check := func(stage string, personID int64, want func(v *peercircle.MeetingView) string) {
			t.Helper()
			v, err := s.MeetingView(ctx, sid, personID)
			must(err)
			if msg := want(v); msg != "" {
				t.Errorf("%s, person %d: %s", stage, personID, msg)
			}
			topic, presenter, err := s.SessionTopic(ctx, sid)
			if peercircle.ErrorCode(err) == peercircle.ENOTFOUND {
				topic, err = nil, nil
			}
			must(err)
			items, err := s.AgendaItems(ctx, sid)
			must(err)
			times, err := s.SegmentTimes(ctx, sid)
			must(err)
			att, err := s.Attendance(ctx, sid)
			must(err)
			live, err := s.Live(ctx, sid)
			if peercircle.ErrorCode(err) == peercircle.ENOTFOUND {
				live, err = nil, nil
			}
			must(err)
			picked, err := s.HasPickedFeeling(ctx, sid, personID)
			must(err)
			claim, err := s.FeedbackClaim(ctx, sid, personID)
			must(err)
			round, err := s.FeedbackRound(ctx, sid)
			if peercircle.ErrorCode(err) == peercircle.ENOTFOUND {
				round, err = nil, nil
			}
			must(err)
			su, err := s.Summary(ctx, sid, false)
			if peercircle.ErrorCode(err) == peercircle.ENOTFOUND {
				su, err = nil, nil
			}
			must(err)
			parts := []struct {
				name      string
				got, want any
			}{
				{"topic", v.Topic, topic}, {"presenter", v.Presenter, presenter}, {"items", v.Items, items},
				{"segment times", v.Segments, times}, {"attendance", v.Attendance, att}, {"live", v.Live, live},
				{"picked", v.Picked, picked}, {"claim", v.Claim, claim}, {"feedback", v.Feedback, round}, {"summary", v.Summary, su},
			}
			for _, p := range parts {
				if !reflect.DeepEqual(p.got, p.want) {
					t.Errorf("%s, person %d, %s: MeetingView has %#v, alone it is %#v", stage, personID, p.name, p.got, p.want)
				}
			}
		}

		check("planned", huda.ID, func(v *peercircle.MeetingView) string {
			if v.Live != nil || v.Feedback != nil || v.Summary != nil || v.Topic != nil || v.Picked || v.Claim != peercircle.FeedbackNotTaken ||
				len(v.Segments) == 0 || len(v.Attendance) != 4 {
				return "a planned meeting shows more than its agenda and members"
			}
			return ""
		})

		// The group's own agenda, read with the meeting until it runs.
		own := &peercircle.AgendaTemplate{SiteID: m.site.ID, Name: "Short", Segments: []peercircle.AgendaSegment{
			{Kind: peercircle.SegmentWelcome, Name: "Hello", Minutes: 10}, {Kind: peercircle.SegmentWelcome, Name: "Check-in", Minutes: 20}}}
		must(s.SaveTemplate(ctx, own))
		g := *m.group
		g.AgendaTemplateID = own.ID
		must(s.UpdateGroup(ctx, &g))
		check("planned, with the group's own agenda", huda.ID, func(v *peercircle.MeetingView) string {
			if len(v.Segments) != 2 || v.Segments[1].Name != "Check-in" || v.Segments[1].Position != 1 {
				return "not the group's own agenda"
			}
			return ""
		})

		topic := &peercircle.Topic{SiteID: m.site.ID, Title: "Sleep after night shifts", Lang: "en", SpeakerName: "Dr Lina"}
		must(s.SaveTopic(ctx, topic, m.organiser.ID))
		must(s.AssignTopic(ctx, peercircle.TopicAssignment{SessionID: sid, TopicID: topic.ID, PresenterID: rana.ID}, m.organiser.ID))
		must(s.ProposeItem(ctx, &peercircle.AgendaItem{SessionID: sid, AuthorID: huda.ID, Kind: peercircle.ItemTopic, Title: "Rotas"}))
		_, err := s.StartLive(ctx, sid)
		must(err)
		must(s.CheckIn(ctx, sid, huda.ID))
		must(s.PickFeeling(ctx, sid, huda.ID, "tired"))
		must(s.OpenFeedback(ctx, sid))
		_, err = s.ClaimFeedback(ctx, sid, huda.ID)
		must(err)
		check("running", huda.ID, func(v *peercircle.MeetingView) string {
			switch {
			case v.Live == nil || v.Live.State != peercircle.LiveRunning || len(v.Live.Checkin) == 0 || v.Live.Feelings["tired"] != 1:
				return "not running with its check-in and feelings"
			case v.Topic == nil || v.Topic.ID != topic.ID || v.Presenter != rana.ID:
				return "not the topic and presenter chosen"
			case !v.Picked || v.Claim != peercircle.FeedbackTaken:
				return "the person's feeling and code are missing"
			case v.Feedback == nil || !v.Feedback.Open || v.Feedback.Capacity != 1 || len(v.Items) != 1:
				return "the round or the items are not as written"
			}
			return ""
		})
		check("running", rana.ID, func(v *peercircle.MeetingView) string {
			if v.Picked || v.Claim != peercircle.FeedbackNotTaken {
				return "another member's feeling or code shows"
			}
			return ""
		})

		must(s.EndLive(ctx, sid))
		must(s.SaveSummary(ctx, &peercircle.Summary{SessionID: sid, Topic: "Sleep", CasesDiscussed: 1,
			Notes: map[string]string{peercircle.NoteKeyIssues: "Rotas"}, Support: map[string]int{"gp": 1}}, m.facilitator.ID))
		check("ended and written up", huda.ID, func(v *peercircle.MeetingView) string {
			if v.Live == nil || v.Live.State != peercircle.LiveEnded || v.Live.EndedAt == nil || v.Summary == nil || v.Summary.Support["gp"] != 1 {
				return "not ended with its Sheet 2"
			}
			if v.Summary.Notes != nil {
				return "the sealed notes were opened"
			}
			return ""
		})

		m.clock.Add(sqlstore.FeedbackWindow + 3*time.Hour)
		check("past the feedback window", huda.ID, func(v *peercircle.MeetingView) string {
			if v.Feedback == nil || v.Feedback.Open {
				return "the round still takes answers"
			}
			return ""
		})

		if _, err := s.MeetingView(ctx, sid+1000, huda.ID); peercircle.ErrorCode(err) != peercircle.ENOTFOUND {
			t.Errorf("an unknown meeting: %v, want ENOTFOUND", err)
		}
	})
}

// Every page of a meeting starts from SessionInPlace: the meeting, its
// group, its site and its scope (with the facilitators who may run it) in
// one statement, the same as reading each alone; a group's page starts
// from GroupInPlace, the same without the meeting.
func TestInPlaceReadsAreTheMeetingItsGroupSiteAndScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		m := newMeeting(t, s)
		co := m.members[1]
		if err := s.DB.Write(ctx, func(tx *sqlstore.Tx) error {
			_, err := tx.Exec("UPDATE sessions SET co_facilitator_id = ? WHERE id = ?", co.ID, m.session.ID)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		in, err := s.SessionInPlace(ctx, m.session.ID)
		if err != nil {
			t.Fatal(err)
		}
		ses, err := s.Session(ctx, m.session.ID)
		if err != nil {
			t.Fatal(err)
		}
		g, err := s.Group(ctx, m.group.ID)
		if err != nil {
			t.Fatal(err)
		}
		site, err := s.Site(ctx, m.site.ID)
		if err != nil {
			t.Fatal(err)
		}
		sc, err := s.SessionScope(ctx, m.session.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(in, &peercircle.SessionInPlace{Session: ses, Group: g, Site: site, Scope: sc}) {
			t.Errorf("SessionInPlace is %+v %+v %+v %+v,\nalone they are %+v %+v %+v %+v", in.Session, in.Group, in.Site, in.Scope, ses, g, site, sc)
		}
		if len(in.Scope.SessionFacilitators) != 2 || in.Scope.GroupID != m.group.ID || in.Scope.RegionID == 0 {
			t.Errorf("scope %+v: want the group, the region and both facilitators", in.Scope)
		}
		if _, err := s.SessionInPlace(ctx, m.session.ID+1000); peercircle.ErrorCode(err) != peercircle.ENOTFOUND {
			t.Errorf("an unknown meeting: %v, want ENOTFOUND", err)
		}

		gin, err := s.GroupInPlace(ctx, m.group.ID)
		if err != nil {
			t.Fatal(err)
		}
		gsc, err := s.GroupScope(ctx, m.group.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(gin, &peercircle.GroupInPlace{Group: g, Site: site, Scope: gsc}) || gsc.RegionID == 0 {
			t.Errorf("GroupInPlace is %+v %+v %+v,\nalone they are %+v %+v %+v", gin.Group, gin.Site, gin.Scope, g, site, gsc)
		}
		if _, err := s.GroupInPlace(ctx, m.group.ID+1000); peercircle.ErrorCode(err) != peercircle.ENOTFOUND {
			t.Errorf("an unknown group: %v, want ENOTFOUND", err)
		}
	})
}
