package ticket

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hcaops/hcaops/sla"
)

// Action is an operator action on a ticket; each is a Temporal Update of the same name.
type Action string

const (
	ActEscalate       Action = "escalate"        // HRC Tier 1 routes the ticket to vets.gov for triage
	ActAcknowledge    Action = "acknowledge"     // vets.gov acknowledges it (stops the acknowledgement clock)
	ActStartFix       Action = "start-fix"       // vets.gov triages it as its own break/fix
	ActRouteToES      Action = "route-to-es"     // vets.gov routes it to ES Tier 2/3
	ActReturnFromES   Action = "return-from-es"  // ES hands it back to vets.gov triage
	ActHold           Action = "hold"            // on hold, awaiting the caller or a change
	ActResume         Action = "resume"          // off hold, back where it was
	ActResolve        Action = "resolve"         // fixed (by HRC at Tier 1, vets.gov or ES)
	ActReopen         Action = "reopen"          // the caller says the problem persists
	ActCancel         Action = "cancel"          // not an issue, or a duplicate of another ticket
	ActChangePriority Action = "change-priority" // moves the resolution deadlines
	ActESOutcome      Action = "es-outcome"      // what ES said of the ticket on the regular call
	// ActESAgenda is sent by hcaops when the ticket is put on a call's agenda; operators never send it.
	ActESAgenda Action = "es-agenda"
	// ActNote adds a note to the timeline without changing anything else: a comment from
	// an operator, or a log entry a person wrote in the service desk.
	ActNote Action = "note"
)

// ESOutcome is what ES said of a ticket on the regular call.
type ESOutcome string

const (
	ESAcknowledged ESOutcome = "acknowledged" // ES has the issue
	ESWorking      ESOutcome = "working"      // ES is working on it
	ESResolved     ESOutcome = "resolved"     // ES fixed it: the ticket is resolved
	ESNeedsInfo    ESOutcome = "needs-info"   // ES needs more information from vets.gov
	ESReturned     ESOutcome = "returned"     // not ES's: back to vets.gov triage
)

var ESOutcomes = []ESOutcome{ESAcknowledged, ESWorking, ESResolved, ESNeedsInfo, ESReturned}

// ParseESOutcome accepts an outcome in any letter case.
func ParseESOutcome(s string) (ESOutcome, error) {
	return parseEnum("ES outcome", s, ESOutcomes)
}

// Request is the input of every action; each action reads the fields it needs.
type Request struct {
	Actor        string       `json:"actor"`
	Comment      string       `json:"comment,omitempty"`
	HoldReason   HoldReason   `json:"holdReason,omitempty"`
	CancelReason CancelReason `json:"cancelReason,omitempty"`
	DuplicateOf  string       `json:"duplicateOf,omitempty"`
	Priority     Priority     `json:"priority,omitempty"`
	ESOutcome    ESOutcome    `json:"esOutcome,omitempty"`
	CallDate     string       `json:"callDate,omitempty"` // the ES call an outcome or agenda belongs to
	// PIIFlags are set by desk intake when the comment had PII-looking values masked.
	PIIFlags []PIIFlag `json:"piiFlags,omitempty"`
}

// Step is an action to apply as soon as a ticket opens: hcaops opens tickets already
// escalated and routed to ES when it finds a problem only ES can fix.
type Step struct {
	Action  Action  `json:"action"`
	Request Request `json:"request"`
}

type rule struct {
	action       Action
	from         []State
	needsComment bool
	internal     bool // sent by hcaops itself, never offered to operators
	// heldFrom also allows the action On Hold when the ticket was put on hold from one of
	// these states: a ticket held while with ES stays on the call's agenda.
	heldFrom []State
}

var working = []State{StateTriage, StateInProgress, StateAwaitingES}

