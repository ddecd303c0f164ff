package integration

import (
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
)

func countRequest(query string) *workflowservice.CountWorkflowExecutionsRequest {
	return &workflowservice.CountWorkflowExecutionsRequest{Namespace: env.namespace, Query: query}
}

func scheduleListOptions() client.ScheduleListOptions {
	return client.ScheduleListOptions{PageSize: 100}
}

func clientPause() client.SchedulePauseOptions {
	return client.SchedulePauseOptions{Note: "integration tests"}
}
