package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/peercircle/peercircle/seal"
	"github.com/peercircle/peercircle/sqlstore"
	"github.com/peercircle/peercircle/sqlstore/postgres"
	"github.com/peercircle/peercircle/sqlstore/sqlite"
)

// Config is parsed once from flags and PEERCIRCLE_* variables and passed
// down; nothing reads configuration anywhere else.
type Config struct {
	Addr          string
	MetricsAddr   string // "" = no metrics; else where /metrics is served, apart from the app
	DataDir       string
	Database      string // "" = SQLite in DataDir; postgres://... = PostgreSQL
	KeyFile       string
	Key           string // base64 key from the environment, instead of a file
	BaseURL       string
	SecureCookies bool
	TrustProxy    bool
	LogFormat     string
	LogLevel      string
	MailDir       string // where e-mails go when no SMTP server is set
	SMTP          string // host:port of an SMTP relay
	SMTPFrom      string
	SMTPUser      string
	SMTPPassword  string
	SMTPTLS       string // starttls (when offered) or implicit (port 465)
	// Text messages and WhatsApp: a provider each (see README).
	SMS            string // "", twilio, webhook or files
	SMSURL         string
	SMSAccount     string
	SMSToken       string
	SMSFrom        string
	WhatsApp       string // "", cloud, webhook or files
	WhatsAppURL    string
	WhatsAppAPI    string // Graph API version
	WhatsAppPhone  string // phone number id
	WhatsAppToken  string
	WhatsAppSecret string // app secret: signs the webhook
	WhatsAppVerify string // verify token of the webhook
	WhatsAppPrefix string // template names
	WebhookURL     string
	WebhookHeader  string
	WebhookBody    string
	WebhookSecret  string
	// Demo: messages by SMS and WhatsApp are written as files under the
	// data directory unless a provider is set.
	Demo bool
}

// storageFlags are the flags every command that opens the database takes.
func storageFlags(fs *flag.FlagSet, c *Config) {
	fs.StringVar(&c.DataDir, "data-dir", "./data", "directory for the SQLite file, the key file and outgoing mail")
	fs.StringVar(&c.Database, "database", "", "database URL: empty for SQLite in --data-dir, or postgres://user@host/db")
	fs.StringVar(&c.KeyFile, "key-file", "", "file holding the key for confidential text (default <data-dir>/secret.key)")
	fs.StringVar(&c.Key, "key", "", "the key itself, base64 (prefer --key-file; for containers that pass secrets in the environment)")
	fs.StringVar(&c.LogFormat, "log-format", "text", "log format: text or json")
	fs.StringVar(&c.LogLevel, "log-level", "info", "log level: debug, info, warn or error")
}

// serveFlags are the flags of the commands that serve the web app.
func serveFlags(fs *flag.FlagSet, c *Config) {
	storageFlags(fs, c)
	fs.StringVar(&c.Addr, "addr", "127.0.0.1:8080", "address to listen on; port 0 picks a free port")
	fs.StringVar(&c.MetricsAddr, "metrics-addr", "", "address to serve /metrics on for operators, apart from the app (e.g. 127.0.0.1:9090); empty serves none")
	fs.StringVar(&c.BaseURL, "base-url", "", "public address for links sent outside the app, e.g. https://peercircle.example.org")
	fs.BoolVar(&c.SecureCookies, "secure-cookies", false, "mark cookies Secure (set this when served over HTTPS behind a proxy)")
	fs.BoolVar(&c.TrustProxy, "trust-proxy", false, "take client addresses from X-Forwarded-For (only behind a proxy that sets it)")
	fs.StringVar(&c.SMTP, "smtp", "", "SMTP relay host:port for e-mail; empty writes e-mails as files to <data-dir>/mail")
	fs.StringVar(&c.SMTPFrom, "smtp-from", "PeerCircle <no-reply@localhost>", "sender address of e-mails")
	fs.StringVar(&c.SMTPUser, "smtp-user", "", "SMTP user name, if the relay needs one")
	fs.StringVar(&c.SMTPPassword, "smtp-password", "", "SMTP password, if the relay needs one")
	fs.StringVar(&c.SMTPTLS, "smtp-tls", "starttls", "starttls (used when the relay offers it, e.g. port 587) or implicit (TLS from the first byte, port 465)")
	fs.StringVar(&c.SMS, "sms", "", "text-message provider: twilio (or a gateway with the same API), webhook, or files (<data-dir>/messages/sms); empty: none")
	fs.StringVar(&c.SMSURL, "sms-url", "https://api.twilio.com", "base address of the Twilio-style API")
	fs.StringVar(&c.SMSAccount, "sms-account", "", "account SID")
	fs.StringVar(&c.SMSToken, "sms-token", "", "auth token (also checks the signature of delivery receipts)")
	fs.StringVar(&c.SMSFrom, "sms-from", "", "sending number in E.164, or a messaging service SID (MG…)")
	fs.StringVar(&c.WhatsApp, "whatsapp", "", "WhatsApp provider: cloud (WhatsApp Business Cloud API), webhook, or files (<data-dir>/messages/whatsapp); empty: none")
	fs.StringVar(&c.WhatsAppURL, "whatsapp-url", "https://graph.facebook.com", "base address of the Graph API")
	fs.StringVar(&c.WhatsAppAPI, "whatsapp-version", "v21.0", "Graph API version")
	fs.StringVar(&c.WhatsAppPhone, "whatsapp-phone-id", "", "the business phone number's id")
	fs.StringVar(&c.WhatsAppToken, "whatsapp-token", "", "access token of a system user")
	fs.StringVar(&c.WhatsAppSecret, "whatsapp-app-secret", "", "app secret (checks the signature of the webhook's statuses)")
	fs.StringVar(&c.WhatsAppVerify, "whatsapp-verify-token", "", "verify token the webhook's setup sends")
	fs.StringVar(&c.WhatsAppPrefix, "whatsapp-template-prefix", "peercircle_", "approved templates are named this plus the message kind")
	fs.StringVar(&c.WebhookURL, "webhook-url", "", "gateway address for --sms webhook or --whatsapp webhook")
	fs.StringVar(&c.WebhookHeader, "webhook-header", "", `a header sent with each post, e.g. "Authorization: Bearer …"`)
	fs.StringVar(&c.WebhookBody, "webhook-body", "", "a text/template for the JSON body (see README); empty: PeerCircle's JSON")
	fs.StringVar(&c.WebhookSecret, "webhook-secret", "", "shared secret: signs posts and checks receipts (X-PeerCircle-Signature)")
}

