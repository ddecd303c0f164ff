package report

import (
	"testing"
	"time"

	"github.com/hcaops/hcaops/ticket"
)

// The fixed data set of the report tests: eight tickets driven through the domain code
// at fixed instants (Eastern time), with every figure the tests expect counted by hand in
// the comments. The period is 2026-11-30 (Mon, ISO week 49) to 2026-12-13 (Sun, week 50);
// the data is read at Mon 2026-12-14 12:00.

var ny, _ = time.LoadLocation("America/New_York")

func et(m time.Month, d, h, min int) time.Time { return time.Date(2026, m, d, h, min, 0, 0, ny) }

var asOf = et(12, 14, 12, 0)

type step struct {
	at  time.Time
	a   ticket.Action
	req ticket.Request
}

func by(actor string) ticket.Request { return ticket.Request{Actor: actor, Comment: "done"} }

func build(t testing.TB, ref string, p ticket.Priority, ch ticket.Channel, opened time.Time, steps ...step) ticket.Ticket {
	t.Helper()
	pol := ticket.DefaultPolicy()
	cals, err := ticket.NewCalendars(pol)
	if err != nil {
		t.Fatal(err)
	}
	tk := ticket.Open(ticket.NewTicket{Ref: ref, Channel: ch, Product: ticket.ProductOnline1010EZ, Priority: p,
		Summary: "Form stops at the insurance page", Reporter: "hrc-agent-1", OpenedAt: opened}, pol, cals, opened)
	for _, s := range steps {
		if err := tk.Check(s.a, s.req, s.at); err != nil {
			t.Fatalf("%s %s at %v: %v", ref, s.a, s.at, err)
		}
		tk.Apply(s.a, s.req, cals, s.at)
	}
	return *tk
}

