package sla

import (
	"errors"
	"fmt"
	"time"

	"github.com/hcaops/hcaops/internal/zones"
)

// BusinessHours counts only working hours in Location on weekdays that are
// not US federal holidays (observed dates).
//
// Build it with NewBusinessHours. A literal must keep
// 0 <= DayStart < DayEnd <= 24h; a nil Location means UTC.
//
// The value is read-only after construction, so one instance can be shared
// by any number of workflows.
type BusinessHours struct {
	Location *time.Location
	// DayStart and DayEnd are wall-clock offsets from midnight in Location,
	// e.g. 8h and 17h. They are applied through time.Date, so a desk opens
	// at 08:00 local time on both sides of a DST change.
	DayStart, DayEnd time.Duration

	// Set by WithHolidays: more days off, and whether federal holidays are worked.
	closed    map[civilDate]bool
	noFederal bool
}

// WithHolidays returns a copy of the calendar with more days off (dates YYYY-MM-DD, in
// Location) and, when federal is false, with the federal holidays worked like any
// weekday. It names the first date it cannot read.
func (b *BusinessHours) WithHolidays(extra []string, federal bool) (*BusinessHours, error) {
	out := *b
	out.noFederal = !federal
	out.closed = make(map[civilDate]bool, len(extra))
	for _, d := range extra {
		t, err := time.Parse(time.DateOnly, d)
		if err != nil {
			return nil, fmt.Errorf("sla: business hours: holiday %q is not a date (YYYY-MM-DD)", d)
		}
		out.closed[dateOf(t, time.UTC)] = true
	}
	return &out, nil
}

// isWorkday reports whether day is worked: a weekday, not a federal holiday (observed)
// unless federal holidays are worked, and not one of the extra days off.
func (b *BusinessHours) isWorkday(day civilDate) bool {
	if b.closed[day] {
		return false
	}
	if b.noFederal {
		wd := day.noonUTC().Weekday()
		return wd != time.Saturday && wd != time.Sunday
	}
	return isWorkday(day)
}

var _ Calendar = (*BusinessHours)(nil)

// NewBusinessHours builds a calendar; zone e.g. "America/New_York",
// dayStart/dayEnd like "08:00" and "17:00" (24-hour clock; dayEnd may be
// "24:00"). It returns a clear error for an unknown zone or
// malformed/empty/inverted hours.
func NewBusinessHours(zone, dayStart, dayEnd string) (*BusinessHours, error) {
	switch zone {
	case "":
		// time.LoadLocation("") would quietly mean UTC.
		return nil, errors.New("sla: business hours: time zone is empty; want an IANA name such as \"America/New_York\"")
	case "Local":
		// The host's zone may differ between workers, and replay must not.
		return nil, errors.New("sla: business hours: time zone \"Local\" depends on the host; want an IANA name such as \"America/New_York\"")
	}
	loc, err := zones.Load(zone)
	if err != nil {
		return nil, fmt.Errorf("sla: business hours: unknown time zone %q: %w", zone, err)
	}
	start, err := parseTimeOfDay(dayStart, false)
	if err != nil {
		return nil, fmt.Errorf("sla: business hours: day start: %w", err)
	}
	end, err := parseTimeOfDay(dayEnd, true)
	if err != nil {
		return nil, fmt.Errorf("sla: business hours: day end: %w", err)
	}
	if end <= start {
		return nil, fmt.Errorf("sla: business hours: day end %q is not after day start %q", dayEnd, dayStart)
	}
	return &BusinessHours{Location: loc, DayStart: start, DayEnd: end}, nil
}

// Name reports "business".
func (b *BusinessHours) Name() string { return "business" }

// IsWorkingTime reports whether t falls in working hours. The day is
// half-open: the opening instant is working time, the closing one is not.
func (b *BusinessHours) IsWorkingTime(t time.Time) bool {
	b.mustBeValid()
	day := dateOf(t, b.loc())
	if !b.isWorkday(day) {
		return false
	}
	opening, closing := b.window(day)
	return !t.Before(opening) && t.Before(closing)
}

// Add returns the instant at which d of working time has elapsed after start,
// in start's Location. Outside working hours the count begins at the next
// opening. A count that ends exactly at a close returns that close, not the
// next opening, so a deadline reads "17:00 Friday" rather than "08:00
// Monday". A non-positive d returns start unchanged.
//
// The cost is one step per calendar day crossed, not per hour.
func (b *BusinessHours) Add(start time.Time, d time.Duration) time.Time {
	if d <= 0 {
		return start
	}
	b.mustBeValid()
	remaining := d
	// Terminates: every week has weekdays that are not holidays, and their
	// windows have positive length (DayEnd > DayStart is checked above).
	for day := dateOf(start, b.loc()); ; day = day.next() {
		if !b.isWorkday(day) {
			continue
		}
		opening, closing := b.window(day)
		from := latest(opening, start)
		if !from.Before(closing) {
			continue
		}
		avail := closing.Sub(from)
		if remaining <= avail {
			return from.Add(remaining).In(start.Location())
		}
		remaining -= avail
	}
}

// Between returns the working time in [from, to), or 0 if to <= from. It is
// the inverse of Add: Between(s, Add(s, d)) == d for every s and d >= 0.
func (b *BusinessHours) Between(from, to time.Time) time.Duration {
	if !to.After(from) {
		return 0
	}
	b.mustBeValid()
	loc := b.loc()
	last := dateOf(to, loc)
	var total time.Duration
	for day := dateOf(from, loc); !day.after(last); day = day.next() {
		if !b.isWorkday(day) {
			continue
		}
		opening, closing := b.window(day)
		lo, hi := latest(opening, from), earliest(closing, to)
		if hi.After(lo) {
			total += hi.Sub(lo)
		}
	}
	return total
}

// window is the opening and closing instant of day. On a day with a DST
// change inside working hours it is an hour shorter or longer than usual.
func (b *BusinessHours) window(day civilDate) (opening, closing time.Time) {
	loc := b.loc()
	return day.at(b.DayStart, loc), day.at(b.DayEnd, loc)
}

// loc treats a nil Location as UTC, as time.Time does.
func (b *BusinessHours) loc() *time.Location {
	if b.Location == nil {
		return time.UTC
	}
	return b.Location
}

// mustBeValid panics on hours NewBusinessHours would have refused. Add would
// otherwise never find the working time it is looking for, and a panic fails
// the workflow task visibly where an endless loop would hang it.
func (b *BusinessHours) mustBeValid() {
	if b.DayStart < 0 || b.DayEnd > 24*time.Hour || b.DayEnd <= b.DayStart {
		panic(fmt.Sprintf("sla: BusinessHours needs 0 <= DayStart < DayEnd <= 24h, have %v-%v; build it with NewBusinessHours", b.DayStart, b.DayEnd))
	}
}
