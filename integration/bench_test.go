package integration

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/hcaops/hcaops/ticket"
)

// BenchmarkTicketLifecycle measures, on the real dev server, how long an operator waits:
// opening a ticket and taking it through escalate, start-fix and resolve (each an Update
// that returns once the workflow has applied it). Run with `make bench`.
func BenchmarkTicketLifecycle(b *testing.B) {
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
