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

type fixedTickets []ticketclient.Summary

func (f *fixedTickets) List(context.Context, ticketclient.Filter) ([]ticketclient.Summary, error) {
	return *f, nil
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
	tickets := fixedTickets{
		{Status: "Triage", Tier: "vets.gov", Priority: "High"},
		{Status: "Triage", Tier: "vets.gov", Priority: "High"},
		{Status: "Awaiting ES", Tier: "ES Tier 2/3", Priority: "Low"},
	}
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
	tickets = fixedTickets{{Status: "Awaiting ES", Tier: "ES Tier 2/3", Priority: "Low"}, {Status: "In Progress", Tier: "vets.gov", Priority: "High"}}
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
