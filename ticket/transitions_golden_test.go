package ticket

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// The golden table of the state machine, written by hand from the README's process
// table ("The process") and not from the rules in actions.go: for every state and every
// action, whether Check lets a well-formed request through. "Y" is allowed, "." refused.
//
// The README's answers, row by row:
//   - New (HRC Tier 1): escalate, resolve at Tier 1, cancel.
//   - Triage: acknowledge, start-fix, route-to-es, hold, resolve, cancel.
//   - In Progress: route-to-es, hold, resolve, cancel.
//   - Awaiting ES: es-outcome, return-from-es, hold, resolve, cancel; es-agenda (hcaops
//     lists every open ticket awaiting ES on the call's agenda and records it).
//   - On Hold: resume, cancel.
//   - On Hold from Awaiting ES ("On Hold/ES"): also es-outcome and es-agenda. Changed on
//     purpose (issue 7, section 6): a ticket put on hold while with ES stays on the call's
//     agenda, and what ES says of it on the call is recorded.
//   - Resolved: reopen within the window.
//   - Closed, Cancelled: nothing.
//   - change-priority in every open state but Resolved: the README's Resolved row names
//     only reopen, and Dynamics refuses to change a resolved incident (lead's decision).
//   - note (a comment, from an operator or a person in the service desk) in every state
//     whose workflow still runs: New to Resolved.
const goldenTable = `
            | esc  ack  fix  es   ret  hold resm rslv reop canc prio outc agnd note
New         |  Y    .    .    .    .    .    .    Y    .    Y    Y    .    .    Y
Triage      |  .    Y    Y    Y    .    Y    .    Y    .    Y    Y    .    .    Y
In Progress |  .    .    .    Y    .    Y    .    Y    .    Y    Y    .    .    Y
Awaiting ES |  .    .    .    .    Y    Y    .    Y    .    Y    Y    Y    Y    Y
On Hold     |  .    .    .    .    .    .    Y    .    .    Y    Y    .    .    Y
On Hold/ES  |  .    .    .    .    .    .    Y    .    .    Y    Y    Y    Y    Y
Resolved    |  .    .    .    .    .    .    .    .    Y    .    .    .    .    Y
Closed      |  .    .    .    .    .    .    .    .    .    .    .    .    .    .
Cancelled   |  .    .    .    .    .    .    .    .    .    .    .    .    .    .
`

// goldenColumns names the table's columns: the Update names operators and hcaops send.
var goldenColumns = map[string]Action{
	"esc": "escalate", "ack": "acknowledge", "fix": "start-fix", "es": "route-to-es",
	"ret": "return-from-es", "hold": "hold", "resm": "resume", "rslv": "resolve",
	"reop": "reopen", "canc": "cancel", "prio": "change-priority", "outc": "es-outcome",
	"agnd": "es-agenda", "note": "note",
}

// goldenAllowedNow is what a refusal tells the operator they may do instead, in the
// order the actions are offered; es-agenda is hcaops's own and never offered.
var goldenAllowedNow = map[string]string{
	"New":         "escalate, resolve, cancel, change-priority, note",
	"Triage":      "acknowledge, start-fix, route-to-es, hold, resolve, cancel, change-priority, note",
	"In Progress": "route-to-es, hold, resolve, cancel, change-priority, note",
	"Awaiting ES": "return-from-es, hold, resolve, cancel, change-priority, es-outcome, note",
	"On Hold":     "resume, cancel, change-priority, note",
	"On Hold/ES":  "resume, cancel, change-priority, es-outcome, note",
	"Resolved":    "reopen, note",
}

type goldenRow struct {
	label   string // the state, or "On Hold/ES" for a ticket held while Awaiting ES
	state   State
	allowed map[Action]bool // every column, true when Check must let the action through
}

// readGolden parses goldenTable.
func readGolden(t *testing.T) []goldenRow {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(goldenTable), "\n")
	_, header, _ := strings.Cut(lines[0], "|")
	var cols []Action
	for _, h := range strings.Fields(header) {
		a, ok := goldenColumns[h]
		if !ok {
			t.Fatalf("golden table: unknown column %q", h)
		}
		cols = append(cols, a)
	}
	var rows []goldenRow
	for _, line := range lines[1:] {
		state, marks, ok := strings.Cut(line, "|")
		if !ok || len(strings.Fields(marks)) != len(cols) {
			t.Fatalf("golden table: line %q has not %d marks", line, len(cols))
		}
		label := strings.TrimSpace(state)
		row := goldenRow{label: label, state: State(strings.TrimSuffix(label, "/ES")), allowed: map[Action]bool{}}
		for i, m := range strings.Fields(marks) {
			if m != "Y" && m != "." {
				t.Fatalf("golden table: %s: mark %q (want Y or .)", row.state, m)
			}
			row.allowed[cols[i]] = m == "Y"
		}
		rows = append(rows, row)
	}
	return rows
}

