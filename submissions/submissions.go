// Package submissions is the client side of the 10-10EZ submission workflow: submit
// applications, read one, and list what vets.gov submitted on a day for reconciliation.
package submissions

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"

	"github.com/hcaops/hcaops/enrollment"
	"github.com/hcaops/hcaops/workflows"
)

// Client submits and finds submissions through a Temporal client.
type Client struct {
	Client    client.Client
	Namespace string
	Policy    *enrollment.SubmissionPolicy // its ESZone is ES's day when listing a day's submissions
	// DataConverter decodes memos as the client's own converter does (a payload codec
	// encrypts them too); nil means the SDK's default.
	DataConverter converter.DataConverter
}

// Submitted is the result of starting one submission.
type Submitted struct {
	ApplicationID string
	WorkflowID    string
	Existing      bool // this application was already submitted: nothing new was started
}

// Submit validates the application and starts its workflow; the application ID is the
// idempotency key, so submitting it twice starts one workflow and one ES record.
func (c Client) Submit(ctx context.Context, app enrollment.Application, now time.Time) (Submitted, error) {
	if err := app.Validate(now); err != nil {
		return Submitted{}, fmt.Errorf("application %s: %w", safeID(app.ApplicationID), err)
	}
	id := workflows.SubmissionWorkflowID(app.ApplicationID)
	_, err := c.Client.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID: id, TaskQueue: workflows.TaskQueue,
		WorkflowIDReusePolicy:                    enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		WorkflowIDConflictPolicy:                 enumspb.WORKFLOW_ID_CONFLICT_POLICY_FAIL,
		WorkflowExecutionErrorWhenAlreadyStarted: true,
		TypedSearchAttributes:                    temporalSubmitting(),
		StaticSummary:                            "10-10EZ application " + app.ApplicationID,
	}, workflows.SubmissionWorkflow, workflows.SubmissionInput{Application: app, Policy: c.Policy})
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	if errors.As(err, &started) {
		return Submitted{ApplicationID: app.ApplicationID, WorkflowID: id, Existing: true}, nil
	}
	if err != nil {
		return Submitted{}, fmt.Errorf("submit application %s: %w", app.ApplicationID, err)
	}
	return Submitted{ApplicationID: app.ApplicationID, WorkflowID: id}, nil
}

func safeID(id string) string {
	if id == "" || strings.ContainsAny(id, " @") || len(id) > 64 {
		return "(no valid id)"
	}
	return id
}
