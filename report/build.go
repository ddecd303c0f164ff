package report

import (
	"fmt"
	"math"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/hcaops/hcaops/sla"
	"github.com/hcaops/hcaops/ticket"
)

// Age bands of the backlog, and bins of the time to resolve (calendar days).
var (
	ageBands    = []band{{"< 1 day", 1}, {"1–7 days", 7}, {"7–15 days", 15}, {"15–30 days", 30}, {"> 30 days", math.Inf(1)}}
	resolveBins = []band{{"< 1 day", 1}, {"1–2 days", 2}, {"2–4 days", 4}, {"4–7 days", 7}, {"7–15 days", 15}, {"15–30 days", 30}, {"> 30 days", math.Inf(1)}}
)

type band struct {
	label string
	below float64 // days
}

func bandOf(bands []band, days float64) int {
	for i, b := range bands {
		if days < b.below {
			return i
		}
	}
	return len(bands) - 1
}

// Period parses the report's days. An empty or inverted period is refused by name.
func Period(from, to string, zone *time.Location) (start, end time.Time, err error) {
	if zone == nil {
		zone = defaultZone()
	}
	start, err = time.ParseInLocation(time.DateOnly, from, zone)
	if err != nil {
		return start, end, fmt.Errorf("-from %q is not a date (YYYY-MM-DD)", from)
	}
	last, err := time.ParseInLocation(time.DateOnly, to, zone)
	if err != nil {
		return start, end, fmt.Errorf("-to %q is not a date (YYYY-MM-DD)", to)
	}
	if last.Before(start) {
		return start, end, fmt.Errorf("the period is empty: -from %s is after -to %s", from, to)
	}
	return start, last.AddDate(0, 0, 1), nil
}

func defaultZone() *time.Location {
	z, err := time.LoadLocation("America/New_York")
	if err != nil {
		return time.UTC
	}
	return z
}

// Build computes the report.
func Build(in Input) (Report, error) {
	zone := in.Zone
	if zone == nil {
		zone = defaultZone()
	}
	start, end, err := Period(in.From, in.To, zone)
	if err != nil {
		return Report{}, err
	}
	r := Report{From: in.From, To: in.To, Zone: zone.String(), GeneratedAt: in.AsOf, Unreadable: in.Unreadable}
	// The backlog is read at the end of the period, or now if the period has not ended.
	backlogAt := end
	if in.AsOf.Before(end) {
		backlogAt = in.AsOf
	}

	overall := &acc{key: "all tickets"}
	byPriority, byTier, byChannel, byWeek := groups{}, groups{}, groups{}, groups{}
	cancelled := map[ticket.CancelReason]int{}
	backlog := make([]int, len(ageBands))
	resolveHist := map[ticket.Priority][]int{}
	calendars := map[string]sla.Calendar{}

	for i := range in.Tickets {
		t := settledCopy(&in.Tickets[i], in.AsOf)
		business, err := businessCalendar(calendars, t.Policy)
		if err != nil {
			return Report{}, fmt.Errorf("ticket %s: %w", t.Ref, err)
		}
		m := measure(t, business, in.AsOf)
		link := ticketLink(in.UIURL, in.Namespace, t.Ref)

		for _, c := range t.Clocks {
			if !c.BreachedAt.IsZero() && !c.BreachedAt.Before(start) && c.BreachedAt.Before(end) {
				r.Breaches = append(r.Breaches, Breach{Ref: t.Ref, Clock: c.Name, Priority: string(t.Priority),
					Tier: string(m.tier), BreachedAt: c.BreachedAt, Link: link})
			}
		}
		if state, existed := stateAt(t, m.opened, backlogAt); existed && inBacklog(state) {
			age := backlogAt.Sub(m.opened).Hours() / 24
			backlog[bandOf(ageBands, age)]++
			if age > 30 {
				r.OpenOver = append(r.OpenOver, OpenTicket{Ref: t.Ref, Priority: string(t.Priority), State: string(state),
					Tier: string(m.tier), AgeDays: round(age, 1), Summary: t.Summary, Link: link})
			}
		}
		if m.opened.Before(start) || !m.opened.Before(end) {
			continue
		}
		r.Tickets++
		for _, a := range []*acc{overall, byPriority.get(string(t.Priority)), byTier.get(string(m.tier)),
			byChannel.get(string(t.Channel)), byWeek.get(isoWeek(m.opened.In(zone)))} {
			a.add(m)
		}
		if t.State == ticket.StateCancelled {
			cancelled[t.CancelReason]++
		}
		if m.resolvedFinal {
			h := resolveHist[t.Priority]
			if h == nil {
				h = make([]int, len(resolveBins))
				resolveHist[t.Priority] = h
			}
			h[bandOf(resolveBins, m.resolveCalendar.Hours()/24)]++
		}
	}

	r.Overall = overall.row()
	for _, p := range slices.Backward(ticket.Priorities) {
		r.ByPriority = append(r.ByPriority, byPriority.get(string(p)).row())
		bins := make([]Count, len(resolveBins))
		for i, b := range resolveBins {
			bins[i] = Count{Key: b.label}
			if h := resolveHist[p]; h != nil {
				bins[i].Count = h[i]
			}
		}
		r.ResolveBy = append(r.ResolveBy, Histogram{Priority: string(p), Bins: bins})
	}
	for _, tier := range []ticket.Tier{ticket.TierHRC, ticket.TierVetsGov, ticket.TierES} {
		r.ByTier = append(r.ByTier, byTier.get(string(tier)).row())
	}
	for _, c := range ticket.Channels {
		r.ByChannel = append(r.ByChannel, byChannel.get(string(c)).row())
	}
	for _, w := range weeksOf(start, end) {
		r.ByWeek = append(r.ByWeek, byWeek.get(w).row())
	}
	for _, reason := range ticket.CancelReasons {
		r.Cancellations = append(r.Cancellations, Count{Key: string(reason), Count: cancelled[reason]})
	}
	for i, b := range ageBands {
		r.Backlog = append(r.Backlog, Count{Key: b.label, Count: backlog[i]})
	}
	slices.SortFunc(r.Breaches, func(a, b Breach) int {
		if c := a.BreachedAt.Compare(b.BreachedAt); c != 0 {
			return c
		}
		return strings.Compare(a.Ref+a.Clock, b.Ref+b.Clock)
	})
	slices.SortFunc(r.OpenOver, func(a, b OpenTicket) int {
		if a.AgeDays != b.AgeDays {
			return int(math.Copysign(1, b.AgeDays-a.AgeDays))
		}
		return strings.Compare(a.Ref, b.Ref)
	})
	r.ES = buildES(in, start, end)
	return r, nil
}

