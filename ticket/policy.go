package ticket

import (
	"fmt"
	"time"
)

// Policy is the set of service targets a ticket is measured against. The worker loads it
// from configuration once per ticket and the workflow keeps it, so a running ticket is
// not re-measured when the configuration changes.
type Policy struct {
	// Acknowledge: vets.gov acknowledges an escalated ticket within this much time.
	Acknowledge         time.Duration `json:"acknowledge"`
	AcknowledgeCalendar string        `json:"acknowledgeCalendar"` // "business" or "calendar"
	// Resolution: vets.gov resolves by priority, counted from escalation to vets.gov.
	Resolution         map[Priority]time.Duration `json:"resolution"`
	ResolutionCalendar string                     `json:"resolutionCalendar"`
	// ES: the partner's target (an OLA) while the ticket waits on ES Tier 2/3.
	ES         map[Priority]time.Duration `json:"es"`
	ESCalendar string                     `json:"esCalendar"`
	// Warnings are fractions of a target at which the owning group is warned; breach is 1.
	Warnings []float64 `json:"warnings"`
	// ReopenWindow is how long a resolved ticket can be reopened before it closes.
	ReopenWindow time.Duration `json:"reopenWindow"`
	// Business hours: zone and working day used by business-calendar clocks.
	Zone     string `json:"zone"`
	DayStart string `json:"dayStart"`
	DayEnd   string `json:"dayEnd"`
	// Holidays are days off besides the federal holidays (YYYY-MM-DD in Zone).
	Holidays []string `json:"holidays,omitempty"`
	// FederalHolidays is "" or "observed" (US federal holidays are days off, on their
	// observed dates) or "none" (they are worked).
	FederalHolidays string `json:"federalHolidays,omitempty"`
	// Escalation contacts notified on a breach, beside the owning group.
	ProductManager string `json:"productManager"`
	// ESLiaison is the directory group of the ES liaisons, told when ES stalls a ticket
	// or the ES interface is down (empty in old histories: DefaultESLiaison).
	ESLiaison string `json:"esLiaison,omitempty"`
	// ESStallCalls is how many regular calls a ticket may sit on without ES progress
	// before it escalates (0 means DefaultESStallCalls).
	ESStallCalls int `json:"esStallCalls,omitempty"`
}

const day = 24 * time.Hour

// DefaultESLiaison is the directory group of the ES liaisons.
const DefaultESLiaison = "es-liaison"

// Liaison is the ES liaisons' group.
func (p Policy) Liaison() string {
	if p.ESLiaison == "" {
		return DefaultESLiaison
	}
	return p.ESLiaison
}

// DefaultPolicy holds the targets of the tier-3 process (DOMAIN.md).
func DefaultPolicy() Policy {
	return Policy{
		Acknowledge:         48 * time.Hour,
		AcknowledgeCalendar: "business",
		Resolution: map[Priority]time.Duration{
			PriorityUrgent: 48 * time.Hour, PriorityHigh: 7 * day, PriorityMedium: 15 * day, PriorityLow: 30 * day,
		},
		ResolutionCalendar: "calendar",
		ES: map[Priority]time.Duration{
			PriorityUrgent: 48 * time.Hour, PriorityHigh: 7 * day, PriorityMedium: 15 * day, PriorityLow: 30 * day,
		},
		ESCalendar:     "calendar",
		Warnings:       []float64{0.5, 0.75},
		ReopenWindow:   7 * day,
		Zone:           "America/New_York",
		DayStart:       "08:00",
		DayEnd:         "17:00",
		ProductManager: "hca-product-manager",
		ESLiaison:      DefaultESLiaison,
		ESStallCalls:   DefaultESStallCalls,
	}
}

// Scale divides every duration by factor, for demos where a 48-hour clock should run out
// in minutes; the calendars are unchanged.
func (p Policy) Scale(factor float64) Policy {
	s := func(d time.Duration) time.Duration { return time.Duration(float64(d) / factor) }
	out := p
	out.Acknowledge = s(p.Acknowledge)
	out.ReopenWindow = s(p.ReopenWindow)
	out.Resolution, out.ES = map[Priority]time.Duration{}, map[Priority]time.Duration{}
	for _, pr := range Priorities {
		out.Resolution[pr] = s(p.Resolution[pr])
		out.ES[pr] = s(p.ES[pr])
	}
	return out
}

// Validate names the first thing wrong with the policy.
func (p Policy) Validate() error {
	if p.Acknowledge <= 0 {
		return fmt.Errorf("acknowledge target must be positive")
	}
	for _, c := range []struct{ name, cal string }{
		{"acknowledge", p.AcknowledgeCalendar}, {"resolution", p.ResolutionCalendar}, {"es", p.ESCalendar},
	} {
		if c.cal != "business" && c.cal != "calendar" {
			return fmt.Errorf("%s calendar %q must be business or calendar", c.name, c.cal)
		}
	}
	for _, pr := range Priorities {
		if p.Resolution[pr] <= 0 {
			return fmt.Errorf("resolution target for %s must be positive", pr)
		}
		if p.ES[pr] <= 0 {
			return fmt.Errorf("ES target for %s must be positive", pr)
		}
	}
	for _, w := range p.Warnings {
		if w <= 0 || w >= 1 {
			return fmt.Errorf("warning threshold %v must be between 0 and 1", w)
		}
	}
	if p.ReopenWindow <= 0 {
		return fmt.Errorf("reopen window must be positive")
	}
	if p.FederalHolidays != "" && p.FederalHolidays != "observed" && p.FederalHolidays != "none" {
		return fmt.Errorf("federal holidays %q must be observed or none", p.FederalHolidays)
	}
	for _, d := range p.Holidays {
		if _, err := time.Parse(time.DateOnly, d); err != nil {
			return fmt.Errorf("holiday %q is not a date (YYYY-MM-DD)", d)
		}
	}
	return nil
}

// Thresholds are the warnings followed by the breach, ascending.
func (p Policy) Thresholds() []float64 {
	return append(append([]float64{}, p.Warnings...), 1)
}
