package dynamics

import (
	"context"
	"fmt"
	"net/http"
	"strings"
)

// notePrefix starts the subject of every note hcaops writes; the rest is the comment key,
// which is how AddComment recognises a note it has already written.
const notePrefix = "hcaops:"

// AddComment adds a note (annotation) to the incident unless one with the same key exists.
func (c *Client) AddComment(ctx context.Context, id, key, text string) error {
	const op = "add note"
	switch {
	case !isGUID(id):
		return invalid(op, fmt.Sprintf("incident ID %q is not a GUID", id))
	case strings.TrimSpace(key) == "":
		return invalid(op, "comment key is required")
	}
	subject := notePrefix + key
	exists, err := c.noteExists(ctx, id, subject)
	if err != nil || exists {
		return err
	}
	_, err = c.do(ctx, request{
		op: op, method: http.MethodPost, path: "annotations",
		body: annotationCreate{Subject: subject, NoteText: text, IncidentBind: bind("incidents", id)},
		sent: []string{text},
	})
	return err
}

func (c *Client) noteExists(ctx context.Context, id, subject string) (bool, error) {
	const op = "find note"
	resp, err := c.do(ctx, request{
		op: op, method: http.MethodGet,
		path: "annotations" + query("annotationid", "_objectid_value eq "+id+" and subject eq "+quote(subject)),
	})
	if err != nil {
		return false, err
	}
	var list collection[annotationRecord]
	if err := decode(op, resp, &list); err != nil {
		return false, err
	}
	if list.Value == nil {
		return false, malformed(op, resp.status, "answer has no value array")
	}
	return len(list.Value) > 0, nil
}
