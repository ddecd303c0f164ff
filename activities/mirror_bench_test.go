package activities

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/hcaops/hcaops/servicedesk"
	"github.com/hcaops/hcaops/ticket"
)

// BenchmarkMirrorTransition times what an operator's action waits for at the desk: one
// transition mirrored (a status change and its comment), against each desk's fake over
// HTTP, beside the bare yardstick of one call to the same desk (finding an incident by
// reference). The ratio is the depth of the mirror in calls one after the other: each
// call of a real desk costs a network round trip, so this is the figure that carries
// over to production, where the fakes' absolute times do not. It prints figures and
// never fails on a time.
func BenchmarkMirrorTransition(b *testing.B) {
	for _, name := range []string{"sdm", "dynamics"} {
		b.Run(name, func(b *testing.B) {
			desk := benchDesk(b, name)
			a := &ServiceDesk{Desk: desk}
			ctx := context.Background()
			statuses := []servicedesk.Status{servicedesk.StatusInProgress, servicedesk.StatusOnHold}
			var one, mirror time.Duration
			n := 0
			var link ticket.IncidentLink
			var ref string
			for i := 0; b.Loop(); i++ {
				n++
				if i%transitionsPerTicket == 0 { // a new ticket: its incident, outside the timing
					b.StopTimer()
					ref = fmt.Sprintf("HRC-BENCH-%d", i/transitionsPerTicket)
					inc, err := desk.EnsureIncident(ctx, servicedesk.NewIncident{Ref: ref, Summary: "benchmark incident"})
					if err != nil {
						b.Fatal(err)
					}
					link = ticket.IncidentLink{System: name, ID: inc.ID, Number: inc.Number}
					b.StartTimer()
				}
				t0 := time.Now()
				if _, err := desk.FindIncident(ctx, ref); err != nil {
					b.Fatal(err)
				}
				one += time.Since(t0)
				status := statuses[i%2]
				in := MirrorInput{Ref: ref, Key: fmt.Sprintf("%s#%d", ref, i), Incident: link, Status: &status,
					Comment: "[start-fix by op] reproduced on staging"}
				t0 = time.Now()
				if err := a.MirrorTransition(ctx, in); err != nil {
					b.Fatal(err)
				}
				mirror += time.Since(t0)
			}
			b.ReportMetric(float64(one.Microseconds())/float64(n), "µs/one-call")
			b.ReportMetric(float64(mirror.Microseconds())/float64(n), "µs/mirror")
			b.ReportMetric(float64(mirror)/float64(one), "calls-deep")
		})
	}
}

// transitionsPerTicket is how many transitions each benchmark ticket takes: a ticket's
// whole life, escalations and notes included, is a few dozen.
const transitionsPerTicket = 20

// benchDesk serves a desk's fake over HTTP and returns its client.
func benchDesk(b *testing.B, name string) servicedesk.Desk {
	b.Helper()
	if name == "dynamics" {
		_, c := fakeDynamics(b)
		return c
	}
	_, c := fakeSDM(b)
	return c
}
