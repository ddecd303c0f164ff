package sdmfake

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// The activity log (alg) calls. f.mu is held in all of them.

// activityRow is a log entry with the incident it belongs to.
type activityRow struct {
	inc   *FakeIncident
	entry FakeLogEntry
}

func (f *Fake) listActivities(r *http.Request, v view) answer {
	return listPage(r, v, "alg", nil, func(conds []condition) ([]activityRow, bool) {
		if rows, ok := f.activityCandidates(conds); ok {
			return rows, true
		}
		var rows []activityRow
		for _, inc := range f.incidents {
			for _, e := range inc.Log {
				rows = append(rows, activityRow{inc, e})
			}
		}
		return rows, true
	}, activityKeys, v.activity)
}

func (f *Fake) createActivity(r *http.Request, v view, user string) answer {
	fields, err := readFields(r, "alg")
	if err != nil {
		return sdmError(http.StatusBadRequest, "%v", err)
	}
	var (
		inc         *FakeIncident
		kind        string
		description string
	)
	for _, name := range sortedNames(fields) {
		raw := fields[name]
		switch name {
		case "call_req_id":
			ref, err := refField(name, raw)
			if err != nil {
				return sdmError(http.StatusBadRequest, "%v", err)
			}
			n, ok := strings.CutPrefix(string(ref.RelAttr), "cr:")
			if !ok {
				return sdmError(http.StatusBadRequest, `call_req_id must be {"@REL_ATTR":"cr:NNN"}, not %q`, refText(ref))
			}
			if inc, _ = f.incidentAt(n); inc == nil {
				return sdmError(http.StatusBadRequest, "call_req_id %s does not exist", ref.RelAttr)
			}
		case "type":
			ref, err := refField(name, raw)
			if err == nil {
				var c fakeCode
				c, err = lookup(fakeActivityTypes, "aty:", "activity type", ref)
				kind = c.code
			}
			if err != nil {
				return sdmError(http.StatusBadRequest, "%v", err)
			}
		case "description":
			if description, err = stringField(name, raw); err != nil {
				return sdmError(http.StatusBadRequest, "%v", err)
			}
		default:
			return sdmError(http.StatusBadRequest, "unknown attribute %q for alg", name)
		}
	}
	switch {
	case inc == nil:
		return sdmError(http.StatusBadRequest, "call_req_id is required")
	case kind == "":
		return sdmError(http.StatusBadRequest, "type is required")
	case strings.TrimSpace(description) == "":
		return sdmError(http.StatusBadRequest, "description is required")
	}
	f.log(inc, kind, description, user)
	// A new activity touches the incident, as SDM's last_act_id does.
	inc.LastModBy, inc.LastModDate = user, f.now()
	obj, err := v.activity(activityRow{inc, inc.Log[len(inc.Log)-1]})
	if err != nil {
		return sdmError(http.StatusBadRequest, "%v", err)
	}
	return answer{http.StatusCreated, map[string]any{"alg": obj}}
}

// activityKeys are the values a where clause or SORT compares.
func activityKeys(row activityRow) map[string]string {
	return map[string]string{
		"id":             strconv.Itoa(row.entry.ID),
		"call_req_id":    "cr:" + strconv.Itoa(row.inc.ID),
		"type":           row.entry.Type,
		"description":    row.entry.Description,
		"time_stamp":     unix(row.entry.Time),
		"analyst.userid": row.entry.Analyst,
	}
}

// activity renders a log entry as SDM answers it.
func (v view) activity(row activityRow) (map[string]any, error) {
	id := strconv.Itoa(row.entry.ID)
	all := map[string]any{
		"id": id,
		"call_req_id": map[string]string{
			"@id":          strconv.Itoa(row.inc.ID),
			"@REL_ATTR":    "cr:" + strconv.Itoa(row.inc.ID),
			"@COMMON_NAME": row.inc.RefNum,
		},
		"type":        readRef(find(fakeActivityTypes, row.entry.Type)),
		"description": row.entry.Description,
		"time_stamp":  unix(row.entry.Time),
		"analyst":     userRef(row.entry.Analyst),
	}
	return v.render("alg", row.entry.ID, id, fmt.Sprintf("%s %s", row.inc.RefNum, row.entry.Type), all)
}
