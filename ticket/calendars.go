package ticket

import (
	"github.com/hcaops/hcaops/sla"
)

// Calendars gives each clock the calendar the policy says it counts on.
type Calendars struct {
	policy   Policy
	business sla.Calendar
}

// NewCalendars builds the calendars of a policy; it fails on a bad zone, working day or holiday.
func NewCalendars(p Policy) (Calendars, error) {
	b, err := BusinessCalendar(p)
	if err != nil {
		return Calendars{}, err
	}
	return Calendars{policy: p, business: b}, nil
}

// BusinessCalendar is the policy's business calendar: its zone, working day and holidays.
func BusinessCalendar(p Policy) (sla.Calendar, error) {
	b, err := sla.NewBusinessHours(p.Zone, p.DayStart, p.DayEnd)
	if err != nil {
		return nil, err
	}
	if len(p.Holidays) == 0 && p.FederalHolidays != "none" {
		return b, nil
	}
	return b.WithHolidays(p.Holidays, p.FederalHolidays != "none")
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
