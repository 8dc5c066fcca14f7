package peercircle

import (
	"context"
	"strings"
	"unicode/utf8"
)

// Feedback is the short anonymous form each attendee fills in at the end of
// a meeting: the quality-control sheet of 004 (answered on a scale) and the
// closing round of 001 (answered in words, all optional).
//
// Anonymity is structural: one response per attendee is enforced with a
// one-time token; a response is stored without any link to its token or a
// person (a signed-in attendee's claim keeps their code, sealed, so the
// same form reopens until they answer); ratings are
// stored only as counts; results are shown only in aggregate and only when at
// least k responses exist (SettingK).

// FeedbackQuestions are rated 1 (not at all) to 5 (very much). They follow
// what 004 asks observers to report: the atmosphere, how people interact,
// whether they work together, whether the meeting was productive.
var FeedbackQuestions = []string{"safe", "heard", "together", "useful"}

// FeedbackPrompts are the closing round of 001: something especially
// meaningful, something to be grateful for, something that was not
// addressed, something that could be better.
var FeedbackPrompts = []string{"meaningful", "grateful", "not_addressed", "better"}

// FeedbackResponse is one attendee's answers.
type FeedbackResponse struct {
	Ratings map[string]int    // question → 1..5; absent = not answered
	Notes   map[string]string // prompt → words
	Allowed map[string][]string
}

// Validate checks a response before it is saved.
func (r *FeedbackResponse) Validate() error {
	f := FieldErrors{}
	for q, v := range r.Ratings {
		if !contains(FeedbackQuestions, q) || v < 1 || v > 5 {
			f.Add("rating_"+q, "error.choice")
		}
	}
	answered := len(r.Ratings)
	for p, v := range r.Notes {
		v = strings.TrimSpace(v)
		r.Notes[p] = v
		if !contains(FeedbackPrompts, p) {
			f.Add(p, "error.choice")
		} else if utf8.RuneCountInString(v) > MaxNote {
			f.Add(p, "summary.note_too_long")
		}
		if v != "" {
			answered++
		}
	}
	if answered == 0 && len(f) == 0 {
		f.Add("form", "feedback.empty")
	}
	return f.Err()
}

// FeedbackRound is the feedback of one session: whether it is open and how
// many codes were handed out and answered.
type FeedbackRound struct {
	SessionID int64
	Open      bool
	// TokensIssued counts the codes someone holds (opened or used); a code
	// shown on the screen that nobody scanned does not count.
	TokensIssued int
	Responses    int
	// Capacity is how many codes may be handed out: one per person present.
	Capacity int
}

// FeedbackRating is the aggregate of one question.
type FeedbackRating struct {
	Question string
	Counts   [5]int // answers 1..5
	Count    int
	Average  float64
}

// FeedbackResults is what people see of a session's feedback: nothing but
// the number of responses until at least K exist.
type FeedbackResults struct {
	Responses int
	K         int
	Ratings   []FeedbackRating
	// Notes are the words of the closing round, by prompt, in no order
	// that could tell who wrote them; filled only when asked for.
	Notes map[string][]string
}

// Enough reports whether there are enough responses to show anything.
func (r *FeedbackResults) Enough() bool { return r.Responses >= r.K }

// FeedbackClaim is where a signed-in attendee is with a meeting's feedback.
type FeedbackClaim string

// The states of a FeedbackClaim.
const (
	FeedbackNotTaken FeedbackClaim = ""         // no code taken
	FeedbackTaken    FeedbackClaim = "taken"    // a code taken, no answer yet: the form reopens
	FeedbackAnswered FeedbackClaim = "answered" // the code was used
	// FeedbackTakenEarlier is a code taken before codes were kept: it
	// cannot be given back.
	FeedbackTakenEarlier FeedbackClaim = "earlier"
)

// FeedbackService runs the anonymous feedback of a session.
//
// OpenFeedback returns EINVALID for a session that is not running or held.
// ScreenCode returns the code the facilitator's screen shows (a new one once
// the shown one was opened) and ECONFLICT "feedback.all_issued" when every
// person present has had one. ClaimFeedback gives a signed-in attendee one
// code: taken again, the same code while it is unused and the round is open
// (the same form reopens), ECONFLICT "feedback.answered" once it was used,
// EINVALID "feedback.closed" when the round closed, EFORBIDDEN
// "feedback.not_present" for someone not marked present. OpenToken and
// SubmitFeedback return ENOTFOUND "feedback.bad_token" for a token unknown
// for this session (including another session's), ECONFLICT
// "feedback.used" for a used one, EINVALID "feedback.closed" when feedback is
// closed, and SubmitFeedback EINVALID when Validate fails or the guard finds
// something unconfirmed.
type FeedbackService interface {
	OpenFeedback(ctx context.Context, sessionID int64) error
	CloseFeedback(ctx context.Context, sessionID int64) error
	FeedbackRound(ctx context.Context, sessionID int64) (*FeedbackRound, error)
	ScreenCode(ctx context.Context, sessionID int64) (string, error)
	ClaimFeedback(ctx context.Context, sessionID, personID int64) (string, error)
	HasClaimedFeedback(ctx context.Context, sessionID, personID int64) (bool, error)
	FeedbackClaim(ctx context.Context, sessionID, personID int64) (FeedbackClaim, error)
	OpenToken(ctx context.Context, sessionID int64, token string) error
	SubmitFeedback(ctx context.Context, sessionID int64, token string, r *FeedbackResponse) error
	// FeedbackResults returns the aggregate; withNotes adds the closing
	// round's words (confidential: callers check ActReadConfidential).
	FeedbackResults(ctx context.Context, sessionID int64, withNotes bool) (*FeedbackResults, error)
}
