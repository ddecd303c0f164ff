package ticket

import (
	"testing"
	"time"

	"github.com/hcaops/hcaops/sla"
)

// These tests apply actions with no timer handled in between, as happens after worker
// downtime or under a backlog: the action arrives after a deadline passed. Every instant
// below is counted by hand.

var ny, _ = time.LoadLocation("America/New_York")

func et(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, ny) }

func openAt(t *testing.T, p Priority, at time.Time) (*Ticket, Calendars) {
	t.Helper()
	pol := DefaultPolicy()
	cals, err := NewCalendars(pol)
	if err != nil {
		t.Fatal(err)
	}
	return Open(NewTicket{Ref: "HRC-7", Channel: ChannelPhone, Product: ProductOnline1010EZ, Summary: "Form stops",
		Priority: p, Reporter: "hrc-agent-1"}, pol, cals, at), cals
}

type want struct {
	clock string
	f     float64
	at    time.Time
}

func unreportedAre(t *testing.T, tk *Ticket, ws ...want) {
	t.Helper()
	got := tk.Unreported()
	if len(got) != len(ws) {
		t.Fatalf("unreported %+v, want %d crossings", got, len(ws))
	}
	for i, w := range ws {
		if got[i].Clock != w.clock || got[i].Threshold != w.f || !got[i].At.Equal(w.at) {
			t.Errorf("crossing %d: %s %v at %v, want %s %v at %v", i, got[i].Clock, got[i].Threshold, got[i].At.In(ny),
				w.clock, w.f, w.at)
		}
	}
}

func act(t *testing.T, tk *Ticket, cals Calendars, a Action, r Request, at time.Time) {
	t.Helper()
	if err := tk.Check(a, r, at); err != nil {
		t.Fatalf("%s at %v: %v", a, at, err)
	}
	tk.Apply(a, r, cals, at)
}

// Acknowledged after the business-hours deadline: Fri 2027-01-15 15:00, MLK Day Monday.
// 24 business hours: Thu 21 12:00; 36: Fri 22 15:00; 48: Tue 26 09:00 (see the sla test).
func TestLateAcknowledgeRecordsTheBreachWhenItHappened(t *testing.T) {
	tk, cals := openAt(t, PriorityMedium, et(2027, 1, 15, 14, 0))
	act(t, tk, cals, ActEscalate, Request{Actor: "hrc-agent-1"}, et(2027, 1, 15, 15, 0))
	act(t, tk, cals, ActAcknowledge, Request{Actor: "vets-oncall"}, et(2027, 1, 27, 10, 0))

	ack := tk.Clock(ClockAcknowledge)
	if ack.Phase != sla.PhaseStopped || !ack.BreachedAt.Equal(et(2027, 1, 26, 9, 0)) {
		t.Fatalf("acknowledge clock %s breached at %v, want stopped, breached Tue 26 09:00", ack.Phase, ack.BreachedAt.In(ny))
	}
	if s := ack.Status(cals.For(ClockAcknowledge), et(2027, 1, 28, 0, 0)); s != "missed" {
		t.Fatalf("status %q, want missed", s)
	}
	// Resolution (Medium, 15 calendar days from escalation) keeps running: 7.5 d is Sat 23
	// 03:00, 11.25 d Tue 26 21:00; 15 d (Sat 30 15:00) not reached by Wed 27 10:00.
	unreportedAre(t, tk,
		want{ClockAcknowledge, 0.5, et(2027, 1, 21, 12, 0)},
		want{ClockAcknowledge, 0.75, et(2027, 1, 22, 15, 0)},
		want{ClockAcknowledge, 1, et(2027, 1, 26, 9, 0)},
		want{ClockResolution, 0.5, et(2027, 1, 23, 3, 0)},
		want{ClockResolution, 0.75, et(2027, 1, 26, 21, 0)},
	)
	if !tk.Breached() {
		t.Fatal("ticket not breached")
	}
}

// Routed to ES after the Urgent resolution deadline (48 calendar hours): the route pauses
// the resolution clock, and the breach it passed stays recorded. The acknowledgement
// clock stops at the route (a triage decision) after 19 business hours (Mon 10-17, Tue
// 08-17, Wed 08-11), short of 24: met.
func TestLateRouteToESKeepsTheResolutionBreach(t *testing.T) {
	tk, cals := openAt(t, PriorityUrgent, et(2026, 11, 30, 9, 0))
	act(t, tk, cals, ActEscalate, Request{Actor: "hrc-agent-1"}, et(2026, 11, 30, 10, 0))
	act(t, tk, cals, ActRouteToES, Request{Actor: "vets-oncall", Comment: "ES side"}, et(2026, 12, 2, 11, 0))

	res := tk.Clock(ClockResolution)
	if res.Phase != sla.PhasePaused || !res.BreachedAt.Equal(et(2026, 12, 2, 10, 0)) {
		t.Fatalf("resolution %s breached %v, want paused, breached Wed 10:00", res.Phase, res.BreachedAt.In(ny))
	}
	ack := tk.Clock(ClockAcknowledge)
	if ack.Breached() || len(ack.Crossed) != 0 || ack.Elapsed(cals.For(ClockAcknowledge), et(2026, 12, 3, 0, 0)) != 19*time.Hour {
		t.Fatalf("acknowledge crossed %v, elapsed %v; want none and 19h", ack.Crossed, ack.Elapsed(cals.For(ClockAcknowledge), et(2026, 12, 3, 0, 0)))
	}
	unreportedAre(t, tk,
		want{ClockResolution, 0.5, et(2026, 12, 1, 10, 0)},
		want{ClockResolution, 0.75, et(2026, 12, 1, 22, 0)},
		want{ClockResolution, 1, et(2026, 12, 2, 10, 0)},
	)
}

