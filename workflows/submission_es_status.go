package workflows

import (
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/hcaops/hcaops/activities"
	"github.com/hcaops/hcaops/enrollment"
	"github.com/hcaops/hcaops/internal/zones"
	"github.com/hcaops/hcaops/reconcile"
)

// MemoESStatuses is the memo key under which a submission keeps every status ES gave it
// ([]reconcile.StatusSeen): reconciliation reads them from visibility to compare
// vets.gov's record with ES's report as of the report's cut-off. No PII.
const MemoESStatuses = "esStatuses"

// esStatusTimesChange versions noting ES's statuses in the memo and dating a submission
// by ES's timeStamp: histories recorded before it replay without either.
const esStatusTimesChange = "es-status-times"

// learnStatus notes a status ES answered, with ES's timeStamp and when vets.gov heard it.
func learnStatus(ctx workflow.Context, st *SubmissionState, r activities.SubmitResult) {
	st.ESStatuses = append(st.ESStatuses, reconcile.StatusSeen{Status: r.Status, At: r.Timestamp, LearnedAt: workflow.Now(ctx)})
	if workflow.GetVersion(ctx, esStatusTimesChange, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		return
	}
	if err := workflow.UpsertMemo(ctx, map[string]any{MemoESStatuses: st.ESStatuses}); err != nil {
		workflow.GetLogger(ctx).Error("upsert memo", "application", st.ApplicationID, "error", err)
	}
}

// submittedDate is ES's day of the submission: the date of ES's timeStamp on its
// acknowledgement, in ES's zone (a setting), so vets.gov dates a submission as ES's
// report does. Histories from before that dated it by the workflow's clock in New York.
func submittedDate(ctx workflow.Context, st SubmissionState, p enrollment.SubmissionPolicy) string {
	at := st.SubmittedAt
	if workflow.GetVersion(ctx, esStatusTimesChange, workflow.DefaultVersion, 1) != workflow.DefaultVersion {
		if len(st.ESStatuses) > 0 && !st.ESStatuses[0].At.IsZero() {
			at = st.ESStatuses[0].At
		}
	}
	return at.In(esDay(p.ESZone)).Format(time.DateOnly)
}

// esDay is ES's zone, which dates submissions, unanswered attempts and the daily report
// (a setting; New York when unset, as every history from before the setting).
func esDay(zone string) *time.Location {
	if loc, err := zones.Load(zone); zone != "" && err == nil {
		return loc
	}
	return esZone
}
