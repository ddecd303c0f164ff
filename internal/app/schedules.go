package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/hcaops/hcaops/config"
	"github.com/hcaops/hcaops/internal/duration"
	"github.com/hcaops/hcaops/workflows"
)

// Schedule IDs: one per recurring job of the O&M plan.
const (
	ScheduleDailyReport = "hcaops-es-daily-report"
	ScheduleCallAgenda  = "hcaops-es-call-agenda"
	// ScheduleConnectivity started a ConnectivityCheckWorkflow every five minutes; the
	// monitor runs the checks itself now, and EnsureSchedules deletes it.
	ScheduleConnectivity = "hcaops-es-connectivity"
	// ScheduleServiceReport sends last week's service report to the product manager.
	ScheduleServiceReport = "hcaops-service-report"
)

// ScheduleDeskPoll is the schedule that polls a desk ("sdm", "dynamics").
func ScheduleDeskPoll(desk string) string { return "hcaops-desk-poll-" + desk }

// EnsureSchedules creates the Temporal Schedules, or brings existing ones in line with
// the configuration, so every worker start-up leaves exactly one of each.
func EnsureSchedules(ctx context.Context, c client.Client, cfg config.Config) error {
	es := cfg.ES
	callAt := time.Duration(es.Call.At.Hour)*time.Hour + time.Duration(es.Call.At.Minute)*time.Minute - es.Call.Lead
	report := es.Report
	schedules := []client.ScheduleOptions{
		{
			ID: ScheduleDailyReport,
			Spec: client.ScheduleSpec{
				Calendars:    []client.ScheduleCalendarSpec{{Hour: rng(es.ReportAt.Hour), Minute: rng(es.ReportAt.Minute), Comment: "daily ES report"}},
				TimeZoneName: es.ReportZone,
			},
			Action: &client.ScheduleWorkflowAction{ID: "es-daily-report", Workflow: workflows.DailyReportWorkflow,
				Args: []any{workflows.DailyReportInput{Policy: &report}}, TaskQueue: workflows.TaskQueue,
				StaticSummary: "Fetch and reconcile the ES daily submissions report"},
			// Each run is its own day: one still following a late report must not hold up the next.
			Overlap:       enumspb.SCHEDULE_OVERLAP_POLICY_ALLOW_ALL,
			CatchupWindow: 7 * 24 * time.Hour, // catch up on days missed while hcaops was down
		},
		{
			ID: ScheduleCallAgenda,
			Spec: client.ScheduleSpec{
				Calendars: []client.ScheduleCalendarSpec{{
					DayOfWeek: rng(int(es.Call.Weekday)), Hour: rng(int(callAt / time.Hour)), Minute: rng(int(callAt % time.Hour / time.Minute)),
					Comment: fmt.Sprintf("agenda %s before the %s %s call", es.Call.Lead, es.Call.Weekday, es.Call.At),
				}},
				TimeZoneName: es.Call.Zone,
			},
			Action: &client.ScheduleWorkflowAction{ID: "es-call-agenda", Workflow: workflows.CallAgendaWorkflow,
				Args: []any{workflows.CallAgendaInput{Lead: es.Call.Lead, Zone: es.Call.Zone}}, TaskQueue: workflows.TaskQueue,
				StaticSummary: "Agenda of the regular vets.gov–ES call"},
			Overlap:       enumspb.SCHEDULE_OVERLAP_POLICY_SKIP,
			CatchupWindow: 12 * time.Hour,
		},
		{
			ID: ScheduleServiceReport,
			Spec: client.ScheduleSpec{
				Calendars: []client.ScheduleCalendarSpec{{
					DayOfWeek: rng(int(cfg.ServiceReport.Weekday)), Hour: rng(cfg.ServiceReport.At.Hour), Minute: rng(cfg.ServiceReport.At.Minute),
					Comment: fmt.Sprintf("service report of the week before, %s %s", cfg.ServiceReport.Weekday, cfg.ServiceReport.At),
				}},
				TimeZoneName: cfg.ServiceReport.Zone,
			},
			Action: &client.ScheduleWorkflowAction{ID: "service-report", Workflow: workflows.ServiceReportWorkflow,
				Args:      []any{workflows.ServiceReportInput{Zone: cfg.ServiceReport.Zone, Recipients: cfg.ServiceReport.To}},
				TaskQueue: workflows.TaskQueue, StaticSummary: "Weekly service report to the product manager"},
			Overlap:       enumspb.SCHEDULE_OVERLAP_POLICY_SKIP,
			CatchupWindow: 3 * 24 * time.Hour, // a report missed over a weekend outage still goes out
		},
	}
	every, run := deskPollRun(cfg.Intake)
	for _, desk := range cfg.Desks {
		schedules = append(schedules, client.ScheduleOptions{
			ID:   ScheduleDeskPoll(desk),
			Spec: client.ScheduleSpec{Intervals: []client.ScheduleIntervalSpec{{Every: run}}},
			Action: &client.ScheduleWorkflowAction{ID: "desk-poll-" + desk, Workflow: workflows.DeskPollWorkflow,
				Args: []any{workflows.DeskPollInput{Desk: desk, Every: every, For: run}}, TaskQueue: workflows.TaskQueue,
				StaticSummary: fmt.Sprintf("Poll %s every %s for new incidents and people's changes", desk, duration.Format(every))},
			// One run at a time, the next one right after a run that overran its interval;
			// buffering also hands each run the previous run's result (the cursor), which
			// the scheduler keeps when a run fails, and the failure since, which carries
			// the cursor the failed run reached.
			Overlap: enumspb.SCHEDULE_OVERLAP_POLICY_BUFFER_ONE,
			// A run missed while the server was down starts when it is back, not an hour on.
			CatchupWindow: run,
		})
	}
	for _, s := range schedules {
		if err := ensureSchedule(ctx, c, s); err != nil {
			return fmt.Errorf("schedule %s: %w", s.ID, err)
		}
	}
	for _, desk := range cfg.Desks {
		if err := startDeskPoll(ctx, c, ScheduleDeskPoll(desk)); err != nil {
			return fmt.Errorf("schedule %s: %w", ScheduleDeskPoll(desk), err)
		}
	}
	// The checks run inside the monitor (EnsureMonitor): a schedule of them added a
	// workflow to the UI's list every five minutes.
	err := c.ScheduleClient().GetHandle(ctx, ScheduleConnectivity).Delete(ctx)
	var notFound *serviceerror.NotFound
	if err != nil && !errors.As(err, &notFound) {
		return fmt.Errorf("delete schedule %s: %w", ScheduleConnectivity, err)
	}
	return nil
}

