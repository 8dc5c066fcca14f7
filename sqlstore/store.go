package sqlstore

import (
	"context"
	"errors"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/seal"
)

// Store implements PeerCircle's services over a DB.
type Store struct {
	DB  *DB
	Now peercircle.Clock
	// Keys seal confidential text; they are kept outside the database.
	Keys *seal.Keyring

	// CountRaw counts every figure of Sheet 3 and the roll-ups from the raw
	// rows and keeps none (report_kept.go): the reference the kept figures
	// are tested against.
	CountRaw bool

	tree  *treeCache // the organisation tree as last read (treecache.go)
	kept  *keptMemo  // kept figures as decoded (report_kept.go)
	names *namesMemo // people's names as reports show them (names.go)
	views *viewMemo  // roll-ups as computed (report_views.go)
}

// New returns a Store over db using the system clock.
func New(db *DB, keys *seal.Keyring) *Store {
	return &Store{DB: db, Now: peercircle.SystemClock, Keys: keys, tree: &treeCache{}, kept: &keptMemo{}, names: &namesMemo{}, views: &viewMemo{}}
}

// Compile-time checks that Store implements the domain services.
var (
	_ peercircle.OrgService          = (*Store)(nil)
	_ peercircle.PersonService       = (*Store)(nil)
	_ peercircle.AuthService         = (*Store)(nil)
	_ peercircle.GroupService        = (*Store)(nil)
	_ peercircle.AuditService        = (*Store)(nil)
	_ peercircle.NotificationService = (*Store)(nil)
	_ peercircle.SettingService      = (*Store)(nil)
	_ peercircle.SessionRunService   = (*Store)(nil)
	_ peercircle.SummaryService      = (*Store)(nil)
	_ peercircle.FeedbackService     = (*Store)(nil)
	_ peercircle.SupportService      = (*Store)(nil)
	_ peercircle.ComplaintService    = (*Store)(nil)
)

// Setting returns a setting's value, or def when it is not set.
func (s *Store) Setting(ctx context.Context, key, def string) (string, error) {
	var v string
	err := s.DB.QueryRow(ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&v)
	if err != nil {
		if peercircle.ErrorCode(notFound(err, "setting")) == peercircle.ENOTFOUND {
			return def, nil
		}
		return "", err
	}
	return v, nil
}

// SetSetting stores a setting's value.
func (s *Store) SetSetting(ctx context.Context, key, value string) error {
	return s.DB.Write(ctx, func(tx *Tx) error {
		_, err := tx.Exec(`INSERT INTO settings (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
		return err
	})
}

// isCode reports whether err is a domain error with the code.
func isCode(err error, code string) bool {
	var e *peercircle.Error
	return errors.As(err, &e) && e.Code == code
}

// Ping checks that the database answers (for /readyz).
func (s *Store) Ping(ctx context.Context) error { return s.DB.Ping(ctx) }
