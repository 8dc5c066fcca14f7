package peercircle_test

import (
	"testing"
	"time"

	"github.com/peercircle/peercircle"
)

func TestFindClashes(t *testing.T) {
	at := func(h int) time.Time { return time.Date(2026, 12, 8, h, 0, 0, 0, time.UTC) }
	meeting := func(id, group, venue, fac int64, from, to int) *peercircle.Session {
		return &peercircle.Session{ID: id, GroupID: group, VenueID: venue, FacilitatorID: fac, PlannedStart: at(from), PlannedEnd: at(to), Status: peercircle.SessionPlanned}
	}
	rooms := map[int64]bool{1: false, 2: false, 9: true} // 9 is online
	room := func(s *peercircle.Session) (int64, bool) { return s.VenueID, rooms[s.VenueID] }
	for _, tc := range []struct {
		name string
		in   []*peercircle.Session
		want []string
	}{
		{"one room, overlapping hours", []*peercircle.Session{meeting(1, 10, 1, 100, 14, 16), meeting(2, 20, 1, 200, 15, 17)}, []string{"room 1-2"}},
		{"one room, one after the other", []*peercircle.Session{meeting(1, 10, 1, 100, 14, 16), meeting(2, 20, 1, 200, 16, 18)}, nil},
		{"two rooms", []*peercircle.Session{meeting(1, 10, 1, 100, 14, 16), meeting(2, 20, 2, 200, 14, 16)}, nil},
		{"an online room is never full", []*peercircle.Session{meeting(1, 10, 9, 100, 14, 16), meeting(2, 20, 9, 200, 14, 16)}, nil},
		{"one facilitator in two groups at once", []*peercircle.Session{meeting(1, 10, 1, 100, 14, 16), meeting(2, 20, 2, 100, 15, 16)}, []string{"person 1-2"}},
		{"room and person at once", []*peercircle.Session{meeting(1, 10, 1, 100, 14, 16), meeting(2, 20, 1, 100, 14, 16)}, []string{"room 1-2", "person 1-2"}},
		{"a cancelled meeting frees the room", []*peercircle.Session{meeting(1, 10, 1, 100, 14, 16), func() *peercircle.Session {
			m := meeting(2, 20, 1, 200, 14, 16)
			m.Status = peercircle.SessionCancelled
			return m
		}()}, nil},
		{"a co-facilitator counts", []*peercircle.Session{meeting(1, 10, 1, 100, 14, 16), func() *peercircle.Session {
			m := meeting(2, 20, 2, 200, 15, 17)
			m.CoFacilitatorID = 100
			return m
		}()}, []string{"person 1-2"}},
		{"no room known", []*peercircle.Session{meeting(1, 10, 0, 0, 14, 16), meeting(2, 20, 0, 0, 14, 16)}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, c := range peercircle.FindClashes(tc.in, room) {
				got = append(got, c.Kind+" "+string(rune('0'+c.A.ID))+"-"+string(rune('0'+c.B.ID)))
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("got %v, want %v", got, tc.want)
				}
			}
		})
	}
}
