package sdm

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hcaops/hcaops/servicedesk"
	"github.com/hcaops/hcaops/ticket"
)

// What hcaops reads of SDM to follow the desk: incidents changed since a watermark
// (intake and people's changes), one incident with its log, and the link it writes on
// an incident people opened.

// snapshotAttrs is the X-Obj-Attrs of an incident read as a Snapshot.
const snapshotAttrs = "ref_num, summary, description, status, priority, group, category, log_agent.userid, last_mod_by.userid, open_date, last_mod_dt"

// Changes reads the incidents whose last_mod_dt is at or after the watermark in cursor
// (Unix seconds, SDM's clock) less the overlap, in the watched groups, oldest change
// first. The next cursor is the newest last_mod_dt read: a watermark kept in SDM's own
// time, so hcaops's clock never matters.
func (c *Client) Changes(ctx context.Context, cursor string, since time.Time) (servicedesk.Feed, error) {
	const op = "read changed incidents"
	mark := since.Unix()
	if cursor != "" {
		n, err := strconv.ParseInt(cursor, 10, 64)
		if err != nil || n < 0 {
			return servicedesk.Feed{}, fmt.Errorf("sdm %s: cursor %q is not a last_mod_dt", op, cursor)
		}
		mark = n
	}
	from := mark - int64(c.cfg.Overlap/time.Second)
	var scopes []string
	for _, g := range c.cfg.WatchGroups {
		scopes = append(scopes, "group.last_name="+quote(g)+" AND ")
	}
	if len(scopes) == 0 {
		scopes = []string{""}
	}
	if !c.cfg.NoCustomAttributes && len(c.cfg.WatchGroups) > 0 {
		// A linked incident a person moved to some other group is still hcaops's.
		scopes = append(scopes, "zhcaops_ref IS NOT NULL AND ")
	}
	seen := map[string]bool{}
	feed := servicedesk.Feed{Cursor: strconv.FormatInt(mark, 10)}
	newest := mark
	for _, scope := range scopes {
		q := url.Values{}
		q.Set("WC", scope+"last_mod_dt >= "+strconv.FormatInt(from, 10))
		q.Set("SORT", "last_mod_dt ASC, id ASC")
		err := c.pages(ctx, op, "in", q, c.snapshotAttrs(), func(body []byte) (int, int, error) {
			p, err := decodeCollection[incidentRead](body, "in")
			if err != nil {
				return 0, 0, err
			}
			for _, item := range p.Items {
				snap, err := c.snapshot(item)
				if err != nil {
					return 0, 0, err
				}
				if seen[snap.ID] || len(feed.Incidents) >= c.cfg.MaxPollIncidents {
					continue
				}
				seen[snap.ID] = true
				feed.Incidents = append(feed.Incidents, snap)
				if m := snap.ModifiedAt.Unix(); m > newest {
					newest = m
				}
			}
			return len(p.Items), p.Total, nil
		})
		if err != nil {
			return servicedesk.Feed{}, err
		}
	}
	slices.SortStableFunc(feed.Incidents, func(a, b servicedesk.Snapshot) int { return a.ModifiedAt.Compare(b.ModifiedAt) })
	feed.Cursor = strconv.FormatInt(newest, 10)
	return feed, nil
}

// pages reads every page of a list call; each returns the items it held and the total.
func (c *Client) pages(ctx context.Context, op, factory string, q url.Values, attrs string, each func([]byte) (int, int, error)) error {
	q.Set("size", strconv.Itoa(logPageSize))
	start := 1
	for range maxLogPages {
		q.Set("start", strconv.Itoa(start))
		answer, err := c.do(ctx, request{op: op, method: http.MethodGet, path: factory, query: q, attrs: attrs})
		if err != nil {
			return err
		}
		n, total, err := each(answer)
		if err != nil {
			return malformedError(op, err)
		}
		if n == 0 || start+n > total {
			return nil
		}
		start += n
	}
	return malformedError(op, malformed("%s list has more than %d pages", factory, maxLogPages))
}

func (c *Client) snapshotAttrs() string {
	if c.cfg.NoCustomAttributes {
		return snapshotAttrs
	}
	return snapshotAttrs + ", zhcaops_ref"
}

// ReadIncident reads incident id with the notes people wrote in its activity log.
func (c *Client) ReadIncident(ctx context.Context, id string) (servicedesk.Snapshot, error) {
	const op = "read incident"
	n, err := incidentNumber(id)
	if err != nil {
		return servicedesk.Snapshot{}, fmt.Errorf("sdm %s: %w", op, err)
	}
	answer, err := c.do(ctx, request{op: op, method: http.MethodGet, path: "in/" + n, attrs: c.snapshotAttrs()})
	if err != nil {
		return servicedesk.Snapshot{}, err
	}
	item, err := decodeObject[incidentRead](answer, "in")
	if err != nil {
		return servicedesk.Snapshot{}, malformedError(op, err)
	}
	snap, err := c.snapshot(item)
	if err != nil {
		return servicedesk.Snapshot{}, malformedError(op, err)
	}
	q := url.Values{}
	q.Set("WC", "call_req_id="+quote(persistentID(n)))
	q.Set("SORT", "id ASC")
	err = c.pages(ctx, op, "alg", q, noteAttrs, func(body []byte) (int, int, error) {
		p, err := decodeCollection[activityRead](body, "alg")
		if err != nil {
			return 0, 0, err
		}
		for _, e := range p.Items {
			if note, ok := personNote(e); ok {
				snap.Notes = append(snap.Notes, note)
			}
		}
		return len(p.Items), p.Total, nil
	})
	return snap, err
}