// parse reads flags after taking defaults from the environment, so flags
// win over variables, and variables over built-in defaults.
func parse(fs *flag.FlagSet, args []string, stderr io.Writer) error {
	fs.SetOutput(stderr)
	var bad []string
	fs.VisitAll(func(f *flag.Flag) {
		name := "PEERCIRCLE_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v, ok := os.LookupEnv(name); ok {
			if err := f.Value.Set(v); err != nil {
				bad = append(bad, fmt.Sprintf("%s=%q: %v", name, v, err))
			}
		}
	})
	if len(bad) > 0 {
		return fmt.Errorf("bad environment: %s", strings.Join(bad, "; "))
	}
	return fs.Parse(args)
}

// logger builds the process logger. Logs never carry passwords, tokens or
// confidential text: handlers log route patterns, not paths, and ids, not
// names.
func (c *Config) logger(w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return nil, fmt.Errorf("--log-level: %w", err)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch c.LogFormat {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("--log-format must be text or json, not %q", c.LogFormat)
}

// openDB opens the configured database. It does not migrate.
func (c *Config) openDB() (*sqlstore.DB, error) {
	if c.Database == "" {
		return sqlite.Open(filepath.Join(c.DataDir, "peercircle.db"))
	}
	if strings.HasPrefix(c.Database, "postgres://") || strings.HasPrefix(c.Database, "postgresql://") {
		return postgres.Open(c.Database)
	}
	if strings.HasPrefix(c.Database, "sqlite:") {
		return sqlite.Open(strings.TrimPrefix(c.Database, "sqlite:"))
	}
	return nil, errors.New("--database must be empty (SQLite in --data-dir), sqlite:PATH or postgres://...")
}

// openStore is what a command that reads or writes PeerCircle's records
// needs: the key for confidential text, the database brought up to date, and
// the store over both. close releases the database.
func (c *Config) openStore(ctx context.Context) (s *sqlstore.Store, close func(), err error) {
	keys, err := c.keys()
	if err != nil {
		return nil, nil, err
	}
	db, err := c.openDB()
	if err != nil {
		return nil, nil, err
	}
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, nil, err
	}
	return sqlstore.New(db, keys), func() { db.Close() }, nil
}

// keys loads the key for confidential text: from --key, else the key file
// (created with a fresh key on first start). Keep the file out of backups
// of the database: with both, anyone could read the notes.
func (c *Config) keys() (*seal.Keyring, error) {
	var k *seal.Key
	var err error
	if c.Key != "" {
		k, err = seal.ParseKey(c.Key)
	} else {
		path := c.KeyFile
		if path == "" {
			if err := os.MkdirAll(c.DataDir, 0o750); err != nil {
				return nil, err
			}
			path = filepath.Join(c.DataDir, "secret.key")
		}
		k, err = seal.LoadOrCreateKeyFile(path)
	}
	if err != nil {
		return nil, fmt.Errorf("key for confidential text: %w", err)
	}
	return seal.NewKeyring(k)
}
