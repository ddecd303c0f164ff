package sla

import (
	"time"

	// The business calendar resolves its zone once at construction; embedding
	// the zone database means every worker resolves it identically, even on
	// hosts without /usr/share/zoneinfo, which Temporal replay depends on.
	_ "time/tzdata"
)

// Calendar measures durations either in calendar time or in business hours.
//
// Implementations are deterministic (no wall clock, no I/O, no goroutines) so
// that they can be called from Temporal workflow code.
type Calendar interface {
	// Add returns the instant at which d of this calendar's time has elapsed after start.
	Add(start time.Time, d time.Duration) time.Time
	// Between returns how much of this calendar's time lies in [from, to) (0 if to <= from).
	Between(from, to time.Time) time.Duration
	// Name is "calendar" or "business".
	Name() string
}

// CalendarTime counts every hour.
type CalendarTime struct{}

var _ Calendar = CalendarTime{}

// Add returns start+d. A non-positive d returns start unchanged, matching
// BusinessHours: an SLA clock never runs backwards.
func (CalendarTime) Add(start time.Time, d time.Duration) time.Time {
	if d <= 0 {
		return start
	}
	return start.Add(d)
}

// Between returns to-from, or 0 if to is not after from.
func (CalendarTime) Between(from, to time.Time) time.Duration {
	if !to.After(from) {
		return 0
	}
	return to.Sub(from)
}

// Name reports "calendar".
func (CalendarTime) Name() string { return "calendar" }
