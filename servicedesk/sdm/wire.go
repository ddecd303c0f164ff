package sdm

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// This file holds the JSON shapes of the SDM REST API. SDM's JSON is a mapping
// of its XML, so every object is wrapped in its factory name ({"in":{...}}),
// XML attributes become "@"-prefixed keys, and scalars arrive as strings on most
// releases but as numbers on some: the read types below accept both.

// flexString is a scalar SDM may send as a JSON string, number or null.
type flexString string

func (s *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || bytes.Equal(b, []byte("null")):
		*s = ""
	case b[0] == '"':
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = flexString(v)
	case b[0] == '-' || (b[0] >= '0' && b[0] <= '9'):
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return err
		}
		*s = flexString(n.String())
	default:
		return fmt.Errorf("want a string or number, got %.20s", b)
	}
	return nil
}

// flexInt is a count SDM may send as "25" or 25.
type flexInt int

func (n *flexInt) UnmarshalJSON(b []byte) error {
	var s flexString
	if err := s.UnmarshalJSON(b); err != nil {
		return err
	}
	if s == "" {
		*n = 0
		return nil
	}
	v, err := strconv.Atoi(string(s))
	if err != nil {
		return fmt.Errorf("want an integer, got %q", string(s))
	}
	*n = flexInt(v)
	return nil
}

// oneOrMany decodes the items of a collection: SDM sends an array, except when
// the collection holds exactly one item, which it sends as a bare object.
type oneOrMany[T any] []T

func (m *oneOrMany[T]) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || bytes.Equal(b, []byte("null")):
		*m = nil
		return nil
	case b[0] == '[':
		var items []T
		if err := json.Unmarshal(b, &items); err != nil {
			return err
		}
		*m = items
		return nil
	default:
		var item T
		if err := json.Unmarshal(b, &item); err != nil {
			return err
		}
		*m = oneOrMany[T]{item}
		return nil
	}
}

// sdmRef points at another SDM object. On write set one of RelAttr (the key,
// e.g. "WIP" or "cr:400001") or CommonName (the name, e.g. "ES Tier 2/3");
// on read SDM fills all three.
type sdmRef struct {
	ID         flexString `json:"@id,omitempty"`
	RelAttr    flexString `json:"@REL_ATTR,omitempty"`
	CommonName flexString `json:"@COMMON_NAME,omitempty"`
}

func byKey(key string) *sdmRef   { return &sdmRef{RelAttr: flexString(key)} }
func byName(name string) *sdmRef { return &sdmRef{CommonName: flexString(name)} }

// restAccessRequest is the body of POST /caisd-rest/rest_access.
type restAccessRequest struct {
	RestAccess struct{} `json:"rest_access"`
}

// restAccess is the answer to POST /caisd-rest/rest_access.
type restAccess struct {
	ID             flexString `json:"@id"`
	AccessKey      flexString `json:"access_key"`
	ExpirationDate flexString `json:"expiration_date"` // Unix seconds
}

// incidentWrite is the body of POST and PUT /caisd-rest/in; nil fields are left out
// so that a PUT changes only what it names.
type incidentWrite struct {
	Summary     string  `json:"summary,omitempty"`
	Description string  `json:"description,omitempty"`
	Status      *sdmRef `json:"status,omitempty"`
	Priority    *sdmRef `json:"priority,omitempty"`
	Category    *sdmRef `json:"category,omitempty"`
	Group       *sdmRef `json:"group,omitempty"`
	Customer    *sdmRef `json:"customer,omitempty"`
	Type        *sdmRef `json:"type,omitempty"`
	Parent      *sdmRef `json:"parent,omitempty"`
	Urgency     *sdmRef `json:"urgency,omitempty"`
	Impact      *sdmRef `json:"impact,omitempty"`
	HcaopsRef   string  `json:"zhcaops_ref,omitempty"`
	Escalated   *int    `json:"zescalated,omitempty"`
}

type incidentEnvelope struct {
	In incidentWrite `json:"in"`
}

// incidentAttrs is the X-Obj-Attrs the client asks for when it reads incidents.
const incidentAttrs = "ref_num, zhcaops_ref"

// incidentRead is an incident as read with incidentAttrs.
type incidentRead struct {
	ID         flexString `json:"@id"`
	RelAttr    flexString `json:"@REL_ATTR"`
	CommonName flexString `json:"@COMMON_NAME"` // ref_num is the common name of an incident
	RefNum     flexString `json:"ref_num"`
	HcaopsRef  flexString `json:"zhcaops_ref"`
	// Read by ReadIncident and Changes (snapshotAttrs).
	Summary     flexString  `json:"summary"`
	Description flexString  `json:"description"`
	Status      *readRefObj `json:"status"`
	Priority    *readRefObj `json:"priority"`
	Group       *readRefObj `json:"group"`
	Category    *readRefObj `json:"category"`
	LogAgent    *readRefObj `json:"log_agent"`
	LastModBy   *readRefObj `json:"last_mod_by"`
	OpenDate    flexString  `json:"open_date"`
	LastModDate flexString  `json:"last_mod_dt"`
}

