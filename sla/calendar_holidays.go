package sla

import (
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/us"
)

// federalHolidays knows the US federal holidays on their observed dates, with
// Monday to Friday as workdays.
//
// The list is spelled out instead of using us.Holidays so that a library
// upgrade cannot add a day and silently move every open ticket's deadline.
// Inauguration Day is left out: it is a holiday only around Washington, D.C.
//
// Weekend dates follow the library's US rule, which is the OPM rule: a
// Saturday holiday is observed on the Friday before, a Sunday holiday on the
// Monday after. That holds across the year boundary too: New Year's Day 2028
// (a Saturday) is observed on Friday 2027-12-31.
//
// The calendar is built once and never changed. Its Cacheable flag stays
// off: the library's cache is an unsynchronised map, and workflows running
// side by side in one worker share this value.
var federalHolidays = newFederalHolidays()

func newFederalHolidays() *cal.BusinessCalendar {
	c := cal.NewBusinessCalendar()
	c.AddHoliday(
		us.NewYear,
		us.MlkDay,
		// 5 U.S.C. 6103 names it Washington's Birthday; the library says Presidents' Day.
		us.PresidentsDay.Clone(&cal.Holiday{Name: "Washington's Birthday"}),
		us.MemorialDay,
		us.Juneteenth,
		us.IndependenceDay,
		us.LaborDay,
		us.ColumbusDay,
		us.VeteransDay,
		us.ThanksgivingDay,
		us.ChristmasDay,
	)
	return c
}

// isWorkday reports whether day is a weekday that is not an observed federal holiday.
func isWorkday(day civilDate) bool {
	return federalHolidays.IsWorkday(day.noonUTC())
}

// Holiday reports whether the date of t (in Location) is a federal holiday
// (observed) and its name. The nominal date of a holiday that is observed on
// another day (Saturday 2026-07-04, say) is not reported: nobody is off then.
func (b *BusinessHours) Holiday(t time.Time) (bool, string) {
	_, observed, h := federalHolidays.IsHoliday(dateOf(t, b.loc()).noonUTC())
	if !observed || h == nil {
		return false, ""
	}
	return true, h.Name
}

// FederalHoliday reports whether the date of t, in t's own location, is an observed US
// federal holiday, and its name (for the ES call calendar: no call on a holiday).
func FederalHoliday(t time.Time) (bool, string) {
	_, observed, h := federalHolidays.IsHoliday(dateOf(t, t.Location()).noonUTC())
	if !observed || h == nil {
		return false, ""
	}
	return true, h.Name
}

// IsWorkday reports whether the date of t, in t's own location, is a weekday that is not
// an observed US federal holiday.
func IsWorkday(t time.Time) bool { return isWorkday(dateOf(t, t.Location())) }

// CallDay is when a regular call meant for t takes place: t itself, or, when t falls on a
// federal holiday, the same time of day on the next workday (no call on a holiday; ES has
// no other channel, so the call moves rather than waiting a week). holiday names the day
// it moved from, "" when it did not move.
func CallDay(t time.Time) (at time.Time, holiday string) {
	is, name := FederalHoliday(t)
	if !is {
		return t, ""
	}
	at = t
	for {
		at = time.Date(at.Year(), at.Month(), at.Day()+1, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), t.Location())
		if IsWorkday(at) {
			return at, name
		}
	}
}
