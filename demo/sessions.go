package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/sqlstore"
)

// seedSessions fills in what the meetings of the Nuzha staff group were
// like, so the session pages have something to show: agenda items members
// proposed, the confidential sections of a few summaries (sealed, as the
// app writes them), one summary returned with a comment, and the closing
// round's words of one meeting's feedback. The long history for reports
// comes from an earlier step, the meetings ahead from the schedule; this
// one stays small.
func seedSessions(ctx context.Context, s *sqlstore.Store, w *World) error {
	g := w.Groups["nuzha-staff"]
	fac, member, organiser := w.People["facilitator"], w.People["member"], w.People["organiser"]
	now := s.Now()
	loc, err := time.LoadLocation("Asia/Amman")
	if err != nil {
		return err
	}

	past, err := s.Sessions(ctx, peercircle.SessionFilter{GroupID: g.ID, To: now, Statuses: []string{peercircle.SessionHeld}})
	if err != nil {
		return err
	}
	// Fewer than three past meetings (a database without the history step):
	// hold three, a fortnight apart.
	for i := len(past); i < 3; i++ {
		st := time.Date(now.In(loc).Year(), now.In(loc).Month(), now.In(loc).Day(), 14, 0, 0, 0, loc).AddDate(0, 0, -14*(3-i))
		m := &peercircle.Session{GroupID: g.ID, PlannedStart: st, PlannedEnd: st.Add(2 * time.Hour), LocalDate: st.Format(time.DateOnly),
			Status: peercircle.SessionHeld, FacilitatorID: fac.ID, Topic: "الإسعاف النفسي الأولي"}
		if err := s.AddSession(ctx, m); err != nil {
			return err
		}
		past = append(past, m)
	}
	recent := past[len(past)-3:]

	items := []struct {
		by    *peercircle.Person
		kind  string
		title string
	}{
		{member, peercircle.ItemCase, "مراجِعة قلقة بعد الولادة لا تنام"},
		{fac, peercircle.ItemIssue, "ضغط المناوبات في حملة التطعيم"},
		{member, peercircle.ItemTopic, "How to end a difficult conversation kindly"},
	}
	notes := map[string]string{
		peercircle.NoteKeyIssues:    "ناقشنا كيف نرافق مراجِعة تمرّ بحزن بعد فقدان حمل، ومتى نحيل إلى فريق الصحة النفسية.",
		peercircle.NoteDecisions:    "نجرّب تمرين التنفّس في بداية كل مناوبة ليلية لمدة أسبوعين.",
		peercircle.NoteAchievements: "Two members used the referral pathway for the first time.",
		peercircle.NoteChallenges:   "الغرفة كانت مشغولة؛ بدأنا متأخرين ربع ساعة.",
		peercircle.NoteFollowUps:    "تسأل المنظّمة إدارة المنطقة عن غرفة ثابتة للّقاءات.",
	}
	for i, m := range recent {
		for _, it := range items[:1+i] {
			item := &peercircle.AgendaItem{SessionID: m.ID, AuthorID: it.by.ID, Kind: it.kind, Title: it.title}
			if err := s.ProposeItem(ctx, item); err != nil {
				return fmt.Errorf("agenda item: %w", err)
			}
			if err := s.UpdateItem(ctx, m.ID, item.ID, peercircle.ItemDiscussed, 15); err != nil {
				return err
			}
		}
		if err := sealDemoNotes(ctx, s, m.ID, fac.ID, notes); err != nil {
			return err
		}
	}
	// The latest one came back from the organiser with a comment.
	last := recent[len(recent)-1].ID
	if err := s.DB.Write(ctx, func(tx *sqlstore.Tx) error {
		_, err := tx.Exec("UPDATE summaries SET state = ?, submitted_at = ? WHERE session_id = ?", peercircle.ReviewSubmitted, now.Add(-24*time.Hour), last)
		return err
	}); err != nil {
		return err
	}
	if err := s.ReviewSummary(ctx, last, organiser.ID, false, "شكرًا. أضيفي من فضلك موعد المتابعة مع إدارة المنطقة."); err != nil {
		return err
	}
	// The next meeting: members have proposed a few things for it.
	next, err := s.Sessions(ctx, peercircle.SessionFilter{GroupID: g.ID, From: now, Statuses: []string{peercircle.SessionPlanned}, Limit: 1})
	if err != nil {
		return err
	}
	for _, m := range next {
		for _, it := range items {
			item := &peercircle.AgendaItem{SessionID: m.ID, AuthorID: it.by.ID, Kind: it.kind, Title: it.title}
			if err := s.ProposeItem(ctx, item); err != nil {
				return err
			}
		}
	}
	// The closing round's words for the meeting before.
	if err := s.DB.Write(ctx, func(tx *sqlstore.Tx) error {
		id := recent[1].ID
		if _, err := tx.Exec(`INSERT INTO feedback_rounds (session_id, open, tokens_issued, responses) VALUES (?, FALSE, 4, 4)
			ON CONFLICT (session_id) DO UPDATE SET tokens_issued = 4, responses = 4`, id); err != nil {
			return err
		}
		for i, w := range []struct{ prompt, text string }{
			{"grateful", "أن أحدًا سمعني دون أن يحكم عليّ"},
			{"meaningful", "تمرين التنفّس"},
			{"better", "نبدأ في الوقت"},
			{"grateful", "The time to breathe"},
		} {
			if _, err := tx.Exec(`INSERT INTO feedback_notes (session_id, shuffle, prompt, body) VALUES (?, ?, ?, ?)
				ON CONFLICT (session_id, shuffle) DO NOTHING`,
				id, int64(7919*(i+1)), w.prompt, s.Keys.SealString(w.text, fmt.Sprintf("feedback:%d:%s", id, w.prompt))); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return err
	}

	return nil
}

// sealDemoNotes writes a summary's confidential sections as the app does:
// sealed per field, bound to the summary by context. A meeting without a
// summary gets a draft.
func sealDemoNotes(ctx context.Context, s *sqlstore.Store, sessionID, author int64, notes map[string]string) error {
	return s.DB.Write(ctx, func(tx *sqlstore.Tx) error {
		now := s.Now()
		if _, err := tx.Exec(`INSERT INTO summaries (session_id, state, author_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (session_id) DO NOTHING`, sessionID, peercircle.ReviewDraft, author, now, now); err != nil {
			return err
		}
		for _, f := range peercircle.NoteFields {
			sealed := s.Keys.SealString(notes[f], fmt.Sprintf("summary:%d:%s", sessionID, f))
			if _, err := tx.Exec("UPDATE summaries SET "+f+" = ?, version = version + 1 WHERE session_id = ?", sealed, sessionID); err != nil {
				return err
			}
		}
		return nil
	})
}
