package dynamics

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/google/uuid"

	"github.com/hcaops/hcaops/servicedesk"
)

// notePrefix starts the subject of every note hcaops writes, followed by the comment key:
// reading a case's notes, hcaops tells its own from people's by it.
const notePrefix = "hcaops:"

// AddComment adds a note (annotation) to the incident once per key, in one call and
// without reading first: the note's id is derived from the incident and the key (noteID),
// and it is written as an upsert that may only create (PATCH annotations(id) with
// If-None-Match: *). Dataverse answers 412 Precondition Failed when the note is there
// already: a retry, or a second worker, finds it written and moves on.
func (c *Client) AddComment(ctx context.Context, id, key, text string) error {
	const op = "add note"
	switch {
	case !isGUID(id):
		return invalid(op, fmt.Sprintf("incident ID %q is not a GUID", id))
	case strings.TrimSpace(key) == "":
		return invalid(op, "comment key is required")
	}
	_, err := c.do(ctx, request{
		op: op, method: http.MethodPatch, path: "annotations(" + noteID(id, key) + ")",
		body:        annotationCreate{Subject: notePrefix + key, NoteText: text, IncidentBind: bind("incidents", id)},
		ifNoneMatch: true,
		sent:        []string{text},
	})
	var re *servicedesk.ResponseError
	if errors.As(err, &re) && re.Status == http.StatusPreconditionFailed {
		return nil // written before
	}
	return err
}

// noteSpace is the namespace of the name-based UUIDs of hcaops's notes.
var noteSpace = uuid.MustParse("6f3c1c8e-5b7a-4e0e-9a51-3d1e2b8c7f04")

// noteID is the id of the note with key on incident id: the same on every attempt, on
// every worker, so that writing the note twice finds the first.
func noteID(incident, key string) string {
	return uuid.NewSHA1(noteSpace, []byte(strings.ToLower(incident)+"\n"+key)).String()
}
