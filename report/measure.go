package report

import (
	"time"

	"github.com/hcaops/hcaops/sla"
	"github.com/hcaops/hcaops/ticket"
)

// Verdict is what a service clock says of one ticket.
type Verdict string

const (
	NotApplicable Verdict = ""        // the clock never started (e.g. resolved at Tier 1)
	Met           Verdict = "met"     // stopped before its target
	Missed        Verdict = "missed"  // reached its target (stopped or not)
	Pending       Verdict = "pending" // still counting, target not reached
)

// measured is everything the report needs of one ticket, read from its final (or current)
// state and its timeline.
type measured struct {
	t        *ticket.Ticket
	opened   time.Time
	tier     ticket.Tier // the deepest tier the ticket reached
	verdicts map[string]Verdict
	// Durations: ok is false when the ticket has not got there.
	ackCalendar, ackBusiness         time.Duration
	acked                            bool
	resolveCalendar, resolveBusiness time.Duration
	resolvedFinal                    bool // resolved or closed now: the durations above hold
	everResolved                     bool // reached Resolved at least once
	reopened                         bool
	awaitingES                       time.Duration // wall time in Awaiting ES, up to asOf
	wentToES                         bool
}

// measure reads one ticket. business is the business calendar of the ticket's own policy.
func measure(t *ticket.Ticket, business sla.Calendar, asOf time.Time) measured {
	m := measured{t: t, opened: t.OpenedAt, tier: ticket.TierHRC, verdicts: map[string]Verdict{}}
	if m.opened.IsZero() && len(t.Timeline) > 0 {
		m.opened = t.Timeline[0].At
	}
	for i := range t.Clocks {
		m.verdicts[t.Clocks[i].Name] = verdict(&t.Clocks[i])
	}
	if ack := t.Clock(ticket.ClockAcknowledge); ack != nil && ack.Phase == sla.PhaseStopped && !ack.StartedAt.IsZero() {
		m.acked = true
		m.ackCalendar = ack.StoppedAt.Sub(ack.StartedAt)
		m.ackBusiness = business.Between(ack.StartedAt, ack.StoppedAt)
	}

	state := ticket.StateNew
	var esSince, lastResolved time.Time
	for _, e := range t.Timeline {
		if e.To == "" {
			continue
		}
		switch e.To {
		case ticket.StateTriage, ticket.StateInProgress:
			m.tier = deeper(m.tier, ticket.TierVetsGov)
		case ticket.StateAwaitingES:
			m.tier, m.wentToES = ticket.TierES, true
		case ticket.StateResolved:
			m.everResolved, lastResolved = true, e.At
		}
		if e.Action == string(ticket.ActReopen) {
			m.reopened = true
		}
		if state == ticket.StateAwaitingES && e.To != ticket.StateAwaitingES {
			m.awaitingES += e.At.Sub(esSince)
		}
		if e.To == ticket.StateAwaitingES && state != ticket.StateAwaitingES {
			esSince = e.At
		}
		state = e.To
	}
	if state == ticket.StateAwaitingES && asOf.After(esSince) {
		m.awaitingES += asOf.Sub(esSince)
	}
	// The last resolution counts: a reopened ticket is resolved when it is resolved for good.
	if m.everResolved && (t.State == ticket.StateResolved || t.State == ticket.StateClosed) {
		m.resolvedFinal = true
		m.resolveCalendar = lastResolved.Sub(m.opened)
		m.resolveBusiness = business.Between(m.opened, lastResolved)
	}
	return m
}

// verdict reads a clock as of its last recorded crossing: a breach recorded is missed
// whether or not the clock still runs.
func verdict(c *sla.Clock) Verdict {
	switch {
	case c.Phase == sla.PhaseNotStarted:
		return NotApplicable
	case c.Breached():
		return Missed
	case c.Phase == sla.PhaseStopped:
		return Met
	}
	return Pending
}

func deeper(a, b ticket.Tier) ticket.Tier {
	rank := map[ticket.Tier]int{ticket.TierHRC: 0, ticket.TierVetsGov: 1, ticket.TierES: 2}
	if rank[b] > rank[a] {
		return b
	}
	return a
}

// stateAt replays the timeline up to instant at: the state the ticket was in then, and
// whether it existed yet.
func stateAt(t *ticket.Ticket, opened, at time.Time) (ticket.State, bool) {
	if opened.After(at) {
		return "", false
	}
	state := ticket.StateNew
	for _, e := range t.Timeline {
		if e.At.After(at) {
			break
		}
		if e.To != "" {
			state = e.To
		}
	}
	return state, true
}

// inBacklog says whether a ticket in state s still needs work.
func inBacklog(s ticket.State) bool {
	switch s {
	case ticket.StateResolved, ticket.StateClosed, ticket.StateCancelled:
		return false
	}
	return true
}
