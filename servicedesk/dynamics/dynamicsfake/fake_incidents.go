package dynamicsfake

import (
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// incidentProps are the incident properties the fake can filter on and select.
var incidentProps = []string{
	"incidentid", "ticketnumber", "title", "description", "caseorigincode", "prioritycode",
	"statecode", "statuscode", "isescalated", "escalatedon", "responseby", "resolveby",
	colReference, colGroup, "_customerid_value", "_masterid_value", "createdon", "modifiedon",
}

// Column limits: the Dynamics defaults for title and description, and the size
// hcaops gives its custom columns.
const (
	maxTitle       = 200
	maxDescription = 2000
	maxCustomText  = 100
)

var (
	validOrigins    = []int{originPhone, originEmail, originWeb, 2483, 3986, 700610000}
	validPriorities = []int{priorityHigh, priorityNormal, priorityLow}
)

func (a *fakeAPI) listIncidents() error {
	q := a.r.URL.Query()
	token, delta := q["$deltatoken"]
	if a.prefers("odata.track-changes") || delta {
		return a.trackChanges(q, token)
	}
	incs := a.f.sortedIncidents
	if clauses, err := parseFilter(q.Get("$filter")); err == nil {
		if found, ok := a.f.incidentCandidates(clauses); ok {
			incs = func() []*FakeIncident { return found }
		}
	}
	var entities []map[string]any
	for _, inc := range incs() {
		entities = append(entities, incidentEntity(inc))
	}
	return a.list("incidents", "incidentid", a.f.incidentProps(), entities)
}

// trackChanges answers a change-tracking read of incidents: every incident the first
// time, then those changed after the delta token, in the order they changed, with a
// delta link to the next changes. $filter, $orderby, $expand and $top are refused, as
// Dataverse does.
func (a *fakeAPI) trackChanges(q url.Values, token []string) error {
	for _, opt := range []string{"$filter", "$orderby", "$expand", "$top"} {
		if q.Has(opt) {
			return badRequest("The \"%s\" query parameter isn't supported when Change Tracking is enabled.", opt)
		}
	}
	var after int64
	if len(token) > 0 {
		n, err := strconv.ParseInt(token[0], 10, 64)
		if err != nil || n < 0 || n > a.f.rowVersion {
			return badRequest("the delta token %q is not valid", token[0])
		}
		after = n
	}
	incs := a.f.sortedIncidents()
	slices.SortFunc(incs, func(x, y *FakeIncident) int { return cmp.Compare(x.version, y.version) })
	value := []map[string]any{}
	for _, inc := range incs {
		if inc.version <= after {
			continue
		}
		sel, err := selectProps(incidentEntity(inc), q.Get("$select"), "incidentid", a.f.incidentProps())
		if err != nil {
			return &fakeError{http.StatusBadRequest, codeInvalidProperty, "invalid $select: " + err.Error()}
		}
		value = append(value, sel)
	}
	link := a.root + "incidents?"
	if sel := q.Get("$select"); sel != "" {
		link += "$select=" + url.QueryEscape(sel) + "&"
	}
	link += "$deltatoken=" + strconv.FormatInt(a.f.rowVersion, 10)
	context := a.root + "$metadata#incidents"
	if len(token) > 0 {
		context += "/$delta"
	}
	a.w.Header().Set("Preference-Applied", "odata.track-changes")
	a.json(http.StatusOK, map[string]any{"@odata.context": context, "@odata.deltaLink": link, "value": value})
	return nil
}

func (a *fakeAPI) getIncident(id string) error {
	inc, err := a.f.incident(id)
	if err != nil {
		return err
	}
	return a.entity(http.StatusOK, "incidents", "incidentid", a.f.incidentProps(), incidentEntity(inc))
}

func (a *fakeAPI) createIncident() error {
	props, err := a.body()
	if err != nil {
		return err
	}
	now := a.f.now()
	inc := &FakeIncident{
		ID:           newGUID(),
		PriorityCode: priorityNormal,
		StateCode:    stateActive,
		StatusCode:   statusInProgress,
		CreatedOn:    now,
		ModifiedOn:   now,
	}
	for _, customer := range []string{"customerid_account@odata.bind", "customerid_contact@odata.bind"} {
		if raw, ok := props[customer]; ok {
			if inc.CustomerID, err = customerBind(customer, raw); err != nil {
				return err
			}
			delete(props, customer)
		}
	}
	if inc.CustomerID == "" {
		return badRequest("customerid is required: bind customerid_account or customerid_contact")
	}
	for _, p := range []string{"statecode", "statuscode", "ticketnumber"} {
		if _, ok := props[p]; ok {
			return badRequest("%s cannot be set when an incident is created", p)
		}
	}
	if err := a.f.applyIncidentFields(inc, props); err != nil {
		return err
	}
	if err := a.f.checkIncident(inc); err != nil {
		return err
	}
	inc.TicketNumber = a.f.newTicketNumber()
	a.f.incidents[inc.ID] = inc
	a.f.touch(inc)
	a.w.Header().Set("OData-EntityId", a.root+"incidents("+inc.ID+")")
	if a.represent() {
		return a.entity(http.StatusCreated, "incidents", "incidentid", a.f.incidentProps(), incidentEntity(inc))
	}
	a.noContent()
	return nil
}

// patchIncident updates an incident. As in Dynamics, a resolved or cancelled incident
// is read-only: the only change it takes is reactivation (statecode 0, statuscode 1).
// Resolving needs CloseIncident and merging needs Merge.
func (a *fakeAPI) patchIncident(id string) error {
	cur, err := a.f.incident(id)
	if err != nil {
		return err
	}
	props, err := a.body()
	if err != nil {
		return err
	}
	state, status := cur.StateCode, -1
	rawState, hasState := props["statecode"]
	rawStatus, hasStatus := props["statuscode"]
	delete(props, "statecode")
	delete(props, "statuscode")
	if hasState {
		if state, err = jsonInt("statecode", rawState); err != nil {
			return err
		}
	}
	if hasStatus {
		if status, err = jsonInt("statuscode", rawStatus); err != nil {
			return err
		}
	}
	if cur.StateCode != stateActive &&
		(len(props) > 0 || !hasState || state != stateActive || (hasStatus && status != statusInProgress)) {
		return badRequest("the incident is %s and cannot be changed; reactivate it first with statecode 0 and statuscode 1",
			stateName(cur.StateCode))
	}
	next := *cur
	if hasState || hasStatus {
		allowed, ok := validStatus[state]
		switch {
		case !ok:
			return badRequest("statecode %d is not valid (0 active, 1 resolved, 2 cancelled)", state)
		case state == stateResolved:
			return badRequest("an incident is resolved with the CloseIncident action, not by setting statecode 1")
		case status == statusMerged:
			return badRequest("an incident is merged with the Merge action, not by setting statuscode 2000")
		case status == -1:
			status = allowed[0]
		}
		if !slices.Contains(allowed, status) {
			return badRequest("statuscode %d is not valid for statecode %d (allowed: %v)", status, state, allowed)
		}
		next.StateCode, next.StatusCode = state, status
	}
	if err := a.f.applyIncidentFields(&next, props); err != nil {
		return err
	}
	if err := a.f.checkIncident(&next); err != nil {
		return err
	}
	next.ModifiedOn = a.f.now()
	*cur = next
	a.f.touch(cur)
	if a.represent() {
		return a.entity(http.StatusOK, "incidents", "incidentid", a.f.incidentProps(), incidentEntity(cur))
	}
	a.noContent()
	return nil
}

// applyIncidentFields sets the writable columns in props on inc; any other property is refused.
func (f *Fake) applyIncidentFields(inc *FakeIncident, props map[string]json.RawMessage) error {
	strs := map[string]*string{"title": &inc.Title, "description": &inc.Description}
	if !f.noCustomColumns {
		strs[colReference], strs[colGroup] = &inc.Reference, &inc.Group
	}
	times := map[string]*string{"escalatedon": &inc.EscalatedOn, "responseby": &inc.ResponseBy, "resolveby": &inc.ResolveBy}
	ints := map[string]*int{"caseorigincode": &inc.CaseOrigin, "prioritycode": &inc.PriorityCode}
	var err error
	for _, p := range slices.Sorted(maps.Keys(props)) {
		raw := props[p]
		if dst, ok := strs[p]; ok {
			*dst, err = jsonString(p, raw)
		} else if dst, ok := times[p]; ok {
			if *dst, err = jsonString(p, raw); err == nil && *dst != "" {
				if _, perr := time.Parse(time.RFC3339, *dst); perr != nil {
					err = badRequest("property '%s' must be a date and time (RFC 3339)", p)
				}
			}
		} else if dst, ok := ints[p]; ok {
			*dst, err = jsonInt(p, raw)
		} else if p == "isescalated" {
			inc.IsEscalated, err = jsonBool(p, raw)
		} else if p != "@odata.type" {
			err = invalidProperty(p, incidentType)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// checkIncident enforces the column rules and the hcaops_reference alternate key.
func (f *Fake) checkIncident(inc *FakeIncident) error {
	switch {
	case strings.TrimSpace(inc.Title) == "":
		return badRequest("title is required")
	case lengthUTF16(inc.Title) > maxTitle:
		return badRequest("title is longer than %d characters", maxTitle)
	case lengthUTF16(inc.Description) > maxDescription:
		return badRequest("description is longer than %d characters", maxDescription)
	case lengthUTF16(inc.Reference) > maxCustomText:
		return badRequest("%s is longer than %d characters", colReference, maxCustomText)
	case lengthUTF16(inc.Group) > maxCustomText:
		return badRequest("%s is longer than %d characters", colGroup, maxCustomText)
	case !slices.Contains(validPriorities, inc.PriorityCode):
		return badRequest("prioritycode %d is not valid (1 high, 2 normal, 3 low)", inc.PriorityCode)
	case inc.CaseOrigin != 0 && !slices.Contains(validOrigins, inc.CaseOrigin):
		return badRequest("caseorigincode %d is not valid (1 phone, 2 email, 3 web)", inc.CaseOrigin)
	}
	if inc.Reference == "" {
		return nil
	}
	if other := f.incidentByRef(inc.Reference); other != nil && other.ID != inc.ID {
		return &fakeError{http.StatusPreconditionFailed, codeDuplicateKey, "A record with matching key values already exists."}
	}
	return nil
}

func customerBind(prop string, raw json.RawMessage) (string, error) {
	s, err := jsonString(prop, raw)
	if err != nil {
		return "", err
	}
	want := "accounts"
	if strings.HasPrefix(prop, "customerid_contact") {
		want = "contacts"
	}
	set, id, ok := parseBind(s)
	if !ok || set != want {
		return "", badRequest("%s must be /%s(GUID)", prop, want)
	}
	return id, nil
}

// incidentEntity is the JSON form of an incident; unset columns are null, as in Dataverse.
func incidentEntity(inc *FakeIncident) map[string]any {
	orNull := func(s string) any {
		if s == "" {
			return nil
		}
		return s
	}
	var origin any
	if inc.CaseOrigin != 0 {
		origin = inc.CaseOrigin
	}
	return map[string]any{
		"@odata.etag":       fmt.Sprintf("W/\"%d\"", inc.ModifiedOn.UnixNano()),
		"incidentid":        inc.ID,
		"ticketnumber":      inc.TicketNumber,
		"title":             inc.Title,
		"description":       orNull(inc.Description),
		"caseorigincode":    origin,
		"prioritycode":      inc.PriorityCode,
		"statecode":         inc.StateCode,
		"statuscode":        inc.StatusCode,
		"isescalated":       inc.IsEscalated,
		"escalatedon":       orNull(inc.EscalatedOn),
		"responseby":        orNull(inc.ResponseBy),
		"resolveby":         orNull(inc.ResolveBy),
		colReference:        orNull(inc.Reference),
		colGroup:            orNull(inc.Group),
		"_customerid_value": orNull(inc.CustomerID),
		"_masterid_value":   orNull(inc.MasterID),
		"createdon":         inc.CreatedOn.UTC().Format(time.RFC3339),
		"modifiedon":        inc.ModifiedOn.UTC().Format(time.RFC3339),
	}
}

func (f *Fake) incident(id string) (*FakeIncident, error) {
	if inc := f.incidents[strings.ToLower(id)]; inc != nil {
		return inc, nil
	}
	return nil, notFound("incident", id)
}

// incidentProps are the properties of the organisation's incident entity.
func (f *Fake) incidentProps() []string {
	if !f.noCustomColumns {
		return incidentProps
	}
	return slices.DeleteFunc(slices.Clone(incidentProps), func(p string) bool { return p == colReference || p == colGroup })
}

func (f *Fake) sortedIncidents() []*FakeIncident {
	incs := slices.Collect(maps.Values(f.incidents))
	slices.SortFunc(incs, func(a, b *FakeIncident) int { return strings.Compare(a.TicketNumber, b.TicketNumber) })
	return incs
}

// newTicketNumber follows the Dynamics auto-number format CAS-{sequence}-{random}.
func (f *Fake) newTicketNumber() string {
	const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	suffix := make([]byte, 6)
	for i := range suffix {
		suffix[i] = chars[rand.IntN(len(chars))]
	}
	n := f.nextTicket
	f.nextTicket++
	return fmt.Sprintf("CAS-%05d-%s", n, suffix)
}

func stateName(state int) string {
	switch state {
	case stateActive:
		return "active"
	case stateResolved:
		return "resolved"
	case stateCancelled:
		return "cancelled"
	}
	return fmt.Sprintf("in statecode %d", state)
}