// A priority change to a longer target after the old deadline passed does not erase the
// breach; one to a shorter target breaches at the change, not before it.
func TestPriorityChangeAfterTheDeadline(t *testing.T) {
	t.Run("longer", func(t *testing.T) {
		tk, cals := openAt(t, PriorityUrgent, et(2026, 11, 30, 9, 0))
		act(t, tk, cals, ActEscalate, Request{Actor: "hrc-agent-1"}, et(2026, 11, 30, 10, 0))
		act(t, tk, cals, ActStartFix, Request{Actor: "vets-oncall"}, et(2026, 11, 30, 11, 0))
		act(t, tk, cals, ActChangePriority, Request{Actor: "vets-pm", Priority: PriorityLow}, et(2026, 12, 3, 10, 0))
		res := tk.Clock(ClockResolution)
		if res.Target != 30*24*time.Hour || !res.BreachedAt.Equal(et(2026, 12, 2, 10, 0)) {
			t.Fatalf("target %v breached %v, want 720h and Wed 10:00", res.Target, res.BreachedAt.In(ny))
		}
		if s := res.Status(cals.For(ClockResolution), et(2026, 12, 3, 10, 0)); s != "breached" {
			t.Fatalf("status %q, want breached", s)
		}
	})
	t.Run("shorter", func(t *testing.T) {
		tk, cals := openAt(t, PriorityLow, et(2026, 11, 30, 9, 0))
		act(t, tk, cals, ActEscalate, Request{Actor: "hrc-agent-1"}, et(2026, 11, 30, 10, 0))
		act(t, tk, cals, ActStartFix, Request{Actor: "vets-oncall"}, et(2026, 11, 30, 11, 0))
		change := et(2026, 12, 4, 10, 0) // 96 h after escalation; Urgent allows 48
		act(t, tk, cals, ActChangePriority, Request{Actor: "vets-pm", Priority: PriorityUrgent}, change)
		tk.SettleClocks(cals, change) // what the workflow does right after
		res := tk.Clock(ClockResolution)
		if !res.BreachedAt.Equal(change) {
			t.Fatalf("breached %v, want at the change %v", res.BreachedAt.In(ny), change)
		}
		// start-fix stopped the acknowledgement clock after 1 h: nothing there.
		unreportedAre(t, tk,
			want{ClockResolution, 0.5, change}, want{ClockResolution, 0.75, change}, want{ClockResolution, 1, change})
	})
}

// On hold awaiting the caller from Friday to Monday, then acknowledged a day late. The
// acknowledgement clock (48 business hours) counted Thu 2026-12-03 16-17 and Fri 08-10
// (3 h) before the hold, resumed Mon 12-07 10:00: Mon 7 h (10), Tue 9 (19), Wed 08:00+5 h =
// 13:00 (24), Wed rest 4 (28), Thu 12-10 08:00+8 h = 16:00 (36), Thu rest 1 (37), Fri 9
// (46), Mon 12-14 08:00+2 h = 10:00 (48).
func TestHoldAcrossAWeekendThenLateAcknowledge(t *testing.T) {
	tk, cals := openAt(t, PriorityMedium, et(2026, 12, 3, 15, 0))
	act(t, tk, cals, ActEscalate, Request{Actor: "hrc-agent-1"}, et(2026, 12, 3, 16, 0))
	act(t, tk, cals, ActHold, Request{Actor: "vets-oncall", Comment: "which browser?", HoldReason: HoldAwaitingCaller}, et(2026, 12, 4, 10, 0))
	act(t, tk, cals, ActResume, Request{Actor: "vets-oncall"}, et(2026, 12, 7, 10, 0))
	act(t, tk, cals, ActAcknowledge, Request{Actor: "vets-oncall"}, et(2026, 12, 15, 9, 0))

	ack := tk.Clock(ClockAcknowledge)
	if !ack.BreachedAt.Equal(et(2026, 12, 14, 10, 0)) || ack.Paused(et(2026, 12, 16, 0, 0)) != 72*time.Hour {
		t.Fatalf("breached %v paused %v, want Mon 12-14 10:00 and 72h", ack.BreachedAt.In(ny), ack.Paused(et(2026, 12, 16, 0, 0)))
	}
	// Resolution (Medium, 15 calendar days) paused the same 72 h: 7.5 d after Thu 16:00 is
	// Fri 12-11 04:00, plus 72 h = Mon 12-14 04:00; 11.25 d: Mon 12-14 22:00 + 72 h = Thu 12-17 22:00 (not yet).
	unreportedAre(t, tk,
		want{ClockAcknowledge, 0.5, et(2026, 12, 9, 13, 0)},
		want{ClockAcknowledge, 0.75, et(2026, 12, 10, 16, 0)},
		want{ClockAcknowledge, 1, et(2026, 12, 14, 10, 0)},
		want{ClockResolution, 0.5, et(2026, 12, 14, 4, 0)},
	)
}
