package integration

import (
	"context"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/workflowservice/v1"

	"github.com/hcaops/hcaops/config"
	"github.com/hcaops/hcaops/internal/app"
)

// TestSchedulesAreCreatedOnceWithTheConfiguredCadence runs the worker's start-up schedule
// step twice and checks there is one schedule of each kind, at the configured times.
func TestSchedulesAreCreatedOnceWithTheConfiguredCadence(t *testing.T) {
	cfg, err := config.Load()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for range 2 {
		if err := app.EnsureSchedules(ctx, env.client, cfg); err != nil {
			t.Fatal(err)
		}
	}
	it, err := env.client.ScheduleClient().List(ctx, scheduleListOptions())
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for it.HasNext() {
		s, err := it.Next()
		if err != nil {
			t.Fatal(err)
		}
		seen[s.ID]++
	}
	for _, id := range []string{app.ScheduleDailyReport, app.ScheduleCallAgenda, app.ScheduleServiceReport,
		app.ScheduleDeskPoll("sdm"), app.ScheduleDeskPoll("dynamics")} {
		if seen[id] != 1 {
			t.Fatalf("schedule %s exists %d times", id, seen[id])
		}
	}
	// The connectivity checks run inside the monitor: no schedule adds a workflow to the
	// UI's list every five minutes.
	if seen[app.ScheduleConnectivity] != 0 {
		t.Fatalf("schedule %s still exists", app.ScheduleConnectivity)
	}
	ny, _ := time.LoadLocation("America/New_York")
	check := func(id string, want func(time.Time) bool, what string) {
		t.Helper()
		d, err := env.client.ScheduleClient().GetHandle(ctx, id).Describe(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Info.NextActionTimes) < 2 {
			t.Fatalf("%s: next runs %v", id, d.Info.NextActionTimes)
		}
		for _, next := range d.Info.NextActionTimes {
			if !want(next.In(ny)) {
				t.Fatalf("%s runs at %v, want %s", id, next.In(ny), what)
			}
		}
	}
	check(app.ScheduleDailyReport, func(t time.Time) bool { return t.Hour() == 6 && t.Minute() == 0 }, "06:00 New York time")
	check(app.ScheduleCallAgenda, func(t time.Time) bool {
		return t.Weekday() == time.Tuesday && t.Hour() == 9 && t.Minute() == 0
	}, "Tuesdays 09:00 New York time, an hour before the 10:00 call")
	check(app.ScheduleServiceReport, func(t time.Time) bool {
		return t.Weekday() == time.Monday && t.Hour() == 7 && t.Minute() == 0
	}, "Mondays 07:00 New York time")
	// A desk's poll schedule starts one run an hour, which polls every minute: 24 lines a
	// day in the UI's workflow list, not 1,440.
	for _, desk := range []string{"sdm", "dynamics"} {
		d, err := env.client.ScheduleClient().GetHandle(ctx, app.ScheduleDeskPoll(desk)).Describe(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if iv := d.Schedule.Spec.Intervals; len(iv) != 1 || iv[0].Every != time.Hour {
			t.Errorf("%s: intervals %+v, want one run every hour", app.ScheduleDeskPoll(desk), iv)
		}
		if d.Schedule.Policy.Overlap != enumspb.SCHEDULE_OVERLAP_POLICY_BUFFER_ONE {
			t.Errorf("%s: overlap %v, want the next run right after one that overran", app.ScheduleDeskPoll(desk), d.Schedule.Policy.Overlap)
		}
		// The first run starts now, not at the top of the next hour.
		eventually(t, 10*time.Second, app.ScheduleDeskPoll(desk)+" runs at once", func() bool {
			d, err := env.client.ScheduleClient().GetHandle(ctx, app.ScheduleDeskPoll(desk)).Describe(ctx)
			return err == nil && len(d.Info.RecentActions) > 0
		})
	}
	// Leave no schedule running into the other tests.
	for _, id := range []string{app.ScheduleDailyReport, app.ScheduleCallAgenda, app.ScheduleServiceReport,
		app.ScheduleDeskPoll("sdm"), app.ScheduleDeskPoll("dynamics")} {
		_ = env.client.ScheduleClient().GetHandle(ctx, id).Pause(ctx, clientPause())
	}
	recordFirst(t, "DailyReportWorkflow", "daily_report")
	recordFirst(t, "CallAgendaWorkflow", "call_agenda")
	recordFirst(t, "ConnectivityCheckWorkflow", "connectivity_check")
}

// recordFirst records the history of one completed run of a workflow type, for replay.
func recordFirst(t *testing.T, workflowType, name string) {
	t.Helper()
	resp, err := env.client.ListWorkflow(context.Background(), &workflowservice.ListWorkflowExecutionsRequest{
		Namespace: env.namespace, Query: "WorkflowType = '" + workflowType + "' AND ExecutionStatus = 'Completed'", PageSize: 1,
	})
	if err != nil || len(resp.GetExecutions()) == 0 {
		return // the tests that run it may not have run (go test -run)
	}
	e := resp.GetExecutions()[0].GetExecution()
	recordHistory(t, e.GetWorkflowId(), e.GetRunId(), name)
}
