package metrics

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/rs/zerolog"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"github.com/hcaops/hcaops/ticket"
	"github.com/hcaops/hcaops/ticketclient"
	"github.com/hcaops/hcaops/workflows"
)

// Names of the gauges the worker samples. Event counters are named where they happen
// (workflows/metrics.go, activities).
const (
	OpenTickets           = "hcaops_open_tickets" // labels state, tier, priority
	ESReachable           = "hcaops_es_reachable" // 1 when the last connectivity check passed
	ESConsecutiveFailures = "hcaops_es_consecutive_failed_checks"
	ESOutageOpen          = "hcaops_es_outage_open" // 1 while an ESOUTAGE ticket is open
)

// TicketVisibility counts and lists tickets in visibility (ticketclient.Client).
type TicketVisibility interface {
	Count(ctx context.Context, f ticketclient.Filter) (int64, error)
	List(ctx context.Context, f ticketclient.Filter) ([]ticketclient.Summary, error)
}

// listUpTo is the most open tickets a sample lists; above it, it counts. Measured
// (bench/README.md): on PostgreSQL a count costs about 55 ms whatever the number of
// tickets, and listing 1,000 tickets 120 ms; at 100,000 on the dev server the list took
// 70 s and the counts 8 s.
const listUpTo = 2000

// Gauges samples what cannot be counted as events: the open tickets by state, tier and
// priority and the ES connectivity monitor's state (one query). Every replica reports
// the same figures, so dashboards take the max; turn the sampling off on all replicas
// but one to spare the visibility store.
type Gauges struct {
	Tickets TicketVisibility
	Client  client.Client
	Handler client.MetricsHandler
	Logger  zerolog.Logger
	// seen keeps every label set reported so far, so a combination with no tickets left
	// drops to 0 instead of repeating its last count.
	seen map[ticketKey]bool
}

type ticketKey struct{ state, tier, priority string }

// Run samples now and then every period until ctx ends.
func (g *Gauges) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if err := g.Sample(ctx); err != nil && ctx.Err() == nil {
			g.Logger.Warn().Err(err).Msg("metrics sample")
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Sample records the gauges once.
func (g *Gauges) Sample(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	return errors.Join(g.sampleTickets(ctx), g.sampleConnectivity(ctx))
}

// sampleTickets asks how many tickets are open, then lists them if they are few
// (listUpTo) or counts them by label set if they are many, so a sample's cost is bounded
// whatever the number of tickets.
func (g *Gauges) sampleTickets(ctx context.Context) error {
	open, err := g.Tickets.Count(ctx, ticketclient.Filter{Open: true})
	if err != nil {
		return fmt.Errorf("count open tickets: %w", err)
	}
	var counts map[ticketKey]int64
	if open <= listUpTo {
		counts, err = g.listed(ctx)
	} else {
		counts, err = g.counted(ctx)
	}
	if err != nil {
		return err
	}
	if g.seen == nil {
		g.seen = map[ticketKey]bool{}
	}
	for k := range counts {
		g.seen[k] = true
	}
	for k := range g.seen {
		g.Handler.WithTags(map[string]string{"state": k.state, "tier": k.tier, "priority": k.priority}).
			Gauge(OpenTickets).Update(float64(counts[k]))
	}
	return nil
}

// listed tallies the open tickets from a list of them (a few pages).
func (g *Gauges) listed(ctx context.Context) (map[ticketKey]int64, error) {
	rows, err := g.Tickets.List(ctx, ticketclient.Filter{Open: true, Limit: 2 * listUpTo})
	if err != nil {
		return nil, fmt.Errorf("list open tickets: %w", err)
	}
	counts := map[ticketKey]int64{}
	for _, t := range rows {
		counts[ticketKey{t.Status, t.Tier, t.Priority}]++
	}
	return counts, nil
}

// counted counts by state, then by tier within the states that have tickets, then by
// priority within those: at most 6 + 6×3 + 18×4 counts, usually about 20, whatever the
// number of tickets (visibility cannot GROUP BY a custom search attribute).
func (g *Gauges) counted(ctx context.Context) (map[ticketKey]int64, error) {
	counts := map[ticketKey]int64{}
	for _, state := range ticketclient.Statuses() {
		if ticket.State(state).Terminal() {
			continue // a closed or cancelled ticket's workflow has ended
		}
		n, err := g.Tickets.Count(ctx, ticketclient.Filter{Open: true, Status: state})
		if err != nil {
			return nil, fmt.Errorf("count open tickets: %w", err)
		}
		if n == 0 {
			continue
		}
		for _, tier := range ticketclient.Tiers() {
			n, err := g.Tickets.Count(ctx, ticketclient.Filter{Open: true, Status: state, Tier: tier})
			if err != nil {
				return nil, fmt.Errorf("count open tickets: %w", err)
			}
			if n == 0 {
				continue
			}
			for _, priority := range ticketclient.Priorities() {
				n, err := g.Tickets.Count(ctx, ticketclient.Filter{Open: true, Status: state, Tier: tier, Priority: priority})
				if err != nil {
					return nil, fmt.Errorf("count open tickets: %w", err)
				}
				if n > 0 {
					counts[ticketKey{state, tier, priority}] = n
				}
			}
		}
	}
	return counts, nil
}

func (g *Gauges) sampleConnectivity(ctx context.Context) error {
	resp, err := g.Client.QueryWorkflow(ctx, workflows.MonitorWorkflowID, "", workflows.QueryConnectivity)
	var notFound *serviceerror.NotFound
	if errors.As(err, &notFound) {
		return nil // no monitor yet: nothing to report
	}
	if err != nil {
		return fmt.Errorf("query the ES connectivity monitor: %w", err)
	}
	var st workflows.MonitorState
	if err := resp.Get(&st); err != nil {
		return fmt.Errorf("ES connectivity state: %w", err)
	}
	if len(st.Checks) == 0 {
		return nil // no check yet: reachability unknown
	}
	g.Handler.Gauge(ESReachable).Update(flag(st.Checks[len(st.Checks)-1].OK))
	g.Handler.Gauge(ESConsecutiveFailures).Update(float64(st.ConsecutiveFailures))
	g.Handler.Gauge(ESOutageOpen).Update(flag(st.IncidentRef != ""))
	return nil
}

func flag(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
