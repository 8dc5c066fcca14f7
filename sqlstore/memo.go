package sqlstore

import (
	"context"
	"sync"

	"github.com/peercircle/peercircle"
)

// A page often asks the store for the same small rows several times: Sheet 3
// read its site six times, the organisation's first month of the year four
// times and the report settings twice, one statement each, because each
// store method it calls starts from them. A request that only reads (GET
// and HEAD; the web layer decides) carries a memo: those rows, which change a
// few times a year through an administrator's form, are read once per
// request. Everything else is read as before, and a request without a memo
// (a form sent, a job, a test) reads them every time.

type memoKey struct{}

// memo holds what one request read. A page's store calls may run on more
// than one goroutine, hence the lock.
type memo struct {
	mu       sync.Mutex
	sites    map[int64]peercircle.Site
	start    *int
	settings *reportSettings
}

type reportSettings struct{ k, due, nudge int }

// WithMemo returns a context whose reads of sites, the organisation's
// quarters and the report settings are kept for as long as the context
// lives. Only a request that changes none of them may carry one.
func WithMemo(ctx context.Context) context.Context {
	return context.WithValue(ctx, memoKey{}, &memo{sites: map[int64]peercircle.Site{}})
}

func memoOf(ctx context.Context) *memo {
	m, _ := ctx.Value(memoKey{}).(*memo)
	return m
}

// site returns a copy of a site read earlier in the request.
func (m *memo) site(id int64) (*peercircle.Site, bool) {
	if m == nil {
		return nil, false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	st, ok := m.sites[id]
	return &st, ok
}

func (m *memo) keepSite(st *peercircle.Site) {
	if m == nil {
		return
	}
	m.mu.Lock()
	m.sites[st.ID] = *st
	m.mu.Unlock()
}

func (m *memo) startMonth() (int, bool) {
	if m == nil {
		return 0, false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.start == nil {
		return 0, false
	}
	return *m.start, true
}

func (m *memo) keepStartMonth(n int) {
	if m == nil {
		return
	}
	m.mu.Lock()
	m.start = &n
	m.mu.Unlock()
}

func (m *memo) reportSettings() (reportSettings, bool) {
	if m == nil {
		return reportSettings{}, false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.settings == nil {
		return reportSettings{}, false
	}
	return *m.settings, true
}

func (m *memo) keepReportSettings(r reportSettings) {
	if m == nil {
		return
	}
	m.mu.Lock()
	m.settings = &r
	m.mu.Unlock()
}
