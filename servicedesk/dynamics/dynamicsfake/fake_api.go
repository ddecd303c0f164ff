package dynamicsfake

import (
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"strings"
	"unicode/utf16"
)

// fakeAPI handles one Web API request; the Fake's mutex is held throughout.
type fakeAPI struct {
	f    *Fake
	w    http.ResponseWriter
	r    *http.Request
	root string // service root URL, ending in /api/data/v9.2/
}

// fakeError is an error answer of the Web API.
type fakeError struct {
	status int
	code   string
	msg    string
}

func (e *fakeError) Error() string { return e.msg }

// Dataverse error codes the fake uses.
const (
	codeInvalidArgument = "0x80040203"
	codeNotFound        = "0x80040217"
	codeInvalidProperty = "0x80060888"
	codeDuplicateKey    = "0x80060892"
)

func badRequest(format string, args ...any) *fakeError {
	return &fakeError{http.StatusBadRequest, codeInvalidArgument, fmt.Sprintf(format, args...)}
}

func notFound(entity, id string) *fakeError {
	return &fakeError{http.StatusNotFound, codeNotFound, fmt.Sprintf("%s With Id = %s Does Not Exist", entity, id)}
}

func (a *fakeAPI) route(rest string) {
	var err error
	method := a.r.Method
	switch {
	case rest == "incidents" && method == http.MethodGet:
		err = a.listIncidents()
	case rest == "incidents" && method == http.MethodPost:
		err = a.createIncident()
	case strings.HasPrefix(rest, "incidents("):
		set, id, ok := parseBind(rest)
		switch {
		case !ok || set != "incidents":
			err = badRequest("the fake addresses incidents by incidentid GUID only")
		case method == http.MethodGet:
			err = a.getIncident(id)
		case method == http.MethodPatch:
			err = a.patchIncident(id)
		default:
			err = &fakeError{http.StatusMethodNotAllowed, codeInvalidArgument, method + " is not supported on an incident"}
		}
	case rest == "CloseIncident" && method == http.MethodPost:
		err = a.closeIncident()
	case rest == "Merge" && method == http.MethodPost:
		err = a.merge()
	case rest == "annotations" && method == http.MethodGet:
		err = a.listNotes()
	case rest == "annotations" && method == http.MethodPost:
		err = a.createNote()
	case strings.HasPrefix(rest, "annotations("):
		set, id, ok := parseBind(rest)
		switch {
		case !ok || set != "annotations":
			err = badRequest("the fake addresses notes by annotationid GUID only")
		case method == http.MethodPatch:
			err = a.upsertNote(id)
		default:
			err = &fakeError{http.StatusMethodNotAllowed, codeInvalidArgument, method + " is not supported on a note"}
		}
	default:
		err = &fakeError{http.StatusNotFound, "0x8006088a", fmt.Sprintf("Resource not found for the segment '%s'.", rest)}
	}
	if fe, ok := err.(*fakeError); ok {
		writeAPIError(a.w, fe.status, fe.code, fe.msg)
	}
}

// body reads a JSON object, keeping its properties raw so that unknown ones can be refused.
func (a *fakeAPI) body() (map[string]json.RawMessage, error) {
	mt, _, _ := mime.ParseMediaType(a.r.Header.Get("Content-Type"))
	if mt != "application/json" {
		return nil, &fakeError{http.StatusUnsupportedMediaType, codeInvalidArgument, "Content-Type must be application/json"}
	}
	var props map[string]json.RawMessage
	if err := json.NewDecoder(http.MaxBytesReader(a.w, a.r.Body, 1<<20)).Decode(&props); err != nil || props == nil {
		return nil, badRequest("the request body is not a JSON object")
	}
	return props, nil
}

// represent reports whether the caller asked for the entity back (Prefer: return=representation).
func (a *fakeAPI) represent() bool { return a.prefers("return=representation") }

// prefers reports whether a Prefer header carries the preference.
func (a *fakeAPI) prefers(pref string) bool {
	for _, p := range a.r.Header.Values("Prefer") {
		for _, v := range strings.Split(p, ",") {
			if strings.TrimSpace(v) == pref {
				return true
			}
		}
	}
	return false
}

// list answers a GET on an entity set, applying $filter and $select.
func (a *fakeAPI) list(set, key string, props []string, entities []map[string]any) error {
	q := a.r.URL.Query()
	clauses, err := parseFilter(q.Get("$filter"))
	if q.Get("$filter") == "" {
		clauses, err = nil, nil
	}
	if err == nil {
		err = checkProps(clauses, props)
	}
	if err != nil {
		return &fakeError{http.StatusBadRequest, codeInvalidProperty, "invalid $filter: " + err.Error()}
	}
	value := []map[string]any{}
	for _, e := range entities {
		if !matches(e, clauses) {
			continue
		}
		sel, err := selectProps(e, q.Get("$select"), key, props)
		if err != nil {
			return &fakeError{http.StatusBadRequest, codeInvalidProperty, "invalid $select: " + err.Error()}
		}
		value = append(value, sel)
	}
	a.json(http.StatusOK, map[string]any{"@odata.context": a.root + "$metadata#" + set, "value": value})
	return nil
}

// entity answers with one entity, applying $select.
func (a *fakeAPI) entity(status int, set, key string, props []string, e map[string]any) error {
	sel, err := selectProps(e, a.r.URL.Query().Get("$select"), key, props)
	if err != nil {
		return &fakeError{http.StatusBadRequest, codeInvalidProperty, "invalid $select: " + err.Error()}
	}
	sel["@odata.context"] = a.root + "$metadata#" + set + "/$entity"
	a.json(status, sel)
	return nil
}

func (a *fakeAPI) json(status int, v any) {
	a.w.Header().Set("Content-Type", "application/json; odata.metadata=minimal")
	writeJSON(a.w, status, v)
}

func (a *fakeAPI) noContent() {
	a.w.WriteHeader(http.StatusNoContent)
}

// Typed reads of raw JSON property values. null reads as the zero value.

func jsonString(prop string, raw json.RawMessage) (string, error) {
	var s *string
	if json.Unmarshal(raw, &s) != nil {
		return "", badRequest("property '%s' must be a string", prop)
	}
	if s == nil {
		return "", nil
	}
	return *s, nil
}

func jsonInt(prop string, raw json.RawMessage) (int, error) {
	var n *int
	if json.Unmarshal(raw, &n) != nil {
		return 0, badRequest("property '%s' must be an integer", prop)
	}
	if n == nil {
		return 0, nil
	}
	return *n, nil
}

func jsonBool(prop string, raw json.RawMessage) (bool, error) {
	var b *bool
	if json.Unmarshal(raw, &b) != nil {
		return false, badRequest("property '%s' must be true or false", prop)
	}
	return b != nil && *b, nil
}

// lengthUTF16 counts characters the way Dataverse max lengths do (UTF-16 code units).
func lengthUTF16(s string) int { return len(utf16.Encode([]rune(s))) }

func invalidProperty(prop, entityType string) *fakeError {
	return &fakeError{http.StatusBadRequest, codeInvalidProperty,
		fmt.Sprintf("Invalid property '%s' was found in entity '%s'.", prop, entityType)}
}
