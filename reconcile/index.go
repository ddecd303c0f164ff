package reconcile

import (
	"cmp"
	"fmt"
	"time"

	"github.com/hcaops/hcaops/enrollment"
)

// tracked is one vets.gov submission and what the report said of it: the first row that
// matched it, and how many rows did.
type tracked struct {
	sub  Submission
	rows int
	// From the first matching row; later rows are duplicates.
	esID          int64
	esStatus      int
	esSubmittedAt time.Time
}

// index finds vets.gov's submissions by ES's form_submission_id, and by our application
// key. It is the only structure that grows with the input, and it grows with len(vets),
// not with the report.
type index struct {
	subs  []tracked
	byID  map[int64]int  // form_submission_id -> subs index
	byKey map[string]int // ApplicationID -> subs index
}

// newIndex indexes vets. Listing the same application twice (a reset submission
// workflow leaves two runs) is one submission: the copy ES acknowledged wins, then the
// later one. A form_submission_id claimed by two applications is a fault in our own
// records that reconciliation cannot resolve, so it is an error.
func newIndex(vets []Submission) (*index, error) {
	subs := make([]tracked, 0, len(vets))
	at := make(map[string]int, len(vets)) // ApplicationID -> subs index of its unacknowledged copy
	ix := &index{byID: make(map[int64]int, len(vets)), byKey: map[string]int{}}
	for _, s := range vets {
		if s.AttemptsOnly {
			continue // its attempts count through newWindows only
		}
		if s.FormSubmissionID < 0 {
			return nil, fmt.Errorf("vets.gov submission %s has form_submission_id %d", s.ApplicationID, s.FormSubmissionID)
		}
		if s.FormSubmissionID != 0 {
			if i, ok := ix.byID[s.FormSubmissionID]; ok {
				prev := &subs[i]
				if prev.sub.ApplicationID != s.ApplicationID {
					return nil, fmt.Errorf("form_submission_id %d belongs to two applications in vets.gov's records: %s and %s",
						s.FormSubmissionID, prev.sub.ApplicationID, s.ApplicationID)
				}
				if later(s, prev.sub) {
					prev.sub = s
				}
				continue
			}
			ix.byID[s.FormSubmissionID] = len(subs)
			subs = append(subs, tracked{sub: s})
			continue
		}
		if s.ApplicationID == "" {
			subs = append(subs, tracked{sub: s}) // cannot be matched: it will show as missing
			continue
		}
		if i, ok := at[s.ApplicationID]; ok {
			if later(s, subs[i].sub) {
				subs[i].sub = s
			}
			continue
		}
		at[s.ApplicationID] = len(subs)
		subs = append(subs, tracked{sub: s})
	}
	// An unacknowledged copy of an application ES acknowledged under another run is the
	// same submission: drop it rather than report it missing.
	acked := make(map[string]bool, len(ix.byID))
	for _, t := range subs {
		if t.sub.FormSubmissionID != 0 {
			acked[t.sub.ApplicationID] = true
		}
	}
	kept := subs[:0]
	for _, t := range subs {
		if t.sub.FormSubmissionID == 0 && t.sub.ApplicationID != "" && acked[t.sub.ApplicationID] {
			continue
		}
		kept = append(kept, t)
	}
	clear(ix.byID)
	for i, t := range kept {
		if t.sub.FormSubmissionID != 0 {
			ix.byID[t.sub.FormSubmissionID] = i
		}
		if t.sub.ApplicationID != "" {
			ix.byKey[t.sub.ApplicationID] = i
		}
	}
	ix.subs = kept
	return ix, nil
}

// take counts a row that matched; the first one is what ES says of the submission, judged
// once the report is complete.
func (t *tracked) take(row enrollment.ReportRow) {
	if t.rows++; t.rows == 1 {
		t.esID, t.esStatus, t.esSubmittedAt = row.FormSubmissionID, row.StatusCode, row.SubmittedAt
	}
}

// later orders two copies of one submission deterministically: the later submission,
// then the further status.
func later(a, b Submission) bool {
	if c := a.SubmittedAt.Compare(b.SubmittedAt); c != 0 {
		return c > 0
	}
	return cmp.Compare(a.Status, b.Status) > 0
}

// byFormID finds the vets.gov submission ES's id belongs to.
func (ix *index) byFormID(id int64) (*tracked, bool) {
	i, ok := ix.byID[id]
	if !ok {
		return nil, false
	}
	return &ix.subs[i], true
}

// byApplicationKey finds the vets.gov submission a row names by our key. matched is
// true when the row is that submission's record: ES never acknowledged it to vets.gov
// and no row has matched it yet; the match teaches the index the id, so later rows with
// it are seen as duplicates. Otherwise a found submission already has its ES record, and
// the row is a second one.
func (ix *index) byApplicationKey(row enrollment.ReportRow) (t *tracked, matched, found bool) {
	if row.ApplicationKey == "" {
		return nil, false, false
	}
	i, ok := ix.byKey[row.ApplicationKey]
	if !ok {
		return nil, false, false
	}
	t = &ix.subs[i]
	if t.sub.FormSubmissionID != 0 || t.rows > 0 {
		return t, false, true
	}
	ix.byID[row.FormSubmissionID] = i
	return t, true, true
}
