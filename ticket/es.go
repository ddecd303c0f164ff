package ticket

import (
	"fmt"
	"strings"
	"time"
)

// ESFollowUp is what the regular vets.gov–ES call has said of a ticket. ES has no access to
// the service desk, so this is the only record of its progress.
type ESFollowUp struct {
	Calls                int       `json:"calls"`                // agendas the ticket has been on
	CallsWithoutProgress int       `json:"callsWithoutProgress"` // since ES last moved it forward
	LastCall             string    `json:"lastCall,omitempty"`
	LastAgenda           string    `json:"lastAgenda,omitempty"` // the call whose agenda listed it last
	LastOutcome          ESOutcome `json:"lastOutcome,omitempty"`
	LastOutcomeAt        time.Time `json:"lastOutcomeAt,omitzero"`
	LastComment          string    `json:"lastComment,omitempty"`
	Stalled              bool      `json:"stalled,omitempty"` // escalated per the Tier 2+ procedure
	StalledAt            time.Time `json:"stalledAt,omitzero"`
}

// DefaultESStallCalls is how many calls a ticket may sit on without ES progress.
const DefaultESStallCalls = 3

func (p Policy) esStallCalls() int {
	if p.ESStallCalls <= 0 {
		return DefaultESStallCalls
	}
	return p.ESStallCalls
}

// applyESOutcome records an outcome; resolved and returned move the ticket.
func (t *Ticket) applyESOutcome(o ESOutcome, call, comment string, now time.Time) string {
	f := &t.ES
	// Acknowledging again is not progress: it is what a stalled item sounds like.
	progress := o != ESAcknowledged || f.LastOutcome == ""
	if progress {
		f.CallsWithoutProgress = 0
		f.Stalled, f.StalledAt = false, time.Time{}
	}
	f.LastOutcome, f.LastOutcomeAt, f.LastComment = o, now, comment
	if call != "" {
		f.LastCall = call
	}
	switch o {
	case ESResolved:
		t.State, t.ResolvedAt = StateResolved, now
		t.HeldFrom, t.HoldReason = "", "" // an outcome on hold ends the hold too
	case ESReturned:
		t.State, t.Tier = StateTriage, TierVetsGov
		t.HeldFrom, t.HoldReason = "", ""
	}
	label := "ES " + string(o)
	if call != "" {
		label += " (call " + call + ")"
	}
	return strings.TrimSpace(label + ": " + comment)
}

// listOnAgenda counts a call the ticket is raised on; after the policy's number of calls
// without progress it is marked stalled, and the workflow escalates it once. A call while
// the ticket is on hold awaiting the caller is listed but not counted: ES is waiting on
// the caller, not stalling.
func (t *Ticket) listOnAgenda(call string) string {
	f := &t.ES
	f.Calls++
	f.LastAgenda = call
	if t.State == StateOnHold && t.HoldReason == HoldAwaitingCaller {
		return fmt.Sprintf("on the ES call agenda %s while on hold awaiting the caller (not counted toward no ES progress)", call)
	}
	if f.CallsWithoutProgress >= t.Policy.esStallCalls() && !f.Stalled {
		f.Stalled = true
	}
	f.CallsWithoutProgress++
	return fmt.Sprintf("on the ES call agenda %s (%d call(s) without ES progress)", call, f.CallsWithoutProgress)
}
