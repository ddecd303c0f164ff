package sdm

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/hcaops/hcaops/servicedesk"
)

// EnsureIncident returns the incident whose zhcaops_ref is in.Ref, creating it
// if there is none. An existing incident is returned as it is, not updated.
//
// A retried call never creates a second incident: the find comes first; within
// this process attempts for one reference take turns; and when the create fails
// (SDM may have created the incident and lost the answer, or refused a duplicate
// zhcaops_ref if the attribute is unique) the client looks again before giving up.
func (c *Client) EnsureIncident(ctx context.Context, in servicedesk.NewIncident) (servicedesk.Incident, error) {
	const op = "create incident"
	body, err := c.newIncidentBody(in)
	if err != nil {
		return servicedesk.Incident{}, fmt.Errorf("sdm %s: %w", op, err)
	}
	unlock, err := c.serial.lock(ctx, "incident\x00"+in.Ref)
	if err != nil {
		return servicedesk.Incident{}, fmt.Errorf("sdm %s: %w", op, err)
	}
	defer unlock()

	found, err := c.FindIncident(ctx, in.Ref)
	if !errors.Is(err, servicedesk.ErrNotFound) {
		return found, err // found, or the find failed
	}
	created, createErr := c.createIncident(ctx, op, body)
	if createErr == nil || ctx.Err() != nil {
		return created, createErr
	}
	if found, err := c.FindIncident(ctx, in.Ref); err == nil {
		return found, nil
	}
	return servicedesk.Incident{}, createErr
}

func (c *Client) newIncidentBody(in servicedesk.NewIncident) (incidentEnvelope, error) {
	if strings.TrimSpace(in.Ref) == "" {
		return incidentEnvelope{}, errors.New("reference is required")
	}
	if strings.TrimSpace(in.Summary) == "" {
		return incidentEnvelope{}, errors.New("summary is required")
	}
	w := incidentWrite{
		Summary:     in.Summary,
		Description: in.Description,
		Status:      byKey(codeOpen),
		Type:        byKey(incidentType),
	}
	if c.cfg.NoCustomAttributes {
		w.Description = withMarker(in.Description, in.Ref)
	} else {
		w.HcaopsRef = in.Ref
	}
	if in.Priority != "" {
		p, err := priorityName(in.Priority)
		if err != nil {
			return incidentEnvelope{}, err
		}
		w.Priority = byName(p)
	}
	if in.Group != "" {
		w.Group = byName(string(in.Group))
	}
	switch {
	case c.cfg.Category != "":
		w.Category = byName(c.cfg.Category)
	case in.Category != "":
		w.Category = byName(in.Category)
	}
	if c.cfg.Customer != "" {
		w.Customer = contactRef(c.cfg.Customer)
	}
	if c.cfg.Urgency != "" {
		w.Urgency = byKey(c.cfg.Urgency)
	}
	if c.cfg.Impact != "" {
		w.Impact = byKey(c.cfg.Impact)
	}
	return incidentEnvelope{In: w}, nil
}

func (c *Client) createIncident(ctx context.Context, op string, body incidentEnvelope) (servicedesk.Incident, error) {
	answer, err := c.do(ctx, request{op: op, method: http.MethodPost, path: "in", attrs: incidentAttrs, body: body})
	if err != nil {
		return servicedesk.Incident{}, err
	}
	obj, err := decodeObject[incidentRead](answer, "in")
	if err != nil {
		return servicedesk.Incident{}, malformedError(op, err)
	}
	inc, err := obj.incident()
	if err != nil {
		return servicedesk.Incident{}, malformedError(op, err)
	}
	return inc, nil
}

// FindIncident returns the incident whose zhcaops_ref is ref, or an error
// wrapping servicedesk.ErrNotFound. Should SDM hold several, the oldest wins.
func (c *Client) FindIncident(ctx context.Context, ref string) (servicedesk.Incident, error) {
	const op = "find incident"
	if strings.TrimSpace(ref) == "" {
		return servicedesk.Incident{}, fmt.Errorf("sdm %s: reference is required", op)
	}
	q := url.Values{}
	if c.cfg.NoCustomAttributes {
		// LIKE treats _ as a wildcard (and [ as a class on SQL Server, which the pattern
		// avoids); the marker is checked exactly below.
		q.Set("WC", "description LIKE "+quote("%"+strings.TrimPrefix(servicedesk.LinkMarker(ref), "[")+"%"))
	} else {
		q.Set("WC", "zhcaops_ref="+quote(ref))
	}
	q.Set("SORT", "id ASC")
	answer, err := c.do(ctx, request{op: op, method: http.MethodGet, path: "in", query: q, attrs: c.findAttrs()})
	if err != nil {
		return servicedesk.Incident{}, err
	}
	p, err := decodeCollection[incidentRead](answer, "in")
	if err != nil {
		return servicedesk.Incident{}, malformedError(op, err)
	}
	for _, item := range p.Items {
		// SDM compares case-insensitively on most databases; so does this check,
		// which guards against a where clause SDM did not apply as meant.
		if item.HcaopsRef != "" && !strings.EqualFold(string(item.HcaopsRef), ref) {
			continue
		}
		if c.cfg.NoCustomAttributes && !strings.EqualFold(servicedesk.RefFromText(string(item.Description)), ref) {
			continue
		}
		inc, err := item.incident()
		if err != nil {
			return servicedesk.Incident{}, malformedError(op, err)
		}
		return inc, nil
	}
	return servicedesk.Incident{}, fmt.Errorf("sdm %s %q: %w", op, ref, servicedesk.ErrNotFound)
}

