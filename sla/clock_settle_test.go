package sla

import (
	"testing"
	"time"
)

var thresholds = []float64{0.5, 0.75, 1}

func crossingsAre(t *testing.T, got []Crossing, want ...Crossing) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("crossings %v, want %v", got, want)
	}
	for i := range want {
		if got[i].Threshold != want[i].Threshold || !got[i].At.Equal(want[i].At) {
			t.Fatalf("crossing %d is %v at %v, want %v at %v", i, got[i].Threshold, got[i].At, want[i].Threshold, want[i].At)
		}
	}
}

func utc(day, hour, minute int) time.Time {
	return time.Date(2026, 12, day, hour, minute, 0, 0, time.UTC)
}

// A clock stopped long after its deadline, with no timer handled in between, keeps every
// threshold it crossed, dated when it crossed them.
func TestSettleBeforeStopKeepsEveryCrossing(t *testing.T) {
	cal := CalendarTime{}
	c := NewClock("resolution", cal, 10*time.Hour)
	c.Start(utc(1, 9, 0))
	crossingsAre(t, c.Settle(cal, thresholds, utc(1, 21, 0)),
		Crossing{0.5, utc(1, 14, 0)}, Crossing{0.75, utc(1, 16, 30)}, Crossing{1, utc(1, 19, 0)})
	c.Stop(cal, utc(1, 21, 0))
	if !c.BreachedAt.Equal(utc(1, 19, 0)) {
		t.Fatalf("breached at %v, want 19:00, the instant of the deadline", c.BreachedAt)
	}
	if s := c.Status(cal, utc(2, 0, 0)); s != "missed" {
		t.Fatalf("status %q, want missed", s)
	}
	// Stopped: nothing more to record, and the three stay unreported until reported.
	if got := c.Settle(cal, thresholds, utc(3, 0, 0)); len(got) != 0 {
		t.Fatalf("a stopped clock recorded %v", got)
	}
	if got := c.Unreported(); len(got) != 3 {
		t.Fatalf("%d unreported, want 3", len(got))
	}
	c.MarkReported(0.5)
	crossingsAre(t, c.Unreported(), Crossing{0.75, utc(1, 16, 30)}, Crossing{1, utc(1, 19, 0)})
}

// Settling twice records each threshold once.
func TestSettleRecordsEachThresholdOnce(t *testing.T) {
	cal := CalendarTime{}
	c := NewClock("es", cal, 4*time.Hour)
	c.Start(utc(1, 8, 0))
	crossingsAre(t, c.Settle(cal, thresholds, utc(1, 10, 30)), Crossing{0.5, utc(1, 10, 0)})
	crossingsAre(t, c.Settle(cal, thresholds, utc(1, 10, 30)))
	crossingsAre(t, c.Settle(cal, thresholds, utc(1, 13, 0)), Crossing{0.75, utc(1, 11, 0)}, Crossing{1, utc(1, 12, 0)})
	if len(c.Crossed) != 3 {
		t.Fatalf("crossed %v", c.Crossed)
	}
}

// A pause counts nothing: thresholds after it are dated on the resumed clock.
func TestSettleAcrossAPause(t *testing.T) {
	cal := CalendarTime{}
	c := NewClock("resolution", cal, 10*time.Hour)
	c.Start(utc(1, 0, 0))
	crossingsAre(t, c.Settle(cal, thresholds, utc(1, 6, 0)), Crossing{0.5, utc(1, 5, 0)})
	c.Pause(cal, utc(1, 6, 0))
	crossingsAre(t, c.Settle(cal, thresholds, utc(2, 3, 0)))
	c.Resume(utc(2, 6, 0)) // 6 h counted; 7.5 h at 07:30, 10 h at 10:00
	crossingsAre(t, c.Settle(cal, thresholds, utc(2, 10, 0)), Crossing{0.75, utc(2, 7, 30)}, Crossing{1, utc(2, 10, 0)})
}

