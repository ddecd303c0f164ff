package ticket

import (
	"github.com/hcaops/hcaops/sla"
)

// Calendars gives each clock the calendar the policy says it counts on.
type Calendars struct {
	policy   Policy
	business sla.Calendar
}

// NewCalendars builds the calendars of a policy; it fails on a bad zone or working day.
func NewCalendars(p Policy) (Calendars, error) {
	b, err := sla.NewBusinessHours(p.Zone, p.DayStart, p.DayEnd)
	if err != nil {
		return Calendars{}, err
	}
	return Calendars{policy: p, business: b}, nil
}

// For returns the calendar of the named clock.
func (c Calendars) For(clock string) sla.Calendar {
	name := c.policy.ResolutionCalendar
	switch clock {
	case ClockAcknowledge:
		name = c.policy.AcknowledgeCalendar
	case ClockES:
		name = c.policy.ESCalendar
	}
	if name == "business" {
		return c.business
	}
	return sla.CalendarTime{}
}
