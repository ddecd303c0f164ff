package workflows

import (
	"testing"
	"time"
)

func TestWeekBeforeIsTheLastWholeISOWeek(t *testing.T) {
	for _, c := range []struct {
		at       time.Time
		from, to string
	}{
		{time.Date(2026, 12, 7, 7, 0, 0, 0, eastern), "2026-11-30", "2026-12-06"},    // Monday 07:00, the schedule's run
		{time.Date(2026, 12, 13, 23, 59, 0, 0, eastern), "2026-11-30", "2026-12-06"}, // the Sunday after
		{time.Date(2027, 1, 4, 4, 0, 0, 0, time.UTC), "2026-12-21", "2026-12-27"},    // Sunday 23:00 in New York
	} {
		if from, to := WeekBefore(c.at, eastern); from != c.from || to != c.to {
			t.Errorf("WeekBefore(%v) = %s..%s, want %s..%s", c.at, from, to, c.from, c.to)
		}
	}
}
