// Package simulation replays ticket traffic through the real TicketWorkflow in Temporal's
// time-skipping test environment, under the policy each ticket had and under a proposed
// one, and compares compliance, breaches and escalations per priority. The traffic is the
// real history of tickets (read from Temporal) or a CSV of ticket events; a generator
// makes realistic traffic to try it without real data.
//
// It links go.temporal.io/sdk/testsuite, so only the whatif program uses it: the worker
// and the other programs never do (internal/app's layout test checks).
package simulation

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/hcaops/hcaops/ticket"
)

// Ticket is the traffic of one ticket: how it was opened and every action taken on it,
// in order.
type Ticket struct {
	New ticket.NewTicket
	// Policy is the policy the ticket was measured against (from its history); nil means
	// the caller's current policy.
	Policy *ticket.Policy
	Events []Event
}

// Event is one action on a ticket, at the instant it was taken.
type Event struct {
	At      time.Time
	Action  ticket.Action
	Request ticket.Request
}

// FromHistory rebuilds the traffic of tickets from their timelines (the final result or
// current state their workflows keep). System events (warnings, breaches, closure, mirror
// failures) are left out: the replay produces its own.
func FromHistory(tickets []ticket.Ticket) ([]Ticket, error) {
	actions := ticket.Actions()
	var out []Ticket
	for _, t := range tickets {
		p := t.Policy
		tt := Ticket{New: t.NewTicket, Policy: &p}
		if tt.New.OpenedAt.IsZero() && len(t.Timeline) > 0 {
			tt.New.OpenedAt = t.Timeline[0].At
		}
		// The priority it was opened with: a change-priority comment says "Low → High: ...".
		for _, e := range t.Timeline {
			if e.Action == string(ticket.ActChangePriority) {
				if from, _, ok := strings.Cut(e.Comment, " → "); ok {
					tt.New.Priority = ticket.Priority(from)
				}
				break
			}
		}
		for _, e := range t.Timeline {
			a := ticket.Action(e.Action)
			if e.Action == "open" || !slices.Contains(actions, a) {
				continue
			}
			req, err := requestFromEvent(a, e)
			if err != nil {
				return nil, fmt.Errorf("ticket %s, %s at %s: %w", t.Ref, e.Action, e.At.Format(time.RFC3339), err)
			}
			tt.Events = append(tt.Events, Event{At: e.At, Action: a, Request: req})
		}
		out = append(out, tt)
	}
	return out, nil
}

var (
	priorityChange = regexp.MustCompile(`^(\w+) → (\w+)(?::\s*(.*))?$`)
	esOutcome      = regexp.MustCompile(`^ES ([a-z-]+)(?: \(call (\d{4}-\d{2}-\d{2})\))?(?::\s*(.*))?$`)
	agenda         = regexp.MustCompile(`^on the ES call agenda (\d{4}-\d{2}-\d{2})`)
)

// requestFromEvent recovers an action's request from its timeline line: Apply writes the
// request's reason, priority or outcome into the comment (ticket/actions.go, ticket/es.go).
func requestFromEvent(a ticket.Action, e ticket.Event) (ticket.Request, error) {
	r := ticket.Request{Actor: e.Actor, Comment: e.Comment}
	switch a {
	case ticket.ActHold:
		reason, rest, _ := strings.Cut(e.Comment, ":")
		r.HoldReason, r.Comment = ticket.HoldReason(reason), strings.TrimSpace(rest)
	case ticket.ActCancel:
		r.CancelReason = ticket.CancelNotAnIssue
		if rest, ok := strings.CutPrefix(e.Comment, "duplicate of "); ok {
			ref, comment, _ := strings.Cut(rest, ":")
			r.CancelReason, r.DuplicateOf, r.Comment = ticket.CancelDuplicate, ref, strings.TrimSpace(comment)
		}
	case ticket.ActChangePriority:
		m := priorityChange.FindStringSubmatch(e.Comment)
		if m == nil {
			return r, fmt.Errorf("cannot read the new priority from %q", e.Comment)
		}
		r.Priority, r.Comment = ticket.Priority(m[2]), m[3]
	case ticket.ActESOutcome:
		m := esOutcome.FindStringSubmatch(e.Comment)
		if m == nil {
			return r, fmt.Errorf("cannot read the ES outcome from %q", e.Comment)
		}
		r.ESOutcome, r.CallDate, r.Comment = ticket.ESOutcome(m[1]), m[2], m[3]
	case ticket.ActESAgenda:
		m := agenda.FindStringSubmatch(e.Comment)
		if m == nil {
			return r, fmt.Errorf("cannot read the call date from %q", e.Comment)
		}
		r.CallDate, r.Comment = m[1], ""
	}
	return r, nil
}

// window is the first and last instant of the traffic.
func window(ts []Ticket) (first, last time.Time) {
	for _, t := range ts {
		for _, at := range append([]time.Time{t.New.OpenedAt}, eventTimes(t)...) {
			if first.IsZero() || at.Before(first) {
				first = at
			}
			if at.After(last) {
				last = at
			}
		}
	}
	return first, last
}

func eventTimes(t Ticket) []time.Time {
	out := make([]time.Time, len(t.Events))
	for i, e := range t.Events {
		out[i] = e.At
	}
	return out
}
