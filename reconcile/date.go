package reconcile

import (
	"fmt"
	"time"
)

// parseDate accepts exactly YYYY-MM-DD. Dates become file names, so anything looser
// ("2026-1-2", "../x") must be refused before it reaches the file system.
func parseDate(s string) (time.Time, error) {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil || d.Format(time.DateOnly) != s {
		return time.Time{}, fmt.Errorf("date %q is not a YYYY-MM-DD date", s)
	}
	return d, nil
}
