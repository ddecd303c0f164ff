package workflows

import (
	"errors"
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/hcaops/hcaops/activities"
	"github.com/hcaops/hcaops/enrollment"
	"github.com/hcaops/hcaops/ticket"
)

// MonitorWorkflowID is the one long-running connectivity monitor.
const MonitorWorkflowID = "es-connectivity-monitor"

// SignalCheck carries one connectivity check result to the monitor.
const SignalCheck = "check"

// SignalMonitorSettings tells the monitor how often to check ES itself (MonitorSettings);
// every worker start-up sends it with the configured interval.
const SignalMonitorSettings = "settings"

// MonitorSettings is how often the monitor checks ES.
type MonitorSettings struct {
	Every time.Duration `json:"every"`
}

// ChangeMonitorRunsChecks versions the monitor running the checks itself on a timer
// (before, a schedule started a ConnectivityCheckWorkflow every five minutes: 288 runs a
// day in the UI's list of workflows, which buried the tickets).
const ChangeMonitorRunsChecks = "monitor-runs-checks"

// QueryConnectivity returns the MonitorState.
const QueryConnectivity = "connectivity"

// ConnectivityCheckWorkflow is one health check of ES run on its own, handed to the
// monitor: a check by hand, or one started by the schedule of older versions.
func ConnectivityCheckWorkflow(ctx workflow.Context) (activities.ConnectivityCheck, error) {
	c := checkES(ctx)
	err := workflow.SignalExternalWorkflow(ctx, MonitorWorkflowID, "", SignalCheck, c).Get(ctx, nil)
	return c, err
}

// checkES asks ES for a known submission's status: a failed check is data, not an error.
func checkES(ctx workflow.Context) activities.ConnectivityCheck {
	var e *activities.Enrollment
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: time.Minute,
		RetryPolicy:         &temporal.RetryPolicy{MaximumAttempts: 1}, // a failed check is data, not something to retry
		Summary:             "ES health check (getFormSubmissionStatus)",
	})
	var c activities.ConnectivityCheck
	if err := workflow.ExecuteActivity(actx, e.CheckConnectivity).Get(ctx, &c); err != nil {
		c = activities.ConnectivityCheck{At: workflow.Now(ctx), Error: "check did not run: " + reason(err)}
	}
	return c
}

// MonitorInput starts the monitor, or carries it across continue-as-new.
type MonitorInput struct {
	Policy enrollment.MonitorPolicy `json:"policy"`
	State  *MonitorState            `json:"state,omitempty"`
	// Every is how often the monitor checks ES itself; 0 (older runs): it only takes
	// checks signalled to it.
	Every time.Duration `json:"every,omitempty"`
}

// MonitorState is what operators see when troubleshooting ES connectivity.
type MonitorState struct {
	Checks              []activities.ConnectivityCheck `json:"checks"` // most recent last
	TotalChecks         int                            `json:"totalChecks"`
	ConsecutiveFailures int                            `json:"consecutiveFailures"`
	FailingSince        time.Time                      `json:"failingSince,omitzero"`
	IncidentRef         string                         `json:"incidentRef,omitempty"` // the open outage ticket
	Outages             []Outage                       `json:"outages,omitempty"`
}

// Outage is one period ES was unreachable long enough to open an incident.
type Outage struct {
	From      time.Time `json:"from"`
	To        time.Time `json:"to,omitzero"`
	TicketRef string    `json:"ticketRef"`
	Failed    int       `json:"failedChecks"`
}

// ConnectivityMonitorWorkflow checks ES every in.Every (each check an activity of its
// history, named "ES health check") and counts consecutive failed checks. After the
// policy's number it opens one incident ticket routed to ES (not one per check); when ES
// answers again it resolves that ticket with the outage's duration. It is the only
// workflow of the checks in the UI's list: 288 checks a day stay inside it, each one
// inspectable in its history, the latest KeepChecks in its state (esctl connectivity).
func ConnectivityMonitorWorkflow(ctx workflow.Context, in MonitorInput) (MonitorState, error) {
	st := MonitorState{}
	if in.State != nil {
		st = *in.State
	}
	if err := workflow.SetQueryHandler(ctx, QueryConnectivity, func() (MonitorState, error) { return st, nil }); err != nil {
		return st, err
	}
	checks := workflow.GetSignalChannel(ctx, SignalCheck)
	settings := workflow.GetSignalChannel(ctx, SignalMonitorSettings)
	every := in.Every
	var (
		timer     workflow.Future
		cancel    workflow.CancelFunc
		timerFor  time.Duration
		lastCheck = workflow.Now(ctx)
	)
	handled := 0
	for {
		if every > 0 && (timer == nil || timerFor != every) {
			if cancel != nil {
				cancel()
			}
			var tctx workflow.Context
			tctx, cancel = workflow.WithCancel(ctx)
			wait := max(every-workflow.Now(ctx).Sub(lastCheck), time.Second)
			timer, timerFor = workflow.NewTimerWithOptions(tctx, wait, workflow.TimerOptions{Summary: "next ES health check"}), every
		}
		var c activities.ConnectivityCheck
		got := false
		sel := workflow.NewSelector(ctx)
		sel.AddReceive(checks, func(ch workflow.ReceiveChannel, _ bool) { ch.Receive(ctx, &c); got = true })
		sel.AddReceive(settings, func(ch workflow.ReceiveChannel, _ bool) {
			var s MonitorSettings
			ch.Receive(ctx, &s)
			if s.Every != every && workflow.GetVersion(ctx, ChangeMonitorRunsChecks, workflow.DefaultVersion, 1) == 1 {
				every = s.Every
			}
		})
		if timer != nil {
			sel.AddFuture(timer, func(workflow.Future) {
				timer, cancel = nil, nil
				lastCheck = workflow.Now(ctx)
				c, got = checkES(ctx), true
			})
		}
		sel.Select(ctx)
		if !got {
			continue
		}
		if err := onCheck(ctx, &st, in.Policy, c); err != nil {
			return st, err
		}
		handled++
		if (handled >= 500 || workflow.GetInfo(ctx).GetContinueAsNewSuggested()) && checks.Len() == 0 && settings.Len() == 0 {
			return st, workflow.NewContinueAsNewError(ctx, ConnectivityMonitorWorkflow, MonitorInput{Policy: in.Policy, State: &st, Every: every})
		}
	}
}

