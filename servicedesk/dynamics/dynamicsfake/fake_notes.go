package dynamicsfake

import (
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"
)

// annotationProps are the annotation properties the fake can filter on and select.
var annotationProps = []string{"annotationid", "subject", "notetext", "_objectid_value", "objecttypecode", "createdon"}

// Dynamics limits of note columns.
const (
	maxNoteSubject = 500
	maxNoteText    = 100000
)

func (a *fakeAPI) listNotes() error {
	incs := a.f.sortedIncidents
	if clauses, err := parseFilter(a.r.URL.Query().Get("$filter")); err == nil {
		for _, c := range clauses {
			if c.prop == "_objectid_value" && !c.contains {
				inc := a.f.incidents[strings.ToLower(c.value)]
				incs = func() []*FakeIncident {
					if inc == nil {
						return nil
					}
					return []*FakeIncident{inc}
				}
				break
			}
		}
	}
	var entities []map[string]any
	for _, inc := range incs() {
		for _, n := range inc.Notes {
			entities = append(entities, map[string]any{
				"annotationid":    n.ID,
				"subject":         n.Subject,
				"notetext":        n.Text,
				"_objectid_value": inc.ID,
				"objecttypecode":  "incident",
				"createdon":       n.CreatedOn.UTC().Format(time.RFC3339),
			})
		}
	}
	return a.list("annotations", "annotationid", annotationProps, entities)
}

func (a *fakeAPI) createNote() error {
	note, incidentID, _, err := a.noteBody()
	if err != nil {
		return err
	}
	if incidentID == "" {
		return badRequest("a note must be bound to an incident with objectid_incident@odata.bind")
	}
	inc, err := a.f.incident(incidentID)
	if err != nil {
		return err
	}
	note.ID = newGUID()
	return a.addNote(inc, note, http.StatusCreated)
}

// upsertNote answers PATCH annotations(id), the Web API's upsert: it creates the note
// with that id when there is none (204), and otherwise updates it (204). If-None-Match: *
// forbids the update (412, "A record with matching key values already exists."), and
// If-Match: * the create (404), as the conditional operations documentation says.
func (a *fakeAPI) upsertNote(id string) error {
	note, incidentID, sent, err := a.noteBody()
	if err != nil {
		return err
	}
	if inc, i := a.f.noteByID(id); inc != nil {
		if a.r.Header.Get("If-None-Match") == "*" {
			return &fakeError{http.StatusPreconditionFailed, "", "A record with matching key values already exists."}
		}
		if incidentID != "" && !strings.EqualFold(incidentID, inc.ID) {
			return badRequest("the fake does not move a note to another incident")
		}
		// An update changes only the columns the body names.
		old := &inc.Notes[i]
		if sent["subject"] {
			old.Subject = note.Subject
		}
		if sent["notetext"] {
			old.Text = note.Text
		}
		a.noContent()
		return nil
	}
	if a.r.Header.Get("If-Match") == "*" {
		return notFound("annotation", id)
	}
	if incidentID == "" {
		return badRequest("a note must be bound to an incident with objectid_incident@odata.bind")
	}
	inc, err := a.f.incident(incidentID)
	if err != nil {
		return err
	}
	note.ID = strings.ToLower(id)
	return a.addNote(inc, note, http.StatusNoContent)
}

// noteBody reads a note's columns, the incident it is bound to ("" when unbound), and
// which properties the body named.
func (a *fakeAPI) noteBody() (note FakeNote, incidentID string, sent map[string]bool, err error) {
	props, err := a.body()
	if err != nil {
		return note, "", nil, err
	}
	sent = map[string]bool{}
	for _, p := range slices.Sorted(maps.Keys(props)) {
		raw := props[p]
		sent[p] = true
		switch p {
		case "subject":
			note.Subject, err = jsonString(p, raw)
		case "notetext":
			note.Text, err = jsonString(p, raw)
		case "objectid_incident@odata.bind":
			var s string
			if s, err = jsonString(p, raw); err == nil {
				set, id, ok := parseBind(s)
				if !ok || set != "incidents" {
					err = badRequest("objectid_incident@odata.bind must be /incidents(GUID)")
				}
				incidentID = id
			}
		case "@odata.type":
		default:
			err = invalidProperty(p, "Microsoft.Dynamics.CRM.annotation")
		}
		if err != nil {
			return note, "", nil, err
		}
	}
	switch {
	case lengthUTF16(note.Subject) > maxNoteSubject:
		return note, "", nil, badRequest("subject is longer than %d characters", maxNoteSubject)
	case lengthUTF16(note.Text) > maxNoteText:
		return note, "", nil, badRequest("notetext is longer than %d characters", maxNoteText)
	case strings.TrimSpace(note.Subject) == "" && strings.TrimSpace(note.Text) == "":
		return note, "", nil, badRequest("a note needs a subject or a notetext")
	}
	return note, incidentID, sent, nil
}

// addNote files a new note on inc and answers with status (201 with the note, when asked
// for a representation of a create, or 204).
func (a *fakeAPI) addNote(inc *FakeIncident, note FakeNote, status int) error {
	note.CreatedOn = a.f.now()
	inc.Notes = append(inc.Notes, note)
	a.f.indexNote(inc, note.ID)
	a.w.Header().Set("OData-EntityId", a.root+"annotations("+note.ID+")")
	if status == http.StatusCreated && a.represent() {
		return a.entity(http.StatusCreated, "annotations", "annotationid", annotationProps, map[string]any{
			"annotationid": note.ID, "subject": note.Subject, "notetext": note.Text,
			"_objectid_value": inc.ID, "objecttypecode": "incident",
		})
	}
	a.noContent()
	return nil
}
