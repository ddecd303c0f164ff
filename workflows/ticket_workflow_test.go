package workflows

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/workflow"

	"github.com/hcaops/hcaops/ticket"
)

// Monday 2026-11-30 10:00 Eastern, after Thanksgiving week.
var monday = time.Date(2026, 11, 30, 10, 0, 0, 0, eastern)

func actions(t *ticket.Ticket) []string {
	var out []string
	for _, e := range t.Timeline {
		out = append(out, e.Action)
	}
	return out
}

func TestVetsGovBreakFixLifecycle(t *testing.T) {
	h := newHarness(t, monday, ticket.DefaultPolicy())
	h.at(time.Hour, ticket.ActEscalate, by("hrc-agent-7", "caller cannot submit"))
	h.at(2*time.Hour, ticket.ActStartFix, by("vets-oncall", "reproduced on staging"))
	h.at(day, ticket.ActResolve, by("vets-oncall", "fix deployed"))
	final := h.run(demoTicket("HRC-100", ticket.PriorityHigh))

	want := []string{"open", "escalate", "start-fix", "resolve", "close"}
	if got := actions(final); !slices.Equal(got, want) {
		t.Fatalf("timeline %v, want %v", got, want)
	}
	if final.State != ticket.StateClosed || !final.ClosedAt.Equal(monday.Add(8*day)) {
		t.Fatalf("state %s closed at %v, want Closed at %v", final.State, final.ClosedAt, monday.Add(8*day))
	}
	if final.Breached() || len(events(final, "sla-warning")) != 0 || h.notes.count("") != 0 {
		t.Fatal("a ticket acted on in time escalated")
	}
	inc := h.sdm.Incidents()
	if len(inc) != 1 {
		t.Fatalf("SDM holds %d incidents, want 1", len(inc))
	}
	if inc[0].Status != "CL" || inc[0].Group != "vets.gov" || inc[0].HcaopsRef != "HRC-100" {
		t.Fatalf("SDM incident status %s group %s ref %s", inc[0].Status, inc[0].Group, inc[0].HcaopsRef)
	}
	marked := 0
	for _, l := range inc[0].Log {
		if strings.Contains(l.Description, "[hcaops:HRC-100#") {
			marked++
		}
	}
	if marked != len(want) {
		t.Fatalf("SDM activity log has %d hcaops comments, want %d", marked, len(want))
	}
}

func TestBreachEscalatesExactlyOnce(t *testing.T) {
	h := newHarness(t, monday, ticket.DefaultPolicy())
	h.at(time.Hour, ticket.ActEscalate, by("hrc-agent-7", "outage reports"))
	h.at(20*day, ticket.ActResolve, by("vets-oncall", "fixed at last"))
	final := h.run(demoTicket("HRC-101", ticket.PriorityUrgent))

	breaches := events(final, "sla-breach")
	if len(breaches) != 2 {
		t.Fatalf("%d breach events, want one per clock (acknowledge, resolution): %v", len(breaches), actions(final))
	}
	if got := len(events(final, "sla-warning")); got != 4 {
		t.Fatalf("%d warnings, want 4 (50%% and 75%% of two clocks)", got)
	}
	escalated := monday.Add(time.Hour)
	if at := final.Clock(ticket.ClockResolution).BreachedAt; !at.Equal(escalated.Add(48 * time.Hour)) {
		t.Fatalf("resolution breached at %v, want %v", at, escalated.Add(48*time.Hour))
	}
	if got := h.notes.count("breached"); got != 2 {
		t.Fatalf("%d breach notifications, want 2", got)
	}
	if !final.Breached() {
		t.Fatal("ticket not marked breached")
	}
	if inc := h.sdm.Incidents(); len(inc) != 1 || !inc[0].Escalated {
		t.Fatal("SDM incident not marked escalated")
	}
}