func onCheck(ctx workflow.Context, st *MonitorState, p enrollment.MonitorPolicy, c activities.ConnectivityCheck) error {
	st.TotalChecks++
	st.Checks = append(st.Checks, c)
	if keep := max(p.KeepChecks, 1); len(st.Checks) > keep {
		st.Checks = append([]activities.ConnectivityCheck(nil), st.Checks[len(st.Checks)-keep:]...)
	}
	defer showMonitor(ctx, st)
	if !c.OK {
		if st.ConsecutiveFailures == 0 {
			st.FailingSince = c.At
		}
		st.ConsecutiveFailures++
		if st.ConsecutiveFailures >= p.FailuresBeforeIncident && st.IncidentRef == "" {
			return openOutage(ctx, st, c)
		}
		return nil
	}
	failed := st.ConsecutiveFailures
	st.ConsecutiveFailures = 0
	if st.IncidentRef == "" {
		return nil
	}
	o := &st.Outages[len(st.Outages)-1]
	o.To, o.Failed = c.At, failed
	var t *activities.TicketClient
	err := workflow.ExecuteActivity(esTicketOptions(ctx), t.ActOnTicket, activities.ActInput{
		Ref: st.IncidentRef, Action: ticket.ActResolve,
		Request: ticket.Request{Actor: ticket.SystemActor, Comment: fmt.Sprintf(
			"ES reachable again at %s after an outage of %s (%d failed checks since %s)",
			c.At.UTC().Format(time.RFC3339), c.At.Sub(o.From).Round(time.Second), failed, o.From.UTC().Format(time.RFC3339))},
	}).Get(ctx, nil)
	var app *temporal.ApplicationError
	if err != nil && !(errors.As(err, &app) && app.Type() == activities.ErrTypeTicketRejected) {
		return err
	}
	// A refusal means an operator already resolved or cancelled it: nothing left to do.
	st.IncidentRef = ""
	return nil
}

func openOutage(ctx workflow.Context, st *MonitorState, c activities.ConnectivityCheck) error {
	ref := "ESOUTAGE-" + st.FailingSince.UTC().Format("20060102T1504")
	_, err := raiseESTicket(ctx, esTicketOptions(ctx), ticket.NewTicket{
		Ref: ref, Channel: ticket.ChannelWeb, Product: ticket.ProductOnline1010EZ, Priority: ticket.PriorityUrgent,
		Category: "es-connectivity", Reporter: ticket.SystemActor, Announce: true,
		Summary: "ES interface unreachable from vets.gov",
		Description: fmt.Sprintf("%d consecutive failed health checks since %s; last error: %s",
			st.ConsecutiveFailures, st.FailingSince.UTC().Format(time.RFC3339), ticket.SafeText(c.Error, 500)),
	}, "outage of the ES interface; ES to restore it")
	if err != nil {
		return err
	}
	st.IncidentRef = ref
	st.Outages = append(st.Outages, Outage{From: st.FailingSince, TicketRef: ref})
	return nil
}

func showMonitor(ctx workflow.Context, st *MonitorState) {
	state := "ES reachable"
	if st.ConsecutiveFailures > 0 {
		state = fmt.Sprintf("ES failing: %d consecutive failed checks", st.ConsecutiveFailures)
	}
	if st.IncidentRef != "" {
		state += " · incident " + st.IncidentRef
	}
	workflow.SetCurrentDetails(ctx, fmt.Sprintf("**%s** · %d checks so far", state, st.TotalChecks))
}
