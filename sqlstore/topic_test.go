package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/sqlstore"
	"github.com/peercircle/peercircle/sqlstore/storetest"
)

// The topic library and part 2 on both backends.
func TestTopicsStore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		m := newMeeting(t, s)
		tp := &peercircle.Topic{SiteID: m.site.ID, Title: "Sleep and night shifts", SpeakerName: "Dr Sami", SpeakerContact: "+962 79 000 0000"}
		if err := s.SaveTopic(ctx, tp, m.organiser.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.SaveTopic(ctx, &peercircle.Topic{SiteID: m.site.ID, Title: " "}, m.organiser.ID); peercircle.ErrorFields(err)["title"] != "error.required" {
			t.Fatalf("an empty title: %v", err)
		}
		tp.Title = "Sleep, night shifts and rest"
		tp.SpeakerContact = ""
		if err := s.SaveTopic(ctx, tp, m.organiser.ID); err != nil {
			t.Fatal(err)
		}
		got, err := s.Topics(ctx, m.site.ID)
		if err != nil || len(got) != 1 || got[0].Title != tp.Title || got[0].SpeakerContact != "" {
			t.Fatalf("topics %+v (%v)", got, err)
		}
		future := m.addSession(t, 72*time.Hour)
		if err := s.AssignTopic(ctx, peercircle.TopicAssignment{SessionID: future.ID, TopicID: tp.ID, PresenterID: m.organiser.ID}, m.organiser.ID); peercircle.ErrorFields(err)["presenter"] != "topic.error.presenter" {
			t.Fatalf("a presenter outside the group: %v", err)
		}
		huda := m.members[0]
		if err := s.AssignTopic(ctx, peercircle.TopicAssignment{SessionID: future.ID, TopicID: tp.ID, PresenterID: huda.ID}, m.organiser.ID); err != nil {
			t.Fatal(err)
		}
		st, presenter, err := s.SessionTopic(ctx, future.ID)
		if err != nil || st.ID != tp.ID || presenter != huda.ID {
			t.Fatalf("session topic %+v %d (%v)", st, presenter, err)
		}
		if ses, _ := s.Session(ctx, future.ID); ses.Topic != tp.Title {
			t.Fatalf("the meeting's topic = %q", ses.Topic)
		}
		if next, err := s.NextPresenter(ctx, m.group.ID); err != nil || next == huda.ID || next == 0 {
			t.Fatalf("next presenter %d (%v)", next, err)
		}
		if err := s.AssignTopic(ctx, peercircle.TopicAssignment{SessionID: future.ID}, m.organiser.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.SessionTopic(ctx, future.ID); peercircle.ErrorCode(err) != peercircle.ENOTFOUND {
			t.Fatalf("a cleared topic: %v", err)
		}
	})
}