func TestHoldAwaitingCallerPausesAndSurvivesPriorityChange(t *testing.T) {
	h := newHarness(t, monday, ticket.DefaultPolicy())
	h.at(time.Hour, ticket.ActEscalate, by("hrc-agent-7", ""))
	h.at(2*time.Hour, ticket.ActStartFix, by("vets-oncall", ""))
	h.at(2*day, ticket.ActHold, ticket.Request{Actor: "vets-oncall", Comment: "need browser version", HoldReason: ticket.HoldAwaitingCaller})
	h.at(5*day, ticket.ActChangePriority, ticket.Request{Actor: "vets-pm", Priority: ticket.PriorityHigh, Comment: "more reports"})
	var onHold, resumed ticket.View
	h.view(6*day, &onHold)
	h.at(12*day, ticket.ActResume, by("vets-oncall", "caller answered"))
	h.view(12*day+time.Minute, &resumed)
	h.at(16*day, ticket.ActResolve, by("vets-oncall", "fixed"))
	final := h.run(demoTicket("HRC-102", ticket.PriorityMedium))

	if c := clockView(onHold, ticket.ClockResolution); c.Phase != "paused" || !c.Deadline.IsZero() {
		t.Fatalf("on hold: resolution clock %s with deadline %v, want paused and none", c.Phase, c.Deadline)
	}
	c := clockView(resumed, ticket.ClockResolution)
	// 7 days (High) counted from escalation, plus the 10 days on hold.
	want := monday.Add(time.Hour + 7*day + 10*day)
	if !c.Deadline.Equal(want) || c.Paused != 10*day {
		t.Fatalf("after resume: deadline %v paused %v, want %v and 240h", c.Deadline, c.Paused, want)
	}
	if len(events(final, "sla-breach")) != 0 || len(events(final, "sla-warning")) != 2 {
		t.Fatalf("want two warnings and no breach, got %v", actions(final))
	}
}

func TestPriorityChangeMovesDeadlineFromStart(t *testing.T) {
	h := newHarness(t, monday, ticket.DefaultPolicy())
	h.at(time.Hour, ticket.ActEscalate, by("hrc-agent-7", ""))
	h.at(2*time.Hour, ticket.ActStartFix, by("vets-oncall", ""))
	h.at(day+time.Hour, ticket.ActChangePriority, ticket.Request{Actor: "vets-pm", Priority: ticket.PriorityUrgent})
	var v ticket.View
	h.view(day+2*time.Hour, &v)
	h.at(3*day, ticket.ActResolve, by("vets-oncall", "fixed"))
	final := h.run(demoTicket("HRC-103", ticket.PriorityLow))

	escalated := monday.Add(time.Hour)
	if d := clockView(v, ticket.ClockResolution).Deadline; !d.Equal(escalated.Add(48 * time.Hour)) {
		t.Fatalf("deadline after change %v, want escalation + 48h = %v", d, escalated.Add(48*time.Hour))
	}
	if at := final.Clock(ticket.ClockResolution).BreachedAt; !at.Equal(escalated.Add(48 * time.Hour)) {
		t.Fatalf("breach at %v, want %v", at, escalated.Add(48*time.Hour))
	}
}

func TestFridayAfternoonBeforeMondayFederalHoliday(t *testing.T) {
	friday := time.Date(2027, 1, 15, 15, 0, 0, 0, eastern) // MLK Day is Monday 2027-01-18
	h := newHarness(t, friday, ticket.DefaultPolicy())
	h.at(time.Minute, ticket.ActEscalate, by("hrc-agent-7", ""))
	var v ticket.View
	h.view(time.Hour, &v)
	h.at(12*day, ticket.ActResolve, by("vets-oncall", "fixed"))
	final := h.run(demoTicket("HRC-104", ticket.PriorityMedium))

	// Fri 15:01–17:00 (1h59m), Mon holiday, Tue–Fri 36h, Mon 25th 9h, Tue 26th 1h01m.
	want := time.Date(2027, 1, 26, 9, 1, 0, 0, eastern)
	if d := clockView(v, ticket.ClockAcknowledge).Deadline; !d.Equal(want) {
		t.Fatalf("acknowledge deadline %v, want %v", d.In(eastern), want)
	}
	if at := final.Clock(ticket.ClockAcknowledge).BreachedAt; !at.Equal(want) {
		t.Fatalf("acknowledge breached at %v, want %v", at.In(eastern), want)
	}
}

