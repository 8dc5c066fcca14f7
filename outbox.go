package peercircle

import (
	"context"
	"time"
)

// ChannelInApp keeps a kind of message in the app: the bell only, nothing
// leaves. The other channels are those of Contact (e-mail, SMS, WhatsApp).
const ChannelInApp = "in_app"

// MessageChannels lists the channels a person can pick for a kind of
// message, in the order the profile offers them.
var MessageChannels = []string{ChannelInApp, ChannelEmail, ChannelSMS, ChannelWhatsApp}

// Outbox message states.
const (
	OutboxQueued    = "queued"    // waiting for its time or a worker
	OutboxSending   = "sending"   // a worker holds it under a lease
	OutboxSent      = "sent"      // the relay or provider took it
	OutboxFailed    = "failed"    // gave up: an admin can send it again
	OutboxWithdrawn = "withdrawn" // what it was about changed before it left
)

// OutboxMessage is one message to one person on one channel, written in the
// same transaction as the change that causes it and delivered by a worker.
// Kind names the text in the catalogue ("notify.<kind>"); Params fill it.
// Neither ever holds confidential text (DESIGN.md rule 2): a message says
// that something happened and links back.
type OutboxMessage struct {
	ID       int64
	PersonID int64
	Kind     string
	Channel  string
	Params   []string
	Link     string // a path in the app
	// Ref names what the message is about ("meeting:12"), so a change to
	// it can withdraw what has not left yet.
	Ref       string
	UniqueKey string // optional: a second message with the same key is not added
	State     string
	RunAt     time.Time
	Attempts  int
	LastError string
	CreatedAt time.Time
	SentAt    *time.Time
	// ProviderID is the relay's or provider's id for the message; receipts
	// name it. Receipt is the last delivery status they reported.
	ProviderID string
	Receipt    string
	ReceiptAt  *time.Time

	// Filled when a worker claims the message, from the person: where it
	// goes on its channel and the language to write it in.
	To   string
	Lang string
}

// DeliveryReceipt is what a provider reports about a message it took: its
// id for the message and a status in its own words (delivered, read,
// failed, undelivered...).
type DeliveryReceipt struct {
	ProviderID string
	Status     string
}

// OutboxAttempt is one try at delivering a message.
type OutboxAttempt struct {
	At     time.Time
	Worker string
	Error  string // "" when it was delivered
}

// OutboxService stores the outbox.
//
// ClaimMessage returns (nil, nil) when nothing is due; a message is leased
// to one worker at a time, so several instances never send one message
// twice. MessageFailed with a retry time queues it again; without one the
// message stays failed until RetryMessage (ECONFLICT when it is not failed).
// OutboxMessage returns ENOTFOUND for an unknown id.
type OutboxService interface {
	EnqueueMessage(ctx context.Context, m *OutboxMessage) (added bool, err error)
	ClaimMessage(ctx context.Context, worker string, lease time.Duration) (*OutboxMessage, error)
	MessageSent(ctx context.Context, id int64, worker, providerID string) error
	MessageFailed(ctx context.Context, id int64, worker, reason string, retryAt *time.Time) error
	OutboxMessage(ctx context.Context, id int64) (*OutboxMessage, []OutboxAttempt, error)
	OutboxMessages(ctx context.Context, state string, limit int) ([]*OutboxMessage, error)
	OutboxCounts(ctx context.Context) (map[string]int, error)
	RetryMessage(ctx context.Context, id, by int64) error
	WithdrawMessages(ctx context.Context, ref string) (int, error)
	// NotifyPrefs returns the person's choices (kind → channel; "*" is
	// their default). SetNotifyPref sets one ("" channel removes it, back
	// to the default); EINVALID for a channel not in MessageChannels.
	NotifyPrefs(ctx context.Context, personID int64) (map[string]string, error)
	SetNotifyPref(ctx context.Context, personID int64, kind, channel string) error
}

// Message topics: the kinds of message a person chooses a channel for on
// their profile, each covering the notice kinds about one part of their
// life in the programme. A choice for a notice kind itself (meeting
// reminders) wins over its topic's, which wins over the default.
var MessageTopics = []string{"meetings", "rota", "paperwork", "groups", "safety", "growth"}

var topicOf = map[string]string{
	KindMeetingReminder: "meetings", "session_cancelled": "meetings", "session_postponed": "meetings",
	"rota_yours": "rota", KindTurnReminder: "rota", "rota_changed": "rota", "rota_not_yours": "rota",
	"swap_proposed": "rota", "swap_accepted": "rota", "swap_declined": "rota", "facilitator_apologies": "rota",
	"summary_submitted": "paperwork", "summary_returned": "paperwork", "summary_accepted": "paperwork", "summary_to_read": "paperwork",
	"report_due_soon": "paperwork", "report_returned": "paperwork", "report_accepted": "paperwork", "report_submitted": "paperwork",
	"report_summaries_missing": "paperwork", "report_due_today": "paperwork", "report_late": "paperwork", "digest": "paperwork",
	"join_request": "groups", "venue_changed": "meetings", "ethics_changed": "groups", "join_accepted": "groups", "join_declined": "groups", "join_orientation": "groups",
	"added_to_group": "groups", "staff_joined": "groups", "public_message": "groups", "public_rsvp": "groups",
	"complaint_waiting": "safety", "support_request": "safety", "support_request_news": "safety",
	"buddy_paired": "growth", "assessment_reviewed": "growth", "email_proposed": "growth",
}

// TopicOf returns the topic of a notice kind ("" for none).
func TopicOf(kind string) string { return topicOf[kind] }

// TopicPref is the key a topic's choice is kept under among a person's
// choices (beside notice kinds and "*").
func TopicPref(topic string) string { return "topic:" + topic }
