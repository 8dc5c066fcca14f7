package peercircle

import (
	"errors"
	"fmt"
)

// Error codes. Every error a service returns to a caller outside the domain
// carries one of these, so the web layer maps it to a status and a message
// once (see web/error.go) instead of guessing from error strings.
const (
	EINVALID      = "invalid"      // the input breaks a rule; nothing was changed
	ENOTFOUND     = "not_found"    // no such record, or not visible to the caller
	EFORBIDDEN    = "forbidden"    // the caller may not do this here
	ECONFLICT     = "conflict"     // the record changed or already exists
	EUNAUTHORIZED = "unauthorized" // the caller must sign in
	ETOOMANY      = "too_many"     // throttled; try again later
	EINTERNAL     = "internal"     // a fault on our side
)

// Error is a domain error. Key names a message in the i18n catalogue so the
// person sees it in their language; Args fill the message's placeholders.
// Fields holds per-field message keys for forms. Message is an English
// rendering for logs and the command line; it never holds confidential text.
type Error struct {
	Code    string
	Key     string
	Args    []any
	Fields  map[string]string
	Message string
}

func (e *Error) Error() string {
	if e.Message != "" {
		return e.Message
	}
	return e.Code + ": " + e.Key
}

// Errorf returns an *Error with the given code and message key. The English
// message is built from format and args for logs and the CLI.
func Errorf(code, key string, format string, args ...any) *Error {
	return &Error{Code: code, Key: key, Message: fmt.Sprintf(format, args...)}
}

// FieldErrors collects per-field validation failures; Err returns nil when
// there are none, so Validate methods end with `return v.Err()`.
type FieldErrors map[string]string

// Add records the message key for field, keeping the first failure per field.
func (f FieldErrors) Add(field, key string) {
	if _, ok := f[field]; !ok {
		f[field] = key
	}
}

// Err turns the collected failures into an EINVALID *Error, or nil.
func (f FieldErrors) Err() error {
	if len(f) == 0 {
		return nil
	}
	msg := "invalid:"
	for k, v := range f {
		msg += " " + k + "=" + v
	}
	return &Error{Code: EINVALID, Key: "error.form", Fields: f, Message: msg}
}

// ErrorCode returns the code of a domain error, or EINTERNAL for any other
// non-nil error, or "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorKey returns the message key of a domain error, or "error.internal.body"
// for anything else, so an unexpected fault never shows its text to people.
func ErrorKey(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Key != "" {
		return e.Key
	}
	return "error.internal.body"
}

// ErrorFields returns the per-field message keys of a validation error.
func ErrorFields(err error) map[string]string {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}