func TestESClockRunsWhileAwaitingES(t *testing.T) {
	h := newHarness(t, monday, ticket.DefaultPolicy())
	h.at(time.Hour, ticket.ActEscalate, by("hrc-agent-7", ""))
	h.at(day, ticket.ActRouteToES, by("vets-oncall", "ES rejects the submission: not vets.gov code"))
	var atES, back ticket.View
	h.view(3*day, &atES)
	h.at(4*day, ticket.ActReturnFromES, by("es-liaison", "ES fixed their side; please verify"))
	h.view(4*day+time.Minute, &back)
	h.at(5*day, ticket.ActResolve, by("vets-oncall", "verified"))
	h.run(demoTicket("HRC-105", ticket.PriorityHigh))

	if atES.State != ticket.StateAwaitingES || atES.Tier != ticket.TierES {
		t.Fatalf("state %s tier %s", atES.State, atES.Tier)
	}
	if c := clockView(atES, ticket.ClockResolution); c.Phase != "paused" {
		t.Fatalf("resolution clock %s while awaiting ES, want paused", c.Phase)
	}
	if c := clockView(atES, ticket.ClockES); c.Phase != "running" || !c.Deadline.Equal(monday.Add(8*day)) {
		t.Fatalf("ES clock %s deadline %v, want running until %v", c.Phase, c.Deadline, monday.Add(8*day))
	}
	if c := clockView(back, ticket.ClockES); c.Phase != "stopped" || c.Elapsed != 3*day {
		t.Fatalf("ES clock after return: %s elapsed %v", c.Phase, c.Elapsed)
	}
	if c := clockView(back, ticket.ClockResolution); !c.Deadline.Equal(monday.Add(time.Hour + 7*day + 3*day)) {
		t.Fatalf("resolution deadline after ES %v", c.Deadline)
	}
	sawVendor := false
	for _, l := range h.sdm.Incidents()[0].Log {
		sawVendor = sawVendor || strings.Contains(l.Description, "route-to-es")
	}
	if !sawVendor {
		t.Fatal("routing to ES not mirrored to SDM")
	}
}

func TestRejectedActionsLeaveNoTrace(t *testing.T) {
	h := newHarness(t, monday, ticket.DefaultPolicy())
	h.at(time.Hour, ticket.ActStartFix, by("vets-oncall", ""))
	h.at(2*time.Hour, ticket.ActResolve, by("hrc-agent-7", ""))
	h.at(3*time.Hour, ticket.ActResolve, by("hrc-agent-7", "password reset walked through"))
	final := h.run(demoTicket("HRC-106", ticket.PriorityLow))

	want := []string{"open", "resolve", "close"}
	if got := actions(final); !slices.Equal(got, want) {
		t.Fatalf("timeline %v, want %v", got, want)
	}
	if len(h.rejected) != 2 ||
		!strings.Contains(h.rejected[0], "cannot start-fix a ticket that is New; allowed now: escalate, resolve, cancel, change-priority") ||
		!strings.Contains(h.rejected[1], "resolve requires a comment") {
		t.Fatalf("rejections %q", h.rejected)
	}
}

func TestReopenWithinWindow(t *testing.T) {
	h := newHarness(t, monday, ticket.DefaultPolicy())
	h.at(time.Hour, ticket.ActEscalate, by("hrc-agent-7", ""))
	h.at(2*time.Hour, ticket.ActStartFix, by("vets-oncall", ""))
	h.at(day, ticket.ActResolve, by("vets-oncall", "fixed"))
	h.at(3*day, ticket.ActReopen, by("hrc-agent-7", "caller says it still fails"))
	h.at(4*day, ticket.ActStartFix, by("vets-oncall", ""))
	h.at(5*day, ticket.ActResolve, by("vets-oncall", "second fix"))
	final := h.run(demoTicket("HRC-107", ticket.PriorityHigh))
	if !final.ClosedAt.Equal(monday.Add(12 * day)) {
		t.Fatalf("closed at %v, want 7 days after the second resolution", final.ClosedAt)
	}
	// The resolution clock counted both working spells, not the two days resolved.
	if c := final.Clock(ticket.ClockResolution); c.Consumed != day-time.Hour+2*day {
		t.Fatalf("resolution clock counted %v", c.Consumed)
	}
}

