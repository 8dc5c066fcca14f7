package web

import (
	"net/http"

	"github.com/peercircle/peercircle"
)

// outboxRoutes: the admin's view of messages that did not go out.
func (s *Server) outboxRoutes() {
	s.handle("GET /admin/outbox", s.outboxShow)
	s.handle("POST /admin/outbox/{message}/retry", s.outboxRetry)
}

// outboxRow is one failed message as the admin sees it: what kind, for
// whom, on which channel, how often it was tried and the last reason.
type outboxRow struct {
	Message  *peercircle.OutboxMessage
	Notice   *peercircle.Notification // the text, as the bell says it
	For      string
	Attempts int64
}

type outboxData struct {
	Queued, Sent, Failed, Withdrawn int64
	Rows                            []outboxRow
	// Recent are the last messages that left, with what their provider
	// reported (delivered, read, undelivered…).
	Recent []outboxRow
}

func (s *Server) outboxShow(w http.ResponseWriter, r *http.Request) {
	if !s.allow(w, r, peercircle.ActAdmin, peercircle.Scope{}) {
		return
	}
	ctx := r.Context()
	counts, err := s.Store.OutboxCounts(ctx)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	failed, err := s.Store.OutboxMessages(ctx, peercircle.OutboxFailed, 200)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	d := &outboxData{Queued: int64(counts[peercircle.OutboxQueued] + counts[peercircle.OutboxSending]), Sent: int64(counts[peercircle.OutboxSent]),
		Failed: int64(counts[peercircle.OutboxFailed]), Withdrawn: int64(counts[peercircle.OutboxWithdrawn])}
	names := map[int64]string{}
	for _, m := range failed {
		if _, ok := names[m.PersonID]; !ok {
			if p, err := s.Store.Person(ctx, m.PersonID); err == nil {
				names[m.PersonID] = p.Name()
			}
		}
		d.Rows = append(d.Rows, outboxRow{Message: m, For: names[m.PersonID], Attempts: int64(m.Attempts),
			Notice: &peercircle.Notification{Kind: m.Kind, Params: m.Params}})
	}
	sent, err := s.Store.OutboxMessages(ctx, peercircle.OutboxSent, 50)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	for _, m := range sent {
		if _, ok := names[m.PersonID]; !ok {
			if p, err := s.Store.Person(ctx, m.PersonID); err == nil {
				names[m.PersonID] = p.Name()
			}
		}
		d.Recent = append(d.Recent, outboxRow{Message: m, For: names[m.PersonID], Attempts: int64(m.Attempts),
			Notice: &peercircle.Notification{Kind: m.Kind, Params: m.Params}})
	}
	s.render(w, r, "outbox", s.page(r, "outbox.title", d))
}

func (s *Server) outboxRetry(w http.ResponseWriter, r *http.Request) {
	id, ok := s.adminTarget(w, r, "message")
	if !ok {
		return
	}
	if err := s.Store.RetryMessage(r.Context(), id, principal(r).PersonID); err != nil {
		s.renderErr(w, r, err)
		return
	}
	s.redirect(w, r, "/admin/outbox", "flash.outbox_retry")
}
