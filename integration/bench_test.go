package integration

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/hcaops/hcaops/ticket"
)

// BenchmarkTicketLifecycle measures, on the real dev server, how long an operator waits:
// opening a ticket and taking it through escalate, start-fix and resolve (each an Update
// that returns once the workflow has applied it). Run with `make bench`.
func BenchmarkTicketLifecycle(b *testing.B) {
	env.stopGauges()
	ctx := context.Background()
	run := time.Now().UnixNano() % 1_000_000
	steps := []struct {
		a ticket.Action
		r ticket.Request
	}{
		{ticket.ActEscalate, ticket.Request{Actor: "bench"}},
		{ticket.ActStartFix, ticket.Request{Actor: "bench"}},
		{ticket.ActResolve, ticket.Request{Actor: "bench", Comment: "done"}},
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		ref := fmt.Sprintf("BENCH-%d-%d", run, i)
		if _, err := env.ops.Open(ctx, ticket.NewTicket{Ref: ref, Channel: ticket.ChannelPhone, Product: ticket.ProductOnline1010EZ,
			Summary: "benchmark ticket", Priority: ticket.PriorityLow, Reporter: "bench"}); err != nil {
			b.Fatal(err)
		}
		for _, s := range steps {
			if _, err := env.ops.Act(ctx, ref, s.a, s.r); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N*(len(steps)+1)), "ms/operation")
}