// goldenRequest is a request an operator could send for a, complete in every field the
// action reads: actor, comment, reasons, priority, ES outcome and call date.
func goldenRequest(a Action) Request {
	r := Request{Actor: "vets-op-2", Comment: "looked at the submission logs"}
	switch a {
	case "hold":
		r.HoldReason = "awaiting-caller"
	case "cancel":
		r.CancelReason = "not-an-issue"
	case "change-priority":
		r.Priority = "High" // the ticket opens Medium
	case "es-outcome":
		r.ESOutcome, r.CallDate = "working", "2026-12-01"
	case "es-agenda":
		r.Actor, r.CallDate = SystemActor, "2026-12-01"
	}
	return r
}

// ticketIn brings a fresh Medium ticket to state s (a golden row's label) the way people
// do, one action at a time, and returns it with a moment at which it is in that state.
func ticketIn(t *testing.T, s string) (*Ticket, time.Time) {
	t.Helper()
	p := DefaultPolicy()
	cals, err := NewCalendars(p)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC) // a Monday, in business hours
	tk := Open(NewTicket{Ref: "HRC-7", Channel: ChannelPhone, Product: ProductOnline1010EZ,
		Summary: "Form stops at the insurance page", Priority: PriorityMedium, Reporter: "hrc-agent-1"}, p, cals, now)
	step := func(a Action, r Request) {
		t.Helper()
		now = now.Add(time.Hour)
		if err := tk.Check(a, r, now); err != nil {
			t.Fatalf("bringing the ticket to %s: %s: %v", s, a, err)
		}
		tk.Apply(a, r, cals, now)
	}
	by := func(comment string) Request { return Request{Actor: "vets-op-1", Comment: comment} }
	switch s {
	case "New":
	case "Triage":
		step("escalate", by(""))
	case "In Progress":
		step("escalate", by(""))
		step("start-fix", by(""))
	case "Awaiting ES":
		step("escalate", by(""))
		step("route-to-es", by("ES rejects the record"))
	case "On Hold":
		step("escalate", by(""))
		step("start-fix", by(""))
		step("hold", Request{Actor: "vets-op-1", Comment: "waiting for the caller", HoldReason: "awaiting-caller"})
	case "On Hold/ES":
		step("escalate", by(""))
		step("route-to-es", by("ES rejects the record"))
		step("hold", Request{Actor: "vets-op-1", Comment: "waiting for the caller", HoldReason: "awaiting-caller"})
	case "Resolved":
		step("resolve", by("password reset at Tier 1"))
	case "Closed":
		step("resolve", by("password reset at Tier 1"))
		now = now.Add(8 * 24 * time.Hour) // past the 7-day reopen window
		tk.Close(now)
	case "Cancelled":
		step("cancel", Request{Actor: "vets-op-1", Comment: "caller found the form", CancelReason: "not-an-issue"})
	default:
		t.Fatalf("no way to %s", s)
	}
	if want := State(strings.TrimSuffix(s, "/ES")); tk.State != want {
		t.Fatalf("the ticket is %s, want %s", tk.State, want)
	}
	return tk, now.Add(time.Minute)
}

func TestTransitionsGolden(t *testing.T) {
	for _, row := range readGolden(t) {
		for a, allowed := range row.allowed {
			tk, now := ticketIn(t, row.label)
			before := len(tk.Timeline)
			err := tk.Check(a, goldenRequest(a), now)
			if allowed {
				if err != nil {
					t.Errorf("%s from %s: refused (%v), want allowed", a, row.label, err)
				}
				continue
			}
			allowedNow, open := goldenAllowedNow[row.label]
			switch {
			case err == nil:
				t.Errorf("%s from %s: allowed, want refused", a, row.state)
			case !errors.Is(err, ErrRejected):
				t.Errorf("%s from %s: error %v is not ErrRejected", a, row.state, err)
			case !open && !strings.Contains(err.Error(), "no further action is possible"):
				t.Errorf("%s from %s: %q does not say that nothing is possible", a, row.state, err)
			case open && !strings.HasSuffix(err.Error(), "allowed now: "+allowedNow):
				t.Errorf("%s from %s: %q does not end with %q", a, row.state, err, "allowed now: "+allowedNow)
			}
			if tk.State != row.state || len(tk.Timeline) != before {
				t.Errorf("%s from %s: a refused check changed the ticket", a, row.state)
			}
		}
	}
}

// The table has a row for every state and a column for every action, so a new state or
// action cannot slip past it.
func TestTransitionsGoldenCoversEverything(t *testing.T) {
	rows := readGolden(t)
	seen := map[State]bool{}
	for _, row := range rows {
		seen[row.state] = true
		for _, a := range Actions() {
			if _, ok := row.allowed[a]; !ok {
				t.Errorf("action %s has no column", a)
			}
		}
		if len(row.allowed) != len(Actions()) {
			t.Errorf("%s: %d columns for %d actions", row.state, len(row.allowed), len(Actions()))
		}
	}
	for _, s := range []State{StateNew, StateTriage, StateInProgress, StateAwaitingES, StateOnHold, StateResolved, StateClosed, StateCancelled} {
		if !seen[s] {
			t.Errorf("state %s has no row", s)
		}
	}
	if len(rows) != 9 || len(seen) != 8 {
		t.Errorf("%d rows for the 8 states and On Hold/ES", len(rows))
	}
}