func fixture(t testing.TB) []ticket.Ticket {
	hold := ticket.Request{Actor: "vets", Comment: "which browser?", HoldReason: ticket.HoldAwaitingCaller}
	return []ticket.Ticket{
		// A: acknowledged after 2 h (2 business hours), resolved Wed 09:00: 48 h calendar,
		// 18 business hours (Mon 09-17 8, Tue 9, Wed 08-09 1). Both clocks met.
		build(t, "HRC-A", ticket.PriorityHigh, ticket.ChannelPhone, et(11, 30, 9, 0),
			step{et(11, 30, 9, 30), ticket.ActEscalate, by("hrc")},
			step{et(11, 30, 11, 30), ticket.ActAcknowledge, by("vets")},
			step{et(11, 30, 12, 0), ticket.ActStartFix, by("vets")},
			step{et(12, 2, 9, 0), ticket.ActResolve, by("vets")}),
		// B: a clock paused across a weekend. Escalated Thu 16:00, on hold awaiting the caller
		// Fri 10:00 to Mon 10:00, acknowledged Mon 11:00: 91 h calendar, 13 business hours
		// (Thu 1, Fri 9, Mon 08-11 3); the clock itself counted 4 h: met. Resolved Tue 16:00:
		// 120 h calendar, 27 business hours (Thu 1, Fri 9, Mon 9, Tue 8).
		build(t, "HRC-B", ticket.PriorityMedium, ticket.ChannelEmail, et(12, 3, 16, 0),
			step{et(12, 3, 16, 0), ticket.ActEscalate, by("hrc")},
			step{et(12, 4, 10, 0), ticket.ActHold, hold},
			step{et(12, 7, 10, 0), ticket.ActResume, by("vets")},
			step{et(12, 7, 11, 0), ticket.ActAcknowledge, by("vets")},
			step{et(12, 7, 11, 30), ticket.ActStartFix, by("vets")},
			step{et(12, 8, 16, 0), ticket.ActResolve, by("vets")}),
		// C: reopened, and with ES past its target. Urgent; routed to ES after 1 h (the
		// acknowledgement: met), 72 h at ES (ES clock, 48 h: breached Wed 10:00), back and
		// resolved Thu 12:00, reopened Fri 09:00, resolved again Fri 15:00. Resolution clock
		// 1 + 2 + 6 = 9 h of 48: met. Time to resolve to the last resolution: 102 h calendar,
		// 42 business hours (Mon 8, Tue 9, Wed 9, Thu 9, Fri 7).
		build(t, "HRC-C", ticket.PriorityUrgent, ticket.ChannelWeb, et(12, 7, 9, 0),
			step{et(12, 7, 9, 0), ticket.ActEscalate, by("hrc")},
			step{et(12, 7, 10, 0), ticket.ActRouteToES, by("vets")},
			step{et(12, 10, 10, 0), ticket.ActReturnFromES, by("es")},
			step{et(12, 10, 12, 0), ticket.ActResolve, by("vets")},
			step{et(12, 11, 9, 0), ticket.ActReopen, by("hrc")},
			step{et(12, 11, 9, 30), ticket.ActStartFix, by("vets")},
			step{et(12, 11, 15, 0), ticket.ActResolve, by("vets")}),
		// D: a priority change. Low, escalated Tue 10:00, start-fix at 11:00 (acknowledged
		// after 1 h), made Urgent Thu 12:00, 50 h after escalation: the 48 h target is
		// already past, so it breaches at the change. Resolved Fri 10:00: 72 h calendar,
		// 27 business hours (Tue 7, Wed 9, Thu 9, Fri 2).
		build(t, "HRC-D", ticket.PriorityLow, ticket.ChannelPhone, et(12, 1, 10, 0),
			step{et(12, 1, 10, 0), ticket.ActEscalate, by("hrc")},
			step{et(12, 1, 11, 0), ticket.ActStartFix, by("vets")},
			step{et(12, 3, 12, 0), ticket.ActChangePriority, ticket.Request{Actor: "pm", Priority: ticket.PriorityUrgent}},
			step{et(12, 4, 10, 0), ticket.ActResolve, by("vets")}),
		// E: cancelled at Tier 1 as a duplicate; no clock ever ran.
		build(t, "HRC-E", ticket.PriorityMedium, ticket.ChannelChat, et(12, 2, 10, 0),
			step{et(12, 2, 12, 0), ticket.ActCancel, ticket.Request{Actor: "hrc", Comment: "same caller",
				CancelReason: ticket.CancelDuplicate, DuplicateOf: "HRC-A"}}),
		// F: resolved at Tier 1 in an hour.
		build(t, "HRC-F", ticket.PriorityLow, ticket.ChannelPhone, et(12, 7, 14, 0),
			step{et(12, 7, 15, 0), ticket.ActResolve, by("hrc")}),
		// G: opened before the period and still with ES: 48.6 days old at the end of the
		// period (Oct 26 14:00 UTC to Dec 14 05:00 UTC). Its ES breach (Nov 3) is outside.
		build(t, "HRC-G", ticket.PriorityHigh, ticket.ChannelEmail, et(10, 26, 10, 0),
			step{et(10, 26, 10, 30), ticket.ActEscalate, by("hrc")},
			step{et(10, 26, 11, 0), ticket.ActAcknowledge, by("vets")},
			step{et(10, 27, 10, 0), ticket.ActRouteToES, by("vets")}),
		// H: escalated Thu 12-10 09:00, not acknowledged by the time the data is read (21
		// business hours of 48: pending); 3.6 days old at the end of the period.
		build(t, "HRC-H", ticket.PriorityMedium, ticket.ChannelWeb, et(12, 10, 9, 0),
			step{et(12, 10, 9, 0), ticket.ActEscalate, by("hrc")}),
		// I: opened after the period: in no figure.
		build(t, "HRC-I", ticket.PriorityHigh, ticket.ChannelPhone, et(12, 14, 10, 0)),
	}
}

func fixtureInput(t testing.TB) Input {
	return Input{
		From: "2026-11-30", To: "2026-12-13", Zone: ny, AsOf: asOf, UIURL: "http://localhost:8233", Namespace: "default",
		Tickets: fixture(t),
		Submissions: []Submission{
			{"2026-11-29", "processed"}, // before the period
			{"2026-12-01", "processed"}, {"2026-12-01", "processed"}, {"2026-12-01", "failed"},
			{"2026-12-02", "stuck"},
		},
		DailyReports: []DailyReport{
			{Date: "2026-12-01", Outcome: "reconciled", ESRows: 3, Submitted: 3},
			{Date: "2026-12-02", Outcome: "discrepancies", ESRows: 0, Submitted: 1, MissingFromES: 1},
		},
	}
}
