package sla

import (
	"sync"
	"testing"
	"time"
)

func TestBusinessHoursHoliday(t *testing.T) {
	b := newYorkDesk(t)
	tests := []struct {
		date time.Time
		want string // "" means a normal day
	}{
		{nyNoon(2026, 1, 1), "New Year's Day"},
		{nyNoon(2026, 1, 19), "Martin Luther King Jr. Day"},
		{nyNoon(2026, 2, 16), "Washington's Birthday"},
		{nyNoon(2026, 5, 25), "Memorial Day"},
		{nyNoon(2026, 6, 19), "Juneteenth"},
		{nyNoon(2026, 7, 3), "Independence Day"}, // 4 July 2026 is a Saturday
		{nyNoon(2026, 7, 4), ""},
		{nyNoon(2026, 9, 7), "Labor Day"},
		{nyNoon(2026, 10, 12), "Columbus Day"},
		{nyNoon(2026, 11, 11), "Veterans Day"},
		{nyNoon(2026, 11, 26), "Thanksgiving Day"},
		{nyNoon(2026, 11, 27), ""}, // the day after is not federal
		{nyNoon(2026, 12, 25), "Christmas Day"},
		{nyNoon(2027, 1, 18), "Martin Luther King Jr. Day"},
		{nyNoon(2027, 6, 18), "Juneteenth"},      // 19 June 2027 is a Saturday
		{nyNoon(2027, 7, 5), "Independence Day"}, // 4 July 2027 is a Sunday
		{nyNoon(2027, 12, 24), "Christmas Day"},  // 25 December 2027 is a Saturday
		{nyNoon(2027, 12, 25), ""},
		{nyNoon(2027, 12, 31), "New Year's Day"}, // for Saturday 2028-01-01, per OPM
		{nyNoon(2028, 1, 1), ""},
		{nyNoon(2028, 1, 3), ""},
		{nyNoon(2029, 1, 20), ""}, // Inauguration Day is not counted
	}
	for _, tt := range tests {
		t.Run(tt.date.Format("2006-01-02"), func(t *testing.T) {
			ok, name := b.Holiday(tt.date)
			if ok != (tt.want != "") || name != tt.want {
				t.Errorf("Holiday = %v, %q; want %q", ok, name, tt.want)
			}
		})
	}
}

// The date is read in the desk's zone, not the caller's.
func TestBusinessHoursHolidayUsesDeskZone(t *testing.T) {
	b := newYorkDesk(t)
	lateOnThe2nd := time.Date(2026, 7, 3, 3, 0, 0, 0, time.UTC) // 23:00 EDT on 2 July
	if ok, name := b.Holiday(lateOnThe2nd); ok {
		t.Errorf("Holiday(%v) = %q, want none", lateOnThe2nd, name)
	}
	if ok, _ := b.Holiday(lateOnThe2nd.Add(time.Hour)); !ok {
		t.Errorf("Holiday(%v) = none, want Independence Day", lateOnThe2nd.Add(time.Hour))
	}
}

// Every observed holiday must land on a weekday, and each federal holiday is
// observed once per holiday year (New Year's may be observed in December).
func TestFederalHolidaysObservedOnWeekdays(t *testing.T) {
	b := newYorkDesk(t)
	seen := map[string]int{}
	for d := nyNoon(2022, 1, 1); d.Year() < 2036; d = d.AddDate(0, 0, 1) {
		ok, name := b.Holiday(d)
		if !ok {
			continue
		}
		if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
			t.Errorf("%s observed on %v %s", name, wd, d.Format("2006-01-02"))
		}
		seen[name]++
	}
	// 14 years, each holiday once a year. New Year's 2022 was observed on
	// 2021-12-31, outside the range, so it shows up 13 times.
	for _, name := range []string{
		"Martin Luther King Jr. Day", "Washington's Birthday", "Memorial Day",
		"Juneteenth", "Independence Day", "Labor Day", "Columbus Day",
		"Veterans Day", "Thanksgiving Day", "Christmas Day",
	} {
		if seen[name] != 14 {
			t.Errorf("%s observed %d times in 2022-2035, want 14", name, seen[name])
		}
	}
	if seen["New Year's Day"] != 13 {
		t.Errorf("New Year's Day observed %d times in 2022-2035, want 13", seen["New Year's Day"])
	}
}

func nyNoon(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 12, 0, 0, 0, calendarTestZone("America/New_York"))
}

func calendarTestZone(zone string) *time.Location {
	loc, err := time.LoadLocation(zone)
	if err != nil {
		panic(err)
	}
	return loc
}

// Workflows in one worker share federalHolidays; under -race this shows the
// library is only read (its cache, a plain map, must stay off). Each
// goroutine walks different years so that a cache would be written.
func TestFederalHolidaysSharedAcrossWorkflows(t *testing.T) {
	b := newYorkDesk(t)
	starts := make([]time.Time, 8)
	for i := range starts {
		starts[i] = nyWall(t, 2030+i, 11, 20, 16, 0)
	}
	got := make([]time.Time, len(starts))
	var wg sync.WaitGroup
	for i, s := range starts {
		wg.Go(func() { got[i] = b.Add(s, 48*time.Hour) })
	}
	wg.Wait()
	for i, s := range starts {
		if want := b.Add(s, 48*time.Hour); !got[i].Equal(want) {
			t.Errorf("concurrent Add from %v = %v, want %v", s, got[i], want)
		}
	}
}
