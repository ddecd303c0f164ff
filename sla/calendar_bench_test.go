package sla

import (
	"testing"
	"time"
)

var benchSink time.Time

// An SLA of 30 business days (270 h on a 9-hour day), as an escalation
// target would use; the loop is per calendar day, about 42 of them.
func BenchmarkBusinessHoursAdd30Days(b *testing.B) {
	desk := newYorkDesk(b)
	start := nyWall(b, 2026, 11, 20, 16, 0)
	for b.Loop() {
		benchSink = desk.Add(start, 30*9*time.Hour)
	}
}

func BenchmarkBusinessHoursAddYear(b *testing.B) {
	desk := newYorkDesk(b)
	start := nyWall(b, 2027, 1, 1, 0, 0)
	for b.Loop() {
		benchSink = desk.Add(start, 249*9*time.Hour)
	}
}

func BenchmarkBusinessHoursBetween30Days(b *testing.B) {
	desk := newYorkDesk(b)
	start := nyWall(b, 2026, 11, 20, 16, 0)
	end := desk.Add(start, 30*9*time.Hour)
	var d time.Duration
	for b.Loop() {
		d = desk.Between(start, end)
	}
	if d != 30*9*time.Hour {
		b.Fatal(d)
	}
}