// rules is the state machine, in the order actions are offered to operators.
var rules = []rule{
	{ActEscalate, []State{StateNew}, false, false, nil},
	{ActAcknowledge, []State{StateTriage}, false, false, nil},
	{ActStartFix, []State{StateTriage}, false, false, nil},
	{ActRouteToES, []State{StateTriage, StateInProgress}, true, false, nil},
	{ActReturnFromES, []State{StateAwaitingES}, true, false, nil},
	{ActHold, working, true, false, nil},
	{ActResume, []State{StateOnHold}, false, false, nil},
	{ActResolve, []State{StateNew, StateTriage, StateInProgress, StateAwaitingES}, true, false, nil},
	{ActReopen, []State{StateResolved}, false, false, nil},
	{ActCancel, []State{StateNew, StateTriage, StateInProgress, StateAwaitingES, StateOnHold}, true, false, nil},
	// Not on a resolved ticket: Dynamics makes a resolved incident read-only, so the
	// mirror could not follow; reopen first.
	{ActChangePriority, []State{StateNew, StateTriage, StateInProgress, StateAwaitingES, StateOnHold}, false, false, nil},
	{ActESOutcome, []State{StateAwaitingES}, false, false, []State{StateAwaitingES}},
	{ActESAgenda, []State{StateAwaitingES}, false, true, []State{StateAwaitingES}},
	{ActNote, []State{StateNew, StateTriage, StateInProgress, StateAwaitingES, StateOnHold, StateResolved}, true, false, nil},
}

// Actions lists every action, the internal ones included.
func Actions() []Action {
	out := make([]Action, len(rules))
	for i, r := range rules {
		out[i] = r.action
	}
	return out
}

// OperatorActions lists the actions people take.
func OperatorActions() []Action {
	var out []Action
	for _, r := range rules {
		if !r.internal {
			out = append(out, r.action)
		}
	}
	return out
}

// Allowed lists the operator actions possible from a state, in a fixed order.
func Allowed(s State) []Action { return allowed(s, "") }

// Allowed lists the operator actions possible on the ticket now: on hold, that depends on
// where it was held from.
func (t *Ticket) Allowed() []Action { return allowed(t.State, t.HeldFrom) }

func allowed(s, heldFrom State) []Action {
	var out []Action
	for _, r := range rules {
		if r.allows(s, heldFrom) && !r.internal {
			out = append(out, r.action)
		}
	}
	return out
}

func (r rule) allows(s, heldFrom State) bool {
	return slices.Contains(r.from, s) || (s == StateOnHold && slices.Contains(r.heldFrom, heldFrom))
}

func ruleFor(a Action) (rule, bool) {
	for _, r := range rules {
		if r.action == a {
			return r, true
		}
	}
	return rule{}, false
}

// ErrRejected marks an action the state machine refuses.
var ErrRejected = errors.New("rejected")

func reject(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrRejected, fmt.Sprintf(format, args...))
}

// Check says whether the action may be applied now, and if not, what is allowed. It
// changes nothing: it is the Update validator, so a refused action never reaches history.
func (t *Ticket) Check(a Action, r Request, now time.Time) error {
	rl, ok := ruleFor(a)
	if !ok {
		return reject("unknown action %q", a)
	}
	if t.State.Terminal() {
		return reject("ticket %s is %s; no further action is possible", t.Ref, strings.ToLower(string(t.State)))
	}
	if !rl.allows(t.State, t.HeldFrom) {
		return reject("cannot %s a ticket that is %s; allowed now: %s", a, t.State, joinActions(t.Allowed()))
	}
	if strings.TrimSpace(r.Actor) == "" {
		return reject("%s needs an actor (who is acting)", a)
	}
	if rl.needsComment && strings.TrimSpace(r.Comment) == "" {
		return reject("%s requires a comment", a)
	}
	if err := checkText("comment", r.Comment, MaxDescription, false); err != nil {
		return reject("%v", err)
	}
	switch a {
	case ActAcknowledge:
		if t.Clock(ClockAcknowledge).Phase == sla.PhaseStopped {
			return reject("ticket %s is already acknowledged", t.Ref)
		}
	case ActHold:
		if _, err := ParseHoldReason(string(r.HoldReason)); err != nil {
			return reject("%v", err)
		}
	case ActCancel:
		reason, err := ParseCancelReason(string(r.CancelReason))
		if err != nil {
			return reject("%v", err)
		}
		if reason == CancelDuplicate {
			if err := ValidRef(r.DuplicateOf); err != nil {
				return reject("a duplicate needs the ticket it duplicates: %v", err)
			}
			if r.DuplicateOf == t.Ref {
				return reject("ticket %s cannot duplicate itself", t.Ref)
			}
		}
	case ActChangePriority:
		p, err := ParsePriority(string(r.Priority))
		if err != nil {
			return reject("%v", err)
		}
		if p == t.Priority {
			return reject("ticket %s is already %s priority", t.Ref, p)
		}
	case ActESOutcome:
		o, err := ParseESOutcome(string(r.ESOutcome))
		if err != nil {
			return reject("%v", err)
		}
		if (o == ESNeedsInfo || o == ESReturned || o == ESResolved) && strings.TrimSpace(r.Comment) == "" {
			return reject("ES outcome %s requires a comment", o)
		}
	case ActESAgenda:
		if r.CallDate == "" {
			return reject("es-agenda needs the call date")
		}
		if t.ES.LastAgenda == r.CallDate {
			return reject("ticket %s is already on the agenda of the %s call", t.Ref, r.CallDate)
		}
	case ActReopen:
		if !now.Before(t.CloseAt()) {
			return reject("ticket %s can no longer be reopened: its reopen window ended at %s", t.Ref, t.CloseAt().Format(time.RFC3339))
		}
	}
	return nil
}

