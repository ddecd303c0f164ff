package simulation

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/hcaops/hcaops/ticket"
)

// Assumptions are the traffic generator's model of HRC's calls and what happens to them.
// The defaults (DefaultAssumptions) are stated in the README; every figure is a guess
// from the O&M plan and DOMAIN.md (HRC's hours, the tier-3 priorities), to be replaced by
// real figures when they exist.
type Assumptions struct {
	// Arrivals: weight of each hour of the day (Eastern, 0-23) and of each weekday (Sunday first).
	HourWeights    [24]float64
	WeekdayWeights [7]float64
	ChannelMix     map[ticket.Channel]float64
	PriorityMix    map[ticket.Priority]float64
	// At HRC Tier 1: resolved there, cancelled there (not an issue), the rest escalated.
	ResolvedAtTier1, CancelledAtTier1 float64
	Tier1Minutes                      [2]float64 // uniform range of the time HRC takes
	// At vets.gov: median hours to acknowledge (log-normal), share routed to ES, hours to fix by priority.
	AckMedianHours      float64
	RoutedToES          float64
	FixMedianHours      map[ticket.Priority]float64
	Spread              float64 // sigma of the log-normal times
	HeldForCaller       float64 // share put on hold awaiting the caller
	HoldDays            [2]float64
	PriorityRaised      float64 // share whose priority goes one step up a day in
	Duplicates          float64 // share of escalated tickets cancelled as duplicates
	ESMedianDays        float64 // ES's time to answer (log-normal)
	ESReturned          float64 // share ES hands back to vets.gov (then fixed in FixAfterReturnHours)
	FixAfterReturnHours float64
	Reopened            float64 // share of resolved tickets reopened within 3 days, fixed again in a day
}

// DefaultAssumptions is the model the README documents.
func DefaultAssumptions() Assumptions {
	a := Assumptions{
		// HRC answers 7am-7pm Central (08-20 Eastern); email and web arrive around the clock.
		HourWeights: [24]float64{0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.4, 0.8, 3, 5, 6, 6, 5.5, 6, 6, 5.5, 5, 4, 3, 2, 1, 0.6, 0.4, 0.3},
		// Mondays are busiest, weekends quiet (no phone).
		WeekdayWeights:   [7]float64{0.15, 1.3, 1.15, 1, 1, 0.85, 0.2},
		ChannelMix:       map[ticket.Channel]float64{ticket.ChannelPhone: 0.55, ticket.ChannelEmail: 0.25, ticket.ChannelChat: 0.1, ticket.ChannelWeb: 0.1},
		PriorityMix:      map[ticket.Priority]float64{ticket.PriorityLow: 0.45, ticket.PriorityMedium: 0.35, ticket.PriorityHigh: 0.15, ticket.PriorityUrgent: 0.05},
		ResolvedAtTier1:  0.6,
		CancelledAtTier1: 0.05,
		Tier1Minutes:     [2]float64{5, 90},
		AckMedianHours:   8,
		RoutedToES:       0.4,
		FixMedianHours: map[ticket.Priority]float64{ticket.PriorityUrgent: 20, ticket.PriorityHigh: 72,
			ticket.PriorityMedium: 7 * 24, ticket.PriorityLow: 12 * 24},
		Spread:              0.8,
		HeldForCaller:       0.15,
		HoldDays:            [2]float64{1, 4},
		PriorityRaised:      0.05,
		Duplicates:          0.03,
		ESMedianDays:        5,
		ESReturned:          0.2,
		FixAfterReturnHours: 24,
		Reopened:            0.05,
	}
	return a
}

// Generate makes n tickets arriving over weeks weeks from the Monday of start, with the
// given seed (the same seed gives the same traffic). Events after the period are left
// out: those tickets are still open at its end.
func Generate(a Assumptions, start time.Time, weeks, n int, seed uint64) ([]Ticket, error) {
	if weeks <= 0 || n <= 0 {
		return nil, fmt.Errorf("generate: want a positive number of weeks and tickets, have %d and %d", weeks, n)
	}
	zone, _ := time.LoadLocation("America/New_York")
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	from := time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, zone)
	end := from.AddDate(0, 0, 7*weeks)
	// Hourly slots of the period, weighted by hour and weekday; arrivals pick slots.
	var slots []time.Time
	var cum []float64
	total := 0.0
	for t := from; t.Before(end); t = t.Add(time.Hour) {
		l := t.In(zone)
		total += a.HourWeights[l.Hour()] * a.WeekdayWeights[l.Weekday()]
		slots, cum = append(slots, t), append(cum, total)
	}
	opened := make([]time.Time, n)
	for i := range opened {
		k, _ := slices.BinarySearch(cum, rng.Float64()*total)
		opened[i] = slots[min(k, len(slots)-1)].Add(time.Duration(rng.Float64() * float64(time.Hour)))
	}
	slices.SortFunc(opened, func(x, y time.Time) int { return x.Compare(y) })
	out := make([]Ticket, 0, n)
	for i, at := range opened {
		g := gen{a: a, rng: rng, end: end}
		out = append(out, g.ticket(fmt.Sprintf("GEN-%05d", i+1), at.Truncate(time.Second)))
	}
	return out, nil
}

type gen struct {
	a   Assumptions
	rng *rand.Rand
	end time.Time
	t   Ticket
	now time.Time
}

