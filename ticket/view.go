package ticket

import (
	"time"
)

// ClockView is a clock as an operator reads it at a given instant.
type ClockView struct {
	Name     string        `json:"name"`
	Calendar string        `json:"calendar"`
	Target   time.Duration `json:"target"`
	Phase    string        `json:"phase"`
	Status   string        `json:"status"`
	Started  time.Time     `json:"started,omitzero"`
	Deadline time.Time     `json:"deadline,omitzero"` // only while running
	Elapsed  time.Duration `json:"elapsed"`
	Paused   time.Duration `json:"paused"`
	Breached time.Time     `json:"breached,omitzero"`
}

// ClockViews reads every clock at now.
func (t *Ticket) ClockViews(cals Calendars, now time.Time) []ClockView {
	out := make([]ClockView, len(t.Clocks))
	for i := range t.Clocks {
		c := &t.Clocks[i]
		cal := cals.For(c.Name)
		v := ClockView{
			Name: c.Name, Calendar: c.Calendar, Target: c.Target, Phase: string(c.Phase),
			Status: c.Status(cal, now), Started: c.StartedAt,
			Elapsed: c.Elapsed(cal, now), Paused: c.Paused(now), Breached: c.BreachedAt,
		}
		if d, ok := c.Deadline(cal); ok {
			v.Deadline = d
		}
		out[i] = v
	}
	return out
}

// View is what the ticket query returns: the ticket and its clocks read at AsOf.
type View struct {
	Ticket
	AsOf       time.Time   `json:"asOf"`
	ClockViews []ClockView `json:"clockViews"`
	Allowed    []Action    `json:"allowed"`
	// DeskPending is true while hcaops has writes to the desk not yet delivered.
	DeskPending bool `json:"deskPending,omitempty"`
}

// ViewAt builds the query answer.
func (t *Ticket) ViewAt(cals Calendars, now time.Time) View {
	allowed := t.Allowed()
	if t.State.Terminal() {
		allowed = nil
	}
	return View{Ticket: *t, AsOf: now, ClockViews: t.ClockViews(cals, now), Allowed: allowed}
}
