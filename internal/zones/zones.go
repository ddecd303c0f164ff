// Package zones loads IANA time zones once per process. A loaded *time.Location never
// changes and is safe to share, while loading one reads and parses the tz database: about
// 5 KiB of heap for America/New_York. Every ticket builds its calendars from the same
// zone, so without this each cached ticket held its own copy (a sixth of a cached
// ticket's heap) and every replay read the zone file again.
package zones

import (
	"sync"
	"time"
)

var loaded sync.Map // zone name → *time.Location

// Load is time.LoadLocation, remembered: the first load of a name reads the tz database,
// the next ones return the same Location. Errors are not remembered.
func Load(name string) (*time.Location, error) {
	if loc, ok := loaded.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	actual, _ := loaded.LoadOrStore(name, loc)
	return actual.(*time.Location), nil
}