// personNote keeps log entries people wrote: comments, and the text they give when
// they resolve or close. SDM's own entries (Initial, Update Status) and hcaops's
// (marked) are left out.
func personNote(e activityRead) (servicedesk.Note, bool) {
	text := string(e.Description)
	kind := ""
	if e.Type != nil {
		kind = string(e.Type.RelAttr)
	}
	if strings.Contains(text, "[hcaops:") || (kind != activityComment && kind != activityResolve && kind != activityClose) {
		return servicedesk.Note{}, false
	}
	note := servicedesk.Note{ID: string(e.ID), Text: strings.TrimSpace(text)}
	if e.Analyst != nil {
		note.Author = string(e.Analyst.UserID)
	}
	if secs, err := strconv.ParseInt(string(e.TimeStamp), 10, 64); err == nil {
		note.At = time.Unix(secs, 0).UTC()
	}
	return note, note.Text != ""
}

// LinkIncident writes the ticket reference on an incident people opened: into
// zhcaops_ref, or without the schema change as a marker line of the description.
func (c *Client) LinkIncident(ctx context.Context, id, ref string) error {
	const op = "link incident"
	n, err := incidentNumber(id)
	if err != nil {
		return fmt.Errorf("sdm %s: %w", op, err)
	}
	if strings.TrimSpace(ref) == "" {
		return fmt.Errorf("sdm %s: reference is required", op)
	}
	var w incidentWrite
	if c.cfg.NoCustomAttributes {
		snap, err := c.ReadIncident(ctx, id)
		if err != nil {
			return err
		}
		if snap.Ref == ref {
			return nil
		}
		w.Description = withMarker(snap.Description, ref)
	} else {
		w.HcaopsRef = ref
	}
	answer, err := c.do(ctx, request{op: op, method: http.MethodPut, path: "in/" + n, attrs: incidentAttrsFor(c.cfg), body: incidentEnvelope{In: w}})
	if err != nil {
		return err
	}
	if _, err := decodeObject[incidentRead](answer, "in"); err != nil {
		return malformedError(op, err)
	}
	return nil
}

func incidentAttrsFor(cfg Config) string {
	if cfg.NoCustomAttributes {
		return "ref_num"
	}
	return incidentAttrs
}

// snapshot converts an incident read with snapshotAttrs.
func (c *Client) snapshot(r incidentRead) (servicedesk.Snapshot, error) {
	inc, err := r.incident()
	if err != nil {
		return servicedesk.Snapshot{}, err
	}
	s := servicedesk.Snapshot{
		System: c.Name(), ID: inc.ID, Number: inc.Number,
		Summary: string(r.Summary), Description: string(r.Description),
	}
	if c.cfg.NoCustomAttributes {
		s.Ref = servicedesk.RefFromText(s.Description)
	} else {
		s.Ref = string(r.HcaopsRef)
	}
	if r.Status != nil {
		s.Status = statusOf(string(r.Status.RelAttr))
	}
	if r.Priority != nil {
		s.Priority, _ = priorityOf(string(r.Priority.CommonName))
	}
	if r.Group != nil {
		s.Group = servicedesk.Group(r.Group.CommonName)
	}
	if r.Category != nil {
		s.Category = string(r.Category.CommonName)
	}
	if r.LogAgent != nil {
		s.OpenedBy = string(r.LogAgent.UserID)
	}
	if r.LastModBy != nil {
		s.ModifiedBy = string(r.LastModBy.UserID)
	}
	for _, t := range []struct {
		raw flexString
		dst *time.Time
	}{{r.OpenDate, &s.OpenedAt}, {r.LastModDate, &s.ModifiedAt}} {
		if t.raw == "" {
			continue
		}
		secs, err := strconv.ParseInt(string(t.raw), 10, 64)
		if err != nil {
			return servicedesk.Snapshot{}, malformed("date %q is not Unix seconds", string(t.raw))
		}
		*t.dst = time.Unix(secs, 0).UTC()
	}
	return s, nil
}

// statusOf maps an SDM status code back; a code hcaops does not use reads as open.
func statusOf(code string) servicedesk.Status {
	for s, c := range statusCodes {
		if strings.EqualFold(c, code) {
			return s
		}
	}
	return servicedesk.StatusOpen
}

func priorityOf(name string) (ticket.Priority, bool) {
	for p, n := range priorityNames {
		if n == name {
			return p, true
		}
	}
	return "", false
}

// Canonical: SDM has a code for every status and priority hcaops writes.
func (c *Client) Canonical(s servicedesk.Status, p ticket.Priority) (servicedesk.Status, ticket.Priority) {
	return s, p
}
