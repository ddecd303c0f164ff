package metrics

import (
	"context"
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/rs/zerolog"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"

	"github.com/hcaops/hcaops/ticketclient"
)

// fixedTickets answers counts and lists over a fixed set of tickets, as visibility
// would, and remembers how many counts and lists it was asked for.
type fixedTickets struct {
	tickets []ticketclient.Summary
	asked   int
	lists   int
}

func (f *fixedTickets) List(_ context.Context, flt ticketclient.Filter) ([]ticketclient.Summary, error) {
	f.lists++
	return f.tickets[:min(len(f.tickets), flt.Limit)], nil
}

func (f *fixedTickets) Count(_ context.Context, flt ticketclient.Filter) (int64, error) {
	f.asked++
	var n int64
	for _, t := range f.tickets {
		if (flt.Status == "" || flt.Status == t.Status) && (flt.Tier == "" || flt.Tier == t.Tier) &&
			(flt.Priority == "" || flt.Priority == t.Priority) {
			n++
		}
	}
	return n, nil
}

// noMonitor is a Temporal client whose only call here, the monitor's query, finds nothing.
type noMonitor struct{ client.Client }

func (noMonitor) QueryWorkflow(context.Context, string, string, string, ...any) (converter.EncodedValue, error) {
	return nil, serviceerror.NewNotFound("workflow not found")
}

func scrapeText(t *testing.T, r *Registry) string {
	t.Helper()
	rec := httptest.NewRecorder()
	r.HTTPHandler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	return string(body)
}

func TestOpenTicketsDropToZeroWhenTheyLeaveAState(t *testing.T) {
	r, err := New(zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	tickets := fixedTickets{tickets: []ticketclient.Summary{
		{Status: "Triage", Tier: "vets.gov", Priority: "High"},
		{Status: "Triage", Tier: "vets.gov", Priority: "High"},
		{Status: "Awaiting ES", Tier: "ES Tier 2/3", Priority: "Low"},
	}}
	g := &Gauges{Tickets: &tickets, Client: noMonitor{}, Handler: r.Handler, Logger: zerolog.Nop()}
	if err := g.Sample(context.Background()); err != nil {
		t.Fatal(err)
	}
	text := scrapeText(t, r)
	for _, want := range []string{
		`hcaops_open_tickets{priority="High",state="Triage",tier="vets.gov"} 2`,
		`hcaops_open_tickets{priority="Low",state="Awaiting ES",tier="ES Tier 2/3"} 1`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("first sample lacks %s:\n%s", want, text)
		}
	}
	if strings.Contains(text, "hcaops_es_reachable") {
		t.Errorf("ES reachability reported without a monitor:\n%s", text)
	}
	// Both Triage tickets move on: their line reads 0, not its last count.
	tickets.tickets = []ticketclient.Summary{{Status: "Awaiting ES", Tier: "ES Tier 2/3", Priority: "Low"}, {Status: "In Progress", Tier: "vets.gov", Priority: "High"}}
	if err := g.Sample(context.Background()); err != nil {
		t.Fatal(err)
	}
	text = scrapeText(t, r)
	for _, want := range []string{
		`hcaops_open_tickets{priority="High",state="Triage",tier="vets.gov"} 0`,
		`hcaops_open_tickets{priority="High",state="In Progress",tier="vets.gov"} 1`,
		`hcaops_open_tickets{priority="Low",state="Awaiting ES",tier="ES Tier 2/3"} 1`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("second sample lacks %s:\n%s", want, text)
		}
	}
}

// A sample lists a few open tickets (one count, then one list) and counts many, as many
// counts for 30,000 tickets as for 3,000: the total, the 6 states an open ticket can be in
// (not Closed, not Cancelled), 3 tiers in each of the 2 states that have tickets, and 4
// priorities in each of the 2 (state, tier) pairs that have tickets.
func TestOpenTicketsSampleListsFewAndCountsMany(t *testing.T) {
	r, err := New(zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	few := []ticketclient.Summary{
		{Status: "Triage", Tier: "vets.gov", Priority: "High"},
		{Status: "Triage", Tier: "vets.gov", Priority: "High"},
		{Status: "Awaiting ES", Tier: "ES Tier 2/3", Priority: "Low"},
	}
	var many, more []ticketclient.Summary
	for range 1_000 {
		many = append(many, few...)
	}
	for range 10 {
		more = append(more, many...)
	}
	for _, c := range []struct {
		set           []ticketclient.Summary
		counts, lists int
	}{{few, 1, 1}, {many, 1 + 6 + 2*3 + 2*4, 0}, {more, 1 + 6 + 2*3 + 2*4, 0}} {
		tickets := fixedTickets{tickets: c.set}
		g := &Gauges{Tickets: &tickets, Client: noMonitor{}, Handler: r.Handler, Logger: zerolog.Nop()}
		if err := g.Sample(context.Background()); err != nil {
			t.Fatal(err)
		}
		if tickets.asked != c.counts || tickets.lists != c.lists {
			t.Errorf("%d tickets: %d counts and %d lists asked, want %d and %d", len(c.set), tickets.asked, tickets.lists, c.counts, c.lists)
		}
	}
	if text := scrapeText(t, r); !strings.Contains(text, `hcaops_open_tickets{priority="High",state="Triage",tier="vets.gov"} 20000`) {
		t.Errorf("30,000 tickets: the Triage count is wrong:\n%s", text)
	}
}
