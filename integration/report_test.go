package integration

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/hcaops/hcaops/report"
	"github.com/hcaops/hcaops/ticket"
	"github.com/hcaops/hcaops/workflows"
)

// TestServiceReportReadsTemporal drives two tickets on the real server: one continues as
// new every two events and is reopened, one breaches its Urgent target. The report's data
// comes from Temporal: each ticket once, whole, from its latest run.
func TestServiceReportReadsTemporal(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	since := time.Now().Add(-time.Minute)
	zone, _ := time.LoadLocation("America/New_York")
	today := time.Now().In(zone).Format(time.DateOnly)

	canRef := uniqueRef(t, "IT-RPT-CAN")
	n := ticket.NewTicket{Ref: canRef, Channel: ticket.ChannelEmail, Product: ticket.ProductOnline1010EZ,
		Summary: "Form stops at the insurance page", Priority: ticket.PriorityHigh, Reporter: "hrc-agent-4"}
	if _, err := env.client.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID: workflows.TicketWorkflowID(canRef), TaskQueue: workflows.TaskQueue, TypedSearchAttributes: workflows.InitialSearchAttributes(n),
	}, workflows.TicketWorkflow, workflows.TicketInput{New: n, ContinueAfter: 2}); err != nil {
		t.Fatal(err)
	}
	for _, s := range []struct {
		a ticket.Action
		r ticket.Request
	}{
		{ticket.ActEscalate, ticket.Request{}}, {ticket.ActAcknowledge, ticket.Request{}}, {ticket.ActStartFix, ticket.Request{}},
		{ticket.ActResolve, ticket.Request{Comment: "fixed"}}, {ticket.ActReopen, ticket.Request{Comment: "still fails"}},
		{ticket.ActResolve, ticket.Request{Comment: "fixed again"}},
	} {
		s.r.Actor = "it-operator"
		if _, err := env.ops.Act(ctx, canRef, s.a, s.r); err != nil {
			t.Fatalf("%s: %v", s.a, err)
		}
	}
	urgentRef := uniqueRef(t, "IT-RPT-URG")
	open(t, urgentRef, "Urgent")
	ok(t, "ticketctl", "escalate", urgentRef, "-m", "many calls")
	eventually(t, 30*time.Second, "the Urgent ticket breaches", func() bool {
		v, err := env.ops.Show(ctx, urgentRef)
		return err == nil && v.Ticket.Breached()
	})

	tickets, _, err := env.ops.TicketsSince(ctx, since)
	if err != nil {
		t.Fatal(err)
	}
	var mine []ticket.Ticket
	for _, tk := range tickets {
		if tk.Ref == canRef || tk.Ref == urgentRef {
			mine = append(mine, tk)
		}
	}
	if len(mine) != 2 {
		t.Fatalf("read %d of the two tickets (a continued ticket must be read once)", len(mine))
	}
	for _, tk := range mine {
		if tk.Ref == canRef {
			got := []string{}
			for _, e := range tk.Timeline {
				got = append(got, e.Action)
			}
			if strings.Join(got, " ") != "open escalate acknowledge start-fix resolve reopen resolve" || tk.State != ticket.StateResolved {
				t.Fatalf("continued ticket read as %v in %s, want its whole timeline from the latest run", got, tk.State)
			}
		}
	}
	r, err := report.Build(report.Input{From: today, To: today, Zone: zone, AsOf: time.Now(), Tickets: mine,
		UIURL: "http://localhost:8233", Namespace: env.namespace})
	if err != nil {
		t.Fatal(err)
	}
	if r.Tickets != 2 || r.Overall.Reopened != 1 || r.Overall.Resolution.Missed != 1 || r.Overall.Resolution.Met != 1 {
		t.Fatalf("figures %+v, want 2 tickets, 1 reopened, resolution 1 met and 1 missed", r.Overall)
	}

	dir := t.TempDir()
	jsonPath := filepath.Join(dir, "report.json")
	ok(t, "reportctl", "service", "-from", today, "-to", today, "-o", jsonPath)
	var full report.Report
	b, err := os.ReadFile(jsonPath)
	if err != nil || json.Unmarshal(b, &full) != nil {
		t.Fatalf("read %s: %v", jsonPath, err)
	}
	found := false
	for _, br := range full.Breaches {
		found = found || br.Ref == urgentRef && br.Clock == ticket.ClockResolution &&
			strings.HasSuffix(br.Link, "/namespaces/"+env.namespace+"/workflows/ticket-"+urgentRef)
	}
	if !found || full.Tickets < 2 {
		t.Fatalf("reportctl's breaches %+v lack %s with its link", full.Breaches, urgentRef)
	}
	htmlPath := filepath.Join(dir, "report.html")
	if out := ok(t, "reportctl", "service", "-from", today, "-to", today, "-o", htmlPath); !strings.Contains(out, htmlPath) {
		t.Fatalf("reportctl printed %q, want where the report is", out)
	}
	page, _ := os.ReadFile(htmlPath)
	if n := strings.Count(string(page), "<svg "); n != 4 {
		t.Fatalf("HTML report holds %d charts, want 4", n)
	}
	if out := ok(t, "reportctl", "send", "-from", today, "-to", today); !strings.Contains(out, "sent to hca-product-manager") ||
		!strings.Contains(out, "Service report "+today) {
		t.Fatalf("reportctl send printed %q", out)
	}
	if r := program(t, "reportctl", "service", "-from", today, "-to", "2000-01-01"); r.code == 0 || !strings.Contains(r.err, "the period is empty") {
		t.Fatalf("an empty period: exit %d, %q", r.code, r.err)
	}
}