func pick[K comparable](rng *rand.Rand, mix map[K]float64, order []K) K {
	x, acc := rng.Float64(), 0.0
	for _, k := range order {
		acc += mix[k]
		if x < acc {
			return k
		}
	}
	return order[len(order)-1]
}

func (g *gen) logNormalHours(median float64) time.Duration {
	h := median * math.Exp(g.a.Spread*g.rng.NormFloat64())
	return time.Duration(h * float64(time.Hour)).Truncate(time.Second)
}

// step adds an action after d; it reports false once the period is over.
func (g *gen) step(d time.Duration, a ticket.Action, r ticket.Request) bool {
	g.now = g.now.Add(max(d, time.Second))
	if !g.now.Before(g.end) {
		return false
	}
	g.t.Events = append(g.t.Events, Event{At: g.now, Action: a, Request: r})
	return true
}

func (g *gen) ticket(ref string, at time.Time) Ticket {
	p := pick(g.rng, g.a.PriorityMix, ticket.Priorities)
	ch := pick(g.rng, g.a.ChannelMix, ticket.Channels)
	g.t = Ticket{New: ticket.NewTicket{Ref: ref, Channel: ch, Product: ticket.ProductOnline1010EZ, Priority: p,
		Summary: "generated traffic", Reporter: "hrc-agent", OpenedAt: at}}
	g.now = at
	hrc := ticket.Request{Actor: "hrc-agent"}
	vets := ticket.Request{Actor: "vets-oncall"}
	withComment := func(r ticket.Request, c string) ticket.Request { r.Comment = c; return r }
	tier1 := time.Duration(g.a.Tier1Minutes[0]+g.rng.Float64()*(g.a.Tier1Minutes[1]-g.a.Tier1Minutes[0])) * time.Minute
	switch x := g.rng.Float64(); {
	case x < g.a.ResolvedAtTier1:
		g.step(tier1, ticket.ActResolve, withComment(hrc, "walked the caller through"))
		return g.t
	case x < g.a.ResolvedAtTier1+g.a.CancelledAtTier1:
		g.step(tier1, ticket.ActCancel, ticket.Request{Actor: "hrc-agent", Comment: "not an issue", CancelReason: ticket.CancelNotAnIssue})
		return g.t
	}
	if !g.step(tier1, ticket.ActEscalate, hrc) {
		return g.t
	}
	escalated := g.now
	if g.rng.Float64() < g.a.Duplicates {
		g.step(time.Duration(g.rng.Float64()*4*float64(time.Hour)), ticket.ActCancel, ticket.Request{Actor: "vets-oncall",
			Comment: "same issue", CancelReason: ticket.CancelDuplicate, DuplicateOf: "GEN-00001"})
		return g.t
	}
	if !g.step(g.logNormalHours(g.a.AckMedianHours), ticket.ActAcknowledge, vets) {
		return g.t
	}
	if g.rng.Float64() < g.a.PriorityRaised && p != ticket.PriorityUrgent {
		up := ticket.Priorities[slices.Index(ticket.Priorities, p)+1]
		if !g.step(max(0, escalated.Add(24*time.Hour).Sub(g.now)), ticket.ActChangePriority, ticket.Request{Actor: "vets-pm", Priority: up}) {
			return g.t
		}
		p = up
	}
	toES := g.rng.Float64() < g.a.RoutedToES
	if toES {
		if !g.step(time.Minute, ticket.ActRouteToES, withComment(vets, "not vets.gov code")) {
			return g.t
		}
	} else if !g.step(time.Minute, ticket.ActStartFix, vets) {
		return g.t
	}
	if g.rng.Float64() < g.a.HeldForCaller {
		if !g.step(time.Hour, ticket.ActHold, ticket.Request{Actor: "vets-oncall", Comment: "asked the caller", HoldReason: ticket.HoldAwaitingCaller}) {
			return g.t
		}
		hold := g.a.HoldDays[0] + g.rng.Float64()*(g.a.HoldDays[1]-g.a.HoldDays[0])
		if !g.step(time.Duration(hold*24*float64(time.Hour)), ticket.ActResume, vets) {
			return g.t
		}
	}
	if toES {
		es := ticket.Request{Actor: "es-liaison"}
		wait := g.logNormalHours(g.a.ESMedianDays * 24)
		if g.rng.Float64() < g.a.ESReturned {
			if !g.step(wait, ticket.ActReturnFromES, withComment(es, "not an ES problem")) ||
				!g.step(time.Minute, ticket.ActStartFix, vets) ||
				!g.step(g.logNormalHours(g.a.FixAfterReturnHours), ticket.ActResolve, withComment(vets, "fixed")) {
				return g.t
			}
		} else if !g.step(wait, ticket.ActResolve, withComment(es, "ES fixed the record")) {
			return g.t
		}
	} else if !g.step(g.logNormalHours(g.a.FixMedianHours[p]), ticket.ActResolve, withComment(vets, "fix deployed")) {
		return g.t
	}
	if g.rng.Float64() < g.a.Reopened {
		if g.step(time.Duration(g.rng.Float64()*3*24*float64(time.Hour)), ticket.ActReopen, withComment(hrc, "caller says it still fails")) &&
			g.step(time.Minute, ticket.ActStartFix, vets) {
			g.step(g.logNormalHours(g.a.FixAfterReturnHours), ticket.ActResolve, withComment(vets, "fixed again"))
		}
	}
	return g.t
}
