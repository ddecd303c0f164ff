package integration

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/hcaops/hcaops/simulation"
	"github.com/hcaops/hcaops/ticket"
	"github.com/hcaops/hcaops/workflows"
)

// TestWhatIfMatchesALiveRun drives a small set of tickets live on the dev server with the
// real worker, with targets of seconds, then replays the same events through the what-if:
// once from the tickets' real history read back from Temporal, once from a CSV of the
// planned events. Verdicts, breach instants and escalations must agree.
func TestWhatIfMatchesALiveRun(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	p := ticket.DefaultPolicy()
	p.Acknowledge, p.AcknowledgeCalendar = 3*time.Second, "calendar"
	for _, pr := range ticket.Priorities {
		p.Resolution[pr], p.ES[pr] = 8*time.Second, 4*time.Second
	}
	p.Resolution[ticket.PriorityUrgent] = 4 * time.Second
	p.ReopenWindow = 2 * time.Second

	type step struct {
		after time.Duration
		a     ticket.Action
		r     ticket.Request
	}
	run := fmt.Sprintf("%d", time.Now().UnixNano()%1_000_000_000)
	plan := map[string]struct {
		priority ticket.Priority
		steps    []step
	}{
		// Everything in time.
		"IT-WI-MET-" + run: {ticket.PriorityHigh, []step{
			{time.Second, ticket.ActAcknowledge, ticket.Request{}},
			{1500 * time.Millisecond, ticket.ActStartFix, ticket.Request{}},
			{2 * time.Second, ticket.ActResolve, ticket.Request{Comment: "fixed"}}}},
		// Nobody acknowledges: acknowledgement breaches at 3 s, resolution (Urgent) at 4 s.
		"IT-WI-LATE-" + run: {ticket.PriorityUrgent, []step{
			{5500 * time.Millisecond, ticket.ActResolve, ticket.Request{Comment: "fixed late"}}}},
		// With ES 5 s against a 4 s target; the resolution clock waits meanwhile.
		"IT-WI-ES-" + run: {ticket.PriorityMedium, []step{
			{time.Second, ticket.ActRouteToES, ticket.Request{Comment: "ES record"}},
			{6 * time.Second, ticket.ActReturnFromES, ticket.Request{Comment: "ES fixed it"}},
			{6500 * time.Millisecond, ticket.ActResolve, ticket.Request{Comment: "verified"}}}},
		// On hold awaiting the caller for 3 s: the clocks pause and the target is met.
		"IT-WI-HOLD-" + run: {ticket.PriorityLow, []step{
			{500 * time.Millisecond, ticket.ActStartFix, ticket.Request{}},
			{time.Second, ticket.ActHold, ticket.Request{Comment: "which browser?", HoldReason: ticket.HoldAwaitingCaller}},
			{4 * time.Second, ticket.ActResume, ticket.Request{}},
			{6 * time.Second, ticket.ActResolve, ticket.Request{Comment: "fixed"}}}},
	}

	start := time.Now()
	var csv strings.Builder
	csv.WriteString(strings.Join(simulation.CSVColumns, ",") + "\n")
	var wg sync.WaitGroup
	errs := make(chan error, len(plan))
	for ref, tp := range plan {
		n := ticket.NewTicket{Ref: ref, Channel: ticket.ChannelPhone, Product: ticket.ProductOnline1010EZ,
			Summary: "Form stops at the insurance page", Priority: tp.priority, Reporter: "hrc-agent-4", OpenedAt: start}
		if _, err := env.client.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
			ID: workflows.TicketWorkflowID(ref), TaskQueue: workflows.TaskQueue, TypedSearchAttributes: workflows.InitialSearchAttributes(n),
		}, workflows.TicketWorkflow, workflows.TicketInput{New: n, Policy: &p,
			Then: []ticket.Step{{Action: ticket.ActEscalate, Request: ticket.Request{Actor: "hrc-agent-4"}}}}); err != nil {
			t.Fatal(err)
		}
		at := func(d time.Duration) string { return start.Add(d).Format(time.RFC3339Nano) }
		fmt.Fprintf(&csv, "%s,%s,open,%s,phone,online-1010ez,Form stops,hrc-agent-4,,,,,,\n", ref, at(0), tp.priority)
		fmt.Fprintf(&csv, "%s,%s,escalate,,,,,hrc-agent-4,,,,,,\n", ref, at(0))
		for _, s := range tp.steps {
			fmt.Fprintf(&csv, "%s,%s,%s,,,,,it-operator,%s,%s,,,,\n", ref, at(s.after), s.a, s.r.Comment, s.r.HoldReason)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, s := range tp.steps {
				time.Sleep(time.Until(start.Add(s.after))) // the traffic's own timing, not synchronisation
				s.r.Actor = "it-operator"
				if _, err := env.ops.Act(ctx, ref, s.a, s.r); err != nil {
					errs <- fmt.Errorf("%s %s: %w", ref, s.a, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	live := map[string]ticket.Ticket{}
	eventually(t, 30*time.Second, "every live ticket closes", func() bool {
		tickets, _, err := env.ops.TicketsSince(ctx, start.Add(-time.Minute))
		if err != nil {
			return false
		}
		for _, tk := range tickets {
			if _, mine := plan[tk.Ref]; mine && tk.State == ticket.StateClosed {
				live[tk.Ref] = tk
			}
		}
		return len(live) == len(plan)
	})

	var liveTickets []ticket.Ticket
	for _, tk := range live {
		liveTickets = append(liveTickets, tk)
	}
	fromHistory, err := simulation.FromHistory(liveTickets)
	if err != nil {
		t.Fatal(err)
	}
	fromCSV, err := simulation.ReadCSV(strings.NewReader(csv.String()), "planned.csv")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"IT-WI-MET-" + run:  "acknowledge=met es=- resolution=met escalations=0",
		"IT-WI-LATE-" + run: "acknowledge=missed es=- resolution=missed escalations=2",
		"IT-WI-ES-" + run:   "acknowledge=met es=missed resolution=met escalations=1",
		"IT-WI-HOLD-" + run: "acknowledge=met es=- resolution=met escalations=0",
	}
	for name, traffic := range map[string][]simulation.Ticket{"real history": fromHistory, "planned CSV": fromCSV} {
		for _, tt := range traffic {
			sim, err := simulation.Simulate(tt, p, time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			lv := live[tt.New.Ref]
			if got, liveGot := verdicts(sim.Verdicts, sim.Escalations), liveVerdicts(lv); got != liveGot || got != want[tt.New.Ref] {
				t.Errorf("%s, %s: simulated %q, live %q, want %q", name, tt.New.Ref, got, liveGot, want[tt.New.Ref])
			}
			if name != "real history" {
				continue
			}
			// Replayed at the recorded instants, the breaches happen at the same instants.
			for _, c := range lv.Clocks {
				if c.Breached() && !sim.BreachedAt[c.Name].Equal(c.BreachedAt) {
					t.Errorf("%s %s: simulated breach at %v, live at %v", tt.New.Ref, c.Name, sim.BreachedAt[c.Name], c.BreachedAt)
				}
			}
		}
	}
}

func verdicts(v map[string]string, escalations int) string {
	get := func(k string) string {
		if s, ok := v[k]; ok {
			return s
		}
		return "-"
	}
	return fmt.Sprintf("acknowledge=%s es=%s resolution=%s escalations=%d", get("acknowledge"), get("es"), get("resolution"), escalations)
}

func liveVerdicts(t ticket.Ticket) string {
	v := map[string]string{}
	for _, c := range t.Clocks {
		switch {
		case c.Phase == "not started":
		case c.Breached():
			v[c.Name] = "missed"
		case c.Phase == "stopped":
			v[c.Name] = "met"
		default:
			v[c.Name] = "pending"
		}
	}
	n := 0
	for _, e := range t.Timeline {
		if e.Action == "sla-breach" || e.Action == "es-stalled" {
			n++
		}
	}
	return verdicts(v, n)
}
