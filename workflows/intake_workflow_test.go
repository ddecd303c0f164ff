package workflows

import (
	"context"
	"encoding/json"
	"fmt"
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

func runDeskPoll(t *testing.T, d *scriptedDesk, last *DeskPollResult, in DeskPollInput) (DeskPollResult, time.Duration, error) {
	t.Helper()
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.RegisterActivityWithOptions(d.poll, activity.RegisterOptions{Name: "PollDesk"})
	if last != nil {
		env.SetLastCompletionResult(*last)
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
	res, took, err := runDeskPoll(t, d, &DeskPollResult{Desk: "sdm", Cursor: "c0"},
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

// A run whose last poll failed fails, so the schedule hands the next run the cursor of
// the last run that succeeded, and the UI shows the failure.
func TestDeskPollRunEndingOnAFailedPollFails(t *testing.T) {
	d := &scriptedDesk{failOn: map[int]bool{3: true}}
	if _, _, err := runDeskPoll(t, d, nil, DeskPollInput{Desk: "sdm", Every: time.Minute, For: 3 * time.Minute}); err == nil {
		t.Fatal("a run that ended on a refused poll succeeded")
	}
	if len(d.asked) != 3 || d.asked[0] != "" {
		t.Errorf("polls started from %q, want 3 polls, the first from the lookback (no cursor)", d.asked)
	}
}

// Runs started before Every and For existed poll once.
func TestDeskPollRunWithoutIntervalPollsOnce(t *testing.T) {
	d := &scriptedDesk{}
	res, _, err := runDeskPoll(t, d, &DeskPollResult{Desk: "dynamics", Cursor: "other desk's"}, DeskPollInput{Desk: "sdm"})
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
