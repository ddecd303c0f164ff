package simulation

import (
	"fmt"
	"io"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/hcaops/hcaops/ticket"
)

// Figures are one policy's results for one priority (or all).
type Figures struct {
	Tickets     int                `json:"tickets"`
	Met         map[string]int     `json:"met"`    // by clock
	Missed      map[string]int     `json:"missed"` // by clock
	Pending     map[string]int     `json:"pending"`
	Compliance  map[string]float64 `json:"compliancePercent"` // met / (met + missed), by clock with a verdict
	Breaches    int                `json:"breaches"`
	Escalations int                `json:"escalations"`
	Warnings    int                `json:"warnings"`
	Rejected    int                `json:"rejectedActions"`
}

// Row sets the current and the proposed policy side by side for one priority.
type Row struct {
	Priority string  `json:"priority"` // "all" for the total
	Current  Figures `json:"current"`
	Proposed Figures `json:"proposed"`
}

// Comparison is the what-if's answer.
type Comparison struct {
	Tickets  int           `json:"tickets"`
	From     time.Time     `json:"from"`
	Until    time.Time     `json:"until"`
	Rows     []Row         `json:"rows"`
	Elapsed  time.Duration `json:"elapsedNanos"`
	Workflow int           `json:"workflowRuns"`
}

// Options of a comparison.
type Options struct {
	Current  ticket.Policy // for tickets whose traffic carries no policy of its own
	Proposed ticket.Policy // used when Propose is nil
	// Propose turns a ticket's current policy into the proposed one (a policy file's
	// changes applied to it), so tickets opened under different policies keep what the
	// file leaves alone.
	Propose  func(current ticket.Policy) (ticket.Policy, error)
	Until    time.Time // open tickets are read at this instant; zero: a day after the last event
	Workers  int       // 0: one per CPU
	Progress func(done, total int)
}

// Compare replays every ticket under its current policy and under the proposed one.
func Compare(traffic []Ticket, o Options) (Comparison, error) {
	if len(traffic) == 0 {
		return Comparison{}, fmt.Errorf("no ticket traffic to replay")
	}
	first, last := window(traffic)
	until := o.Until
	if until.IsZero() {
		until = last.Add(24 * time.Hour)
	}
	workers := o.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	type result struct {
		current, proposed Outcome
		err               error
	}
	results := make([]result, len(traffic))
	start := time.Now()
	jobs := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				tt := traffic[i]
				cur := o.Current
				if tt.Policy != nil {
					cur = *tt.Policy
				}
				var r result
				prop := o.Proposed
				if o.Propose != nil {
					prop, r.err = o.Propose(cur)
				}
				if r.err == nil {
					r.current, r.err = Simulate(tt, cur, until)
				}
				if r.err == nil {
					r.proposed, r.err = Simulate(tt, prop, until)
				}
				results[i] = r
				if o.Progress != nil {
					mu.Lock()
					done++
					o.Progress(done, len(traffic))
					mu.Unlock()
				}
			}
		}()
	}
	for i := range traffic {
		jobs <- i
	}
	close(jobs)
	wg.Wait()

	rows := map[string]*Row{}
	row := func(p string) *Row {
		if rows[p] == nil {
			rows[p] = &Row{Priority: p, Current: newFigures(), Proposed: newFigures()}
		}
		return rows[p]
	}
	for _, r := range results {
		if r.err != nil {
			return Comparison{}, r.err
		}
		for _, rw := range []*Row{row("all"), row(string(r.current.Priority))} {
			rw.Current.add(r.current)
			rw.Proposed.add(r.proposed)
		}
	}
	c := Comparison{Tickets: len(traffic), From: first, Until: until, Elapsed: time.Since(start), Workflow: 2 * len(traffic)}
	for _, p := range append([]string{"all"}, priorityNames()...) {
		if r, ok := rows[p]; ok {
			r.Current.finish()
			r.Proposed.finish()
			c.Rows = append(c.Rows, *r)
		}
	}
	return c, nil
}

func priorityNames() []string {
	var out []string
	for _, p := range slices.Backward(ticket.Priorities) {
		out = append(out, string(p))
	}
	return out
}

func newFigures() Figures {
	return Figures{Met: map[string]int{}, Missed: map[string]int{}, Pending: map[string]int{}, Compliance: map[string]float64{}}
}

func (f *Figures) add(o Outcome) {
	f.Tickets++
	for clock, v := range o.Verdicts {
		switch v {
		case "met":
			f.Met[clock]++
		case "missed":
			f.Missed[clock]++
		case "pending":
			f.Pending[clock]++
		}
	}
	f.Breaches += o.Breaches
	f.Escalations += o.Escalations
	f.Warnings += o.Warnings
	f.Rejected += o.Rejected
}

func (f *Figures) finish() {
	for _, clock := range clocks {
		if n := f.Met[clock] + f.Missed[clock]; n > 0 {
			f.Compliance[clock] = float64(int(float64(f.Met[clock])/float64(n)*1000+0.5)) / 10
		}
	}
}

var clocks = []string{ticket.ClockAcknowledge, ticket.ClockResolution, ticket.ClockES}

// WriteText prints the comparison as a table, current and proposed side by side.
func WriteText(w io.Writer, c Comparison) {
	fmt.Fprintf(w, "What-if over %d tickets, %s to %s (%d workflow runs in %v)\n\n", c.Tickets,
		c.From.Format("2006-01-02"), c.Until.Format("2006-01-02"), c.Workflow, c.Elapsed.Round(time.Millisecond))
	fmt.Fprintf(w, "%-8s %-8s %7s %9s %9s %9s %9s %11s %8s\n", "priority", "policy", "tickets", "ack %", "resolve %", "ES %", "breaches", "escalations", "refused")
	pc := func(f Figures, clock string) string {
		v, ok := f.Compliance[clock]
		if !ok {
			return "—"
		}
		return fmt.Sprintf("%.1f", v)
	}
	for _, r := range c.Rows {
		for _, side := range []struct {
			name string
			f    Figures
		}{{"current", r.Current}, {"proposed", r.Proposed}} {
			label := r.Priority
			if side.name == "proposed" {
				label = ""
			}
			fmt.Fprintf(w, "%-8s %-8s %7d %9s %9s %9s %9d %11d %8d\n", label, side.name, side.f.Tickets,
				pc(side.f, ticket.ClockAcknowledge), pc(side.f, ticket.ClockResolution), pc(side.f, ticket.ClockES),
				side.f.Breaches, side.f.Escalations, side.f.Rejected)
		}
	}
}
