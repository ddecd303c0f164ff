// Package ticketclient is the client side of the ticket workflow: open a ticket, act on it,
// read it, list tickets. The starter, the ticketctl command and the tests all go through
// it, so every caller gets the same validation and the same error messages.
package ticketclient

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/hcaops/hcaops/ticket"
	"github.com/hcaops/hcaops/workflows"
)

// Client acts on tickets through a Temporal client.
type Client struct {
	Client    client.Client
	Namespace string
	UIURL     string // e.g. http://localhost:8233
	// Policy is the service targets new tickets are measured against (config.Load reads it).
	Policy ticket.Policy
}

// Opened is the result of opening a ticket.
type Opened struct {
	Ref        string
	WorkflowID string
	RunID      string
	Existing   bool // the ticket was already open: nothing new was started
	UILink     string
}

// Open validates the ticket and starts its workflow; opening a reference that already
// has a workflow returns that one instead of starting another.
func (c Client) Open(ctx context.Context, n ticket.NewTicket, then ...ticket.Step) (Opened, error) {
	return c.open(ctx, n, workflows.TicketInput{Then: then})
}

// open starts the ticket's workflow with in, completed with the ticket, the policy and
// the workflow's shape.
func (c Client) open(ctx context.Context, n ticket.NewTicket, in workflows.TicketInput) (Opened, error) {
	if err := n.Validate(); err != nil {
		return Opened{}, fmt.Errorf("ticket %s: %w", safeRef(n.Ref), err)
	}
	n.Normalize()
	in.New, in.Policy, in.Version = n, c.policy(), workflows.TicketVersion
	id := workflows.TicketWorkflowID(n.Ref)
	run, err := c.Client.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:        id,
		TaskQueue: workflows.TaskQueue,
		// Without this the SDK quietly returns the existing run and we could not say so.
		WorkflowExecutionErrorWhenAlreadyStarted: true,
		WorkflowIDReusePolicy:                    enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		WorkflowIDConflictPolicy:                 enumspb.WORKFLOW_ID_CONFLICT_POLICY_FAIL,
		TypedSearchAttributes:                    workflows.InitialSearchAttributes(n),
		StaticSummary:                            workflows.StaticSummary(n),
		StaticDetails:                            staticDetails(n),
	}, workflows.TicketWorkflow, in)
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	if errors.As(err, &started) {
		return Opened{Ref: n.Ref, WorkflowID: id, RunID: started.RunId, Existing: true, UILink: c.Link(id)}, nil
	}
	if err != nil {
		return Opened{}, fmt.Errorf("open ticket %s: %w", n.Ref, err)
	}
	return Opened{Ref: n.Ref, WorkflowID: id, RunID: run.GetRunID(), UILink: c.Link(id)}, nil
}

func staticDetails(n ticket.NewTicket) string {
	return fmt.Sprintf("Reported via **%s** by %s. Category: %s.\n\n%s", n.Channel, n.Reporter, orNone(n.Category), n.Description)
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// Link is the ticket's page in the Temporal UI.
func (c Client) Link(workflowID string) string {
	ns := c.Namespace
	if ns == "" {
		ns = "default"
	}
	return fmt.Sprintf("%s/namespaces/%s/workflows/%s", strings.TrimRight(c.UIURL, "/"), url.PathEscape(ns), url.PathEscape(workflowID))
}

// Act applies an operator action. A refused action returns an error with the state
// machine's explanation; nothing is written to the ticket's history.
func (c Client) Act(ctx context.Context, ref string, a ticket.Action, req ticket.Request) (ticket.View, error) {
	if err := ticket.ValidRef(ref); err != nil {
		return ticket.View{}, err
	}
	var v ticket.View
	if err := c.update(ctx, ref, string(a), req, &v); err != nil {
		return ticket.View{}, c.explain(ctx, ref, err)
	}
	return v, nil
}

// update sends the ticket the Update name with arg and waits for its answer, decoded
// into result (nil: not read). Errors are Temporal's, for the caller to explain.
func (c Client) update(ctx context.Context, ref, name string, arg, result any) error {
	h, err := c.Client.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID:   workflows.TicketWorkflowID(ref),
		UpdateName:   name,
		Args:         []any{arg},
		WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	if err != nil {
		return err
	}
	return h.Get(ctx, result)
}

// Show reads a ticket, open or closed.
func (c Client) Show(ctx context.Context, ref string) (ticket.View, error) {
	if err := ticket.ValidRef(ref); err != nil {
		return ticket.View{}, err
	}
	resp, err := c.Client.QueryWorkflow(ctx, workflows.TicketWorkflowID(ref), "", workflows.QueryTicket)
	if err != nil {
		return ticket.View{}, c.explain(ctx, ref, err)
	}
	var v ticket.View
	if err := resp.Get(&v); err != nil {
		return ticket.View{}, fmt.Errorf("read ticket %s: %w", ref, err)
	}
	return v, nil
}

// refusal is an action that cannot succeed as asked: the state machine refused it, the
// ticket is closed, or no ticket has the reference. It matches ticket.ErrRejected.
type refusal struct{ msg string }

func (r refusal) Error() string        { return r.msg }
func (r refusal) Is(target error) bool { return target == ticket.ErrRejected }

// explain turns Temporal errors into what an operator needs to know. A NotFound from an
// Update means either no such ticket or a ticket whose workflow has completed; the
// server's wording differs between the two races (completing vs completed), so the
// workflow itself is asked which it is.
func (c Client) explain(ctx context.Context, ref string, err error) error {
	var notFound *serviceerror.NotFound
	if errors.As(err, &notFound) {
		desc, derr := c.Client.DescribeWorkflowExecution(ctx, workflows.TicketWorkflowID(ref), "")
		switch {
		case derr == nil && desc.GetWorkflowExecutionInfo().GetStatus() != enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING:
			return refusal{fmt.Sprintf("ticket %s is closed; no further action is possible", ref)}
		case derr == nil:
			return fmt.Errorf("ticket %s: %w", ref, err)
		}
		return refusal{fmt.Sprintf("unknown ticket %s: no ticket has that reference", ref)}
	}
	var app *temporal.ApplicationError
	if errors.As(err, &app) {
		return refusal{fmt.Sprintf("ticket %s: %s", ref, app.Message())}
	}
	return fmt.Errorf("ticket %s: %w", ref, err)
}

// safeRef names a reference in an error message only when it is valid.
func safeRef(ref string) string {
	if ticket.ValidRef(ref) == nil {
		return ref
	}
	return "(invalid ref)"
}

func (c Client) policy() *ticket.Policy {
	if c.Policy.Resolution == nil {
		return nil
	}
	p := c.Policy
	return &p
}

// OpenTicket is Open for callers that only need to know whether the ticket existed.
func (c Client) OpenTicket(ctx context.Context, n ticket.NewTicket, then []ticket.Step) (bool, error) {
	opened, err := c.Open(ctx, n, then...)
	return opened.Existing, err
}
