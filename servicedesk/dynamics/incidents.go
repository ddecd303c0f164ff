package dynamics

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/hcaops/hcaops/servicedesk"
)

// FindIncident returns the incident whose hcaops_reference is ref, or an error
// wrapping servicedesk.ErrNotFound.
func (c *Client) FindIncident(ctx context.Context, ref string) (servicedesk.Incident, error) {
	const op = "find incident"
	if strings.TrimSpace(ref) == "" {
		return servicedesk.Incident{}, invalid(op, "reference is required")
	}
	filter, sel := colReference+" eq "+quote(ref), "incidentid,ticketnumber"
	if c.cfg.NoCustomColumns {
		filter, sel = "contains(description,"+quote(strings.TrimPrefix(servicedesk.LinkMarker(ref), "["))+")", sel+",description"
	}
	resp, err := c.do(ctx, request{op: op, method: http.MethodGet, path: "incidents" + query(sel, filter)})
	if err != nil {
		return servicedesk.Incident{}, err
	}
	var list collection[incidentRecord]
	if err := decode(op, resp, &list); err != nil {
		return servicedesk.Incident{}, err
	}
	if list.Value == nil {
		return servicedesk.Incident{}, malformed(op, resp.status, "answer has no value array")
	}
	for _, rec := range list.Value {
		if c.cfg.NoCustomColumns && servicedesk.RefFromText(rec.Description) != ref {
			continue // contains() ignores case; the reference does not
		}
		return incidentFrom(op, resp.status, rec)
	}
	return servicedesk.Incident{}, fmt.Errorf("%s %s %q: %w", systemName, op, ref, servicedesk.ErrNotFound)
}

// EnsureIncident returns the incident for in.Ref, creating it if there is none.
// Dataverse enforces hcaops_reference as an alternate key, so if a concurrent or
// earlier attempt creates it between the find and the create, the create fails
// with 412 and the client returns the existing incident.
func (c *Client) EnsureIncident(ctx context.Context, in servicedesk.NewIncident) (servicedesk.Incident, error) {
	inc, err := c.FindIncident(ctx, in.Ref)
	if !errors.Is(err, servicedesk.ErrNotFound) {
		return inc, err
	}
	return c.createIncident(ctx, in)
}

// createIncident posts a new incident; on an alternate-key conflict it finds the existing one.
func (c *Client) createIncident(ctx context.Context, in servicedesk.NewIncident) (servicedesk.Incident, error) {
	const op = "create incident"
	body, err := c.incidentBody(in)
	if err != nil {
		return servicedesk.Incident{}, invalid(op, err.Error())
	}
	resp, err := c.do(ctx, request{
		op: op, method: http.MethodPost, path: "incidents", body: body,
		represent: true, sent: []string{in.Summary, in.Description},
	})
	if re, ok := errors.AsType[*servicedesk.ResponseError](err); ok && re.Status == http.StatusPreconditionFailed {
		// Without If-Match headers, the only precondition a create can fail is a
		// duplicate key: the incident exists already.
		inc, ferr := c.FindIncident(ctx, in.Ref)
		if ferr == nil || !errors.Is(ferr, servicedesk.ErrNotFound) {
			return inc, ferr
		}
		return servicedesk.Incident{}, err
	}
	if err != nil {
		return servicedesk.Incident{}, err
	}
	if resp.status == http.StatusNoContent {
		// Prefer: return=representation was not honoured; read the ticket number back.
		return c.FindIncident(ctx, in.Ref)
	}
	var rec incidentRecord
	if err := decode(op, resp, &rec); err != nil {
		return servicedesk.Incident{}, err
	}
	return incidentFrom(op, resp.status, rec)
}

// incidentBody maps a new hcaops ticket to an incident. Category has no standard
// incident column and is not sent.
func (c *Client) incidentBody(in servicedesk.NewIncident) (incidentCreate, error) {
	body := incidentCreate{
		Title:        in.Summary,
		Description:  in.Description,
		Reference:    in.Ref,
		Group:        string(in.Group),
		CustomerBind: bind("accounts", c.cfg.CustomerAccountID),
	}
	if strings.TrimSpace(in.Ref) == "" {
		return body, errors.New("reference is required")
	}
	if c.cfg.NoCustomColumns {
		body.Reference, body.Group = "", ""
		body.Description = strings.TrimSpace(strings.TrimSpace(in.Description) + "\n" + servicedesk.LinkMarker(in.Ref))
	}
	var err error
	if in.Channel != "" {
		if body.CaseOrigin, err = originCode(in.Channel); err != nil {
			return body, err
		}
	}
	if in.Priority != "" {
		if body.PriorityCode, err = priorityCode(in.Priority); err != nil {
			return body, err
		}
	}
	return body, nil
}

func incidentFrom(op string, status int, rec incidentRecord) (servicedesk.Incident, error) {
	if !isGUID(rec.ID) || rec.TicketNumber == "" {
		return servicedesk.Incident{}, malformed(op, status, "incident has no incidentid or ticketnumber")
	}
	return servicedesk.Incident{ID: rec.ID, Number: rec.TicketNumber}, nil
}
