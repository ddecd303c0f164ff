package simulation

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/hcaops/hcaops/ticket"
)

var ny, _ = time.LoadLocation("America/New_York")

func et(m time.Month, d, h, min int) time.Time { return time.Date(2026, m, d, h, min, 0, 0, ny) }

func newTicket(ref string, p ticket.Priority, at time.Time, events ...Event) Ticket {
	return Ticket{New: ticket.NewTicket{Ref: ref, Channel: ticket.ChannelPhone, Product: ticket.ProductOnline1010EZ,
		Summary: "Form stops", Priority: p, Reporter: "hrc-agent", OpenedAt: at}, Events: events}
}

func ev(at time.Time, a ticket.Action, comment string) Event {
	return Event{At: at, Action: a, Request: ticket.Request{Actor: "op", Comment: comment}}
}

// Urgent, escalated Mon 10:00, resolved Wed 11:00 (49 h): the 48 h target breaches at
// Wed 10:00; a proposed 72 h target is met.
func TestSimulationOfAnUrgentTicketUnderTwoTargets(t *testing.T) {
	tt := newTicket("HRC-1", ticket.PriorityUrgent, et(11, 30, 9, 0),
		ev(et(11, 30, 10, 0), ticket.ActEscalate, ""),
		ev(et(11, 30, 10, 30), ticket.ActStartFix, ""),
		ev(et(12, 2, 11, 0), ticket.ActResolve, "fixed"))
	cur, err := Simulate(tt, ticket.DefaultPolicy(), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if cur.Verdicts["resolution"] != "missed" || !cur.BreachedAt["resolution"].Equal(et(12, 2, 10, 0)) || cur.Escalations != 1 ||
		cur.Verdicts["acknowledge"] != "met" || cur.Warnings != 2 || cur.State != ticket.StateClosed {
		t.Fatalf("current policy: %+v", cur)
	}
	proposed, err := ReadPolicy([]byte(`{"resolution": {"Urgent": "72h"}}`), "proposed.json", ticket.DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	prop, err := Simulate(tt, proposed, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	// 72 h from Mon 10:00: 50% at Tue 22:00 is reached by Wed 11:00, 75% (Wed 16:00) is not.
	if prop.Verdicts["resolution"] != "met" || prop.Escalations != 0 || prop.Warnings != 1 {
		t.Fatalf("proposed policy: %+v", prop)
	}
}

// A business-hours clock under an extra holiday: acknowledgement target 8 business hours,
// escalated Fri 2026-12-04 16:00, acknowledged Tue 12-08 09:00. Current: Fri 1 h, Mon 7 h
// reaches 8 h at Mon 15:00: missed. With Monday 12-07 a holiday: Fri 1 h, Tue 1 h: met.
func TestSimulationWithAProposedHoliday(t *testing.T) {
	base := ticket.DefaultPolicy()
	base.Acknowledge = 8 * time.Hour
	tt := newTicket("HRC-2", ticket.PriorityMedium, et(12, 4, 15, 0),
		ev(et(12, 4, 16, 0), ticket.ActEscalate, ""),
		ev(et(12, 8, 9, 0), ticket.ActAcknowledge, ""),
		ev(et(12, 8, 9, 30), ticket.ActStartFix, ""),
		ev(et(12, 9, 9, 0), ticket.ActResolve, "fixed"))
	cur, err := Simulate(tt, base, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if cur.Verdicts["acknowledge"] != "missed" || !cur.BreachedAt["acknowledge"].Equal(et(12, 7, 15, 0)) {
		t.Fatalf("current: %+v", cur)
	}
	proposed, err := ReadPolicy([]byte(`{"holidays": {"extra": ["2026-12-07"]}}`), "p.json", base)
	if err != nil {
		t.Fatal(err)
	}
	prop, err := Simulate(tt, proposed, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if prop.Verdicts["acknowledge"] != "met" {
		t.Fatalf("proposed: %+v", prop)
	}
}

// A ticket still open at the end of the period is read there.
func TestSimulationReadsOpenTicketsAtTheEnd(t *testing.T) {
	tt := newTicket("HRC-3", ticket.PriorityHigh, et(12, 1, 9, 0), ev(et(12, 1, 10, 0), ticket.ActEscalate, ""))
	o, err := Simulate(tt, ticket.DefaultPolicy(), et(12, 2, 9, 0))
	if err != nil {
		t.Fatal(err)
	}
	// 23 h after escalation: 8 business hours on Dec 1 (10-17 = 7) and Dec 2 (08-09 = 1): pending.
	if o.State != ticket.StateTriage || o.Verdicts["acknowledge"] != "pending" || o.Verdicts["resolution"] != "pending" {
		t.Fatalf("open ticket: %+v", o)
	}
}

func TestCompareSidesAndRefusesEmptyTraffic(t *testing.T) {
	if _, err := Compare(nil, Options{Current: ticket.DefaultPolicy(), Proposed: ticket.DefaultPolicy()}); err == nil ||
		err.Error() != "no ticket traffic to replay" {
		t.Fatalf("empty traffic: %v", err)
	}
	tt := newTicket("HRC-1", ticket.PriorityUrgent, et(11, 30, 9, 0),
		ev(et(11, 30, 10, 0), ticket.ActEscalate, ""), ev(et(12, 2, 11, 0), ticket.ActResolve, "fixed"))
	proposed, _ := ReadPolicy([]byte(`{"resolution": {"Urgent": "72h"}}`), "p.json", ticket.DefaultPolicy())
	c, err := Compare([]Ticket{tt}, Options{Current: ticket.DefaultPolicy(), Proposed: proposed})
	if err != nil {
		t.Fatal(err)
	}
	// The resolve (a triage decision) stops the acknowledgement clock after 19 business
	// hours (Mon 10-17, Tue, Wed 08-11): met under both. Resolution: missed at 48 h, met at 72 h.
	all, urgent := c.Rows[0], c.Rows[1]
	if len(c.Rows) != 2 || all.Priority != "all" || urgent.Priority != "Urgent" {
		t.Fatalf("rows %+v", c.Rows)
	}
	for _, r := range c.Rows {
		if r.Current.Breaches != 1 || r.Proposed.Breaches != 0 || r.Current.Escalations != 1 || r.Proposed.Escalations != 0 ||
			r.Current.Compliance["resolution"] != 0 || r.Proposed.Compliance["resolution"] != 100 ||
			r.Current.Compliance["acknowledge"] != 100 || r.Proposed.Compliance["acknowledge"] != 100 {
			t.Fatalf("%s: current %+v proposed %+v", r.Priority, r.Current, r.Proposed)
		}
	}
	var b bytes.Buffer
	WriteText(&b, c)
	if !strings.Contains(b.String(), "Urgent   current") {
		t.Fatalf("text:\n%s", b.String())
	}
}
