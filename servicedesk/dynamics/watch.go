package dynamics

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/hcaops/hcaops/servicedesk"
	"github.com/hcaops/hcaops/ticket"
)

// What hcaops reads of Dynamics to follow the desk: incident changes through Dataverse
// change tracking (a delta link), one incident with its notes, and the link it writes on
// an incident people opened.

// snapshotColumns are the incident columns read into a Snapshot.
const snapshotColumns = "incidentid,ticketnumber,title,description,statecode,statuscode,prioritycode," +
	colReference + "," + colGroup + ",createdon,modifiedon"

// snapshotRecord is an incident read with snapshotColumns, or a deleted entry of a delta.
type snapshotRecord struct {
	Context      string `json:"@odata.context"` // ".../$metadata#incidents/$deletedEntity" for a deleted one
	ID           string `json:"incidentid"`
	TicketNumber string `json:"ticketnumber"`
	Title        string `json:"title"`
	Description  string `json:"description"`
	StateCode    *int   `json:"statecode"`
	StatusCode   *int   `json:"statuscode"`
	PriorityCode *int   `json:"prioritycode"`
	Reference    string `json:"hcaops_reference"`
	Group        string `json:"hcaops_group"`
	CreatedOn    string `json:"createdon"`
	ModifiedOn   string `json:"modifiedon"`
}

type deltaPage struct {
	Value     []snapshotRecord `json:"value"`
	NextLink  string           `json:"@odata.nextLink"`
	DeltaLink string           `json:"@odata.deltaLink"`
}

// maxDeltaPages stops following nextLinks of a misbehaving server.
const maxDeltaPages = 100

// Changes follows Dataverse change tracking: the first call (cursor "") reads every
// incident with Prefer: odata.track-changes and keeps those changed since `since`; later
// calls GET the delta link the previous one returned, which lists what was created or
// changed after it. The cursor is the new delta link. Deleted incidents are skipped:
// hcaops never deletes, and a deleted incident has nothing left to sync.
func (c *Client) Changes(ctx context.Context, cursor string, since time.Time) (servicedesk.Feed, error) {
	const op = "read changed incidents"
	path := "incidents?$select=" + queryEscape(c.snapshotColumns())
	if cursor != "" {
		rel, ok := strings.CutPrefix(cursor, c.api)
		if !ok {
			return servicedesk.Feed{}, invalid(op, "the delta link is not of this organisation's Web API")
		}
		path = rel
	}
	var feed servicedesk.Feed
	for range maxDeltaPages {
		resp, err := c.do(ctx, request{op: op, method: http.MethodGet, path: path, trackChanges: true})
		if err != nil {
			return servicedesk.Feed{}, err
		}
		var page deltaPage
		if err := decode(op, resp, &page); err != nil {
			return servicedesk.Feed{}, err
		}
		for _, rec := range page.Value {
			if strings.Contains(rec.Context, "$deletedEntity") {
				continue
			}
			snap, err := c.snapshot(op, resp.status, rec)
			if err != nil {
				return servicedesk.Feed{}, err
			}
			if cursor == "" && snap.ModifiedAt.Before(since) {
				continue
			}
			feed.Incidents = append(feed.Incidents, snap)
		}
		switch {
		case page.DeltaLink != "":
			feed.Cursor = page.DeltaLink
			slices.SortStableFunc(feed.Incidents, func(a, b servicedesk.Snapshot) int { return a.ModifiedAt.Compare(b.ModifiedAt) })
			return feed, nil
		case page.NextLink != "":
			rel, ok := strings.CutPrefix(page.NextLink, c.api)
			if !ok {
				return servicedesk.Feed{}, malformed(op, resp.status, "nextLink is not of this organisation's Web API")
			}
			path = rel
		default:
			// No changes may come back as an empty answer: the same link serves again.
			feed.Cursor = cursor
			if cursor == "" {
				return servicedesk.Feed{}, malformed(op, resp.status, "change tracking answered without a delta link: is change tracking enabled on incident?")
			}
			return feed, nil
		}
	}
	return servicedesk.Feed{}, malformed(op, 0, fmt.Sprintf("more than %d pages of changes", maxDeltaPages))
}