// BenchmarkTicketAgainstBare prints issue 9's ratios from one run on one server: the
// history events of the standard lifecycle, and the p50 and p95 of an operator's action
// with 1 and with 16 operators at once, for the ticket and for the bare workflow taking
// the same three Updates. Beside them it prints two floors (FloorWorkflow): the bare
// workflow writing the status search attribute on each action, and that plus an empty
// local activity, so the ticket's own share is told from what any ticket pays on this
// server. Rounds of the kinds alternate, so all see the same load. It prints figures and
// never fails on a time; run it with -benchtime 1x.
func BenchmarkTicketAgainstBare(b *testing.B) {
	env.stopGauges()
	ctx := context.Background()
	run := time.Now().UnixNano() % 1_000_000
	kinds := []kind{kindBare, kindStatus, kindStatusDesk, kindTicket}
	for b.Loop() {
		type side struct {
			lat1, lat16   []time.Duration
			task1, task16 []time.Duration // the worker's share of each action
			rest1, rest16 []time.Duration // the server's: the action less its workflow task
			events        []int
		}
		sides := map[kind]*side{}
		for _, k := range kinds {
			sides[k] = &side{}
		}
		round := func(k kind, ops, i int) []lifecycleRun {
			runs, err := latencyRound(ctx, k, fmt.Sprintf("BENCH-%d-%s-%d-%d", run, k, ops, i), ops)
			if err != nil {
				b.Fatal(err)
			}
			return runs
		}
		// split adds each action's latency, and, when the lifecycle took one workflow task
		// per action (a clock firing meanwhile would add one), its task and the rest.
		split := func(runs []lifecycleRun, lat, task, rest *[]time.Duration) {
			for _, r := range runs {
				*lat = append(*lat, r.latencies...)
				if len(r.tasks) != len(r.latencies) {
					continue
				}
				for i, l := range r.latencies {
					*task = append(*task, r.tasks[i])
					*rest = append(*rest, l-r.tasks[i])
				}
			}
		}
		// A warm-up round of each: the first workflows pay for connections and caches.
		for _, k := range kinds {
			round(k, 4, -1)
		}
		// Enough rounds that a p95 is not one bad round's: 180 actions of each kind at 1
		// operator, 960 at 16.
		for i := range 60 {
			for _, k := range kinds {
				s, runs := sides[k], round(k, 1, i)
				split(runs, &s.lat1, &s.task1, &s.rest1)
				for _, r := range runs {
					s.events = append(s.events, r.events)
				}
			}
		}
		for i := range 20 {
			for _, k := range kinds {
				s := sides[k]
				split(round(k, 16, i), &s.lat16, &s.task16, &s.rest16)
			}
		}
		bare, tk := sides[kindBare], sides[kindTicket]
		rows := []struct {
			name string
			lat  func(*side) []time.Duration
			p    float64
		}{
			{"action p50, 1 operator", func(s *side) []time.Duration { return s.lat1 }, 50},
			{"action p95, 1 operator", func(s *side) []time.Duration { return s.lat1 }, 95},
			{"action p50, 16 operators at once", func(s *side) []time.Duration { return s.lat16 }, 50},
			{"action p95, 16 operators at once", func(s *side) []time.Duration { return s.lat16 }, 95},
		}
		fmt.Printf("\nticket against the bare workflow (same run, same server)\n")
		fmt.Printf("%-34s %10s %10s %7s\n", "", "bare", "ticket", "ratio")
		be, te := slices.Max(bare.events), slices.Max(tk.events)
		fmt.Printf("%-34s %10d %10d %7.2f\n", "history events, lifecycle", be, te, float64(te)/float64(be))
		for _, row := range rows {
			pb, pt := percentile(row.lat(bare), row.p), percentile(row.lat(tk), row.p)
			fmt.Printf("%-34s %8.1fms %8.1fms %7.2f\n", row.name, ms(pb), ms(pt), float64(pt)/float64(pb))
		}
		fmt.Printf("(%d and %d actions at 1 operator, %d and %d at 16)\n", len(bare.lat1), len(tk.lat1), len(bare.lat16), len(tk.lat16))
		fmt.Printf("\nthe floors, as ratios to the bare workflow: what any ticket pays here\n")
		fmt.Printf("%-34s %14s %16s %7s\n", "", string(kindStatus), string(kindStatusDesk), "ticket")
		for _, row := range rows {
			pb := float64(percentile(row.lat(bare), row.p))
			r := func(k kind) float64 { return float64(percentile(row.lat(sides[k]), row.p)) / pb }
			fmt.Printf("%-34s %14.2f %16.2f %7.2f\n", row.name, r(kindStatus), r(kindStatusDesk), r(kindTicket))
		}
		fmt.Printf("\nwhere an action's time goes, p50 in ms: the workflow task (from its start to its\n")
		fmt.Printf("completion, as the server records them: the worker, the desk's calls included), and\n")
		fmt.Printf("the rest (the server: taking the Update, scheduling the task, persisting, answering)\n")
		fmt.Printf("%-34s", "")
		for _, k := range kinds {
			fmt.Printf(" %14s", k)
		}
		fmt.Println()
		parts := []struct {
			name string
			of   func(*side) []time.Duration
		}{
			{"action, 1 operator", func(s *side) []time.Duration { return s.lat1 }},
			{"  workflow task", func(s *side) []time.Duration { return s.task1 }},
			{"  rest", func(s *side) []time.Duration { return s.rest1 }},
			{"action, 16 operators at once", func(s *side) []time.Duration { return s.lat16 }},
			{"  workflow task", func(s *side) []time.Duration { return s.task16 }},
			{"  rest", func(s *side) []time.Duration { return s.rest16 }},
		}
		for _, part := range parts {
			fmt.Printf("%-34s", part.name)
			for _, k := range kinds {
				fmt.Printf(" %14.2f", ms(percentile(part.of(sides[k]), 50)))
			}
			fmt.Println()
		}
		fmt.Printf("(tasks and rests of %d, %d, %d and %d actions at 1 operator)\n",
			len(sides[kindBare].task1), len(sides[kindStatus].task1), len(sides[kindStatusDesk].task1), len(tk.task1))
		b.ReportMetric(float64(te)/float64(be), "history-ratio")
		b.ReportMetric(float64(percentile(tk.lat16, 95))/float64(percentile(bare.lat16, 95)), "p95-16-ratio")
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
