package workflows

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/hcaops/hcaops/activities"
	"github.com/hcaops/hcaops/enrollment"
	"github.com/hcaops/hcaops/reconcile"
	"github.com/hcaops/hcaops/ticket"
)

// Submission outcomes, also the SubmissionStatus search attribute.
const (
	SubmissionSubmitting = "submitting"
	SubmissionProcessing = "processing" // ES has it (100, 102, 103)
	SubmissionProcessed  = "processed"  // 104
	SubmissionFailed     = "failed"     // ES refused it, or 101, or retries ran out: Veteran emailed, ticket opened
	SubmissionStuck      = "stuck"      // never reached 104 or 101 in the give-up time: ticket opened
)

// QuerySubmission returns the SubmissionState of a submission.
const QuerySubmission = "submission"

// SubmissionInput is one 10-10EZ application. The application is PII from end to end: it is
// in this input and the submit activity's input and nowhere else (not in logs, search
// attributes, memos, IDs or errors); a payload codec can cover it as one type.
type SubmissionInput struct {
	Application enrollment.Application       `json:"application"`
	Policy      *enrollment.SubmissionPolicy `json:"policy,omitempty"`
	// Following carries a submission ES already has across continue-as-new.
	Following *SubmissionState `json:"following,omitempty"`
}

// SubmissionState is what operators can see of a submission: no PII.
type SubmissionState struct {
	ApplicationID    string    `json:"applicationId"`
	Outcome          string    `json:"outcome"`
	ESStatus         int       `json:"esStatus,omitempty"`
	FormSubmissionID int64     `json:"formSubmissionId,omitempty"`
	SubmittedAt      time.Time `json:"submittedAt,omitzero"`
	GiveUpAt         time.Time `json:"giveUpAt,omitzero"`
	StatusChecks     int       `json:"statusChecks"`
	Error            string    `json:"error,omitempty"`
	TicketRef        string    `json:"ticketRef,omitempty"`
	// Attempts are the saveSubmitForm attempts, each with its outcome.
	Attempts []SubmitAttempt `json:"attempts,omitempty"`
	// OutcomeUnknownAttempts counts the attempts that were sent and got no answer: each may
	// have left a record in ES (a possible duplicate, see the README).
	OutcomeUnknownAttempts int `json:"outcomeUnknownAttempts,omitempty"`
	// ESStatuses is every status ES gave, with its timeStamp (see learnStatus).
	ESStatuses []reconcile.StatusSeen `json:"esStatuses,omitempty"`
}

// SubmitAttempt is one saveSubmitForm attempt as the workflow saw it.
type SubmitAttempt struct {
	Number  int       `json:"number"`
	At      time.Time `json:"at"`
	Outcome string    `json:"outcome"`         // AttemptAccepted, AttemptRejected, AttemptNotProcessed, AttemptOutcomeUnknown
	Error   string    `json:"error,omitempty"` // ES's codes, HTTP status, field paths: no PII
}

// Outcomes of a submit attempt.
const (
	AttemptAccepted       = "accepted"        // ES answered with a formSubmissionId
	AttemptRejected       = "rejected"        // ES refused the form for good, or hcaops would not send it
	AttemptNotProcessed   = "not-processed"   // the request did not reach ES, or ES said no without making a record
	AttemptOutcomeUnknown = "outcome-unknown" // sent, no answer read: ES may hold a record
)

// SubmissionWorkflowID is derived from the application's own ID, a UUID (never PII).
func SubmissionWorkflowID(applicationID string) string { return "submission-" + applicationID }

// esZone is the Enrollment System's local time, which dates its daily report.
var esZone, _ = time.LoadLocation("America/New_York")

// attemptsChange is the version of the submission workflow that drives the submit attempts
// itself (one activity attempt per try, each recorded) instead of an activity retry policy.
const attemptsChange = "workflow-driven-submit-attempts"

