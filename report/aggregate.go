package report

import (
	"math"
	"slices"
	"time"

	"github.com/hcaops/hcaops/ticket"
)

// acc accumulates the figures of one row.
type acc struct {
	key                           string
	tickets                       int
	ack, resolution, es           Compliance
	toAck, toFix, atES            Times
	resolved, reopened, cancelled int
}

type groups map[string]*acc

func (g groups) get(key string) *acc {
	a, ok := g[key]
	if !ok {
		a = &acc{key: key}
		g[key] = a
	}
	return a
}

func (a *acc) add(m measured) {
	a.tickets++
	a.ack.add(m.verdicts[ticket.ClockAcknowledge])
	a.resolution.add(m.verdicts[ticket.ClockResolution])
	a.es.add(m.verdicts[ticket.ClockES])
	if m.acked {
		a.toAck.add(m.ackCalendar, m.ackBusiness)
	}
	if m.resolvedFinal {
		a.toFix.add(m.resolveCalendar, m.resolveBusiness)
	}
	if m.wentToES {
		a.atES.add(m.awaitingES, 0)
	}
	if m.everResolved {
		a.resolved++
	}
	if m.reopened {
		a.reopened++
	}
	if m.t.State == ticket.StateCancelled {
		a.cancelled++
	}
}

func (a *acc) row() Row {
	r := Row{Key: a.key, Tickets: a.tickets, Ack: a.ack.done(), Resolution: a.resolution.done(), ESClock: a.es.done(),
		TimeToAck: a.toAck.done(true), TimeToFix: a.toFix.done(true), AwaitingES: a.atES.done(false),
		Resolved: a.resolved, Reopened: a.reopened, Cancelled: a.cancelled}
	if a.resolved > 0 {
		rate := round(float64(a.reopened)/float64(a.resolved)*100, 1)
		r.ReopenRate = &rate
	}
	return r
}

func (c *Compliance) add(v Verdict) {
	switch v {
	case Met:
		c.Met++
	case Missed:
		c.Missed++
	case Pending:
		c.Pending++
	}
}

func (c Compliance) done() Compliance {
	if n := c.Met + c.Missed; n > 0 {
		p := round(float64(c.Met)/float64(n)*100, 1)
		c.Percent = &p
	}
	return c
}

func (t *Times) add(calendar, business time.Duration) {
	t.calendar = append(t.calendar, calendar)
	t.business = append(t.business, business)
}

// done fills in the figures; business says whether business hours mean anything here.
func (t Times) done(business bool) Times {
	out := Times{N: len(t.calendar)}
	if out.N == 0 {
		return out
	}
	var total time.Duration
	for _, d := range t.calendar {
		total += d
	}
	out.TotalCalendarHours = round(total.Hours(), 2)
	out.MeanCalendarHours, out.P90CalendarHours = meanP90(t.calendar)
	if business {
		out.MeanBusinessHours, out.P90BusinessHours = meanP90(t.business)
	}
	return out
}

// meanP90 returns the mean and the nearest-rank 90th percentile (the smallest value with
// at least 90% of the values at or below it), in hours rounded to 0.01.
func meanP90(ds []time.Duration) (mean, p90 float64) {
	s := slices.Clone(ds)
	slices.Sort(s)
	var total time.Duration
	for _, d := range s {
		total += d
	}
	rank := int(math.Ceil(0.9*float64(len(s)))) - 1
	return round(total.Hours()/float64(len(s)), 2), round(s[rank].Hours(), 2)
}
