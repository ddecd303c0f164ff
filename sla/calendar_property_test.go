package sla

import (
	"testing"
	"time"
)

// Spans that hold the awkward parts of the calendar: both DST changes,
// Veterans Day and Thanksgiving, and the Saturday Christmas and New Year.
var propertySpans = []struct {
	name     string
	from, to [3]int // y, m, d in New York
}{
	{"fall back and Thanksgiving 2026", [3]int{2026, 10, 24}, [3]int{2026, 12, 5}},
	{"spring forward 2027", [3]int{2027, 3, 6}, [3]int{2027, 3, 21}},
	{"year end 2027", [3]int{2027, 12, 18}, [3]int{2028, 1, 8}},
}

var propertyDurations = []time.Duration{
	0, 1, time.Minute, 59*time.Minute + 59*time.Second, time.Hour,
	9*time.Hour - 1, 9 * time.Hour, 9*time.Hour + 1, 17*time.Hour + 30*time.Minute,
	45 * time.Hour, 48 * time.Hour, 100 * time.Hour, 30 * 9 * time.Hour,
}

// Between(s, Add(s, d)) == d for starts inside and outside working hours,
// and the last nanosecond counted is working time.
func TestBusinessHoursAddBetweenInverse(t *testing.T) {
	b := newYorkDesk(t)
	for _, span := range propertySpans {
		t.Run(span.name, func(t *testing.T) {
			from := time.Date(span.from[0], time.Month(span.from[1]), span.from[2], 0, 0, 0, 0, b.Location)
			to := time.Date(span.to[0], time.Month(span.to[1]), span.to[2], 0, 0, 0, 0, b.Location)
			// 97 minutes is coprime with the day, so starts drift across every
			// hour, including 08:00 and 17:00 exactly on some days.
			for s := from; s.Before(to); s = s.Add(97 * time.Minute) {
				prev := s
				for _, d := range propertyDurations {
					got := b.Add(s, d)
					if back := b.Between(s, got); back != d {
						t.Fatalf("Between(%v, Add(%v, %v) = %v) = %v", s, s, d, got, back)
					}
					if got.Before(prev) {
						t.Fatalf("Add(%v, %v) = %v is before the shorter result %v", s, d, got, prev)
					}
					prev = got
					if d > 0 && !b.IsWorkingTime(got.Add(-1)) {
						t.Fatalf("Add(%v, %v) = %v, but the nanosecond before it is not working time", s, d, got)
					}
				}
			}
		})
	}
}

// nyOfficeOpen is an oracle written without window arithmetic: the wall
// clock reads 08:00-16:59 on a weekday that is not on a hand-written list.
func nyOfficeOpen(t time.Time) bool {
	local := t.In(calendarTestZone("America/New_York"))
	switch local.Weekday() {
	case time.Saturday, time.Sunday:
		return false
	}
	switch local.Format("2006-01-02") {
	case "2026-11-11", "2026-11-26", "2026-12-25", "2027-12-24", "2027-12-31":
		return false
	}
	return local.Hour() >= 8 && local.Hour() < 17
}

// Minute by minute, IsWorkingTime and Between agree with the oracle.
func TestBusinessHoursMatchesMinuteByMinute(t *testing.T) {
	b := newYorkDesk(t)
	for _, span := range propertySpans {
		t.Run(span.name, func(t *testing.T) {
			from := time.Date(span.from[0], time.Month(span.from[1]), span.from[2], 0, 0, 0, 0, b.Location)
			to := time.Date(span.to[0], time.Month(span.to[1]), span.to[2], 0, 0, 0, 0, b.Location)
			var counted time.Duration // oracle's working time in [from, m)
			for m := from; m.Before(to); m = m.Add(time.Minute) {
				if m.Minute()%53 == 0 { // a sample is enough for Between
					if got := b.Between(from, m); got != counted {
						t.Fatalf("Between(%v, %v) = %v, oracle %v", from, m, got, counted)
					}
				}
				open := nyOfficeOpen(m)
				if got := b.IsWorkingTime(m); got != open {
					t.Fatalf("IsWorkingTime(%v) = %v, oracle %v", m, got, open)
				}
				if open {
					counted += time.Minute
				}
			}
			if got := b.Between(from, to); got != counted {
				t.Fatalf("Between over the span = %v, oracle %v", got, counted)
			}
		})
	}
}