// settledCopy returns the ticket with its clocks settled at asOf, so a running clock past
// its deadline reads as missed even if the workflow has not handled the timer yet. The
// caller's ticket is not changed.
func settledCopy(t *ticket.Ticket, asOf time.Time) *ticket.Ticket {
	cp := *t
	cp.Clocks = make([]sla.Clock, len(t.Clocks))
	for i, c := range t.Clocks {
		c.Crossed = slices.Clone(c.Crossed)
		c.Fired = slices.Clone(c.Fired)
		cp.Clocks[i] = c
	}
	if t.State.Terminal() || asOf.IsZero() {
		return &cp
	}
	if cals, err := ticket.NewCalendars(t.Policy); err == nil {
		cp.SettleClocks(cals, asOf)
	}
	return &cp
}

// businessCalendar is the business calendar of a ticket's policy (whatever its clocks
// count on), shared between tickets of the same policy.
func businessCalendar(cache map[string]sla.Calendar, p ticket.Policy) (sla.Calendar, error) {
	key := p.Zone + " " + p.DayStart + " " + p.DayEnd + " " + strings.Join(p.Holidays, ",") + " " + p.FederalHolidays
	if c, ok := cache[key]; ok {
		return c, nil
	}
	c, err := ticket.BusinessCalendar(p)
	if err != nil {
		return nil, err
	}
	cache[key] = c
	return c, nil
}

func ticketLink(base, namespace, ref string) string {
	if base == "" {
		return ""
	}
	if namespace == "" {
		namespace = "default"
	}
	return fmt.Sprintf("%s/namespaces/%s/workflows/%s", strings.TrimRight(base, "/"), url.PathEscape(namespace),
		url.PathEscape("ticket-"+ref))
}

func isoWeek(t time.Time) string {
	y, w := t.ISOWeek()
	return fmt.Sprintf("%04d-W%02d", y, w)
}

// weeksOf lists the ISO weeks the period touches, in order.
func weeksOf(start, end time.Time) []string {
	var out []string
	for d := start; d.Before(end); d = d.AddDate(0, 0, 1) {
		if w := isoWeek(d); len(out) == 0 || out[len(out)-1] != w {
			out = append(out, w)
		}
	}
	return out
}

func round(x float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(x*p) / p
}