// A shorter target puts thresholds in the past; they were reached when the target
// changed, not before it existed.
func TestSettleAfterShorterTargetDatesAtTheChange(t *testing.T) {
	cal := CalendarTime{}
	c := NewClock("resolution", cal, 30*24*time.Hour)
	c.Start(utc(1, 10, 0))
	crossingsAre(t, c.Settle(cal, thresholds, utc(5, 10, 0))) // 96 h of 720: nothing
	c.Target = 48 * time.Hour
	crossingsAre(t, c.Settle(cal, thresholds, utc(5, 10, 0)),
		Crossing{0.5, utc(5, 10, 0)}, Crossing{0.75, utc(5, 10, 0)}, Crossing{1, utc(5, 10, 0)})
}

// A longer target after the old deadline passed does not undo the breach, if the clock
// was settled before the change.
func TestSettleBeforeLongerTargetKeepsTheBreach(t *testing.T) {
	cal := CalendarTime{}
	c := NewClock("resolution", cal, 48*time.Hour)
	c.Start(utc(1, 10, 0))
	crossingsAre(t, c.Settle(cal, thresholds, utc(4, 10, 0)),
		Crossing{0.5, utc(2, 10, 0)}, Crossing{0.75, utc(2, 22, 0)}, Crossing{1, utc(3, 10, 0)})
	c.Target = 30 * 24 * time.Hour
	if s := c.Status(cal, utc(4, 10, 0)); s != "breached" {
		t.Fatalf("status %q after a longer target, want breached", s)
	}
	if at, _, ok := c.Next(cal, thresholds); ok {
		t.Fatalf("next threshold %v, want none: all three were crossed", at)
	}
}

// Business hours: escalated 15:00 on the Friday before Martin Luther King Jr. Day 2027,
// acknowledged the Wednesday after the deadline. Counted by hand: Fri 15-17 (2 h), Mon 18
// a holiday, Tue 19 and Wed 20 (9 h each: 20 h), Thu 21 08:00+4 h = 12:00 (24 h), Thu
// rest 5 h (29 h), Fri 22 08:00+7 h = 15:00 (36 h), Fri rest 2 h (38 h), Mon 25 9 h (47 h),
// Tue 26 08:00+1 h = 09:00 (48 h).
func TestSettleOnBusinessHours(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	cal, err := NewBusinessHours("America/New_York", "08:00", "17:00")
	if err != nil {
		t.Fatal(err)
	}
	c := NewClock("acknowledge", cal, 48*time.Hour)
	c.Start(time.Date(2027, 1, 15, 15, 0, 0, 0, ny))
	late := time.Date(2027, 1, 27, 10, 0, 0, 0, ny)
	crossingsAre(t, c.Settle(cal, thresholds, late),
		Crossing{0.5, time.Date(2027, 1, 21, 12, 0, 0, 0, ny)},
		Crossing{0.75, time.Date(2027, 1, 22, 15, 0, 0, 0, ny)},
		Crossing{1, time.Date(2027, 1, 26, 9, 0, 0, 0, ny)})
	c.Stop(cal, late)
	if got, want := c.Elapsed(cal, late), 58*time.Hour; got != want {
		t.Fatalf("elapsed %v, want %v (48 h to Tue 09:00, Tue 09-17 and Wed 08-10 10 h more)", got, want)
	}
}

// A clock continued from a history written before crossings were recorded holds only
// Fired: those thresholds are not recorded (or reported) again.
func TestSettleKeepsOldFiredThresholds(t *testing.T) {
	cal := CalendarTime{}
	c := NewClock("resolution", cal, 10*time.Hour)
	c.Start(utc(1, 0, 0))
	c.Fired = []float64{0.5}
	crossingsAre(t, c.Settle(cal, thresholds, utc(1, 8, 0)), Crossing{0.75, utc(1, 7, 30)})
	crossingsAre(t, c.Unreported(), Crossing{0.75, utc(1, 7, 30)})
}
