package sqlstore

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"math"
	mrand "math/rand/v2"
	"strconv"
	"time"

	"github.com/peercircle/peercircle"
)

// Token states of a feedback code. Nothing else is stored about a code.
const (
	tokenIssued = "issued" // shown on the facilitator's screen
	tokenOpened = "opened" // someone opened the form with it
	tokenUsed   = "used"   // a response was given with it
)

// FeedbackWindow is how long after a meeting its feedback stays open, for
// people who answer on the way home.
const FeedbackWindow = 48 * time.Hour

// newFeedbackToken is 128 random bits, short enough for a small QR code.
func newFeedbackToken() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// roundOpen says whether an open round still takes answers: it closes by
// itself FeedbackWindow after the meeting ended or was planned to end,
// whichever is later.
func (s *Store) roundOpen(plannedEnd time.Time, ended *time.Time) bool {
	if ended != nil && ended.After(plannedEnd) {
		plannedEnd = *ended
	}
	return s.Now().Before(plannedEnd.Add(FeedbackWindow))
}

var errFeedbackClosed = peercircle.Errorf(peercircle.EINVALID, "feedback.closed", "feedback is closed")

// roundTx loads a session's feedback round and whether it accepts answers.
func (s *Store) roundTx(tx *Tx, sessionID int64) (*peercircle.FeedbackRound, error) {
	r := &peercircle.FeedbackRound{SessionID: sessionID}
	err := tx.QueryRow("SELECT open, tokens_issued, responses FROM feedback_rounds WHERE session_id = ?", sessionID).
		Scan(&r.Open, &r.TokensIssued, &r.Responses)
	if err != nil {
		return nil, notFound(err, "feedback")
	}
	if r.Open {
		var end time.Time
		var ended *time.Time
		if err := tx.QueryRow(`SELECT m.planned_end, l.ended_at FROM sessions m LEFT JOIN live_sessions l ON l.session_id = m.id WHERE m.id = ?`,
			sessionID).Scan(&end, &ended); err != nil {
			return nil, err
		}
		r.Open = s.roundOpen(end, ended)
	}
	if err := tx.QueryRow("SELECT COUNT(*) FROM attendance WHERE session_id = ? AND status = ?", sessionID, peercircle.AttendPresent).Scan(&r.Capacity); err != nil {
		return nil, err
	}
	return r, nil
}

// OpenFeedback opens (or reopens) the feedback of a session that is
// running or was held.
func (s *Store) OpenFeedback(ctx context.Context, sessionID int64) error {
	return s.DB.Write(ctx, func(tx *Tx) error {
		m, err := runnableSessionTx(tx, sessionID)
		if err != nil {
			return err
		}
		var live int
		if err := tx.QueryRow("SELECT COUNT(*) FROM live_sessions WHERE session_id = ?", sessionID).Scan(&live); err != nil {
			return err
		}
		if live == 0 && m.Status != peercircle.SessionHeld {
			return peercircle.Errorf(peercircle.EINVALID, "feedback.not_started", "session %d has not started", sessionID)
		}
		if _, err := tx.Exec(`INSERT INTO feedback_rounds (session_id, open) VALUES (?, TRUE)
			ON CONFLICT (session_id) DO UPDATE SET open = TRUE`, sessionID); err != nil {
			return err
		}
		return bumpLive(tx, sessionID, s.Now())
	})
}

// CloseFeedback stops accepting answers.
func (s *Store) CloseFeedback(ctx context.Context, sessionID int64) error {
	return s.DB.Write(ctx, func(tx *Tx) error {
		res, err := tx.Exec("UPDATE feedback_rounds SET open = FALSE WHERE session_id = ?", sessionID)
		if err := affectOne(res, err)("feedback"); err != nil {
			return err
		}
		return bumpLive(tx, sessionID, s.Now())
	})
}

// FeedbackRound returns the state of a session's feedback.
func (s *Store) FeedbackRound(ctx context.Context, sessionID int64) (*peercircle.FeedbackRound, error) {
	var r *peercircle.FeedbackRound
	err := s.DB.Read(ctx, func(tx *Tx) (err error) {
		r, err = s.roundTx(tx, sessionID)
		return err
	})
	return r, err
}

// handedOutTx counts the codes someone has in hand: opened or used.
func handedOutTx(tx *Tx, sessionID int64) (int, error) {
	var n int
	err := tx.QueryRow("SELECT COUNT(*) FROM feedback_tokens WHERE session_id = ? AND state IN (?, ?)", sessionID, tokenOpened, tokenUsed).Scan(&n)
	return n, err
}

var errAllIssued = peercircle.Errorf(peercircle.ECONFLICT, "feedback.all_issued", "every person present has a code")