// ReadIncident reads an incident with the notes people wrote (annotations whose subject
// is not hcaops's).
func (c *Client) ReadIncident(ctx context.Context, id string) (servicedesk.Snapshot, error) {
	const op = "read incident"
	if !isGUID(id) {
		return servicedesk.Snapshot{}, invalid(op, fmt.Sprintf("incident ID %q is not a GUID", id))
	}
	resp, err := c.do(ctx, request{op: op, method: http.MethodGet, path: "incidents(" + id + ")?$select=" + queryEscape(c.snapshotColumns())})
	if err != nil {
		return servicedesk.Snapshot{}, err
	}
	var rec snapshotRecord
	if err := decode(op, resp, &rec); err != nil {
		return servicedesk.Snapshot{}, err
	}
	snap, err := c.snapshot(op, resp.status, rec)
	if err != nil {
		return servicedesk.Snapshot{}, err
	}
	resp, err = c.do(ctx, request{op: op, method: http.MethodGet,
		path: "annotations" + query("annotationid,subject,notetext,createdon", "_objectid_value eq "+id)})
	if err != nil {
		return servicedesk.Snapshot{}, err
	}
	var notes collection[struct {
		ID        string `json:"annotationid"`
		Subject   string `json:"subject"`
		Text      string `json:"notetext"`
		CreatedOn string `json:"createdon"`
	}]
	if err := decode(op, resp, &notes); err != nil {
		return servicedesk.Snapshot{}, err
	}
	for _, n := range notes.Value {
		if strings.HasPrefix(n.Subject, notePrefix) {
			continue
		}
		text := strings.TrimSpace(strings.TrimSpace(n.Subject) + "\n" + n.Text)
		at, _ := time.Parse(time.RFC3339, n.CreatedOn)
		snap.Notes = append(snap.Notes, servicedesk.Note{ID: n.ID, Text: text, At: at})
	}
	slices.SortStableFunc(snap.Notes, func(a, b servicedesk.Note) int { return a.At.Compare(b.At) })
	return snap, nil
}

// LinkIncident writes the ticket reference into hcaops_reference, the alternate key.
func (c *Client) LinkIncident(ctx context.Context, id, ref string) error {
	const op = "link incident"
	if !isGUID(id) {
		return invalid(op, fmt.Sprintf("incident ID %q is not a GUID", id))
	}
	if strings.TrimSpace(ref) == "" {
		return invalid(op, "reference is required")
	}
	if !c.cfg.NoCustomColumns {
		return c.patch(ctx, op, id, map[string]any{colReference: ref})
	}
	snap, err := c.ReadIncident(ctx, id)
	if err != nil || snap.Ref == ref {
		return err
	}
	return c.patch(ctx, op, id, map[string]any{"description": strings.TrimSpace(snap.Description + "\n" + servicedesk.LinkMarker(ref))})
}

func (c *Client) snapshotColumns() string {
	if c.cfg.NoCustomColumns {
		return "incidentid,ticketnumber,title,description,statecode,statuscode,prioritycode,createdon,modifiedon"
	}
	return snapshotColumns
}

// Canonical: Dynamics has one active "on hold" status reason for hcaops's on-hold and
// awaiting-vendor, "in progress" for open and acknowledged, one resolved state, and three
// priorities where hcaops has four.
func (c *Client) Canonical(s servicedesk.Status, p ticket.Priority) (servicedesk.Status, ticket.Priority) {
	switch s {
	case servicedesk.StatusAcknowledged:
		s = servicedesk.StatusOpen
	case servicedesk.StatusAwaitingVendor:
		s = servicedesk.StatusOnHold
	case servicedesk.StatusClosed:
		s = servicedesk.StatusResolved
	}
	if p == ticket.PriorityUrgent {
		p = ticket.PriorityHigh
	}
	return s, p
}

func (c *Client) snapshot(op string, status int, rec snapshotRecord) (servicedesk.Snapshot, error) {
	if !isGUID(rec.ID) || rec.TicketNumber == "" || rec.StateCode == nil || rec.StatusCode == nil {
		return servicedesk.Snapshot{}, malformed(op, status, "incident without incidentid, ticketnumber, statecode or statuscode")
	}
	s := servicedesk.Snapshot{
		System: systemName, ID: rec.ID, Number: rec.TicketNumber, Ref: rec.Reference,
		Summary: rec.Title, Description: rec.Description, Group: servicedesk.Group(rec.Group),
	}
	if c.cfg.NoCustomColumns {
		s.Ref = servicedesk.RefFromText(rec.Description)
	}
	s.Status = statusOf(*rec.StateCode, *rec.StatusCode)
	if rec.PriorityCode != nil {
		s.Priority = priorityOf(*rec.PriorityCode)
	}
	s.OpenedAt, _ = time.Parse(time.RFC3339, rec.CreatedOn)
	s.ModifiedAt, _ = time.Parse(time.RFC3339, rec.ModifiedOn)
	return s, nil
}
