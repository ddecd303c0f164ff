package ticket

import (
	"time"

	"github.com/hcaops/hcaops/sla"
)

// Clock names; Ticket.Clocks holds them in this order.
const (
	ClockAcknowledge = "acknowledge" // vets.gov acknowledges an escalated ticket
	ClockResolution  = "resolution"  // vets.gov resolves it (paused while awaiting ES or the caller)
	ClockES          = "es"          // ES Tier 2/3 works it (the partner's target)
)

// Ticket is the whole state of one support ticket, kept by its workflow and carried
// across continue-as-new.
type Ticket struct {
	NewTicket
	State        State        `json:"state"`
	Tier         Tier         `json:"tier"`
	HoldReason   HoldReason   `json:"holdReason,omitempty"`
	HeldFrom     State        `json:"heldFrom,omitempty"`
	CancelReason CancelReason `json:"cancelReason,omitempty"`
	DuplicateOf  string       `json:"duplicateOf,omitempty"`
	EscalatedAt  time.Time    `json:"escalatedAt,omitzero"`
	ResolvedAt   time.Time    `json:"resolvedAt,omitzero"`
	ClosedAt     time.Time    `json:"closedAt,omitzero"`
	Clocks       []sla.Clock  `json:"clocks"`
	Timeline     []Event      `json:"timeline"`
	Policy       Policy       `json:"policy"`
	ES           ESFollowUp   `json:"es,omitzero"`
	// Incident is the ticket in the system of record, once it has been opened there.
	Incident IncidentLink `json:"incident,omitzero"`
	// PIIFlagged is set once text from the desk had PII-looking values masked; the
	// incident carries a comment asking the agent to remove them there too.
	PIIFlagged bool `json:"piiFlagged,omitempty"`
	// Desk is what the incident shows as far as hcaops knows: what it last wrote there,
	// or read from there. A difference in the desk is a person's change.
	Desk DeskView `json:"desk,omitzero"`
}

// DeskView is the incident's owning fields as hcaops last wrote or read them, in the
// desk-neutral words of package servicedesk (status "open", group "vets.gov").
type DeskView struct {
	Status   string   `json:"status,omitempty"`
	Group    string   `json:"group,omitempty"`
	Priority Priority `json:"priority,omitempty"`
	// Seq counts the writes hcaops delivered to the desk; a desk change read before the
	// latest write is stale.
	Seq int `json:"seq,omitempty"`
	// Notes are the desk's IDs of the newest notes people wrote that the ticket has taken.
	Notes []string `json:"notes,omitempty"`
}

// maxDeskNotes bounds DeskView.Notes: a desk lists notes oldest first, so the newest IDs
// are enough to tell a new note from one taken before.
const maxDeskNotes = 100

// TookNote remembers a desk note's ID.
func (d *DeskView) TookNote(id string) {
	d.Notes = append(d.Notes, id)
	if len(d.Notes) > maxDeskNotes {
		d.Notes = d.Notes[len(d.Notes)-maxDeskNotes:]
	}
}

// HasNote reports whether a desk note has been taken.
func (d *DeskView) HasNote(id string) bool {
	for _, n := range d.Notes {
		if n == id {
			return true
		}
	}
	return false
}

// IncidentLink names the incident mirroring this ticket in SDM or Dynamics.
type IncidentLink struct {
	System string `json:"system"`
	ID     string `json:"id"`
	Number string `json:"number"`
}

// Event is one line of the ticket's timeline: an operator action or something hcaops did.
type Event struct {
	At      time.Time `json:"at"`
	Actor   string    `json:"actor"`
	Action  string    `json:"action"`
	From    State     `json:"from,omitempty"`
	To      State     `json:"to,omitempty"`
	Comment string    `json:"comment,omitempty"`
}

// SystemActor is the actor of events hcaops records itself (warnings, breaches, closure).
const SystemActor = "hcaops"

// Open creates the ticket at HRC Tier 1 with its clocks not yet started.
func Open(n NewTicket, p Policy, cals Calendars, now time.Time) *Ticket {
	if n.OpenedAt.IsZero() {
		n.OpenedAt = now
	}
	t := &Ticket{NewTicket: n, State: StateNew, Tier: TierHRC, Policy: p}
	t.Clocks = []sla.Clock{
		sla.NewClock(ClockAcknowledge, cals.For(ClockAcknowledge), p.Acknowledge),
		sla.NewClock(ClockResolution, cals.For(ClockResolution), p.Resolution[n.Priority]),
		sla.NewClock(ClockES, cals.For(ClockES), p.ES[n.Priority]),
	}
	t.record(now, n.Reporter, "open", "", StateNew, "opened at HRC Tier 1 via "+string(n.Channel))
	t.flagPII(now, n.PIIFlags)
	return t
}

