package web_test

import (
	"net/url"
	"strings"
	"testing"
)

// Issue 11, item 10: complaint handlers see the complaints waiting for
// them on their home page and in the navigation, not only behind "Need
// more support?"; members do not.
func TestComplaintHandlersSeeWaitingComplaintsOnTheirHome(t *testing.T) {
	e := newEnv(t)
	coord := e.as("coordinator")
	home := seen(coord.get("/").Body)
	if !strings.Contains(home, "No complaint is waiting for you.") {
		t.Fatalf("the coordinator's home says nothing about complaints:\n%s", excerpt(home))
	}
	fileComplaint(t, e.as("member"), url.Values{"about": {"s:" + id(e.In["site"])}, "about_organiser": {"1"}, "text": {"The organiser shouts at us."}})
	body := coord.get("/").Body
	if !strings.Contains(seen(body), "1 complaint is waiting for your answer.") || !strings.Contains(body, `<a href="/complaints">Open the complaints</a>`) {
		t.Fatalf("the coordinator's home does not show the waiting complaint:\n%s", excerpt(seen(body)))
	}
	if !strings.Contains(body, `href="/complaints"`) || !strings.Contains(body, ">Complaints</a>") {
		t.Fatal("no Complaints in the coordinator's navigation")
	}
	if org := e.as("organiser").get("/").Body; !strings.Contains(org, `id="complaints-waiting"`) || !strings.Contains(org, ">Complaints</a>") {
		t.Fatalf("the organiser's home or navigation has no complaints: %s", excerpt(org))
	}
	if m := e.as("member").get("/").Body; strings.Contains(m, "complaints-waiting") || strings.Contains(m, ">Complaints</a>") {
		t.Fatal("a member is shown complaints to handle")
	}
}
