package sla

import (
	"testing"
	"time"
)

// The desk used throughout: New York, 08:00-17:00, so 9 working hours a day.
func newYorkDesk(t testing.TB) *BusinessHours {
	t.Helper()
	b, err := NewBusinessHours("America/New_York", "08:00", "17:00")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// nyWall is a wall-clock instant in New York; time.Date picks EST or EDT.
func nyWall(t testing.TB, y int, m time.Month, d, hh, mm int) time.Time {
	t.Helper()
	return time.Date(y, m, d, hh, mm, 0, 0, newYorkDesk(t).Location)
}

func TestCalendarTime(t *testing.T) {
	var c CalendarTime
	s := time.Date(2026, time.November, 20, 16, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		d    time.Duration
		want time.Time
	}{
		{"zero", 0, s},
		{"ninety minutes", 90 * time.Minute, s.Add(90 * time.Minute)},
		{"over a weekend", 72 * time.Hour, s.Add(72 * time.Hour)},
		{"negative never runs backwards", -time.Hour, s},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.Add(s, tt.d); !got.Equal(tt.want) {
				t.Errorf("Add(%v) = %v, want %v", tt.d, got, tt.want)
			}
			if tt.d > 0 {
				if got := c.Between(s, s.Add(tt.d)); got != tt.d {
					t.Errorf("Between = %v, want %v", got, tt.d)
				}
			}
		})
	}
	if got := c.Between(s, s.Add(-time.Hour)); got != 0 {
		t.Errorf("Between backwards = %v, want 0", got)
	}
	if c.Name() != "calendar" {
		t.Errorf("Name = %q", c.Name())
	}
}

