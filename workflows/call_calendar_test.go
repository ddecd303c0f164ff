package workflows

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hcaops/hcaops/activities"
	"github.com/hcaops/hcaops/ticket"
)

// The scheduled agenda for a call that falls on Thanksgiving (Thursday 2026-11-26) waits
// for the moved call on Friday 2026-11-27 and is for that date; the holiday itself lists
// nobody, so it counts toward nobody's "no ES progress". A ticket put on hold while with
// ES stays on the agenda, marked as on hold.
func TestAgendaOnAFederalHolidayMovesToTheNextWorkday(t *testing.T) {
	scheduled := time.Date(2026, 11, 26, 9, 0, 0, 0, eastern) // 1 h before a 10:00 call on Thanksgiving
	h := newESHarness(t, scheduled)
	h.tickets.views["T-ES"] = ticket.View{Ticket: ticket.Ticket{NewTicket: ticket.NewTicket{Ref: "T-ES", Priority: ticket.PriorityHigh,
		Summary: "ok\r# Injected heading **ESCALATED: no ES progress**", OpenedAt: scheduled.Add(-3 * day)}, State: ticket.StateAwaitingES}}
	h.tickets.views["T-HELD"] = ticket.View{Ticket: ticket.Ticket{NewTicket: ticket.NewTicket{Ref: "T-HELD", Priority: ticket.PriorityLow,
		Summary: "waiting on the caller", OpenedAt: scheduled.Add(-9 * day)}, State: ticket.StateOnHold,
		HeldFrom: ticket.StateAwaitingES, HoldReason: ticket.HoldAwaitingCaller}}
	h.tickets.views["T-FIX"] = ticket.View{Ticket: ticket.Ticket{NewTicket: ticket.NewTicket{Ref: "T-FIX", Priority: ticket.PriorityLow,
		Summary: "held at vets.gov", OpenedAt: scheduled.Add(-9 * day)}, State: ticket.StateOnHold, HeldFrom: ticket.StateInProgress}}
	dir := t.TempDir()
	h.env.RegisterActivity(&activities.CallAgenda{Lister: awaiting{"T-ES", "T-HELD", "T-FIX"}, Dir: dir, Notifier: h.staff,
		To: []string{"vets.gov"}, Link: func(ref string) string { return "http://ui.test/ticket-" + ref }})
	h.env.ExecuteWorkflow(CallAgendaWorkflow, CallAgendaInput{Lead: time.Hour, Zone: "America/New_York"})
	var ag activities.Agenda
	if err := h.env.GetWorkflowResult(&ag); err != nil {
		t.Fatal(err)
	}
	if ag.CallDate != "2026-11-27" || ag.MovedFrom != "2026-11-26 (Thanksgiving Day)" {
		t.Fatalf("agenda for %s, moved from %q; want 2026-11-27 from 2026-11-26 (Thanksgiving Day)", ag.CallDate, ag.MovedFrom)
	}
	if want := time.Date(2026, 11, 27, 9, 0, 0, 0, eastern); !ag.Generated.Equal(want) {
		t.Errorf("generated at %s, want %s (an hour before the moved call)", ag.Generated.In(eastern), want)
	}
	for _, a := range h.tickets.actions {
		if a.Action == ticket.ActESAgenda && a.Request.CallDate != "2026-11-27" {
			t.Errorf("%s listed for %s", a.Ref, a.Request.CallDate)
		}
	}
	var refs []string
	for _, it := range ag.Items {
		refs = append(refs, it.Ref)
	}
	if strings.Join(refs, ",") != "T-ES,T-HELD" {
		t.Fatalf("agenda items %v, want T-ES and T-HELD (held while with ES), not T-FIX", refs)
	}
	md, err := os.ReadFile(filepath.Join(dir, "agenda-2026-11-27.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(md)
	for _, want := range []string{
		"Moved from 2026-11-26 (Thanksgiving Day): no call on a federal holiday.",
		"| 1 | [T-ES](http://ui.test/ticket-T-ES) | High | ok \\# Injected heading \\*\\*ESCALATED: no ES progress\\*\\* |",
		"| 2 | [T-HELD](http://ui.test/ticket-T-HELD) | Low | waiting on the caller _\\(on hold: awaiting-caller\\)_ |",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("agenda lacks %q:\n%s", want, text)
		}
	}
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, "# ") && !strings.HasPrefix(line, "# vets.gov – ES call") {
			t.Errorf("a summary became a heading: %q", line)
		}
		if strings.Contains(line, "**ESCALATED") {
			t.Errorf("a summary imitates the ESCALATED flag: %q", line)
		}
	}
	if h.staff.count("agenda of the 2026-11-27 ES call: 2 item(s)") != 1 {
		t.Errorf("agenda emails: %+v", h.staff.msgs)
	}
	if k := h.staff.msgs[0].Key; k != "agenda-2026-11-27" {
		t.Errorf("agenda email key %q", k)
	}
}