func TestContinueAsNewKeepsClocksAndPauses(t *testing.T) {
	h := newHarness(t, monday, ticket.DefaultPolicy())
	h.at(time.Hour, ticket.ActEscalate, by("hrc-agent-7", ""))
	h.at(2*time.Hour, ticket.ActStartFix, by("vets-oncall", ""))
	h.at(day, ticket.ActHold, ticket.Request{Actor: "vets-oncall", Comment: "waiting", HoldReason: ticket.HoldAwaitingCaller})
	h.env.ExecuteWorkflow(TicketWorkflow, TicketInput{New: demoTicket("HRC-108", ticket.PriorityMedium), ContinueAfter: 3})

	var can *workflow.ContinueAsNewError
	if err := h.env.GetWorkflowError(); !errors.As(err, &can) {
		t.Fatalf("want continue-as-new, got %v", err)
	}
	var next TicketInput
	if err := converter.GetDefaultDataConverter().FromPayloads(can.Input, &next); err != nil {
		t.Fatal(err)
	}
	if next.Ticket == nil || next.Ticket.State != ticket.StateOnHold {
		t.Fatalf("continued without the ticket: %+v", next.Ticket)
	}

	// The next run picks up where the first stopped: the pause keeps counting.
	h2 := newHarnessWith(t, monday.Add(day), ticket.DefaultPolicy(), h.sdm)
	var v ticket.View
	h2.at(4*day, ticket.ActResume, by("vets-oncall", "caller answered"))
	h2.view(4*day+time.Minute, &v)
	h2.at(5*day, ticket.ActResolve, by("vets-oncall", "fixed"))
	h2.env.ExecuteWorkflow(TicketWorkflow, TicketInput{New: next.New, Ticket: next.Ticket, Outbox: next.Outbox})
	if err := h2.env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	c := clockView(v, ticket.ClockResolution)
	if c.Paused != 4*day || !c.Deadline.Equal(monday.Add(time.Hour+15*day+4*day)) {
		t.Fatalf("after continue-as-new: paused %v deadline %v", c.Paused, c.Deadline)
	}
	if got := len(v.Timeline); got != 5 {
		t.Fatalf("timeline has %d events across runs, want 5", got)
	}
}

// TestSystemOfRecordFailures: a failing SDM is retried until it answers, without holding up
// the operator; a request SDM refuses for good is recorded in the timeline, not retried.
func TestSystemOfRecordFailures(t *testing.T) {
	h := newHarness(t, monday, ticket.DefaultPolicy())
	h.sdm.FailNext(3, 503) // the incident's creation meets an outage
	h.at(time.Hour, ticket.ActEscalate, by("hrc-agent-7", ""))
	h.env.RegisterDelayedCallback(func() { h.sdm.FailNext(1, 400) }, 2*time.Hour)
	h.at(2*time.Hour+time.Minute, ticket.ActStartFix, by("vets-oncall", ""))
	h.at(day, ticket.ActResolve, by("vets-oncall", "fixed"))
	final := h.run(demoTicket("HRC-109", ticket.PriorityHigh))

	failed := events(final, "mirror-failed")
	if len(failed) != 1 || !strings.Contains(failed[0].Comment, "HTTP 400") {
		t.Fatalf("mirror failures in the timeline: %+v", failed)
	}
	inc := h.sdm.Incidents()
	if len(inc) != 1 || inc[0].Status != "CL" {
		t.Fatalf("SDM after the outage: %d incidents, status %v", len(inc), inc)
	}
	if got := actions(final); !slices.Equal(got, []string{"open", "escalate", "start-fix", "mirror-failed", "resolve", "close"}) {
		t.Fatalf("timeline %v", got)
	}
}

// TestNoESProgressEscalatesOnce: a ticket listed on four calls with no ES progress in the
// last three escalates once (notify, mark the incident, flag it for the next agenda).
func TestNoESProgressEscalatesOnce(t *testing.T) {
	h := newHarness(t, monday, ticket.DefaultPolicy())
	h.at(time.Hour, ticket.ActEscalate, by("hrc-agent-7", ""))
	h.at(2*time.Hour, ticket.ActRouteToES, by("vets-oncall", "ES record problem"))
	for i, call := range []string{"2026-12-01", "2026-12-08", "2026-12-15", "2026-12-22", "2026-12-29"} {
		h.at(time.Duration(i+1)*day, ticket.ActESAgenda, ticket.Request{Actor: ticket.SystemActor, CallDate: call})
	}
	var v ticket.View
	h.view(6*day, &v)
	h.at(6*day+time.Hour, ticket.ActESOutcome, ticket.Request{Actor: "vets-pm", ESOutcome: ticket.ESResolved, Comment: "ES fixed it", CallDate: "2026-12-29"})
	final := h.run(demoTicket("HRC-110", ticket.PriorityLow))

	if got := len(events(final, "es-stalled")); got != 1 {
		t.Fatalf("%d stall escalations, want 1: %v", got, actions(final))
	}
	if !v.ES.Stalled || v.ES.Calls != 5 {
		t.Fatalf("before the outcome: %+v", v.ES)
	}
	if final.ES.Stalled || final.State != ticket.StateClosed {
		t.Fatalf("after ES resolved it: %+v, %s", final.ES, final.State)
	}
	if h.notes.count("no ES progress") != 1 {
		t.Fatal("stall not notified once")
	}
	if inc := h.sdm.Incidents(); len(inc) != 1 || !inc[0].Escalated {
		t.Fatal("SDM incident not marked escalated")
	}
}
