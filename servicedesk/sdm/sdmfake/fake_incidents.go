package sdmfake

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// firstIncidentID is the @id of the fake's first incident.
const firstIncidentID = 400001

// The incident (in) calls. f.mu is held in all of them.

func (f *Fake) listIncidents(r *http.Request, v view) answer {
	return listPage(r, v, "in", f.incidents, f.incidentCandidates, incidentKeys, func(inc *FakeIncident) (map[string]any, error) {
		return v.incident(inc)
	})
}

func (f *Fake) createIncident(r *http.Request, v view, user string) answer {
	fields, err := readFields(r, "in")
	if err != nil {
		return sdmError(http.StatusBadRequest, "%v", err)
	}
	inc := &FakeIncident{Status: statusOpen, ID: firstIncidentID + len(f.incidents)}
	if err := f.applyIncident(inc, fields); err != nil {
		return sdmError(http.StatusBadRequest, "%v", err)
	}
	if strings.TrimSpace(inc.Summary) == "" {
		return sdmError(http.StatusBadRequest, "summary is required")
	}
	if missing := f.missingRequired(inc); missing != "" {
		return sdmError(http.StatusBadRequest, "Required attribute %s is missing", missing)
	}
	now := f.now()
	f.refSeq++
	inc.RefNum = fmt.Sprintf("HRC%04d", f.refSeq)
	inc.OpenDate = now
	inc.LogAgent, inc.LastModBy, inc.LastModDate = user, user, now
	if inactive(inc.Status) {
		inc.CloseDate = now
	}
	f.log(inc, "INIT", "Create new incident", user)
	f.incidents = append(f.incidents, inc)
	f.indexIncident(inc, "")
	return f.incidentAnswer(http.StatusCreated, v, inc)
}

func (f *Fake) updateIncident(r *http.Request, v view, id, user string) answer {
	inc, a := f.incidentAt(id)
	if inc == nil {
		return a
	}
	fields, err := readFields(r, "in")
	if err != nil {
		return sdmError(http.StatusBadRequest, "%v", err)
	}
	draft := cloneIncident(inc)
	if err := f.applyIncident(draft, fields); err != nil {
		return sdmError(http.StatusBadRequest, "%v", err)
	}
	if strings.TrimSpace(draft.Summary) == "" {
		return sdmError(http.StatusBadRequest, "summary is required")
	}
	if draft.Status != inc.Status {
		from, to := find(fakeStatuses, inc.Status), find(fakeStatuses, draft.Status)
		f.log(draft, "ST", fmt.Sprintf("Status changed from '%s' to '%s'", from.symbol, to.symbol), user)
		if inactive(draft.Status) {
			draft.CloseDate = f.now()
		} else {
			draft.CloseDate = time.Time{}
		}
	}
	draft.LastModBy, draft.LastModDate = user, f.now()
	oldRef := inc.HcaopsRef
	*inc = *draft
	f.indexIncident(inc, oldRef)
	return f.incidentAnswer(http.StatusOK, v, inc)
}

func (f *Fake) incidentAnswer(status int, v view, inc *FakeIncident) answer {
	obj, err := v.incident(inc)
	if err != nil {
		return sdmError(http.StatusBadRequest, "%v", err)
	}
	return answer{status, map[string]any{"in": obj}}
}

// incidentAt finds the incident with the numeric id from a URL.
func (f *Fake) incidentAt(id string) (*FakeIncident, answer) {
	n, err := strconv.Atoi(id)
	if err == nil && n >= firstIncidentID && n < firstIncidentID+len(f.incidents) {
		return f.incidents[n-firstIncidentID], answer{}
	}
	return nil, sdmError(http.StatusNotFound, "no incident with id %q", id)
}

// applyIncident sets the attributes in fields on inc, checking each as SDM would.
func (f *Fake) applyIncident(inc *FakeIncident, fields map[string]json.RawMessage) error {
	for _, name := range sortedNames(fields) {
		raw := fields[name]
		var err error
		switch name {
		case "summary":
			inc.Summary, err = stringField(name, raw)
		case "description":
			inc.Description, err = stringField(name, raw)
		case "zhcaops_ref":
			if f.rules.noCustom {
				err = fmt.Errorf("unknown attribute %q for in", name)
				break
			}
			inc.HcaopsRef, err = stringField(name, raw)
		case "status":
			var ref reference
			if ref, err = refField(name, raw); err == nil {
				var c fakeCode
				c, err = lookup(fakeStatuses, "crs:", "status", ref)
				inc.Status = c.code
			}
		case "priority":
			var ref reference
			if ref, err = refField(name, raw); err == nil {
				var c fakeCode
				c, err = lookup(fakePriorities, "pri:", "priority", ref)
				inc.Priority = c.code
			}
		case "group":
			inc.Group, err = nameField(name, raw)
		case "category":
			if inc.Category, err = nameField(name, raw); err == nil && !f.categoryKnown(inc.Category) {
				err = fmt.Errorf("category %q is not an incident area", inc.Category)
			}
		case "customer":
			var ref reference
			if ref, err = refField(name, raw); err == nil {
				inc.Customer, err = f.customerField(ref)
			}
		case "urgency", "impact":
			var ref reference
			if ref, err = refField(name, raw); err == nil {
				table, prefix, dst := urgencies, "urg:", &inc.Urgency
				if name == "impact" {
					table, prefix, dst = impacts, "imp:", &inc.Impact
				}
				var c fakeCode
				c, err = lookup(table, prefix, name, ref)
				*dst = c.code
			}
		case "type":
			var ref reference
			if ref, err = refField(name, raw); err == nil && ref.RelAttr != incidentRequestType && ref.RelAttr != "I" {
				err = fmt.Errorf("type %q: the in factory holds incidents (crt:182) only", refText(ref))
			}
		case "parent":
			inc.Parent, err = f.parentField(inc, raw)
		case "zescalated":
			if f.rules.noCustom {
				err = fmt.Errorf("unknown attribute %q for in", name)
				break
			}
			var s string
			if s, err = stringField(name, raw); err == nil && s != "0" && s != "1" {
				err = fmt.Errorf("zescalated must be 0 or 1, not %q", s)
			}
			inc.Escalated = s == "1"
		default:
			err = fmt.Errorf("unknown attribute %q for in", name)
		}
		if err != nil {
			return err
		}
	}
	if inc.HcaopsRef != "" {
		if other := f.incidentByRef(inc.HcaopsRef); other != nil && other.ID != inc.ID {
			return errors.New("duplicate value for unique attribute zhcaops_ref")
		}
	}
	return nil
}

