package ticketclient

import (
	"context"
	"errors"
	"fmt"
	"strings"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"github.com/hcaops/hcaops/ticket"
	"github.com/hcaops/hcaops/workflows"
)

// OpenFromDesk starts the ticket of an incident people opened in the service desk, linked
// to it from the start. The workflow ID derives from the incident's number and a running
// ticket is used as it is (conflict policy use-existing), so a poll that sees the
// incident again opens nothing; existing says so.
func (c Client) OpenFromDesk(ctx context.Context, n ticket.NewTicket, link ticket.IncidentLink, view ticket.DeskView) (bool, error) {
	if err := n.Validate(); err != nil {
		return false, fmt.Errorf("ticket %s: %w", safeRef(n.Ref), err)
	}
	n.Normalize()
	id := workflows.TicketWorkflowID(n.Ref)
	// Existing is for the caller's counts only: two polls racing here both see none, and
	// the conflict policy still starts one ticket.
	_, derr := c.Client.DescribeWorkflowExecution(ctx, id, "")
	var notFound *serviceerror.NotFound
	if derr == nil {
		return true, nil
	} else if !errors.As(derr, &notFound) {
		return false, fmt.Errorf("look up ticket %s: %w", n.Ref, derr)
	}
	_, err := c.Client.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:                       id,
		TaskQueue:                workflows.TaskQueue,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		// A closed ticket is not opened again by a late poll of its incident.
		WorkflowIDReusePolicy: enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		TypedSearchAttributes: workflows.InitialSearchAttributes(n),
		StaticSummary:         workflows.StaticSummary(n),
		StaticDetails:         staticDetails(n),
	}, workflows.TicketWorkflow, workflows.TicketInput{New: n, Policy: c.policy(), Version: workflows.TicketVersion,
		FromDesk: &workflows.DeskOrigin{Incident: link, Desk: view}})
	if err != nil {
		if strings.Contains(err.Error(), "already") {
			return true, nil // closed already: REJECT_DUPLICATE
		}
		return false, fmt.Errorf("open ticket %s: %w", n.Ref, err)
	}
	return false, nil
}

// DeskChange hands people's changes in the desk to the ticket. stale is true when the
// ticket wrote to the desk after they were read.
func (c Client) DeskChange(ctx context.Context, ref string, ch ticket.DeskChange) (bool, error) {
	h, err := c.Client.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID: workflows.TicketWorkflowID(ref), UpdateName: workflows.UpdateDeskChange,
		Args: []any{ch}, WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	if err == nil {
		err = h.Get(ctx, nil)
	}
	if err != nil && strings.Contains(err.Error(), workflows.ErrStaleDeskChange) {
		return true, nil
	}
	if err != nil {
		return false, c.explain(ctx, ref, err)
	}
	return false, nil
}

// MigrateDesk asks a ticket to move its incident to the desk named to; the move runs in
// the ticket's outbox. A refusal (moved already, closed, no incident) matches
// ticket.ErrRejected.
func (c Client) MigrateDesk(ctx context.Context, ref, to, actor string) error {
	h, err := c.Client.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID: workflows.TicketWorkflowID(ref), UpdateName: workflows.UpdateMigrateDesk,
		Args: []any{workflows.MigrateRequest{To: to, Actor: actor}}, WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	if err == nil {
		err = h.Get(ctx, nil)
	}
	if err != nil {
		return c.explain(ctx, ref, err)
	}
	return nil
}
