package activities

import (
	"context"
	"errors"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"
)

// MetricServiceDeskErrors counts failed calls to the system of record (SDM or Dynamics) by
// operation and by whether Temporal will retry them; the worker exports it with a _total
// suffix. A desk that is down shows here long before a transition fails for good
// (workflows.MetricMirrorFailures).
const MetricServiceDeskErrors = "hcaops_servicedesk_errors"

// countDeskError records *err, if any, when an activity returns.
func countDeskError(ctx context.Context, system, operation string, err *error) {
	if *err == nil {
		return
	}
	retryable := "true"
	var app *temporal.ApplicationError
	if errors.As(*err, &app) && app.NonRetryable() {
		retryable = "false"
	}
	activity.GetMetricsHandler(ctx).WithTags(map[string]string{"system": system, "operation": operation, "retryable": retryable}).
		Counter(MetricServiceDeskErrors).Inc(1)
}
