package workflows

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/hcaops/hcaops/activities"
)

// scriptedDesk answers PollDesk in place of a desk: a new cursor per successful poll, and
// a refusal on the calls listed in failOn (1-based).
type scriptedDesk struct {
	asked  []string // the cursor each poll started from
	failOn map[int]bool
	ok     int
}

func (d *scriptedDesk) poll(_ context.Context, in activities.PollInput) (activities.PollOutput, error) {
	d.asked = append(d.asked, in.Cursor)
	if d.failOn[len(d.asked)] {
		return activities.PollOutput{}, temporal.NewNonRetryableApplicationError("desk refused", activities.ErrTypeDeskRejected, nil)
	}
	d.ok++
	return activities.PollOutput{Cursor: fmt.Sprintf("c%d", d.ok)}, nil
}

// runDeskPoll runs one desk-poll run as its schedule starts it: with the last successful
// run's result, if any, and the last run's failure if that run failed after it.
func runDeskPoll(t *testing.T, d *scriptedDesk, last *DeskPollResult, lastFailure error, in DeskPollInput) (DeskPollResult, time.Duration, error) {
	t.Helper()
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.RegisterActivityWithOptions(d.poll, activity.RegisterOptions{Name: "PollDesk"})
	if last != nil {
		env.SetLastCompletionResult(*last)
	}
	if lastFailure != nil {
		env.SetLastError(lastFailure)
	}
	start := env.Now()
	env.ExecuteWorkflow(DeskPollWorkflow, in)
	var res DeskPollResult
	err := env.GetWorkflowError()
	if err == nil {
		err = env.GetWorkflowResult(&res)
	}
	return res, env.Now().Sub(start), err
}

// One run polls every minute for ten minutes: 10 polls (at 0 to 9 minutes), each from the
// cursor the previous one reached; a refused poll leaves the cursor where it was.
func TestDeskPollRunPollsEveryIntervalFromTheLastCursor(t *testing.T) {
	d := &scriptedDesk{failOn: map[int]bool{3: true}}
	res, took, err := runDeskPoll(t, d, &DeskPollResult{Desk: "sdm", Cursor: "c0"}, nil,
		DeskPollInput{Desk: "sdm", Every: time.Minute, For: 10 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"c0", "c1", "c2", "c2", "c3", "c4", "c5", "c6", "c7", "c8"}
	if fmt.Sprint(d.asked) != fmt.Sprint(want) {
		t.Errorf("polls started from %v, want %v", d.asked, want)
	}
	if res.Cursor != "c9" || res.Desk != "sdm" {
		t.Errorf("run ended with %+v, want cursor c9 for the next run", res)
	}
	if took != 9*time.Minute {
		t.Errorf("run took %v, want 9m (it ends before the schedule's next run is due)", took)
	}
}

// A run whose last poll failed fails, so the UI shows the outage, and the failure says how
// far the run got: two polls succeeded (c1, c2) before the third was refused.
func TestDeskPollRunEndingOnAFailedPollFails(t *testing.T) {
	d := &scriptedDesk{failOn: map[int]bool{3: true}}
	_, _, err := runDeskPoll(t, d, nil, nil, DeskPollInput{Desk: "sdm", Every: time.Minute, For: 3 * time.Minute})
	if err == nil {
		t.Fatal("a run that ended on a refused poll succeeded")
	}
	if len(d.asked) != 3 || d.asked[0] != "" {
		t.Errorf("polls started from %q, want 3 polls, the first from the lookback (no cursor)", d.asked)
	}
	var app *temporal.ApplicationError
	var reached DeskPollResult
	if !errors.As(err, &app) || app.Type() != "DeskPollFailed" || app.Details(&reached) != nil {
		t.Fatalf("run failed with %v; want a DeskPollFailed failure carrying how far the run got", err)
	}
	if reached.Desk != "sdm" || reached.Cursor != "c2" {
		t.Errorf("the failure carries %+v, want desk sdm at cursor c2 (the last poll that succeeded)", reached)
	}
	if !strings.Contains(err.Error(), "desk refused") {
		t.Errorf("run failed with %q; want the refused poll's error in it", err)
	}
}

// The next run after a failed one carries on from the cursor the failed run reached, not
// from the last successful run's (the hour before it); a failure without a cursor, or of
// another desk, leaves the last success's cursor in force.
func TestDeskPollRunCarriesOnFromAFailedRunsCursor(t *testing.T) {
	lastSuccess := &DeskPollResult{Desk: "sdm", Cursor: "c0"}
	for _, tc := range []struct {
		name    string
		failure error
		want    string
	}{
		{"the failed run's cursor", pollFailed(DeskPollResult{Desk: "sdm", Cursor: "c57"}, errors.New("SDM answered 503")), "c57"},
		{"a failure of another desk", pollFailed(DeskPollResult{Desk: "dynamics", Cursor: "d9"}, errors.New("503")), "c0"},
		{"a failure from before cursors were carried", temporal.NewApplicationError("desk refused", activities.ErrTypeDeskRejected), "c0"},
		{"a failed run that never had a cursor", pollFailed(DeskPollResult{Desk: "sdm"}, errors.New("503")), "c0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := &scriptedDesk{}
			if _, _, err := runDeskPoll(t, d, lastSuccess, tc.failure, DeskPollInput{Desk: "sdm"}); err != nil {
				t.Fatal(err)
			}
			if len(d.asked) != 1 || d.asked[0] != tc.want {
				t.Errorf("polls started from %q, want one from %q", d.asked, tc.want)
			}
		})
	}
}

// Failed runs in a row hand the cursor on: a one-poll run that fails carries the cursor it
// started from, so an outage of several runs does not send the next run back an hour.
func TestDeskPollFailedRunPassesTheCursorOn(t *testing.T) {
	d := &scriptedDesk{failOn: map[int]bool{1: true}}
	_, _, err := runDeskPoll(t, d, &DeskPollResult{Desk: "sdm", Cursor: "c0"},
		pollFailed(DeskPollResult{Desk: "sdm", Cursor: "c57"}, errors.New("503")), DeskPollInput{Desk: "sdm"})
	var app *temporal.ApplicationError
	var reached DeskPollResult
	if !errors.As(err, &app) || app.Details(&reached) != nil || reached.Cursor != "c57" {
		t.Errorf("run failed with %v carrying %+v; want a failure carrying cursor c57", err, reached)
	}
}

// Runs started before Every and For existed poll once.
func TestDeskPollRunWithoutIntervalPollsOnce(t *testing.T) {
	d := &scriptedDesk{}
	res, _, err := runDeskPoll(t, d, &DeskPollResult{Desk: "dynamics", Cursor: "other desk's"}, nil, DeskPollInput{Desk: "sdm"})
	if err != nil || len(d.asked) != 1 || d.asked[0] != "" || res.Cursor != "c1" {
		t.Errorf("polls from %q, result %+v, %v; want one poll from no cursor (the last result was another desk's)", d.asked, res, err)
	}
}

func TestDeskPollInputReadsAsPeopleWriteIt(t *testing.T) {
	b, err := json.Marshal(DeskPollInput{Desk: "sdm", Every: time.Minute, For: time.Hour})
	if err != nil || string(b) != `{"desk":"sdm","every":"1m","for":"1h"}` {
		t.Errorf("%s %v", b, err)
	}
	b, _ = json.Marshal(DeskPollInput{Desk: "sdm"})
	if string(b) != `{"desk":"sdm"}` {
		t.Errorf("a one-poll input reads %s, want it as recorded before: {\"desk\":\"sdm\"}", b)
	}
}