// incident converts an incident read from SDM.
func (r incidentRead) incident() (servicedesk.Incident, error) {
	n := string(r.ID)
	if n == "" {
		n = strings.TrimPrefix(string(r.RelAttr), "cr:")
	}
	if _, err := incidentNumber(n); err != nil {
		return servicedesk.Incident{}, malformed("incident without a numeric @id")
	}
	number := string(r.RefNum)
	if number == "" {
		number = string(r.CommonName)
	}
	return servicedesk.Incident{ID: persistentID(n), Number: number}, nil
}

// UpdateIncident changes what u names. A resolution is written to the activity
// log (type RE, or CL for closed and cancelled) once, after the fields.
func (c *Client) UpdateIncident(ctx context.Context, id string, u servicedesk.Update) error {
	const op = "update incident"
	n, err := incidentNumber(id)
	if err != nil {
		return fmt.Errorf("sdm %s: %w", op, err)
	}
	w, changed, err := updateBody(u, c.cfg.NoCustomAttributes)
	if err != nil {
		return fmt.Errorf("sdm %s %s: %w", op, persistentID(n), err)
	}
	if changed {
		answer, err := c.do(ctx, request{op: op, method: http.MethodPut, path: "in/" + n, attrs: incidentAttrs, body: incidentEnvelope{In: w}})
		if err != nil {
			return err
		}
		if _, err := decodeObject[incidentRead](answer, "in"); err != nil {
			return malformedError(op, err)
		}
	}
	if u.Escalated != nil && *u.Escalated && c.cfg.NoCustomAttributes {
		// Without zescalated, SDM's own Escalate activity records it.
		if err := c.addActivity(ctx, op, n, activityEscalate, "escalated", "Escalated by hcaops"); err != nil {
			return err
		}
	}
	if u.Resolution == "" {
		return nil
	}
	kind, key := activityComment, "resolution"
	if w.Status != nil {
		switch string(w.Status.RelAttr) {
		case codeResolved:
			kind = activityResolve
		case codeClosed, codeCancelled:
			kind = activityClose
		}
		key += ":" + string(w.Status.RelAttr)
	}
	return c.addActivity(ctx, op, n, kind, key, u.Resolution)
}

// updateBody builds the PUT body for u; changed is false when u names no field.
func updateBody(u servicedesk.Update, noCustom bool) (w incidentWrite, changed bool, err error) {
	if u.Status != nil {
		code, err := statusCode(*u.Status)
		if err != nil {
			return w, false, err
		}
		w.Status = byKey(code)
	}
	if u.DuplicateOf != "" {
		master, err := incidentNumber(u.DuplicateOf)
		if err != nil {
			return w, false, fmt.Errorf("duplicate of: %w", err)
		}
		if u.Status != nil && *u.Status != servicedesk.StatusCancelled {
			return w, false, fmt.Errorf("a duplicate is cancelled, not %s", *u.Status)
		}
		w.Status = byKey(codeCancelled)
		w.Parent = byKey(persistentID(master))
	}
	if u.Priority != nil {
		p, err := priorityName(*u.Priority)
		if err != nil {
			return w, false, err
		}
		w.Priority = byName(p)
	}
	if u.Group != nil {
		if *u.Group == "" {
			return w, false, errors.New("empty group")
		}
		w.Group = byName(string(*u.Group))
	}
	if u.Escalated != nil && !noCustom {
		flag := 0
		if *u.Escalated {
			flag = 1
		}
		w.Escalated = &flag
	}
	changed = w.Status != nil || w.Parent != nil || w.Priority != nil || w.Group != nil || w.Escalated != nil
	return w, changed, nil
}

// quote writes s as an SDM where-clause string literal.
func quote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// contactRef refers to a contact by UUID (U'...') or by its common name.
func contactRef(s string) *sdmRef {
	if strings.HasPrefix(s, "U'") {
		return &sdmRef{ID: flexString(s)}
	}
	return byName(s)
}

// withMarker ends a description with the link marker.
func withMarker(description, ref string) string {
	marker := servicedesk.LinkMarker(ref)
	if strings.Contains(description, marker) {
		return description
	}
	if strings.TrimSpace(description) == "" {
		return marker
	}
	return strings.TrimRight(description, " \t\r\n") + "\n" + marker
}

func (c *Client) findAttrs() string {
	if c.cfg.NoCustomAttributes {
		return "ref_num, description"
	}
	return incidentAttrs
}
