package zones

import (
	"testing"
	"time"
)

func TestLoadGivesOneLocationPerZone(t *testing.T) {
	a, err := Load("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	b, err := Load("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	if a != b {
		t.Error("two loads of America/New_York gave two Locations; want the first one again")
	}
	// The same zone as time.LoadLocation: 2026-07-01 noon UTC is 08:00 EDT.
	if got := time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC).In(a).Format("15:04 MST"); got != "08:00 EDT" {
		t.Errorf("noon UTC on 2026-07-01 in New York = %s, want 08:00 EDT", got)
	}
	c, err := Load("America/Chicago")
	if err != nil {
		t.Fatal(err)
	}
	if c == a {
		t.Error("America/Chicago gave New York's Location")
	}
}

func TestLoadRefusesAnUnknownZone(t *testing.T) {
	if _, err := Load("America/Nowhere"); err == nil {
		t.Error("Load(America/Nowhere) succeeded; want an error")
	}
}

func BenchmarkLoad(b *testing.B) {
	b.Run("time.LoadLocation", func(b *testing.B) {
		for b.Loop() {
			if _, err := time.LoadLocation("America/New_York"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("zones.Load", func(b *testing.B) {
		for b.Loop() {
			if _, err := Load("America/New_York"); err != nil {
				b.Fatal(err)
			}
		}
	})
}