// readRefObj is a reference as read: empty references come as "" rather than an object,
// and dotted X-Obj-Attrs (log_agent.userid) add the attribute inside it.
type readRefObj struct {
	RelAttr    flexString `json:"@REL_ATTR"`
	CommonName flexString `json:"@COMMON_NAME"`
	UserID     flexString `json:"userid"`
}

func (r *readRefObj) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] != '{' {
		*r = readRefObj{} // "" or null: no reference
		return nil
	}
	type plain readRefObj
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	*r = readRefObj(p)
	return nil
}

// activityWrite is the body of POST /caisd-rest/alg.
type activityWrite struct {
	CallReqID   *sdmRef `json:"call_req_id"`
	Type        *sdmRef `json:"type"`
	Description string  `json:"description"`
}

type activityEnvelope struct {
	Alg activityWrite `json:"alg"`
}

// activityAttrs is the X-Obj-Attrs the client asks for when it reads the log.
const activityAttrs = "description"

// noteAttrs is the X-Obj-Attrs the client asks for when it reads people's notes.
const noteAttrs = "description, type, time_stamp, analyst.userid"

// activityRead is an activity log entry as read with activityAttrs or noteAttrs.
type activityRead struct {
	ID          flexString  `json:"@id"`
	Description flexString  `json:"description"`
	Type        *readRefObj `json:"type"`
	TimeStamp   flexString  `json:"time_stamp"`
	Analyst     *readRefObj `json:"analyst"`
}

// page is one page of a collection answer:
// {"collection_in":{"@COUNT":"1","@START":"1","@TOTAL_COUNT":"1","in":...}}.
type page[T any] struct {
	Count int
	Start int
	Total int
	Items []T
}

// errMalformed marks a 2xx answer the client cannot read.
var errMalformed = errors.New("malformed JSON response")

func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errMalformed, fmt.Sprintf(format, args...))
}

// decodeObject reads a single-object answer such as {"in":{...}}.
func decodeObject[T any](body []byte, factory string) (T, error) {
	var zero T
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil {
		return zero, malformed("%v", err)
	}
	raw, ok := top[factory]
	if !ok {
		return zero, malformed("no %q object", factory)
	}
	var obj T
	if err := json.Unmarshal(raw, &obj); err != nil {
		return zero, malformed("%s: %v", factory, err)
	}
	return obj, nil
}

// decodeCollection reads a list answer for factory; the items may be absent
// (none), an object (one) or an array (several).
func decodeCollection[T any](body []byte, factory string) (page[T], error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil {
		return page[T]{}, malformed("%v", err)
	}
	name := "collection_" + factory
	raw, ok := top[name]
	if !ok {
		return page[T]{}, malformed("no %q object", name)
	}
	var coll map[string]json.RawMessage
	if err := json.Unmarshal(raw, &coll); err != nil {
		return page[T]{}, malformed("%s: %v", name, err)
	}
	var p page[T]
	for key, dst := range map[string]*int{"@COUNT": &p.Count, "@START": &p.Start, "@TOTAL_COUNT": &p.Total} {
		v, ok := coll[key]
		if !ok {
			continue
		}
		var n flexInt
		if err := json.Unmarshal(v, &n); err != nil {
			return page[T]{}, malformed("%s %s: %v", name, key, err)
		}
		*dst = int(n)
	}
	if v, ok := coll[factory]; ok {
		var items oneOrMany[T]
		if err := json.Unmarshal(v, &items); err != nil {
			return page[T]{}, malformed("%s %s: %v", name, factory, err)
		}
		p.Items = items
	}
	return p, nil
}

// errorMessage extracts SDM's own words from an error answer:
// {"error":{"error_message":"..."}}, or a list of such errors. It returns ""
// when the body has another shape, so that nothing else (which might echo what
// we sent) ends up in an error message.
func errorMessage(body []byte) string {
	var top struct {
		Error json.RawMessage `json:"error"`
	}
	if json.Unmarshal(body, &top) != nil || len(top.Error) == 0 {
		return ""
	}
	type sdmError struct {
		Message flexString `json:"error_message"`
		Code    flexString `json:"error_code"`
	}
	var errs oneOrMany[sdmError]
	if json.Unmarshal(top.Error, &errs) != nil {
		return ""
	}
	var msg string
	for _, e := range errs {
		if e.Message == "" {
			continue
		}
		if msg != "" {
			msg += "; "
		}
		msg += string(e.Message)
	}
	const limit = 300
	if len(msg) > limit {
		msg = strings.ToValidUTF8(msg[:limit], "") + "..."
	}
	return msg
}
