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

// QueryConnectivity returns the MonitorState.
const QueryConnectivity = "connectivity"

// ConnectivityCheckWorkflow is what the schedule runs every few minutes: one health check
// of ES, handed to the monitor. The check's result is in this run's history too.
func ConnectivityCheckWorkflow(ctx workflow.Context) (activities.ConnectivityCheck, error) {
	var e *activities.Enrollment
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: time.Minute,
		RetryPolicy:         &temporal.RetryPolicy{MaximumAttempts: 1}, // a failed check is data, not something to retry
	})
	var c activities.ConnectivityCheck
	if err := workflow.ExecuteActivity(actx, e.CheckConnectivity).Get(ctx, &c); err != nil {
		c = activities.ConnectivityCheck{At: workflow.Now(ctx), Error: "check did not run: " + reason(err)}
	}
	err := workflow.SignalExternalWorkflow(ctx, MonitorWorkflowID, "", SignalCheck, c).Get(ctx, nil)
	return c, err
}

// MonitorInput starts the monitor, or carries it across continue-as-new.
type MonitorInput struct {
	Policy enrollment.MonitorPolicy `json:"policy"`
	State  *MonitorState            `json:"state,omitempty"`
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

// ConnectivityMonitorWorkflow counts consecutive failed checks. After the policy's number
// it opens one incident ticket routed to ES (not one per check); when ES answers again it
// resolves that ticket with the outage's duration.
func ConnectivityMonitorWorkflow(ctx workflow.Context, in MonitorInput) (MonitorState, error) {
	st := MonitorState{}
	if in.State != nil {
		st = *in.State
	}
	if err := workflow.SetQueryHandler(ctx, QueryConnectivity, func() (MonitorState, error) { return st, nil }); err != nil {
		return st, err
	}
	checks := workflow.GetSignalChannel(ctx, SignalCheck)
	handled := 0
	for {
		var c activities.ConnectivityCheck
		checks.Receive(ctx, &c)
		if err := onCheck(ctx, &st, in.Policy, c); err != nil {
			return st, err
		}
		handled++
		if (handled >= 500 || workflow.GetInfo(ctx).GetContinueAsNewSuggested()) && checks.Len() == 0 {
			return st, workflow.NewContinueAsNewError(ctx, ConnectivityMonitorWorkflow, MonitorInput{Policy: in.Policy, State: &st})
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
