package workflows

import (
	"strings"
	"testing"
	"time"

	"github.com/hcaops/hcaops/ticket"
)

// An acknowledgement that arrived after the deadline, before its timer was handled, left
// the ticket with crossings recorded and not reported (the time-skipping environment
// always fires the timer first, so the state is built with the domain code, as the
// Update handler leaves it). The run reports each of them once, and the breach carries
// the instant it happened.
func TestCrossingsRecordedByALateActionAreReportedOnce(t *testing.T) {
	ackAt := time.Date(2027, 1, 27, 10, 0, 0, 0, eastern)
	p := ticket.DefaultPolicy()
	cals, err := ticket.NewCalendars(p)
	if err != nil {
		t.Fatal(err)
	}
	n := demoTicket("HRC-140", ticket.PriorityMedium)
	tk := ticket.Open(n, p, cals, time.Date(2027, 1, 15, 14, 0, 0, 0, eastern))
	tk.Apply(ticket.ActEscalate, by("hrc-agent-7", ""), cals, time.Date(2027, 1, 15, 15, 0, 0, 0, eastern))
	tk.Apply(ticket.ActAcknowledge, by("vets-oncall", ""), cals, ackAt)
	if len(tk.Unreported()) != 5 {
		t.Fatalf("set-up: %d unreported crossings, want 5", len(tk.Unreported()))
	}

	h := newHarness(t, ackAt, p)
	h.at(time.Hour, ticket.ActResolve, by("vets-oncall", "fixed"))
	h.env.ExecuteWorkflow(TicketWorkflow, TicketInput{New: n, Ticket: tk})
	var final *ticket.Ticket
	if err := h.env.GetWorkflowResult(&final); err != nil {
		t.Fatal(err)
	}

	breaches := events(final, "sla-breach")
	if len(breaches) != 1 || !strings.Contains(breaches[0].Comment, "acknowledge target breached") ||
		!strings.Contains(breaches[0].Comment, "(reached 2027-01-26 14:00:00 UTC)") {
		t.Fatalf("breach events %+v, want one for acknowledge, reached Tue 26 09:00 Eastern", breaches)
	}
	if got := len(events(final, "sla-warning")); got != 4 {
		t.Fatalf("%d warnings, want 4 (acknowledge 50%% and 75%%, resolution 50%% and 75%%)", got)
	}
	if got := h.notes.count("breached"); got != 1 {
		t.Fatalf("%d breach notifications, want 1", got)
	}
	if got := h.notes.count(""); got != 5 {
		t.Fatalf("%d notifications, want 5", got)
	}
	if at := final.Clock(ticket.ClockAcknowledge).BreachedAt; !at.Equal(time.Date(2027, 1, 26, 9, 0, 0, 0, eastern)) {
		t.Fatalf("acknowledge breached at %v", at)
	}
	if inc := h.sdm.Incidents(); len(inc) != 1 || !inc[0].Escalated {
		t.Fatal("SDM incident not marked escalated")
	}
	if len(final.Unreported()) != 0 {
		t.Fatalf("left unreported: %+v", final.Unreported())
	}
}
