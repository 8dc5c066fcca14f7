package peercircle_test

import (
	"testing"
	"time"

	"github.com/peercircle/peercircle"
)

func TestLoadZoneKeepsWhatItLoaded(t *testing.T) {
	a, err := peercircle.LoadZone("Asia/Amman")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := peercircle.LoadZone("Asia/Amman")
	if a != b || a.String() != "Asia/Amman" {
		t.Fatalf("loaded %p %v then %p %v", a, a, b, b)
	}
	if _, err := peercircle.LoadZone("Mars/Olympus_Mons"); err == nil {
		t.Fatal("an unknown zone loaded")
	}
	if _, err := peercircle.LoadZone("Mars/Olympus_Mons"); err == nil {
		t.Fatal("an unknown zone was kept")
	}
	if loc, err := peercircle.LoadZone(""); err != nil || loc != time.UTC {
		t.Fatalf("the empty name gives %v, %v (time.LoadLocation gives UTC)", loc, err)
	}
	if loc := (&peercircle.Site{TimeZone: "nowhere"}).Location(); loc != time.UTC {
		t.Fatalf("an invalid site zone gives %v", loc)
	}
}
