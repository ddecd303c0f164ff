package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/hcaops/hcaops/activities"
	"github.com/hcaops/hcaops/enrollment"
)

// legacySubmission is the submission as it ran before attemptsChange: one activity with a
// server-side retry policy. It stays so that submissions started before the change replay.
// Their input predates the va.gov form (it decodes with an empty form), so a live one that
// still has to send fails validation in the activity and raises a ticket; ES never took
// that shape, so nothing is lost that was not already.
func legacySubmission(ctx workflow.Context, in SubmissionInput, st *SubmissionState, policy enrollment.SubmissionPolicy) (SubmissionState, error) {
	var a *activities.Enrollment
	submitCtx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: time.Minute,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval: policy.RetryInitial, BackoffCoefficient: 2, MaximumInterval: policy.RetryMax,
			MaximumAttempts: int32(policy.RetryAttempts), NonRetryableErrorTypes: []string{activities.ErrTypeESRejected},
		},
	})
	input := activities.SubmitInput{Application: in.Application, Received: workflow.GetInfo(ctx).WorkflowStartTime}
	var res activities.SubmitResult
	if err := workflow.ExecuteActivity(submitCtx, a.SubmitApplication, input).Get(ctx, &res); err != nil {
		return fail(ctx, st, policy, in.Application, "ES did not accept the submission: "+reason(err))
	}
	return submitted(ctx, in, st, policy, res)
}
