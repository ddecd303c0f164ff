package temporalclient

import (
	"context"

	workflowpb "go.temporal.io/api/workflow/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
)

// EachWorkflow pages through what a visibility query finds, pageSize at a time (0 means
// 1,000), and hands each execution to each until it answers false or an error.
func EachWorkflow(ctx context.Context, c client.Client, namespace, query string, pageSize int32,
	each func(*workflowpb.WorkflowExecutionInfo) (more bool, err error)) error {
	if pageSize <= 0 {
		pageSize = 1000
	}
	var token []byte
	for {
		resp, err := c.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{
			Namespace: namespace, Query: query, NextPageToken: token, PageSize: pageSize,
		})
		if err != nil {
			return err
		}
		for _, e := range resp.GetExecutions() {
			more, err := each(e)
			if err != nil || !more {
				return err
			}
		}
		if token = resp.GetNextPageToken(); len(token) == 0 {
			return nil
		}
	}
}