func TestBusinessHoursAdd(t *testing.T) {
	b := newYorkDesk(t)
	at := func(y int, m time.Month, d, hh, mm int) time.Time { return nyWall(t, y, m, d, hh, mm) }
	tests := []struct {
		name  string
		start time.Time
		d     time.Duration
		want  time.Time
	}{
		// Fri 1h, Mon-Wed 27h, Thanksgiving Thu skipped, Fri 9h, Mon 9h, Tue 2h.
		{"48h from Friday 16:00 across Thanksgiving", at(2026, 11, 20, 16, 0), 48 * time.Hour, at(2026, 12, 1, 10, 0)},
		{"Friday before MLK Day skips the Monday", at(2027, 1, 15, 15, 0), 4 * time.Hour, at(2027, 1, 19, 10, 0)},
		{"Friday before MLK Day ends at Friday close", at(2027, 1, 15, 15, 0), 2 * time.Hour, at(2027, 1, 15, 17, 0)},
		{"03:00 on a weekday starts counting at 08:00", at(2026, 11, 10, 3, 0), time.Hour, at(2026, 11, 10, 9, 0)},
		{"03:00 on a weekday, a full day ends at 17:00", at(2026, 11, 10, 3, 0), 9 * time.Hour, at(2026, 11, 10, 17, 0)},
		{"Saturday starts Monday 08:00", at(2026, 11, 14, 10, 0), time.Hour, at(2026, 11, 16, 9, 0)},
		{"zero stays put, even on a Sunday", at(2026, 11, 15, 10, 0), 0, at(2026, 11, 15, 10, 0)},
		{"ends exactly at 17:00, not next morning", at(2026, 11, 16, 12, 0), 5 * time.Hour, at(2026, 11, 16, 17, 0)},
		{"opened at 17:00 counts from next opening", at(2026, 11, 16, 17, 0), time.Hour, at(2026, 11, 17, 9, 0)},
		{"one nanosecond more than a day rolls over", at(2026, 11, 16, 8, 0), 9*time.Hour + 1, at(2026, 11, 17, 8, 0).Add(1)},
		{"last nanosecond of the day", at(2026, 11, 16, 17, 0).Add(-1), 1, at(2026, 11, 16, 17, 0)},
		{"Friday 17:00 to Monday 08:00 is closed", at(2026, 11, 13, 17, 0), 1, at(2026, 11, 16, 8, 0).Add(1)},
		// DST begins Sunday 2027-03-14: Monday 09:00 is EDT (13:00 UTC), not 10:00.
		{"spring forward: Friday 16:00 + 2h", at(2027, 3, 12, 16, 0), 2 * time.Hour, at(2027, 3, 15, 9, 0)},
		{"spring forward: Friday opening + 2 days", at(2027, 3, 12, 8, 0), 18 * time.Hour, at(2027, 3, 15, 17, 0)},
		{"spring forward: opened in the small hours of Sunday", at(2027, 3, 14, 1, 30), time.Hour, at(2027, 3, 15, 9, 0)},
		{"spring forward: whole week", at(2027, 3, 15, 8, 0), 45 * time.Hour, at(2027, 3, 19, 17, 0)},
		// DST ends Sunday 2026-11-01: Monday 09:00 is EST (14:00 UTC), not 08:00.
		{"fall back: Friday 16:00 + 2h", at(2026, 10, 30, 16, 0), 2 * time.Hour, at(2026, 11, 2, 9, 0)},
		{"fall back: Thursday noon + 20h", at(2026, 10, 29, 12, 0), 20 * time.Hour, at(2026, 11, 2, 14, 0)},
		{"fall back: opened in the repeated hour", at(2026, 11, 1, 1, 30), time.Hour, at(2026, 11, 2, 9, 0)},
		{"fall back: whole week", at(2026, 11, 2, 8, 0), 45 * time.Hour, at(2026, 11, 6, 17, 0)},
		{"Veterans Day week", at(2026, 11, 9, 8, 0), 36 * time.Hour, at(2026, 11, 13, 17, 0)},
		// Christmas 2027 and New Year 2028 fall on Saturdays: both are observed on the Friday before.
		{"Christmas 2027 observed Friday 24th", at(2027, 12, 23, 16, 0), 2 * time.Hour, at(2027, 12, 27, 9, 0)},
		{"New Year 2028 observed Friday 2027-12-31", at(2027, 12, 30, 16, 0), 2 * time.Hour, at(2028, 1, 3, 9, 0)},
		{"Independence Day 2026 observed Friday 3rd", at(2026, 7, 2, 16, 0), 2 * time.Hour, at(2026, 7, 6, 9, 0)},
		// 2027 has 261 weekdays and 12 observed holidays on them (two New Years).
		{"all of 2027", at(2027, 1, 1, 0, 0), 249 * 9 * time.Hour, at(2027, 12, 30, 17, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := b.Add(tt.start, tt.d)
			if !got.Equal(tt.want) {
				t.Fatalf("Add(%v, %v) = %v, want %v", tt.start, tt.d, got, tt.want)
			}
			if got := b.Between(tt.start, got); got != tt.d {
				t.Errorf("Between(start, Add) = %v, want %v", got, tt.d)
			}
		})
	}
}

func TestBusinessHoursAddKeepsStartLocation(t *testing.T) {
	b := newYorkDesk(t)
	start := nyWall(t, 2026, 11, 20, 16, 0).UTC()
	got := b.Add(start, 48*time.Hour)
	if got.Location() != time.UTC {
		t.Errorf("location = %v, want UTC", got.Location())
	}
	if want := nyWall(t, 2026, 12, 1, 10, 0); !got.Equal(want) {
		t.Errorf("Add = %v, want %v", got, want)
	}
}

func TestBusinessHoursBetween(t *testing.T) {
	b := newYorkDesk(t)
	at := func(y int, m time.Month, d, hh, mm int) time.Time { return nyWall(t, y, m, d, hh, mm) }
	tests := []struct {
		name     string
		from, to time.Time
		want     time.Duration
	}{
		{"backwards", at(2026, 11, 17, 12, 0), at(2026, 11, 17, 10, 0), 0},
		{"empty", at(2026, 11, 17, 12, 0), at(2026, 11, 17, 12, 0), 0},
		{"within a morning", at(2026, 11, 17, 10, 30), at(2026, 11, 17, 12, 0), 90 * time.Minute},
		{"weekend", at(2026, 11, 14, 0, 0), at(2026, 11, 16, 0, 0), 0},
		{"overnight", at(2026, 11, 17, 16, 0), at(2026, 11, 18, 9, 0), 2 * time.Hour},
		{"Thanksgiving week", at(2026, 11, 23, 8, 0), at(2026, 11, 27, 17, 0), 36 * time.Hour},
		{"Thanksgiving Day itself", at(2026, 11, 26, 0, 0), at(2026, 11, 27, 0, 0), 0},
		{"fall-back weekend is closed", at(2026, 10, 30, 17, 0), at(2026, 11, 2, 8, 0), 0},
		{"spring-forward Friday to Monday", at(2027, 3, 12, 0, 0), at(2027, 3, 16, 0, 0), 18 * time.Hour},
		{"2027", at(2027, 1, 1, 0, 0), at(2028, 1, 1, 0, 0), 249 * 9 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := b.Between(tt.from, tt.to); got != tt.want {
				t.Errorf("Between(%v, %v) = %v, want %v", tt.from, tt.to, got, tt.want)
			}
		})
	}
	if b.Name() != "business" {
		t.Errorf("Name = %q", b.Name())
	}
}