// issueTx makes a new code while someone present has none. A code only
// counts once someone holds it (opened or used): a code shown on the screen
// that nobody scanned takes nobody's place.
func (s *Store) issueTx(tx *Tx, sessionID int64, r *peercircle.FeedbackRound, state string) (string, error) {
	if !r.Open {
		return "", errFeedbackClosed
	}
	held, err := handedOutTx(tx, sessionID)
	if err != nil {
		return "", err
	}
	if held >= r.Capacity {
		return "", errAllIssued
	}
	token := newFeedbackToken()
	if _, err := tx.Exec("INSERT INTO feedback_tokens (token_hash, session_id, state) VALUES (?, ?, ?)", HashToken(token), sessionID, state); err != nil {
		return "", err
	}
	if state == tokenOpened {
		if _, err := tx.Exec("UPDATE feedback_rounds SET tokens_issued = tokens_issued + 1 WHERE session_id = ?", sessionID); err != nil {
			return "", err
		}
		r.TokensIssued++
	}
	return token, nil
}

// ScreenCode returns the code the facilitator's screen shows: the same one
// until someone opens it, then a new one while people present have none.
func (s *Store) ScreenCode(ctx context.Context, sessionID int64) (string, error) {
	var token string
	err := s.DB.Write(ctx, func(tx *Tx) error {
		r, err := s.roundTx(tx, sessionID)
		if err != nil {
			return err
		}
		var sealed []byte
		var hash string
		if err := tx.QueryRow("SELECT screen_code, screen_hash FROM feedback_rounds WHERE session_id = ?", sessionID).Scan(&sealed, &hash); err != nil {
			return err
		}
		if hash != "" {
			var state string
			err := tx.QueryRow("SELECT state FROM feedback_tokens WHERE token_hash = ?", hash).Scan(&state)
			if err != nil && !isCode(notFound(err, ""), peercircle.ENOTFOUND) {
				return err
			}
			if err == nil && state == tokenIssued && r.Open {
				token, err = s.Keys.OpenString(sealed, fmt.Sprintf("feedback:%d:screen", sessionID))
				return err
			}
		}
		if token, err = s.issueTx(tx, sessionID, r, tokenIssued); err != nil {
			return err
		}
		_, err = tx.Exec("UPDATE feedback_rounds SET screen_code = ?, screen_hash = ? WHERE session_id = ?",
			s.Keys.SealString(token, fmt.Sprintf("feedback:%d:screen", sessionID)), HashToken(token), sessionID)
		return err
	})
	return token, err
}

// ClaimFeedback gives a signed-in attendee a code, once: taking it again
// gives the same code back while it is unused and the round is open, so
// leaving the form loses nothing. The claim keeps the code sealed; the
// answer is never linked to it.
func (s *Store) ClaimFeedback(ctx context.Context, sessionID, personID int64) (string, error) {
	var token string
	err := s.DB.Write(ctx, func(tx *Tx) error {
		r, err := s.roundTx(tx, sessionID)
		if err != nil {
			return err
		}
		var present int
		if err := tx.QueryRow("SELECT COUNT(*) FROM attendance WHERE session_id = ? AND person_id = ? AND status = ?",
			sessionID, personID, peercircle.AttendPresent).Scan(&present); err != nil {
			return err
		}
		if present == 0 {
			return peercircle.Errorf(peercircle.EFORBIDDEN, "feedback.not_present", "person %d was not present", personID)
		}
		state, sealed, err := claimTx(tx, sessionID, personID)
		if err != nil {
			return err
		}
		switch state {
		case "":
		case tokenOpened, tokenIssued:
			if !r.Open {
				return errFeedbackClosed
			}
			token, err = s.Keys.OpenString(sealed, claimContext(sessionID, personID))
			return err
		case tokenUsed:
			return peercircle.Errorf(peercircle.ECONFLICT, "feedback.answered", "person %d answered", personID)
		default: // a claim from before codes were kept
			return peercircle.Errorf(peercircle.ECONFLICT, "feedback.claimed", "person %d already took a code", personID)
		}
		if token, err = s.issueTx(tx, sessionID, r, tokenOpened); err != nil {
			return err
		}
		_, err = tx.Exec("INSERT INTO feedback_claims (session_id, person_id, code, code_hash) VALUES (?, ?, ?, ?)",
			sessionID, personID, s.Keys.SealString(token, claimContext(sessionID, personID)), HashToken(token))
		return err
	})
	return token, err
}

// claimContext binds a claim's sealed code to its session and person.
func claimContext(sessionID, personID int64) string {
	return fmt.Sprintf("feedback:%d:claim:%d", sessionID, personID)
}

// claimUnknown is the state of a claim whose code was not kept.
const claimUnknown = "unknown"