func joinActions(as []Action) string {
	if len(as) == 0 {
		return "nothing"
	}
	s := make([]string, len(as))
	for i, a := range as {
		s[i] = string(a)
	}
	return strings.Join(s, ", ")
}

// Apply performs an action that Check accepted and records it in the timeline.
func (t *Ticket) Apply(a Action, r Request, cals Calendars, now time.Time) {
	// What the clocks reached before this action is history the action cannot undo.
	t.SettleClocks(cals, now)
	from := t.State
	comment := strings.TrimSpace(r.Comment)
	switch a {
	case ActEscalate:
		t.State, t.Tier, t.EscalatedAt = StateTriage, TierVetsGov, now
	case ActAcknowledge:
		t.Clock(ClockAcknowledge).Stop(cals.For(ClockAcknowledge), now)
	case ActStartFix:
		t.State, t.Tier = StateInProgress, TierVetsGov
	case ActRouteToES:
		t.State, t.Tier = StateAwaitingES, TierES
	case ActReturnFromES:
		t.State, t.Tier = StateTriage, TierVetsGov
	case ActHold:
		t.HeldFrom, t.State = t.State, StateOnHold
		t.HoldReason, _ = ParseHoldReason(string(r.HoldReason))
		comment = strings.TrimSpace(string(t.HoldReason) + ": " + comment)
	case ActResume:
		t.State, t.HeldFrom, t.HoldReason = t.HeldFrom, "", ""
	case ActResolve:
		t.State, t.ResolvedAt = StateResolved, now
	case ActReopen:
		t.State, t.Tier, t.ResolvedAt = StateTriage, TierVetsGov, time.Time{}
	case ActCancel:
		t.State = StateCancelled
		t.CancelReason, _ = ParseCancelReason(string(r.CancelReason))
		if t.CancelReason == CancelDuplicate {
			t.DuplicateOf = r.DuplicateOf
			comment = strings.TrimSpace("duplicate of " + r.DuplicateOf + ": " + comment)
		}
	case ActESOutcome:
		o, _ := ParseESOutcome(string(r.ESOutcome))
		comment = t.applyESOutcome(o, r.CallDate, comment, now)
	case ActESAgenda:
		comment = t.listOnAgenda(r.CallDate)
	case ActChangePriority:
		p, _ := ParsePriority(string(r.Priority))
		comment = strings.TrimSpace(fmt.Sprintf("%s → %s: %s", t.Priority, p, comment))
		t.Priority = p
		// Targets change, clocks keep what they counted: deadlines move from the start.
		t.Clock(ClockResolution).Target = t.Policy.Resolution[p]
		t.Clock(ClockES).Target = t.Policy.ES[p]
	}
	// Any triage decision acknowledges the ticket; a note is not a decision.
	if from == StateTriage && a != ActHold && a != ActChangePriority && a != ActNote {
		t.Clock(ClockAcknowledge).Stop(cals.For(ClockAcknowledge), now)
	}
	t.syncClocks(cals, now)
	to := t.State
	if to == from {
		to = ""
	}
	t.record(now, r.Actor, string(a), from, to, comment)
	t.flagPII(now, r.PIIFlags)
}

// Close ends a resolved ticket when its reopen window has passed.
func (t *Ticket) Close(now time.Time) {
	from := t.State
	t.State, t.ClosedAt = StateClosed, now
	t.record(now, SystemActor, "close", from, StateClosed, "reopen window ended")
}
