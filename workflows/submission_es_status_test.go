package workflows

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/temporal"

	"github.com/hcaops/hcaops/enrollment"
	"github.com/hcaops/hcaops/reconcile"
)

// upserts records what the workflow wrote to its search attributes and memo.
type upserts struct {
	mu    sync.Mutex
	dates []string
	memo  [][]reconcile.StatusSeen
}

func (u *upserts) watch(h *esHarness) {
	h.env.OnUpsertTypedSearchAttributes(mock.Anything).Run(func(args mock.Arguments) {
		sa := args.Get(0).(temporal.SearchAttributes)
		if d, ok := sa.GetKeyword(SubmittedDate); ok {
			u.mu.Lock()
			u.dates = append(u.dates, d)
			u.mu.Unlock()
		}
	}).Return(nil)
	h.env.OnUpsertMemo(mock.Anything).Run(func(args mock.Arguments) {
		m := args.Get(0).(map[string]any)
		u.mu.Lock()
		u.memo = append(u.memo, m[MemoESStatuses].([]reconcile.StatusSeen))
		u.mu.Unlock()
	}).Return(nil)
}

// A submission is dated by ES's timeStamp in ES's zone (a setting), not by the worker's
// clock: here the worker's clock says 22:00 on the 24th in New York while ES's clock,
// 2.5 hours ahead, stamps 00:30 on the 25th.
func TestSubmissionIsDatedByESTimeStamp(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	worker := time.Date(2026, 11, 24, 22, 0, 0, 0, ny)
	es := time.Date(2026, 11, 25, 0, 30, 0, 0, ny)
	for _, c := range []struct {
		zone, want string
	}{
		{"", "2026-11-25"},                    // ES's day in New York, the default
		{"America/New_York", "2026-11-25"},    // the same, named
		{"America/Chicago", "2026-11-24"},     // 23:30 in Central time
		{"America/Los_Angeles", "2026-11-24"}, // 21:30 in Pacific time
	} {
		t.Run("zone "+c.zone, func(t *testing.T) {
			h := newESHarness(t, worker)
			h.es.Now = func() time.Time { return es }
			var u upserts
			u.watch(h)
			p := fastPolicy()
			p.ESZone = c.zone
			st := runSubmission(t, h, testApplication("0b6c4f0e-3f0a-4d7e-9a44-5d6f5a1e2c41"), p)
			if st.Outcome != SubmissionProcessed {
				t.Fatalf("state %+v", st)
			}
			if len(u.dates) != 1 || u.dates[0] != c.want {
				t.Errorf("SubmittedDate upserts %v, want [%s]", u.dates, c.want)
			}
		})
	}
}

// Every status ES gives is noted with ES's timeStamp and when vets.gov heard it, in the
// state and in the memo reconciliation reads.
func TestSubmissionNotesESStatusTimes(t *testing.T) {
	h := newESHarness(t, monday)
	esClock := monday.Add(-90 * time.Second) // ES's clock runs behind the worker's
	h.es.Now = func() time.Time { return esClock }
	var u upserts
	u.watch(h)
	p := fastPolicy()
	st := runSubmission(t, h, testApplication("0b6c4f0e-3f0a-4d7e-9a44-5d6f5a1e2c42"), p)
	var got []int
	for _, s := range st.ESStatuses {
		got = append(got, s.Status)
		if !s.At.Equal(esClock) {
			t.Errorf("status %d stamped %v, want ES's timeStamp %v", s.Status, s.At, esClock)
		}
		if s.LearnedAt.Before(monday) {
			t.Errorf("status %d learned at %v, before the workflow started", s.Status, s.LearnedAt)
		}
	}
	if len(got) < 2 || got[0] != enrollment.StatusSubmitted || got[len(got)-1] != enrollment.StatusProcessed {
		t.Fatalf("statuses %v, want 100 first and 104 last", got)
	}
	if !st.ESStatuses[1].LearnedAt.After(st.ESStatuses[0].LearnedAt) {
		t.Errorf("the second status was learned at %v, not after the first (%v)", st.ESStatuses[1].LearnedAt, st.ESStatuses[0].LearnedAt)
	}
	if len(u.memo) != len(got) || len(u.memo[len(u.memo)-1]) != len(got) {
		t.Errorf("memo upserts %v, want one per status, the last with all %d", u.memo, len(got))
	}
}