// claimTx returns the state of a person's code for a session ("" when they
// took none, claimUnknown for a claim from before codes were kept) and the
// sealed code.
func claimTx(tx *Tx, sessionID, personID int64) (string, []byte, error) {
	var sealed []byte
	var state *string
	err := tx.QueryRow(`SELECT c.code, t.state FROM feedback_claims c LEFT JOIN feedback_tokens t ON t.token_hash = c.code_hash AND t.session_id = c.session_id
		WHERE c.session_id = ? AND c.person_id = ?`, sessionID, personID).Scan(&sealed, &state)
	if isCode(notFound(err, ""), peercircle.ENOTFOUND) {
		return "", nil, nil
	} else if err != nil {
		return "", nil, err
	}
	return claimState(sealed, state), sealed, nil
}

// claimState is the state of a claim that exists, from its sealed code and
// its code's state (nil when the code was not kept).
func claimState(sealed []byte, state *string) string {
	if state == nil || len(sealed) == 0 {
		return claimUnknown
	}
	return *state
}

// HasClaimedFeedback reports whether a person took a code for a session.
func (s *Store) HasClaimedFeedback(ctx context.Context, sessionID, personID int64) (bool, error) {
	var n int
	err := s.DB.QueryRow(ctx, "SELECT COUNT(*) FROM feedback_claims WHERE session_id = ? AND person_id = ?", sessionID, personID).Scan(&n)
	return n > 0, err
}

// FeedbackClaim says where a person is with a session's feedback.
func (s *Store) FeedbackClaim(ctx context.Context, sessionID, personID int64) (peercircle.FeedbackClaim, error) {
	var out peercircle.FeedbackClaim
	err := s.DB.Read(ctx, func(tx *Tx) error {
		state, _, err := claimTx(tx, sessionID, personID)
		out = claimOf(state)
		return err
	})
	return out, err
}

// claimOf names the state claimTx returns for the person's page.
func claimOf(state string) peercircle.FeedbackClaim {
	switch state {
	case "":
		return peercircle.FeedbackNotTaken
	case tokenUsed:
		return peercircle.FeedbackAnswered
	case claimUnknown:
		return peercircle.FeedbackTakenEarlier
	}
	return peercircle.FeedbackTaken
}

// tokenTx checks a code for a session and returns its state.
func (s *Store) tokenTx(tx *Tx, sessionID int64, token string) (string, error) {
	var state string
	err := tx.QueryRow("SELECT state FROM feedback_tokens WHERE token_hash = ? AND session_id = ?", HashToken(token), sessionID).Scan(&state)
	if err != nil {
		if isCode(notFound(err, ""), peercircle.ENOTFOUND) {
			return "", peercircle.Errorf(peercircle.ENOTFOUND, "feedback.bad_token", "unknown feedback code")
		}
		return "", err
	}
	if state == tokenUsed {
		return "", peercircle.Errorf(peercircle.ECONFLICT, "feedback.used", "feedback code already used")
	}
	r, err := s.roundTx(tx, sessionID)
	if err != nil {
		return "", err
	}
	if !r.Open {
		return "", errFeedbackClosed
	}
	return state, nil
}

// OpenToken marks a code as opened, so the facilitator's screen moves on to
// the next one. Opening a screen code when everyone present already holds
// one is refused: one response per person present.
func (s *Store) OpenToken(ctx context.Context, sessionID int64, token string) error {
	return s.DB.Write(ctx, func(tx *Tx) error {
		state, err := s.tokenTx(tx, sessionID, token)
		if err != nil || state != tokenIssued {
			return err
		}
		r, err := s.roundTx(tx, sessionID)
		if err != nil {
			return err
		}
		held, err := handedOutTx(tx, sessionID)
		if err != nil {
			return err
		}
		if held >= r.Capacity {
			return errAllIssued
		}
		if _, err := tx.Exec("UPDATE feedback_tokens SET state = ? WHERE token_hash = ?", tokenOpened, HashToken(token)); err != nil {
			return err
		}
		if _, err := tx.Exec("UPDATE feedback_rounds SET tokens_issued = tokens_issued + 1 WHERE session_id = ?", sessionID); err != nil {
			return err
		}
		return bumpLive(tx, sessionID, s.Now())
	})
}

