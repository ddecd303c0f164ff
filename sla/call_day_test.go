package sla

import (
	"testing"
	"time"
)

// The ES call calendar, with holiday dates written by hand from OPM's federal holiday
// tables (observed dates), not computed by the code under test.
func TestCallDayMovesOffFederalHolidays(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	at := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 10, 0, 0, 0, ny) }
	for _, tc := range []struct {
		call    time.Time
		want    time.Time
		holiday string
	}{
		{at(2026, 12, 1), at(2026, 12, 1), ""},                           // an ordinary Tuesday
		{at(2026, 11, 26), at(2026, 11, 27), "Thanksgiving Day"},         // Thursday -> Friday
		{at(2026, 12, 25), at(2026, 12, 28), "Christmas Day"},            // Friday -> Monday
		{at(2026, 7, 3), at(2026, 7, 6), "Independence Day"},             // observed Friday (the 4th is a Saturday)
		{at(2027, 12, 31), at(2028, 1, 3), "New Year's Day"},             // 2028's New Year observed on Friday 2027-12-31
		{at(2026, 11, 11), at(2026, 11, 12), "Veterans Day"},             // Wednesday
		{at(2027, 1, 18), at(2027, 1, 19), "Martin Luther King Jr. Day"}, // Monday -> Tuesday
		{at(2026, 7, 4), at(2026, 7, 4), ""},                             // the nominal Saturday is not observed
	} {
		got, holiday := CallDay(tc.call)
		if !got.Equal(tc.want) || holiday != tc.holiday {
			t.Errorf("CallDay(%s) = %s, %q; want %s, %q", tc.call.Format("Mon 2006-01-02"), got.Format("Mon 2006-01-02 15:04"), holiday,
				tc.want.Format("Mon 2006-01-02 15:04"), tc.holiday)
		}
	}
}
