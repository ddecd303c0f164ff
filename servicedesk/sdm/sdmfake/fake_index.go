package sdmfake

import (
	"strings"
)

// SDM's database finds an incident by id, ref_num or the unique zhcaops_ref through an
// index, and an incident's activity log by call_req_id: a lookup costs the same with ten
// incidents or a hundred thousand. The fake does the same, so a test at scale measures
// hcaops and not a linear scan of the fake. f.mu is held in all of these.

// indexIncident records inc under its number and reference; oldRef is the reference it
// had before a change ("" for a new incident).
func (f *Fake) indexIncident(inc *FakeIncident, oldRef string) {
	if f.byRef == nil {
		f.byRef, f.byNumber = map[string]*FakeIncident{}, map[string]*FakeIncident{}
	}
	if oldRef != "" && !strings.EqualFold(oldRef, inc.HcaopsRef) {
		delete(f.byRef, strings.ToLower(oldRef))
	}
	if inc.HcaopsRef != "" {
		f.byRef[strings.ToLower(inc.HcaopsRef)] = inc
	}
	f.byNumber[strings.ToLower(inc.RefNum)] = inc
}

// incidentByRef is the incident carrying hcaops reference ref, or nil.
func (f *Fake) incidentByRef(ref string) *FakeIncident { return f.byRef[strings.ToLower(ref)] }

// incidentCandidates narrows a list of incidents to those an equality on an indexed
// attribute allows; ok is false when the where clause has none (a scan, as SDM would).
func (f *Fake) incidentCandidates(conds []condition) (rows []*FakeIncident, ok bool) {
	for _, c := range conds {
		if c.op != "=" {
			continue
		}
		var inc *FakeIncident
		switch c.attr {
		case "zhcaops_ref":
			inc = f.incidentByRef(c.value)
		case "ref_num":
			inc = f.byNumber[strings.ToLower(c.value)]
		case "id":
			inc, _ = f.incidentAt(c.value)
		case "persistent_id":
			if n, found := strings.CutPrefix(strings.ToLower(c.value), "cr:"); found {
				inc, _ = f.incidentAt(n)
			}
		default:
			continue
		}
		if inc == nil {
			return nil, true
		}
		return []*FakeIncident{inc}, true
	}
	return nil, false
}

// activityCandidates narrows the activity log to one incident's entries when the where
// clause names the incident (call_req_id = 'cr:N').
func (f *Fake) activityCandidates(conds []condition) (rows []activityRow, ok bool) {
	for _, c := range conds {
		if c.op != "=" || c.attr != "call_req_id" {
			continue
		}
		n, found := strings.CutPrefix(strings.ToLower(c.value), "cr:")
		if !found {
			return nil, true
		}
		inc, _ := f.incidentAt(n)
		if inc == nil {
			return nil, true
		}
		for _, e := range inc.Log {
			rows = append(rows, activityRow{inc, e})
		}
		return rows, true
	}
	return nil, false
}
