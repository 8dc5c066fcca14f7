package peercircle

import (
	"context"
	"time"
)

// AuditEvent records who did what to which record, and when. Detail holds
// only non-confidential facts (counts, states), never what was written.
type AuditEvent struct {
	ID         int64
	At         time.Time
	ActorID    int64
	Action     string
	TargetKind string
	TargetID   int64
	Detail     string
}

// AuditService appends and lists audit events.
type AuditService interface {
	Audit(ctx context.Context, e *AuditEvent) error
	AuditEvents(ctx context.Context, targetKind string, targetID int64, limit int) ([]*AuditEvent, error)
}

// Notification is an in-app message to one person. Kind names a message in
// the catalogue ("notify.<kind>"), Params fill its placeholders; neither ever
// holds confidential text (DESIGN.md rule 2).
type Notification struct {
	ID        int64
	PersonID  int64
	Kind      string
	Params    []string
	Link      string
	CreatedAt time.Time
	ReadAt    *time.Time
}

// NotificationService stores in-app notifications.
type NotificationService interface {
	Notify(ctx context.Context, n *Notification) error
	Notifications(ctx context.Context, personID int64, unreadOnly bool, limit int) ([]*Notification, error)
	MarkRead(ctx context.Context, personID, id int64) error
	UnreadCount(ctx context.Context, personID int64) (int, error)
}

// SettingService stores installation settings as text (k for feedback,
// horizon weeks, report mappings, ...).
type SettingService interface {
	Setting(ctx context.Context, key, def string) (string, error)
	SetSetting(ctx context.Context, key, value string) error
}
