package ticketclient

import (
	"context"
	"fmt"
	"strings"
	"time"

	workflowpb "go.temporal.io/api/workflow/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/converter"

	"github.com/hcaops/hcaops/internal/temporalclient"
	"github.com/hcaops/hcaops/ticket"
	"github.com/hcaops/hcaops/workflows"
)

// Filter selects tickets by their search attributes; empty fields match everything.
type Filter struct {
	Status   string
	Tier     string
	Priority string
	Channel  string
	Product  string
	Breached *bool
	Open     bool // only tickets whose workflow is running
	Limit    int
}

// Summary is one line of a ticket list.
type Summary struct {
	Ref        string
	WorkflowID string
	Status     string
	Tier       string
	Priority   string
	Breached   bool
	DueAt      time.Time
	Started    time.Time
}

// Query is the Temporal visibility query for the filter; values are validated against
// the domain enumerations, so no free text reaches the query.
func (f Filter) Query() (string, error) {
	clauses := []string{"WorkflowType = 'TicketWorkflow'"}
	add := func(key, val string, allowed []string) error {
		if val == "" {
			return nil
		}
		for _, a := range allowed {
			if strings.EqualFold(a, val) {
				clauses = append(clauses, fmt.Sprintf("%s = '%s'", key, a))
				return nil
			}
		}
		return fmt.Errorf("unknown %s %q (one of %s)", strings.TrimPrefix(key, "Ticket"), val, strings.Join(allowed, ", "))
	}
	if err := add("TicketStatus", f.Status, Statuses()); err != nil {
		return "", err
	}
	if err := add("TicketTier", f.Tier, Tiers()); err != nil {
		return "", err
	}
	if err := add("TicketPriority", f.Priority, names(ticket.Priorities)); err != nil {
		return "", err
	}
	if err := add("TicketChannel", f.Channel, names(ticket.Channels)); err != nil {
		return "", err
	}
	if err := add("TicketProduct", f.Product, names(ticket.Products)); err != nil {
		return "", err
	}
	if f.Breached != nil {
		clauses = append(clauses, fmt.Sprintf("SLABreached = %t", *f.Breached))
	}
	if f.Open {
		clauses = append(clauses, "ExecutionStatus = 'Running'")
	}
	return strings.Join(clauses, " AND "), nil
}

// Statuses lists every value a Filter's Status takes.
func Statuses() []string {
	return names([]ticket.State{ticket.StateNew, ticket.StateTriage, ticket.StateInProgress, ticket.StateAwaitingES,
		ticket.StateOnHold, ticket.StateResolved, ticket.StateClosed, ticket.StateCancelled})
}

// Tiers lists every value a Filter's Tier takes.
func Tiers() []string {
	return names([]ticket.Tier{ticket.TierHRC, ticket.TierVetsGov, ticket.TierES})
}

// Priorities lists every value a Filter's Priority takes.
func Priorities() []string { return names(ticket.Priorities) }

func names[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// List returns the tickets that match, newest first.
func (c Client) List(ctx context.Context, f Filter) ([]Summary, error) {
	q, err := f.Query()
	if err != nil {
		return nil, err
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	var out []Summary
	err = temporalclient.EachWorkflow(ctx, c.Client, c.Namespace, q, int32(min(limit, 1000)), func(e *workflowpb.WorkflowExecutionInfo) (bool, error) {
		s := Summary{WorkflowID: e.GetExecution().GetWorkflowId(), Started: e.GetStartTime().AsTime()}
		fields := e.GetSearchAttributes().GetIndexedFields()
		decode := func(key string, into any) {
			if p, ok := fields[key]; ok {
				_ = converter.GetDefaultDataConverter().FromPayload(p, into)
			}
		}
		decode(workflows.TicketRef.GetName(), &s.Ref)
		decode(workflows.TicketStatus.GetName(), &s.Status)
		decode(workflows.TicketTier.GetName(), &s.Tier)
		decode(workflows.TicketPriority.GetName(), &s.Priority)
		decode(workflows.SLABreached.GetName(), &s.Breached)
		decode(workflows.SLADueAt.GetName(), &s.DueAt)
		out = append(out, s)
		return len(out) < limit, nil
	})
	if err != nil {
		return nil, fmt.Errorf("list tickets: %w", err)
	}
	return out, nil
}

// Count is how many tickets match, counted by the visibility store without listing them.
func (c Client) Count(ctx context.Context, f Filter) (int64, error) {
	q, err := f.Query()
	if err != nil {
		return 0, err
	}
	resp, err := c.Client.CountWorkflow(ctx, &workflowservice.CountWorkflowExecutionsRequest{Namespace: c.Namespace, Query: q})
	if err != nil {
		return 0, fmt.Errorf("count tickets: %w", err)
	}
	return resp.GetCount(), nil
}

// AwaitingES lists the references of the open tickets waiting on ES Tier 2/3.
func (c Client) AwaitingES(ctx context.Context) ([]string, error) {
	var refs []string
	// A ticket on hold keeps its tier: on hold with ES Tier 2/3 means held while with ES,
	// and it stays on the call's agenda.
	for _, f := range []Filter{
		{Status: string(ticket.StateAwaitingES), Open: true, Limit: 10000},
		{Status: string(ticket.StateOnHold), Tier: string(ticket.TierES), Open: true, Limit: 10000},
	} {
		rows, err := c.List(ctx, f)
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			refs = append(refs, r.Ref)
		}
	}
	return refs, nil
}
