package workflows

import (
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
// a run fails, and runs one poll at a time (overlap policy skip).
type DeskPollResult struct {
	Desk      string `json:"desk"`
	Cursor    string `json:"cursor"`
	Incidents int    `json:"incidents"`
	Opened    int    `json:"opened"`
	Synced    int    `json:"synced"`
	Later     int    `json:"later"`
}

// DeskPollWorkflow polls a service desk, run by a Temporal Schedule: each poll reads the
// incidents changed since the cursor, opens a ticket for each new one in scope and hands
// people's changes to the tickets. A failed poll (the desk is down) leaves the cursor
// where it was, so the next poll reads the same changes; taking an incident twice opens
// or changes nothing twice. A run polls once, or every in.Every for in.For; it fails when
// its last poll failed, and the schedule then hands the next run the cursor of the last
// run that succeeded.
func DeskPollWorkflow(ctx workflow.Context, in DeskPollInput) (DeskPollResult, error) {
	var last DeskPollResult
	if workflow.HasLastCompletionResult(ctx) {
		if err := workflow.GetLastCompletionResult(ctx, &last); err != nil {
			workflow.GetLogger(ctx).Warn("last poll's result unreadable; polling from the lookback", "error", err)
			last = DeskPollResult{}
		}
	}
	cursor := ""
	if last.Desk == in.Desk {
		cursor = last.Cursor
	}
	if in.Every <= 0 || in.For <= in.Every {
		return pollDesk(ctx, in.Desk, cursor)
	}
	end := workflow.Now(ctx).Add(in.For)
	total := DeskPollResult{Desk: in.Desk, Cursor: cursor}
	for {
		res, err := pollDesk(ctx, in.Desk, total.Cursor)
		if err == nil {
			total.Cursor = res.Cursor
			total.Incidents += res.Incidents
			total.Opened += res.Opened
			total.Synced += res.Synced
			total.Later += res.Later
		}
		if !workflow.Now(ctx).Add(in.Every).Before(end) {
			return total, err // a run that ends on a failed poll shows as failed
		}
		if err := workflow.NewTimerWithOptions(ctx, in.Every, workflow.TimerOptions{Summary: "next poll of " + in.Desk}).Get(ctx, nil); err != nil {
			return total, err
		}
	}
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