// US clocks change on Sundays, so New York never shows a DST change inside
// working hours. Tehran changed at midnight on whatever weekday 22 March and
// 22 September were, which shows that a day is measured on the wall clock.
func TestBusinessHoursDSTOnAWorkday(t *testing.T) {
	allDay, err := NewBusinessHours("Asia/Tehran", "00:00", "24:00")
	if err != nil {
		t.Fatal(err)
	}
	small, err := NewBusinessHours("Asia/Tehran", "00:00", "02:00")
	if err != nil {
		t.Fatal(err)
	}
	teh := allDay.Location
	day := func(m time.Month, d int) time.Time { return time.Date(2021, m, d, 0, 0, 0, 0, teh) }

	if got := allDay.Between(day(3, 22), day(3, 23)); got != 23*time.Hour {
		t.Errorf("Monday 2021-03-22 (spring forward) = %v, want 23h", got)
	}
	if got := allDay.Between(day(9, 21), day(9, 22)); got != 25*time.Hour {
		t.Errorf("Tuesday 2021-09-21 (fall back) = %v, want 25h", got)
	}
	if got, want := allDay.Add(day(9, 21), 24*time.Hour+30*time.Minute), day(9, 21).Add(24*time.Hour+30*time.Minute); !got.Equal(want) {
		t.Errorf("Add into the repeated hour = %v, want %v", got, want)
	}
	// 00:00 does not exist on 2021-03-22, so that day's window is 01:00-02:00.
	start := time.Date(2021, 3, 21, 23, 0, 0, 0, teh)
	if got, want := small.Add(start, 90*time.Minute), time.Date(2021, 3, 23, 0, 30, 0, 0, teh); !got.Equal(want) {
		t.Errorf("Add across the short window = %v, want %v", got, want)
	}
}

func TestBusinessHoursIsWorkingTime(t *testing.T) {
	b := newYorkDesk(t)
	at := func(y int, m time.Month, d, hh, mm int) time.Time { return nyWall(t, y, m, d, hh, mm) }
	tests := []struct {
		name string
		t    time.Time
		want bool
	}{
		{"opening instant", at(2026, 11, 17, 8, 0), true},
		{"just before opening", at(2026, 11, 17, 8, 0).Add(-1), false},
		{"last nanosecond", at(2026, 11, 17, 17, 0).Add(-1), true},
		{"closing instant", at(2026, 11, 17, 17, 0), false},
		{"Saturday noon", at(2026, 11, 14, 12, 0), false},
		{"Thanksgiving noon", at(2026, 11, 26, 12, 0), false},
		{"day after Thanksgiving is a workday", at(2026, 11, 27, 12, 0), true},
		{"observed New Year 2027-12-31", at(2027, 12, 31, 12, 0), false},
		{"noon ET given in UTC", at(2026, 11, 17, 12, 0).UTC(), true},
		{"21:30 UTC is 16:30 EST", time.Date(2026, 11, 17, 21, 30, 0, 0, time.UTC), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := b.IsWorkingTime(tt.t); got != tt.want {
				t.Errorf("IsWorkingTime(%v) = %v, want %v", tt.t, got, tt.want)
			}
		})
	}
}

// A hand-built literal with no hours must fail loudly, not loop for ever.
func TestBusinessHoursZeroValuePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Add on BusinessHours{} did not panic")
		}
	}()
	var b BusinessHours
	b.Add(time.Date(2026, 11, 17, 12, 0, 0, 0, time.UTC), time.Hour)
}
