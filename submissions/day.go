package submissions

import (
	"context"
	"fmt"
	"strings"
	"time"

	commonpb "go.temporal.io/api/common/v1"
	workflowpb "go.temporal.io/api/workflow/v1"
	"go.temporal.io/sdk/converter"

	"github.com/hcaops/hcaops/enrollment"
	"github.com/hcaops/hcaops/internal/temporalclient"
	"github.com/hcaops/hcaops/reconcile"
	"github.com/hcaops/hcaops/workflows"
)

// SubmittedOn lists what vets.gov submitted on date, ES's day, for reconciliation:
//   - the submissions ES acknowledged that day (SubmittedDate, from ES's timeStamp), with
//     every status ES gave each, from the workflow's memo;
//   - the applications vets.gov received that day and ES never acknowledged, each with
//     whether ES refused it outright (from its attempts, in the submission's state);
//   - every submit attempt that day whose outcome is unknown (sent, never answered),
//     attached to its application, or to an entry of its own (AttemptsOnly) when ES's
//     day of that application is another one.
//
// Runs closed by continue-as-new are skipped: their last run carries the same record.
func (c Client) SubmittedOn(ctx context.Context, date string) ([]reconcile.Submission, error) {
	day, err := c.day(date)
	if err != nil {
		return nil, err
	}
	const subs = "WorkflowType = 'SubmissionWorkflow' AND ExecutionStatus != 'ContinuedAsNew'"
	var out []reconcile.Submission
	byApp := map[string]int{}
	add := func(s reconcile.Submission) {
		byApp[s.ApplicationID] = len(out)
		out = append(out, s)
	}
	acked := fmt.Sprintf("%s AND %s = '%s'", subs, workflows.SubmittedDate.GetName(), date)
	if err := c.list(ctx, acked, func(e *workflowpb.WorkflowExecutionInfo) error {
		s, err := c.acknowledged(e)
		if err == nil {
			add(s)
		}
		return err
	}); err != nil {
		return nil, fmt.Errorf("list submissions of %s: %w", date, err)
	}
	unacked := fmt.Sprintf("%s AND %s IS NULL AND StartTime >= '%s' AND StartTime < '%s'", subs, workflows.FormSubmissionID.GetName(),
		day.Format(time.RFC3339), day.AddDate(0, 0, 1).Format(time.RFC3339))
	if err := c.list(ctx, unacked, func(e *workflowpb.WorkflowExecutionInfo) error {
		attempts, err := c.attempts(ctx, e)
		if err != nil {
			return err
		}
		add(reconcile.Submission{ApplicationID: applicationID(e), SubmittedAt: e.GetStartTime().AsTime(),
			Failed: c.outcome(e) == workflows.SubmissionFailed, Refused: attempts.refused(),
			UnknownAttempts: attempts.unanswered(day, c.attemptWindow())})
		return nil
	}); err != nil {
		return nil, fmt.Errorf("list unacknowledged submissions of %s: %w", date, err)
	}
	unknown := fmt.Sprintf("%s AND %s = '%s'", subs, workflows.SubmissionOutcomeUnknownDates.GetName(), date)
	if err := c.list(ctx, unknown, func(e *workflowpb.WorkflowExecutionInfo) error {
		i, ok := byApp[applicationID(e)]
		if ok && out[i].FormSubmissionID == 0 {
			return nil // read with the unacknowledged ones
		}
		attempts, err := c.attempts(ctx, e)
		if err != nil {
			return err
		}
		if ok {
			out[i].UnknownAttempts = attempts.unanswered(day, c.attemptWindow())
			return nil
		}
		add(reconcile.Submission{ApplicationID: applicationID(e), AttemptsOnly: true, UnknownAttempts: attempts.unanswered(day, c.attemptWindow())})
		return nil
	}); err != nil {
		return nil, fmt.Errorf("list unanswered submit attempts of %s: %w", date, err)
	}
	return out, nil
}

// day is the start of date in ES's zone.
func (c Client) day(date string) (time.Time, error) {
	zone := "America/New_York"
	if c.Policy != nil && c.Policy.ESZone != "" {
		zone = c.Policy.ESZone
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return time.Time{}, fmt.Errorf("ES zone %q: %w", zone, err)
	}
	day, err := time.ParseInLocation(time.DateOnly, date, loc)
	if err != nil || day.Format(time.DateOnly) != date {
		return time.Time{}, fmt.Errorf("date %q is not YYYY-MM-DD", date)
	}
	return day, nil
}

// list pages through the workflows a visibility query finds.
func (c Client) list(ctx context.Context, query string, fn func(*workflowpb.WorkflowExecutionInfo) error) error {
	return temporalclient.EachWorkflow(ctx, c.Client, c.Namespace, query, 0, func(e *workflowpb.WorkflowExecutionInfo) (bool, error) {
		return true, fn(e)
	})
}

