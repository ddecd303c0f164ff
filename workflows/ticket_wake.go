package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/hcaops/hcaops/ticket"
)

// wakeTimer is the one durable timer of a lean run: set for the next clock threshold or
// the end of the reopen window. Most actions move the next wake later (a clock stops, a
// ticket is resolved): the timer is then kept and, when it fires early, re-armed, which
// costs nothing until it fires, where cancelling and starting another costs two history
// events on every action. Only a wake that moves earlier replaces it.
type wakeTimer struct {
	timer  workflow.Future
	at     time.Time
	cancel workflow.CancelFunc
}

func (w *wakeTimer) fired() bool { return w.timer != nil && w.timer.IsReady() }

// sleep waits for an action (r.changed) or the next wake, whichever comes first.
func (r *ticketRun) sleep(ctx workflow.Context, now time.Time) error {
	at, what, ok := r.nextWake()
	if ok && !at.After(now) {
		return nil // due already: the loop reports it now
	}
	if ok && (r.wake.timer == nil || at.Before(r.wake.at)) {
		if r.wake.timer != nil {
			r.wake.cancel() // one cancellation now instead of a timer firing for nothing later
		}
		tctx, cancel := workflow.WithCancel(ctx)
		r.wake = wakeTimer{
			timer:  workflow.NewTimerWithOptions(tctx, at.Sub(now), workflow.TimerOptions{Summary: what}),
			at:     at,
			cancel: cancel,
		}
	}
	err := workflow.Await(ctx, func() bool { return r.changed || r.wake.fired() })
	if r.wake.fired() {
		r.wake = wakeTimer{} // re-armed by the next call, if anything is still ahead
	}
	return err
}

// nextWake is the earliest unreported clock threshold, or the end of the reopen window,
// with what it is for, in the words the UI shows on the timer: "acknowledge clock 75%",
// "resolution clock 100% (breach)", "reopen window ends".
func (r *ticketRun) nextWake() (time.Time, string, bool) {
	var (
		next  time.Time
		what  string
		found bool
	)
	consider := func(at time.Time, why string) {
		if !found || at.Before(next) {
			next, what, found = at, why, true
		}
	}
	thresholds := r.t.Policy.Thresholds()
	for i := range r.t.Clocks {
		c := &r.t.Clocks[i]
		if at, f, ok := c.Next(r.cals.For(c.Name), thresholds); ok {
			consider(at, thresholdName(c.Name, f))
		}
	}
	if r.t.State == ticket.StateResolved {
		consider(r.t.CloseAt(), "reopen window ends")
	}
	return next, what, found
}

func thresholdName(clock string, f float64) string {
	if f >= 1 {
		return fmt.Sprintf("%s clock 100%% (breach)", clock)
	}
	return fmt.Sprintf("%s clock %.0f%%", clock, f*100)
}