// parentField reads parent: {"@REL_ATTR":"cr:400001"}, an existing other incident.
func (f *Fake) parentField(inc *FakeIncident, raw json.RawMessage) (string, error) {
	ref, err := refField("parent", raw)
	if err != nil {
		return "", err
	}
	n, ok := strings.CutPrefix(string(ref.RelAttr), "cr:")
	if !ok {
		return "", fmt.Errorf(`parent must be {"@REL_ATTR":"cr:NNN"}, not %q`, refText(ref))
	}
	master, _ := f.incidentAt(n)
	if master == nil {
		return "", fmt.Errorf("parent %s does not exist", ref.RelAttr)
	}
	if master.ID == inc.ID {
		return "", errors.New("an incident cannot be its own parent")
	}
	return "cr:" + n, nil
}

// log appends an activity log entry to inc, written by user.
func (f *Fake) log(inc *FakeIncident, kind, description, user string) {
	f.algSeq++
	inc.Log = append(inc.Log, FakeLogEntry{ID: 700000 + f.algSeq, Type: kind, Description: description, Time: f.now(), Analyst: user})
}

// inactive reports whether a status closes the incident.
func inactive(status string) bool { return status == statusClosed || status == statusCancelled }

// incidentKeys are the values a where clause or SORT compares.
func incidentKeys(inc *FakeIncident) map[string]string {
	return map[string]string{
		"id":            strconv.Itoa(inc.ID),
		"persistent_id": "cr:" + strconv.Itoa(inc.ID),
		"ref_num":       inc.RefNum,
		"summary":       inc.Summary,
		"description":   inc.Description,
		"status":        inc.Status,
		"priority":      inc.Priority,
		"group":         inc.Group,
		"category":      inc.Category,
		"customer":      inc.Customer,
		"type":          "I",
		"parent":        inc.Parent,
		"open_date":     unix(inc.OpenDate),
		"close_date":    unix(inc.CloseDate),
		"zhcaops_ref":   inc.HcaopsRef,
		"zescalated":    escalatedFlag(inc.Escalated),
		"urgency":       inc.Urgency,
		"impact":        inc.Impact,
		"last_mod_dt":   unix(inc.LastModDate),
		// Dotted attributes a where clause can follow: the group's and category's
		// names, the users' ids.
		"group.last_name":    inc.Group,
		"category.sym":       inc.Category,
		"log_agent.userid":   inc.LogAgent,
		"last_mod_by.userid": inc.LastModBy,
	}
}

// incident renders inc as SDM answers it.
func (v view) incident(inc *FakeIncident) (map[string]any, error) {
	id := strconv.Itoa(inc.ID)
	all := map[string]any{
		"id":            id,
		"persistent_id": "cr:" + id,
		"ref_num":       inc.RefNum,
		"summary":       inc.Summary,
		"description":   inc.Description,
		"status":        readRef(find(fakeStatuses, inc.Status)),
		"priority":      "",
		"category":      namedRef(inc.Category),
		"group":         namedRef(inc.Group),
		"customer":      namedRef(inc.Customer),
		"type":          map[string]string{"@id": "182", "@REL_ATTR": "I", "@COMMON_NAME": "Incident"},
		"parent":        "",
		"open_date":     unix(inc.OpenDate),
		"close_date":    unix(inc.CloseDate),
		"zhcaops_ref":   inc.HcaopsRef,
		"zescalated":    escalatedFlag(inc.Escalated),
		"urgency":       codeRef(urgencies, inc.Urgency),
		"impact":        codeRef(impacts, inc.Impact),
		"log_agent":     userRef(inc.LogAgent),
		"last_mod_by":   userRef(inc.LastModBy),
		"last_mod_dt":   unix(inc.LastModDate),
	}
	if v.noCustom {
		delete(all, "zhcaops_ref")
		delete(all, "zescalated")
	}
	if inc.Priority != "" {
		all["priority"] = readRef(find(fakePriorities, inc.Priority))
	}
	if inc.Parent != "" {
		all["parent"] = map[string]string{"@id": strings.TrimPrefix(inc.Parent, "cr:"), "@REL_ATTR": inc.Parent}
	}
	return v.render("in", inc.ID, "cr:"+id, inc.RefNum, all)
}

func escalatedFlag(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// userRef renders a reference to the contact of a user; dotted X-Obj-Attrs such as
// log_agent.userid read its userid.
func userRef(userid string) any {
	if userid == "" {
		return ""
	}
	return map[string]string{"@id": contactUUID(userid), "@REL_ATTR": contactUUID(userid), "@COMMON_NAME": userid, "userid": userid}
}

func codeRef(table []fakeCode, code string) any {
	if code == "" {
		return ""
	}
	return readRef(find(table, code))
}