// SubmissionWorkflow validates a 10-10EZ, submits it to ES (retrying as vets-api does, and
// never again once ES has answered), follows its status to 104 or a failure, and on failure
// emails the Veteran and opens a support ticket routed to ES that carries the submission
// reference, not the form.
func SubmissionWorkflow(ctx workflow.Context, in SubmissionInput) (SubmissionState, error) {
	app := in.Application
	st := SubmissionState{ApplicationID: app.ApplicationID, Outcome: SubmissionSubmitting}
	if err := workflow.SetQueryHandler(ctx, QuerySubmission, func() (SubmissionState, error) { return st, nil }); err != nil {
		return st, err
	}
	policy := enrollment.DefaultSubmissionPolicy()
	if in.Policy != nil {
		policy = *in.Policy
	}
	if in.Following != nil {
		st = *in.Following
		return follow(ctx, in, &st, policy)
	}
	if workflow.GetVersion(ctx, attemptsChange, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		return legacySubmission(ctx, in, &st, policy)
	}
	if err := app.Validate(workflow.Now(ctx)); err != nil {
		// Field names only: Validate never puts a value in its errors.
		return st, temporal.NewNonRetryableApplicationError("invalid application: "+err.Error(), "InvalidApplication", nil)
	}
	res, err := submitAttempts(ctx, &st, app, policy)
	if err != nil {
		return fail(ctx, &st, policy, app, "ES did not accept the submission: "+reason(err)+attemptsSummary(&st))
	}
	return submitted(ctx, in, &st, policy, res)
}

// submitted records ES's answer and follows the submission.
func submitted(ctx workflow.Context, in SubmissionInput, st *SubmissionState, policy enrollment.SubmissionPolicy, res activities.SubmitResult) (SubmissionState, error) {
	now := workflow.Now(ctx)
	st.FormSubmissionID, st.ESStatus, st.SubmittedAt, st.Outcome = res.FormSubmissionID, res.Status, now, SubmissionProcessing
	st.GiveUpAt = now.Add(policy.GiveUpAfter)
	learnStatus(ctx, st, res)
	upsertSubmission(ctx, *st, policy, true)
	if res.Status == enrollment.StatusSubmissionFailed {
		return fail(ctx, st, policy, in.Application, "ES answered 101 (submission failed): "+res.Message)
	}
	return follow(ctx, in, st, policy)
}

// follow asks ES for the submission's status until it is processed, fails or is given up
// on; a long follow continues as new to keep the history small.
func follow(ctx workflow.Context, in SubmissionInput, st *SubmissionState, policy enrollment.SubmissionPolicy) (SubmissionState, error) {
	var a *activities.Enrollment
	app := in.Application

	statusCtx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: time.Minute,
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: min(10*time.Second, policy.StatusEvery), MaximumInterval: policy.StatusEvery,
			MaximumAttempts: 5, NonRetryableErrorTypes: []string{activities.ErrTypeESRejected}},
	})
	for st.ESStatus != enrollment.StatusProcessed {
		if !workflow.Now(ctx).Before(st.GiveUpAt) {
			return stuck(ctx, st, policy)
		}
		if workflow.GetInfo(ctx).GetContinueAsNewSuggested() {
			return *st, workflow.NewContinueAsNewError(ctx, SubmissionWorkflow, SubmissionInput{Application: app, Policy: &policy, Following: st})
		}
		if err := workflow.Sleep(ctx, policy.StatusEvery); err != nil {
			return *st, err
		}
		st.StatusChecks++
		var r activities.SubmitResult
		if err := workflow.ExecuteActivity(statusCtx, a.SubmissionStatus, st.FormSubmissionID).Get(ctx, &r); err != nil {
			// ES unreachable for now: the connectivity monitor deals with outages; keep following.
			st.Error = reason(err)
			continue
		}
		st.Error = ""
		if r.Status != st.ESStatus {
			st.ESStatus = r.Status
			learnStatus(ctx, st, r)
			upsertSubmission(ctx, *st, policy, false)
		}
		if r.Status == enrollment.StatusSubmissionFailed {
			return fail(ctx, st, policy, app, "ES answered 101 (submission failed): "+r.Message)
		}
	}
	st.Outcome = SubmissionProcessed
	upsertSubmission(ctx, *st, policy, false)
	countSubmission(ctx, st.Outcome)
	return *st, nil
}

