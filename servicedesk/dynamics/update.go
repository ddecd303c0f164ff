package dynamics

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/hcaops/hcaops/servicedesk"
)

// resolutionSubject is the subject of the incident resolution CloseIncident creates.
const resolutionSubject = "Resolved in hcaops"

// cancelNoteKey is the AddComment key of the note that keeps the resolution text of a
// cancelled incident: unlike resolving, cancelling has no resolution record.
const cancelNoteKey = "cancel-resolution"

// UpdateIncident applies u to the incident id.
//
// Dynamics makes a resolved or cancelled incident read-only and refuses to resolve,
// cancel or merge one twice, so a status change first reads the incident's state:
// a change it already has is skipped (retries are harmless), and an inactive
// incident is reactivated (statecode 0, statuscode 1) before anything else is
// changed. Field changes that arrive with a status the incident already has in an
// inactive state (say, a second "resolved") are dropped with it.
func (c *Client) UpdateIncident(ctx context.Context, id string, u servicedesk.Update) error {
	const op = "update incident"
	if !isGUID(id) {
		return invalid(op, fmt.Sprintf("incident ID %q is not a GUID", id))
	}
	fields, err := c.fieldChanges(u)
	if err != nil {
		return invalid(op, err.Error())
	}
	if u.Status == nil {
		return c.patch(ctx, op, id, fields)
	}
	status := *u.Status
	activeCode, active := activeStatusCode(status)
	switch {
	case active, status == servicedesk.StatusResolved, status == servicedesk.StatusClosed:
	case status == servicedesk.StatusCancelled:
		if u.DuplicateOf != "" && (!isGUID(u.DuplicateOf) || strings.EqualFold(u.DuplicateOf, id)) {
			return invalid("merge incident", fmt.Sprintf("master incident ID %q is not a GUID or is the incident itself", u.DuplicateOf))
		}
	default:
		return invalid(op, fmt.Sprintf("unknown status %q", status))
	}
	cur, err := c.readState(ctx, id)
	if err != nil {
		return err
	}
	switch {
	case active:
		if err := c.reactivate(ctx, id, cur); err != nil {
			return err
		}
		fields["statecode"], fields["statuscode"] = stateActive, activeCode
		return c.patch(ctx, op, id, fields)
	case status == servicedesk.StatusCancelled && u.DuplicateOf != "":
		return c.merge(ctx, id, cur, fields, u.DuplicateOf, u.Resolution)
	case status == servicedesk.StatusCancelled:
		return c.cancel(ctx, id, cur, fields, u.Resolution)
	default:
		// hcaops closes a ticket after resolving it; Dynamics has no state after resolved.
		return c.resolve(ctx, id, cur, fields, u.Resolution)
	}
}

// fieldChanges maps the non-status parts of u to incident columns.
func (c *Client) fieldChanges(u servicedesk.Update) (map[string]any, error) {
	fields := map[string]any{}
	if u.Priority != nil {
		code, err := priorityCode(*u.Priority)
		if err != nil {
			return nil, err
		}
		fields["prioritycode"] = code
	}
	if u.Group != nil && !c.cfg.NoCustomColumns {
		fields[colGroup] = string(*u.Group)
	}
	if u.Escalated != nil {
		fields["isescalated"] = *u.Escalated
		if *u.Escalated {
			fields["escalatedon"] = c.cfg.Now().UTC().Format(time.RFC3339)
		}
	}
	return fields, nil
}

// incidentState is where an incident is in Dynamics.
type incidentState struct {
	state, status int
	master        string
}

func (c *Client) readState(ctx context.Context, id string) (incidentState, error) {
	const op = "read incident"
	resp, err := c.do(ctx, request{
		op: op, method: http.MethodGet,
		path: "incidents(" + id + ")?$select=incidentid,statecode,statuscode,_masterid_value",
	})
	if err != nil {
		return incidentState{}, err
	}
	var rec incidentRecord
	if err := decode(op, resp, &rec); err != nil {
		return incidentState{}, err
	}
	if rec.StateCode == nil || rec.StatusCode == nil {
		return incidentState{}, malformed(op, resp.status, "incident has no statecode or statuscode")
	}
	return incidentState{state: *rec.StateCode, status: *rec.StatusCode, master: rec.MasterID}, nil
}

// patch updates columns of the incident. If-Match: * stops the PATCH from creating
// the incident when the ID is wrong: without it, a Web API PATCH is an upsert.
func (c *Client) patch(ctx context.Context, op, id string, fields map[string]any) error {
	if len(fields) == 0 {
		return nil
	}
	_, err := c.do(ctx, request{op: op, method: http.MethodPatch, path: "incidents(" + id + ")", body: fields, ifMatchAny: true})
	return err
}

// reactivate makes a resolved or cancelled incident active again, the only change
// Dynamics allows on an inactive incident.
func (c *Client) reactivate(ctx context.Context, id string, cur incidentState) error {
	if cur.state == stateActive {
		return nil
	}
	return c.patch(ctx, "reopen incident", id, map[string]any{"statecode": stateActive, "statuscode": statusInProgress})
}

func (c *Client) resolve(ctx context.Context, id string, cur incidentState, fields map[string]any, resolution string) error {
	const op = "resolve incident"
	if cur.state == stateResolved {
		return nil
	}
	if err := c.reactivate(ctx, id, cur); err != nil {
		return err
	}
	if err := c.patch(ctx, "update incident", id, fields); err != nil {
		return err
	}
	_, err := c.do(ctx, request{
		op: op, method: http.MethodPost, path: "CloseIncident",
		body: closeIncident{
			IncidentResolution: incidentResolution{
				Subject:      resolutionSubject,
				IncidentBind: bind("incidents", id),
				Description:  resolution,
			},
			Status: statusProblemSolved,
		},
		sent: []string{resolution},
	})
	return err
}

func (c *Client) cancel(ctx context.Context, id string, cur incidentState, fields map[string]any, resolution string) error {
	if cur.state == stateCancelled && cur.status == statusCancelled {
		return nil
	}
	if err := c.reactivate(ctx, id, cur); err != nil {
		return err
	}
	if err := c.resolutionNote(ctx, id, resolution); err != nil {
		return err
	}
	fields["statecode"], fields["statuscode"] = stateCancelled, statusCancelled
	return c.patch(ctx, "cancel incident", id, fields)
}

// merge cancels the incident as a duplicate of master: the Merge action sets it to
// cancelled/merged and points its masterid at master.
func (c *Client) merge(ctx context.Context, id string, cur incidentState, fields map[string]any, master, resolution string) error {
	const op = "merge incident"
	if cur.state == stateCancelled && cur.status == statusMerged && strings.EqualFold(cur.master, master) {
		return nil
	}
	if err := c.reactivate(ctx, id, cur); err != nil {
		return err
	}
	if err := c.patch(ctx, "update incident", id, fields); err != nil {
		return err
	}
	if err := c.resolutionNote(ctx, id, resolution); err != nil {
		return err
	}
	_, err := c.do(ctx, request{
		op: op, method: http.MethodPost, path: "Merge",
		body: mergeRequest{
			Target:                 entityRef{IncidentID: master, Type: incidentType},
			Subordinate:            entityRef{IncidentID: id, Type: incidentType},
			UpdateContent:          map[string]any{"@odata.type": incidentType},
			PerformParentingChecks: false,
		},
	})
	return err
}

func (c *Client) resolutionNote(ctx context.Context, id, resolution string) error {
	if strings.TrimSpace(resolution) == "" {
		return nil
	}
	return c.AddComment(ctx, id, cancelNoteKey, resolution)
}
