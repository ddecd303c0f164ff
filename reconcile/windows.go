package reconcile

import (
	"cmp"
	"slices"
	"sort"
	"time"
)

// window is the span in which ES may have received an unanswered attempt of one
// application, widened by the allowed difference between ES's clock and vets.gov's.
type window struct {
	from, to      time.Time
	applicationID string
}

// windows finds, for a row ES received at some instant, an unanswered attempt that
// could have made it. Sorted by start; maxTo[i] is the latest end among the first i+1,
// so a lookup walks back only over windows that can still contain the instant.
type windows struct {
	spans []window
	maxTo []time.Time
}

func newWindows(vets []Submission, skew time.Duration) windows {
	var w windows
	for _, s := range vets {
		for _, a := range s.UnknownAttempts {
			to := a.Until
			if to.Before(a.SentAt) {
				to = a.SentAt
			}
			w.spans = append(w.spans, window{from: a.SentAt.Add(-skew), to: to.Add(skew), applicationID: s.ApplicationID})
		}
	}
	slices.SortFunc(w.spans, func(a, b window) int {
		return cmp.Or(a.from.Compare(b.from), a.to.Compare(b.to), cmp.Compare(a.applicationID, b.applicationID))
	})
	for i, s := range w.spans {
		w.maxTo = append(w.maxTo, s.to)
		if i > 0 && w.maxTo[i-1].After(s.to) {
			w.maxTo[i] = w.maxTo[i-1]
		}
	}
	return w
}

// find returns the application whose unanswered attempt's window holds at, the one that
// started last when several do.
func (w windows) find(at time.Time) (string, bool) {
	i := sort.Search(len(w.spans), func(i int) bool { return w.spans[i].from.After(at) }) - 1
	for ; i >= 0 && !w.maxTo[i].Before(at); i-- {
		if !w.spans[i].to.Before(at) {
			return w.spans[i].applicationID, true
		}
	}
	return "", false
}