// fail emails the Veteran and opens a ticket routed to ES; the workflow then completes
// with the failed outcome (the failure is handled, not an error).
func fail(ctx workflow.Context, st *SubmissionState, p enrollment.SubmissionPolicy, app enrollment.Application, why string) (SubmissionState, error) {
	st.Outcome, st.Error = SubmissionFailed, why
	upsertSubmission(ctx, *st, p, false)
	countSubmission(ctx, st.Outcome)
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Second,
		RetryPolicy:         &temporal.RetryPolicy{MaximumInterval: 10 * time.Minute, MaximumAttempts: 50},
	})
	if p.EmailVeteran {
		var a *activities.Enrollment
		err := workflow.ExecuteActivity(actx, a.NotifyVeteran, activities.VeteranNotice{
			ApplicationID: app.ApplicationID, Email: app.Form.Email,
		}).Get(ctx, nil)
		if err != nil {
			workflow.GetLogger(ctx).Error("Veteran email failed", "application", app.ApplicationID, "error", reason(err))
		}
	}
	ref, err := raiseESTicket(ctx, actx, ticket.NewTicket{
		Ref: "ESSUB-" + app.ApplicationID, Channel: ticket.ChannelWeb, Product: ticket.ProductOnline1010EZ,
		Priority: ticket.PriorityHigh, Category: "submission-failure", Reporter: ticket.SystemActor,
		Summary:     "10-10EZ submission failed at ES" + idSuffix(st.FormSubmissionID),
		Description: fmt.Sprintf("Application %s. %s", app.ApplicationID, ticket.SafeText(why, 1500)),
	}, "ES could not take the submission; ES to investigate on their side")
	st.TicketRef = ref
	return *st, err
}

func stuck(ctx workflow.Context, st *SubmissionState, p enrollment.SubmissionPolicy) (SubmissionState, error) {
	st.Outcome = SubmissionStuck
	upsertSubmission(ctx, *st, p, false)
	countSubmission(ctx, st.Outcome)
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Second,
		RetryPolicy:         &temporal.RetryPolicy{MaximumInterval: 10 * time.Minute, MaximumAttempts: 50},
	})
	ref, err := raiseESTicket(ctx, actx, ticket.NewTicket{
		Ref: "ESSUB-" + st.ApplicationID, Channel: ticket.ChannelWeb, Product: ticket.ProductOnline1010EZ,
		Priority: ticket.PriorityMedium, Category: "submission-stuck", Reporter: ticket.SystemActor,
		Summary: fmt.Sprintf("10-10EZ submission stuck in ES status %d%s", st.ESStatus, idSuffix(st.FormSubmissionID)),
		Description: fmt.Sprintf("Application %s has been in status %d (%s) for more than %s.",
			st.ApplicationID, st.ESStatus, enrollment.StatusText(st.ESStatus), p.GiveUpAfter),
	}, "submission not processed by ES in the expected time")
	st.TicketRef = ref
	return *st, err
}

// raiseESTicket opens a ticket already escalated to vets.gov and routed to ES: hcaops has
// triaged it, and only ES can act on it.
func raiseESTicket(ctx, actx workflow.Context, n ticket.NewTicket, routing string) (string, error) {
	var t *activities.TicketClient
	var opened activities.OpenedTicket
	err := workflow.ExecuteActivity(actx, t.OpenTicket, activities.OpenTicketInput{Ticket: n, Then: []ticket.Step{
		{Action: ticket.ActEscalate, Request: ticket.Request{Actor: ticket.SystemActor, Comment: "raised by hcaops"}},
		{Action: ticket.ActRouteToES, Request: ticket.Request{Actor: ticket.SystemActor, Comment: routing}},
	}}).Get(ctx, &opened)
	return n.Ref, err
}

func idSuffix(id int64) string {
	if id == 0 {
		return ""
	}
	return fmt.Sprintf(" (formSubmissionId %d)", id)
}

func upsertSubmission(ctx workflow.Context, st SubmissionState, p enrollment.SubmissionPolicy, first bool) {
	updates := []temporal.SearchAttributeUpdate{SubmissionStatus.ValueSet(st.Outcome)}
	if first {
		updates = append(updates, FormSubmissionID.ValueSet(st.FormSubmissionID), SubmittedDate.ValueSet(submittedDate(ctx, st, p)))
	}
	if err := workflow.UpsertTypedSearchAttributes(ctx, updates...); err != nil {
		workflow.GetLogger(ctx).Error("upsert search attributes", "application", st.ApplicationID, "error", err)
	}
	workflow.SetCurrentDetails(ctx, fmt.Sprintf("**%s** · ES status %d (%s)%s", st.Outcome, st.ESStatus,
		enrollment.StatusText(st.ESStatus), idSuffix(st.FormSubmissionID)))
}

// reason is the message of an activity failure without the SDK's wrapping.
func reason(err error) string {
	var app *temporal.ApplicationError
	if errors.As(err, &app) {
		return app.Message()
	}
	var timeout *temporal.TimeoutError
	if errors.As(err, &timeout) {
		return "timed out: " + strings.ToLower(timeout.TimeoutType().String())
	}
	return err.Error()
}