// acknowledged reads one submission ES acknowledged: its id and outcome from the search
// attributes, the statuses ES gave from the memo. A run from before statuses were noted
// has only its outcome, dated by its start.
func (c Client) acknowledged(e *workflowpb.WorkflowExecutionInfo) (reconcile.Submission, error) {
	s := reconcile.Submission{ApplicationID: applicationID(e), SubmittedAt: e.GetStartTime().AsTime()}
	dc := converter.GetDefaultDataConverter()
	if p, ok := e.GetSearchAttributes().GetIndexedFields()[workflows.FormSubmissionID.GetName()]; ok {
		if err := dc.FromPayload(p, &s.FormSubmissionID); err != nil {
			return s, fmt.Errorf("submission %s: FormSubmissionID: %w", s.ApplicationID, err)
		}
	}
	outcome := c.outcome(e)
	s.Failed = outcome == workflows.SubmissionFailed
	if p, ok := e.GetMemo().GetFields()[workflows.MemoESStatuses]; ok {
		if err := c.memo(p, &s.Statuses); err != nil {
			return s, fmt.Errorf("submission %s: memo %s: %w", s.ApplicationID, workflows.MemoESStatuses, err)
		}
	}
	if n := len(s.Statuses); n > 0 {
		s.Status = s.Statuses[n-1].Status
		if at := s.Statuses[0].At; !at.IsZero() {
			s.SubmittedAt = at
		}
		return s, nil
	}
	s.Status = statusOf(outcome)
	return s, nil
}

// attempts are a submission's submit attempts, from its state (the submission query
// answers for open and closed runs alike).
type attempts []workflows.SubmitAttempt

func (c Client) attempts(ctx context.Context, e *workflowpb.WorkflowExecutionInfo) (attempts, error) {
	resp, err := c.Client.QueryWorkflow(ctx, e.GetExecution().GetWorkflowId(), e.GetExecution().GetRunId(), workflows.QuerySubmission)
	if err != nil {
		return nil, fmt.Errorf("submission %s: %w", applicationID(e), err)
	}
	var st workflows.SubmissionState
	if err := resp.Get(&st); err != nil {
		return nil, fmt.Errorf("submission %s: %w", applicationID(e), err)
	}
	return st.Attempts, nil
}

// refused says ES refused the application outright (or hcaops would not send it): ES
// holds no record of it.
func (as attempts) refused() bool {
	for _, a := range as {
		if a.Outcome == workflows.AttemptRejected {
			return true
		}
	}
	return false
}

// unanswered are the attempts of day (ES's day, from its start) sent and never answered,
// each with the span ES may have received it in: from when it was sent for as long as an
// attempt may take (the policy's attempt timeout).
func (as attempts) unanswered(day time.Time, window time.Duration) []reconcile.Attempt {
	var out []reconcile.Attempt
	for _, a := range as {
		if a.Outcome == workflows.AttemptOutcomeUnknown && !a.At.Before(day) && a.At.Before(day.AddDate(0, 0, 1)) {
			out = append(out, reconcile.Attempt{SentAt: a.At, Until: a.At.Add(window)})
		}
	}
	return out
}

// attemptWindow is how long a submit attempt may take: the policy's attempt timeout.
func (c Client) attemptWindow() time.Duration {
	p := enrollment.DefaultSubmissionPolicy()
	if c.Policy != nil {
		p = *c.Policy
	}
	return p.Attempt()
}

func (c Client) memo(p *commonpb.Payload, v any) error {
	dc := c.DataConverter
	if dc == nil {
		dc = converter.GetDefaultDataConverter()
	}
	return dc.FromPayload(p, v)
}

func (c Client) outcome(e *workflowpb.WorkflowExecutionInfo) string {
	var outcome string
	if p, ok := e.GetSearchAttributes().GetIndexedFields()[workflows.SubmissionStatus.GetName()]; ok {
		_ = converter.GetDefaultDataConverter().FromPayload(p, &outcome)
	}
	return outcome
}

func applicationID(e *workflowpb.WorkflowExecutionInfo) string {
	return strings.TrimPrefix(e.GetExecution().GetWorkflowId(), "submission-")
}

// statusOf is the last ES status vets.gov saw, as far as an old run's outcome tells:
// only the final ones matter to reconciliation.
func statusOf(outcome string) int {
	switch outcome {
	case workflows.SubmissionProcessed:
		return enrollment.StatusProcessed
	case workflows.SubmissionFailed:
		return enrollment.StatusSubmissionFailed
	}
	return enrollment.StatusSubmitted
}
