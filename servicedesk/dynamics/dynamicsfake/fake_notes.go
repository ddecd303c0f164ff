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
				inc := a.f.byID[strings.ToLower(c.value)]
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
	props, err := a.body()
	if err != nil {
		return err
	}
	var note FakeNote
	var incidentID string
	for _, p := range slices.Sorted(maps.Keys(props)) {
		raw := props[p]
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
			return err
		}
	}
	switch {
	case incidentID == "":
		return badRequest("a note must be bound to an incident with objectid_incident@odata.bind")
	case lengthUTF16(note.Subject) > maxNoteSubject:
		return badRequest("subject is longer than %d characters", maxNoteSubject)
	case lengthUTF16(note.Text) > maxNoteText:
		return badRequest("notetext is longer than %d characters", maxNoteText)
	case strings.TrimSpace(note.Subject) == "" && strings.TrimSpace(note.Text) == "":
		return badRequest("a note needs a subject or a notetext")
	}
	inc, err := a.f.incident(incidentID)
	if err != nil {
		return err
	}
	note.ID = newGUID()
	note.CreatedOn = a.f.now()
	inc.Notes = append(inc.Notes, note)
	a.w.Header().Set("OData-EntityId", a.root+"annotations("+note.ID+")")
	if a.represent() {
		return a.entity(http.StatusCreated, "annotations", "annotationid", annotationProps, map[string]any{
			"annotationid": note.ID, "subject": note.Subject, "notetext": note.Text,
			"_objectid_value": inc.ID, "objecttypecode": "incident",
		})
	}
	a.noContent()
	return nil
}
