package workflows

import (
	"errors"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/hcaops/hcaops/activities"
	"github.com/hcaops/hcaops/internal/duration"
)

// DeskPollInput names the desk one schedule polls, and how a run polls it.
type DeskPollInput struct {
	Desk string `json:"desk"` // "sdm" or "dynamics"
	// Every and For make one run poll every Every for For, handing the cursor from poll to
	// poll, so the schedule starts a run an hour, not one a minute: each run is a line in
	// the UI's workflow list. Zero: one poll per run (runs started before these fields).
	Every time.Duration `json:"every,omitempty"`
	For   time.Duration `json:"for,omitempty"`
}

func (v DeskPollInput) MarshalJSON() ([]byte, error) {
	type plain DeskPollInput
	return duration.MarshalFields(plain(v))
}

func (v *DeskPollInput) UnmarshalJSON(b []byte) error {
	type plain DeskPollInput
	return duration.UnmarshalFields(b, (*plain)(v))
}

// DeskPollResult is a poll's outcome. Its Cursor is where the next poll starts: the
// schedule hands a run's result to the next run (last completion result), keeps it when
// a run fails (the failure then carries the failed run's, see startCursor), and runs one
// run at a time (overlap policy buffer-one).
type DeskPollResult struct {
	Desk      string `json:"desk"`
	Cursor    string `json:"cursor"`
	Incidents int    `json:"incidents"`
	Opened    int    `json:"opened"`
	Synced    int    `json:"synced"`
	Later     int    `json:"later"`
}

// ErrTypeDeskPollFailed marks a desk-poll run that ended on a failed poll. Its details are
// the run's DeskPollResult, whose Cursor is how far the run got.
const ErrTypeDeskPollFailed = "DeskPollFailed"

// DeskPollWorkflow polls a service desk, run by a Temporal Schedule: each poll reads the
// incidents changed since the cursor, opens a ticket for each new one in scope and hands
// people's changes to the tickets. A failed poll (the desk is down) leaves the cursor
// where it was, so the next poll reads the same changes; taking an incident twice opens
// or changes nothing twice. A run polls once, or every in.Every for in.For; it fails when
// its last poll failed, so the UI shows the outage, and the failure carries the cursor the
// run reached: the schedule hands the next run that failure (its last failure since the
// last success), and the next run carries on from there rather than re-reading the whole
// run's changes from the cursor of the last run that succeeded.
func DeskPollWorkflow(ctx workflow.Context, in DeskPollInput) (DeskPollResult, error) {
	// Without Every, or with For no longer than Every, the loop polls once.
	end := workflow.Now(ctx).Add(in.For)
	total := DeskPollResult{Desk: in.Desk, Cursor: startCursor(ctx, in.Desk)}
	for {
		res, err := pollDesk(ctx, in.Desk, total.Cursor)
		if err == nil {
			total.Cursor = res.Cursor
			total.Incidents += res.Incidents
			total.Opened += res.Opened
			total.Synced += res.Synced
			total.Later += res.Later
		}
		if in.Every <= 0 || !workflow.Now(ctx).Add(in.Every).Before(end) {
			if err != nil {
				return total, pollFailed(total, err) // a run that ends on a failed poll shows as failed
			}
			return total, nil
		}
		if err := workflow.NewTimerWithOptions(ctx, in.Every, workflow.TimerOptions{Summary: "next poll of " + in.Desk}).Get(ctx, nil); err != nil {
			return total, err
		}
	}
}

// startCursor is where a run starts: the cursor of the last run if it failed (the
// schedule passes the failure only when it came after the last success), else the last
// successful run's, else none (the desk's lookback). A result or failure of another desk
// does not count. Only the first poll's input depends on it, never the order of commands,
// so histories from before the failure carried a cursor replay unchanged.
func startCursor(ctx workflow.Context, desk string) string {
	var failed DeskPollResult
	var app *temporal.ApplicationError
	if err := workflow.GetLastError(ctx); errors.As(err, &app) && app.Type() == ErrTypeDeskPollFailed && app.HasDetails() {
		if err := app.Details(&failed); err == nil && failed.Desk == desk && failed.Cursor != "" {
			return failed.Cursor
		}
	}
	var last DeskPollResult
	if workflow.HasLastCompletionResult(ctx) {
		if err := workflow.GetLastCompletionResult(ctx, &last); err != nil {
			workflow.GetLogger(ctx).Warn("last poll's result unreadable; polling from the lookback", "error", err)
			return ""
		}
	}
	if last.Desk == desk {
		return last.Cursor
	}
	return ""
}

// pollFailed is a run's failure when its last poll failed: the poll's error as the cause,
// and the run's result so far as the details, for the next run to start from.
func pollFailed(reached DeskPollResult, err error) error {
	return temporal.NewApplicationErrorWithOptions("the last poll of "+reached.Desk+" failed; the next run carries on from this run's cursor",
		ErrTypeDeskPollFailed, temporal.ApplicationErrorOptions{Cause: err, Details: []any{reached}})
}

// pollDesk is one poll: what changed since cursor, each incident taken, the next cursor.
func pollDesk(ctx workflow.Context, desk, cursor string) (DeskPollResult, error) {
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: time.Minute,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: 10 * time.Second,
			// A desk that stays down fails the poll; the next one starts from the same cursor.
			MaximumAttempts:        3,
			NonRetryableErrorTypes: []string{activities.ErrTypeDeskRejected},
		},
	})
	var a *activities.DeskIntake
	var polled activities.PollOutput
	if err := workflow.ExecuteActivity(actx, a.PollDesk, activities.PollInput{Desk: desk, Cursor: cursor}).Get(ctx, &polled); err != nil {
		return DeskPollResult{}, err
	}
	res := DeskPollResult{Desk: desk, Cursor: polled.Cursor, Incidents: len(polled.Incidents)}
	// A few at a time: each is a round trip to the desk and to the ticket.
	const parallel = 4
	results := make([]activities.TakeResult, len(polled.Incidents))
	var firstErr error
	for start := 0; start < len(polled.Incidents); start += parallel {
		end := min(start+parallel, len(polled.Incidents))
		futures := make([]workflow.Future, 0, end-start)
		for _, inc := range polled.Incidents[start:end] {
			futures = append(futures, workflow.ExecuteActivity(actx, a.TakeIncident, inc))
		}
		for i, f := range futures {
			if err := f.Get(ctx, &results[start+i]); err != nil && firstErr == nil {
				firstErr = err
			}
		}
	}
	if firstErr != nil {
		// Not advancing: the incidents taken are taken, and are taken again harmlessly.
		return DeskPollResult{}, firstErr
	}
	reread := false
	for _, r := range results {
		reread = reread || r.Reread
		switch r.Outcome {
		case activities.TakeOpened:
			res.Opened++
		case activities.TakeSynced:
			res.Synced++
		case activities.TakeLater:
			res.Later++
		}
	}
	if reread && cursor != "" {
		// A ticket was writing to its incident: read from the same place again, since a
		// note-only write (Dynamics) does not bring the incident back into the changes.
		res.Cursor = cursor
	}
	return res, nil
}