// SubmitFeedback records one response with a one-time code: ratings are
// added to counts, words are sealed one by one, and the code is spent.
func (s *Store) SubmitFeedback(ctx context.Context, sessionID int64, token string, fr *peercircle.FeedbackResponse) error {
	if err := fr.Validate(); err != nil {
		return err
	}
	return s.DB.Write(ctx, func(tx *Tx) error {
		if _, err := s.tokenTx(tx, sessionID, token); err != nil {
			return err
		}
		if err := guardTx(tx, sessionID, fr.Notes, fr.Allowed); err != nil {
			return err
		}
		res, err := tx.Exec("UPDATE feedback_tokens SET state = ? WHERE token_hash = ? AND state <> ?", tokenUsed, HashToken(token), tokenUsed)
		if err := affectOne(res, err)("feedback code"); err != nil {
			return err
		}
		if _, err := tx.Exec("UPDATE feedback_rounds SET responses = responses + 1 WHERE session_id = ?", sessionID); err != nil {
			return err
		}
		for _, q := range peercircle.FeedbackQuestions {
			v, ok := fr.Ratings[q]
			if !ok {
				continue
			}
			if _, err := tx.Exec(`INSERT INTO feedback_counts (session_id, question, value, n) VALUES (?, ?, ?, 1)
				ON CONFLICT (session_id, question, value) DO UPDATE SET n = feedback_counts.n + 1`, sessionID, q, v); err != nil {
				return err
			}
		}
		for _, p := range peercircle.FeedbackPrompts {
			text := fr.Notes[p]
			if text == "" {
				continue
			}
			if _, err := tx.Exec("INSERT INTO feedback_notes (session_id, shuffle, prompt, body) VALUES (?, ?, ?, ?)",
				sessionID, mrand.Int64N(math.MaxInt64), p, s.Keys.SealString(text, fmt.Sprintf("feedback:%d:%s", sessionID, p))); err != nil {
				return err
			}
		}
		if n := countNew(nil, fr.Allowed); n > 0 {
			// Anonymous: no actor.
			if err := s.auditTx(tx, &peercircle.AuditEvent{Action: "guard.confirm", TargetKind: "feedback", TargetID: sessionID, Detail: "count=" + strconv.Itoa(n)}); err != nil {
				return err
			}
		}
		return bumpLive(tx, sessionID, s.Now())
	})
}

// FeedbackResults returns the aggregate of a session's feedback; nothing
// but the number of responses until at least k exist.
func (s *Store) FeedbackResults(ctx context.Context, sessionID int64, withNotes bool) (*peercircle.FeedbackResults, error) {
	k, err := s.feedbackK(ctx)
	if err != nil {
		return nil, err
	}
	out := &peercircle.FeedbackResults{K: k}
	err = s.DB.Read(ctx, func(tx *Tx) error {
		err := tx.QueryRow("SELECT responses FROM feedback_rounds WHERE session_id = ?", sessionID).Scan(&out.Responses)
		if isCode(notFound(err, ""), peercircle.ENOTFOUND) {
			return nil
		} else if err != nil || !out.Enough() {
			return err
		}
		byQ := map[string]*peercircle.FeedbackRating{}
		for _, q := range peercircle.FeedbackQuestions {
			out.Ratings = append(out.Ratings, peercircle.FeedbackRating{Question: q})
		}
		for i := range out.Ratings {
			byQ[out.Ratings[i].Question] = &out.Ratings[i]
		}
		rows, err := tx.Query("SELECT question, value, n FROM feedback_counts WHERE session_id = ?", sessionID)
		if err != nil {
			return err
		}
		for rows.Next() {
			var q string
			var v, n int
			if err := rows.Scan(&q, &v, &n); err != nil {
				rows.Close()
				return err
			}
			if r, ok := byQ[q]; ok && v >= 1 && v <= 5 {
				r.Counts[v-1] += n
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for i := range out.Ratings {
			r := &out.Ratings[i]
			sum := 0
			for v, n := range r.Counts {
				r.Count += n
				sum += (v + 1) * n
			}
			if r.Count > 0 {
				r.Average = float64(sum) / float64(r.Count)
			}
		}
		if !withNotes {
			return nil
		}
		out.Notes = map[string][]string{}
		rows, err = tx.Query("SELECT prompt, body FROM feedback_notes WHERE session_id = ? ORDER BY shuffle", sessionID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var p string
			var body []byte
			if err := rows.Scan(&p, &body); err != nil {
				return err
			}
			text, err := s.Keys.OpenString(body, fmt.Sprintf("feedback:%d:%s", sessionID, p))
			if err != nil {
				return fmt.Errorf("feedback note: %w", err)
			}
			out.Notes[p] = append(out.Notes[p], text)
		}
		return rows.Err()
	})
	return out, err
}

// feedbackK returns k of k-anonymity from the settings, never below the
// minimum.
func (s *Store) feedbackK(ctx context.Context) (int, error) {
	v, err := s.Setting(ctx, peercircle.SettingK, strconv.Itoa(peercircle.DefaultK))
	if err != nil {
		return 0, err
	}
	k, err := strconv.Atoi(v)
	if err != nil {
		return peercircle.DefaultK, nil
	}
	return max(k, peercircle.MinimumK), nil
}
