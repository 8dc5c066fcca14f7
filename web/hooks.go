package web

import (
	"io"
	"net/http"
	"strings"

	"github.com/peercircle/peercircle"
)

// ReceiptReader reads a provider's signed delivery receipts from a
// callback's body (sms, whatsapp and webhook adapters implement it).
type ReceiptReader interface {
	Receipts(r *http.Request, body []byte) ([]peercircle.DeliveryReceipt, error)
}

// HookVerifier answers a provider's GET verification of its callback
// address (WhatsApp's hub.challenge).
type HookVerifier interface {
	Verify(r *http.Request) (challenge string, ok bool)
}

// hookPath reports whether a path is a provider's callback.
func hookPath(path string) bool { return strings.HasPrefix(path, "/hooks/") }

// maxHookBytes bounds a callback's body.
const maxHookBytes = 64 << 10

// hookRoutes: where SMS and WhatsApp providers post delivery receipts.
func (s *Server) hookRoutes() {
	s.handlePublic("POST /hooks/{channel}", http.HandlerFunc(s.hookReceipts))
	s.handlePublic("GET /hooks/{channel}", http.HandlerFunc(s.hookVerify))
}

// hookReceipts records the statuses a provider reports. Nothing is
// believed without the provider's signature; a receipt for a message we do
// not know is acknowledged and dropped, so the provider stops retrying.
func (s *Server) hookReceipts(w http.ResponseWriter, r *http.Request) {
	channel := r.PathValue("channel")
	rr, ok := s.Receipts[channel]
	if !ok {
		http.NotFound(w, r)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxHookBytes))
	if err != nil {
		http.Error(w, "too large", http.StatusRequestEntityTooLarge)
		return
	}
	receipts, err := rr.Receipts(r, body)
	if err != nil {
		s.Log.Warn("receipt refused", "channel", channel, "err", err)
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	}
	for _, rc := range receipts {
		if err := s.Store.MessageReceipt(r.Context(), channel, rc.ProviderID, rc.Status); err != nil && peercircle.ErrorCode(err) != peercircle.ENOTFOUND {
			s.Log.Error("receipt", "channel", channel, "err", err)
			http.Error(w, "try again", http.StatusServiceUnavailable)
			return
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

// hookVerify answers a provider's verification of the callback address.
func (s *Server) hookVerify(w http.ResponseWriter, r *http.Request) {
	v, ok := s.Receipts[r.PathValue("channel")].(HookVerifier)
	if !ok {
		http.NotFound(w, r)
		return
	}
	challenge, ok := v.Verify(r)
	if !ok {
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	io.WriteString(w, challenge)
}
