package workflows

import (
	"errors"
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/hcaops/hcaops/activities"
	"github.com/hcaops/hcaops/enrollment"
)

// submitAttempts sends the application to ES until ES answers, ES refuses the form, or
// the policy's attempts run out. ES has no idempotency key, so the workflow drives the
// attempts itself: each is one activity execution (no activity retries), recorded in st
// with its outcome, and the wait between attempts is a workflow timer on the policy's
// schedule (RetryInitial doubling up to RetryMax, RetryAttempts in all).
//
// Once ES has answered with a formSubmissionId the form is never sent again: the answer
// comes back as the activity's result or, if the worker died before reporting it, from the
// attempt's last heartbeat. An attempt sent without an answer is "outcome unknown": it is
// counted, marked on the SubmissionOutcomeUnknown search attribute, and the form is sent
// again, because losing an application is worse than a duplicate ES can merge; the daily
// reconciliation flags the possible duplicate.
func submitAttempts(ctx workflow.Context, st *SubmissionState, app enrollment.Application, p enrollment.SubmissionPolicy) (activities.SubmitResult, error) {
	var a *activities.Enrollment
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: p.Attempt(),
		RetryPolicy:         &temporal.RetryPolicy{MaximumAttempts: 1},
	})
	in := activities.SubmitInput{Application: app, Received: workflow.GetInfo(ctx).WorkflowStartTime}
	delay := p.RetryInitial
	for n := 1; ; n++ {
		attempt := SubmitAttempt{Number: n, At: workflow.Now(ctx)}
		var res activities.SubmitResult
		err := workflow.ExecuteActivity(actx, a.SubmitApplication, in).Get(ctx, &res)
		if err != nil {
			if answer, ok := answerFromHeartbeat(err); ok {
				res, err = answer, nil
			}
		}
		attempt.Outcome = attemptOutcome(err)
		if err != nil {
			attempt.Error = reason(err)
		}
		st.Attempts = append(st.Attempts, attempt)
		if attempt.Outcome == AttemptOutcomeUnknown {
			st.OutcomeUnknownAttempts++
			upsertOutcomeUnknown(ctx, st, p)
		}
		switch {
		case err == nil:
			return res, nil
		case attempt.Outcome == AttemptRejected, n >= p.RetryAttempts:
			return res, err
		}
		st.Error = attempt.Error
		if err := workflow.Sleep(ctx, delay); err != nil {
			return res, err
		}
		delay = min(delay*2, p.RetryMax)
	}
}

// answerFromHeartbeat finds ES's answer in an attempt that timed out after recording it:
// the worker reached ES, got the formSubmissionId, and died before reporting it.
func answerFromHeartbeat(err error) (activities.SubmitResult, bool) {
	var timeout *temporal.TimeoutError
	if !errors.As(err, &timeout) || !timeout.HasLastHeartbeatDetails() {
		return activities.SubmitResult{}, false
	}
	var res activities.SubmitResult
	if timeout.LastHeartbeatDetails(&res) != nil || res.FormSubmissionID <= 0 {
		return activities.SubmitResult{}, false
	}
	return res, true
}

// attemptOutcome names what an attempt did. Anything but a typed answer from the activity
// (a timeout, a worker gone) may have reached ES: unknown.
func attemptOutcome(err error) string {
	if err == nil {
		return AttemptAccepted
	}
	var app *temporal.ApplicationError
	if errors.As(err, &app) {
		switch app.Type() {
		case activities.ErrTypeESRejected:
			return AttemptRejected
		case activities.ErrTypeESNotProcessed:
			return AttemptNotProcessed
		}
	}
	return AttemptOutcomeUnknown
}

// upsertOutcomeUnknown marks the submission as a possible duplicate, with ES's local dates
// of the unknown attempts (in ES's zone, as SubmittedDate), for the daily reconciliation.
func upsertOutcomeUnknown(ctx workflow.Context, st *SubmissionState, p enrollment.SubmissionPolicy) {
	var dates []string
	for _, at := range st.Attempts {
		if at.Outcome != AttemptOutcomeUnknown {
			continue
		}
		d := at.At.In(esDay(p.ESZone)).Format(time.DateOnly)
		if len(dates) == 0 || dates[len(dates)-1] != d {
			dates = append(dates, d)
		}
	}
	if err := workflow.UpsertTypedSearchAttributes(ctx,
		SubmissionOutcomeUnknown.ValueSet(true), SubmissionOutcomeUnknownDates.ValueSet(dates)); err != nil {
		workflow.GetLogger(ctx).Error("upsert search attributes", "application", st.ApplicationID, "error", err)
	}
}

// attemptsSummary is what a failure ticket says of the attempts: how many, and how many may
// have left a record in ES.
func attemptsSummary(st *SubmissionState) string {
	if len(st.Attempts) == 0 {
		return ""
	}
	s := fmt.Sprintf(" (%d attempts", len(st.Attempts))
	if st.OutcomeUnknownAttempts > 0 {
		s += fmt.Sprintf(", %d sent without an answer: ES may hold a record of this application", st.OutcomeUnknownAttempts)
	}
	return s + ")"
}