// ActPIIMasked is the timeline action recording that text from the desk was masked.
const ActPIIMasked = "pii-masked"

// flagPII records each masked field in the timeline, where the agent is asked to remove
// the value from the incident as well.
func (t *Ticket) flagPII(now time.Time, flags []PIIFlag) {
	for _, f := range flags {
		t.PIIFlagged = true
		t.Note(now, ActPIIMasked, f.Describe()+"; please remove it from the incident as well")
	}
}

// Clock returns the named clock.
func (t *Ticket) Clock(name string) *sla.Clock {
	for i := range t.Clocks {
		if t.Clocks[i].Name == name {
			return &t.Clocks[i]
		}
	}
	return nil
}

// Breached reports whether any clock has breached.
func (t *Ticket) Breached() bool {
	for i := range t.Clocks {
		if t.Clocks[i].Breached() {
			return true
		}
	}
	return false
}

// NextDeadline is the earliest deadline of a running clock, if any runs.
func (t *Ticket) NextDeadline(cals Calendars) (time.Time, bool) {
	var next time.Time
	found := false
	for i := range t.Clocks {
		c := &t.Clocks[i]
		if at, ok := c.Deadline(cals.For(c.Name)); ok && (!found || at.Before(next)) {
			next, found = at, true
		}
	}
	return next, found
}

// ClockCrossing is a threshold one of the ticket's clocks crossed.
type ClockCrossing struct {
	Clock string `json:"clock"`
	sla.Crossing
}

// SettleClocks records every threshold the clocks have crossed by now (see sla.Clock.Settle).
// Apply calls it before an action changes any clock; the workflow calls it when a clock's
// timer fires.
func (t *Ticket) SettleClocks(cals Calendars, now time.Time) {
	for i := range t.Clocks {
		c := &t.Clocks[i]
		c.Settle(cals.For(c.Name), t.Policy.Thresholds(), now)
	}
}

// Unreported lists the crossings recorded and not yet reported, clock by clock.
func (t *Ticket) Unreported() []ClockCrossing {
	var out []ClockCrossing
	for i := range t.Clocks {
		for _, x := range t.Clocks[i].Unreported() {
			out = append(out, ClockCrossing{Clock: t.Clocks[i].Name, Crossing: x})
		}
	}
	return out
}

// CloseAt is when a resolved ticket closes because its reopen window ends.
func (t *Ticket) CloseAt() time.Time { return t.ResolvedAt.Add(t.Policy.ReopenWindow) }

func (t *Ticket) record(now time.Time, actor, action string, from, to State, comment string) {
	t.Timeline = append(t.Timeline, Event{At: now, Actor: actor, Action: action, From: from, To: to, Comment: comment})
}

// Note records an event that changes no state, such as a warning or a breach.
func (t *Ticket) Note(now time.Time, action, comment string) {
	t.record(now, SystemActor, action, "", "", comment)
}

// effectiveState is the state a ticket on hold returns to; clocks follow it.
func (t *Ticket) effectiveState() State {
	if t.State == StateOnHold {
		return t.HeldFrom
	}
	return t.State
}

// syncClocks sets every clock to the phase the ticket's state calls for. Deriving the
// phases from the state, rather than toggling them per action, keeps pauses right
// through any sequence of holds, routings and reopenings.
func (t *Ticket) syncClocks(cals Calendars, now time.Time) {
	pausedForCaller := t.State == StateOnHold && t.HoldReason == HoldAwaitingCaller
	eff := t.effectiveState()
	set := func(name string, running, paused bool) {
		c := t.Clock(name)
		cal := cals.For(name)
		switch {
		case running && pausedForCaller:
			if c.Phase == sla.PhaseNotStarted || c.Phase == sla.PhaseStopped {
				c.Start(now)
			}
			c.Pause(cal, now)
		case running:
			c.Start(now)
		case paused:
			c.Pause(cal, now)
		default:
			c.Stop(cal, now)
		}
	}
	ack := t.Clock(ClockAcknowledge)
	ackOpen := ack.Phase != sla.PhaseStopped
	set(ClockAcknowledge, ackOpen && eff == StateTriage, false)
	set(ClockResolution, eff == StateTriage || eff == StateInProgress, eff == StateAwaitingES)
	set(ClockES, eff == StateAwaitingES, false)
}
