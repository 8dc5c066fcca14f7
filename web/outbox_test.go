package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/peercircle/peercircle"
)

// TestAdminSeesFailedMessagesAndSendsThemAgain: the outbox page lists a
// message that gave up with the relay's reason; "Send again" queues it.
func TestAdminSeesFailedMessagesAndSendsThemAgain(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	admin := e.as("admin")
	res := admin.get("/admin/outbox")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	id := e.In["message"]
	row := "message-" + itoa(id)
	if !strings.Contains(res.Body, row) || !strings.Contains(res.Body, "550 mailbox unavailable") || !strings.Contains(res.Body, "Send again") {
		t.Fatalf("the page lacks the failed message and its reason:\n%s", res.Body)
	}
	res = admin.post("/admin/outbox/"+itoa(id)+"/retry", nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("send again: status %d", res.StatusCode)
	}
	m, _, err := e.Store.OutboxMessage(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if m.State != peercircle.OutboxQueued || m.Attempts != 0 {
		t.Errorf("after send again: %s with %d attempts", m.State, m.Attempts)
	}
	if res := admin.get("/admin/outbox"); strings.Contains(res.Body, row) {
		t.Error("a message sent again is still listed as failed")
	}
}

func itoa(n int64) string { return id(n) }