// maxPollsPerRun keeps a poll run's history short: about 11 events a poll, plus 6 for each
// incident it takes.
const maxPollsPerRun = 100

// deskPollRun is how often a desk is polled and how long one run of its schedule polls:
// HCAOPS_DESK_POLL_RUN (an hour), at most maxPollsPerRun polls.
func deskPollRun(in config.Intake) (every, run time.Duration) {
	every, run = in.Every, min(in.RunFor, maxPollsPerRun*in.Every)
	return every, max(run, every)
}

// startDeskPoll starts a desk's poll run now unless one is running or the schedule is
// paused: an interval schedule first runs at the next multiple of its interval (the top
// of the hour), and intake must not wait that long after the first start or an upgrade.
func startDeskPoll(ctx context.Context, c client.Client, id string) error {
	h := c.ScheduleClient().GetHandle(ctx, id)
	d, err := h.Describe(ctx)
	if err != nil {
		return err
	}
	if len(d.Info.RunningWorkflows) > 0 || (d.Schedule.State != nil && d.Schedule.State.Paused) {
		return nil // polling, or paused by an operator
	}
	return h.Trigger(ctx, client.ScheduleTriggerOptions{Overlap: enumspb.SCHEDULE_OVERLAP_POLICY_BUFFER_ONE})
}

func rng(v int) []client.ScheduleRange { return []client.ScheduleRange{{Start: v}} }

func ensureSchedule(ctx context.Context, c client.Client, s client.ScheduleOptions) error {
	_, err := c.ScheduleClient().Create(ctx, s)
	if !errors.Is(err, temporal.ErrScheduleAlreadyRunning) {
		return err
	}
	return c.ScheduleClient().GetHandle(ctx, s.ID).Update(ctx, client.ScheduleUpdateOptions{
		DoUpdate: func(in client.ScheduleUpdateInput) (*client.ScheduleUpdate, error) {
			sch := in.Description.Schedule
			sch.Spec = &s.Spec
			sch.Action = s.Action
			sch.Policy = &client.SchedulePolicies{Overlap: s.Overlap, CatchupWindow: s.CatchupWindow}
			return &client.ScheduleUpdate{Schedule: &sch}, nil
		},
	})
}

// EnsureMonitor starts the one ES connectivity monitor if it is not running, and tells it
// how often to check ES (a monitor started by an older version learns it here).
func EnsureMonitor(ctx context.Context, c client.Client, cfg config.Config) error {
	every := cfg.ES.ConnectivityEvery
	_, err := c.SignalWithStartWorkflow(ctx, workflows.MonitorWorkflowID, workflows.SignalMonitorSettings,
		workflows.MonitorSettings{Every: every}, client.StartWorkflowOptions{
			ID: workflows.MonitorWorkflowID, TaskQueue: workflows.TaskQueue,
			WorkflowIDReusePolicy: enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE,
			StaticSummary:         fmt.Sprintf("ES connectivity monitor: a health check every %s", every),
		}, workflows.ConnectivityMonitorWorkflow, workflows.MonitorInput{Policy: cfg.ES.Monitor, Every: every})
	if err != nil {
		return fmt.Errorf("start the ES connectivity monitor: %w", err)
	}
	return nil
}
