package dynamicsfake

import "strings"

// Dataverse finds a case by its id, its ticket number or the hcaops_reference alternate
// key through an index, and a case's notes by _objectid_value: the fake does the same, so
// a test with a hundred thousand cases measures hcaops and not a scan of the fake.
// f.mu is held in all of these.

// index records inc under its number and reference (f.incidents holds it by id); touch
// calls it on every change.
func (f *Fake) index(inc *FakeIncident) {
	if f.byNumber == nil {
		f.byNumber, f.byRef = map[string]*FakeIncident{}, map[string]*FakeIncident{}
	}
	f.byNumber[strings.ToLower(inc.TicketNumber)] = inc
	if inc.Reference != "" {
		f.byRef[strings.ToLower(inc.Reference)] = inc
	}
}

// incidentByRef is the case carrying hcaops reference ref, or nil. An entry left by a
// reference that changed is checked and ignored.
func (f *Fake) incidentByRef(ref string) *FakeIncident {
	if inc := f.byRef[strings.ToLower(ref)]; inc != nil && strings.EqualFold(inc.Reference, ref) {
		return inc
	}
	return nil
}

// incidentCandidates narrows a query of cases to those an eq clause on an indexed
// property allows; ok is false when there is none (a scan, as Dataverse would).
func (f *Fake) incidentCandidates(clauses []filterClause) (incs []*FakeIncident, ok bool) {
	for _, c := range clauses {
		if c.contains {
			continue
		}
		var inc *FakeIncident
		switch c.prop {
		case colReference:
			inc = f.incidentByRef(c.value)
		case "ticketnumber":
			inc = f.byNumber[strings.ToLower(c.value)]
		case "incidentid":
			inc = f.incidents[strings.ToLower(c.value)]
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

// indexNote records that inc holds the note id, so an upsert finds it without a scan.
func (f *Fake) indexNote(inc *FakeIncident, id string) {
	if f.noteOf == nil {
		f.noteOf = map[string]*FakeIncident{}
	}
	f.noteOf[strings.ToLower(id)] = inc
}

// noteByID is the incident holding note id and the note's index there, or nil.
func (f *Fake) noteByID(id string) (*FakeIncident, int) {
	inc := f.noteOf[strings.ToLower(id)]
	if inc == nil {
		return nil, 0
	}
	for i, n := range inc.Notes {
		if strings.EqualFold(n.ID, id) {
			return inc, i
		}
	}
	return nil, 0
}
