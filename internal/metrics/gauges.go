package metrics

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/rs/zerolog"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

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

// maxOpenTickets bounds one sample's visibility scan (1,000 a page).
const maxOpenTickets = 100_000

// TicketLister lists tickets from visibility (ticketclient.Client).
type TicketLister interface {
	List(ctx context.Context, f ticketclient.Filter) ([]ticketclient.Summary, error)
}

// Gauges samples what cannot be counted as events: the open tickets by state, tier and
// priority (one paged visibility list) and the ES connectivity monitor's state (one
// query). Every replica reports the same figures, so dashboards take the max; turn the
// sampling off on all replicas but one to spare the visibility store.
type Gauges struct {
	Tickets TicketLister
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

func (g *Gauges) sampleTickets(ctx context.Context) error {
	open, err := g.Tickets.List(ctx, ticketclient.Filter{Open: true, Limit: maxOpenTickets})
	if err != nil {
		return fmt.Errorf("count open tickets: %w", err)
	}
	if g.seen == nil {
		g.seen = map[ticketKey]bool{}
	}
	counts := map[ticketKey]int{}
	for _, t := range open {
		k := ticketKey{t.Status, t.Tier, t.Priority}
		counts[k]++
		g.seen[k] = true
	}
	for k := range g.seen {
		g.Handler.WithTags(map[string]string{"state": k.state, "tier": k.tier, "priority": k.priority}).
			Gauge(OpenTickets).Update(float64(counts[k]))
	}
	return nil
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
