package sla

import "time"

// civilDate is a date on the wall calendar, with no zone attached. Business
// days are walked as civil dates and only turned into instants through
// time.Date in the desk's zone, so a 23- or 25-hour day around a DST change
// still opens and closes at the right wall-clock times.
type civilDate struct {
	year  int
	month time.Month
	day   int
}

// dateOf is the date t falls on in loc.
func dateOf(t time.Time, loc *time.Location) civilDate {
	y, m, d := t.In(loc).Date()
	return civilDate{y, m, d}
}

// noonUTC names the date as an instant whose Date and Weekday are the date's
// own, whatever the zone; the holiday library only looks at those.
func (d civilDate) noonUTC() time.Time {
	return time.Date(d.year, d.month, d.day, 12, 0, 0, 0, time.UTC)
}

// next is the following date; time.Date normalises the 32nd of a month.
func (d civilDate) next() civilDate {
	return dateOf(time.Date(d.year, d.month, d.day+1, 12, 0, 0, 0, time.UTC), time.UTC)
}

// after reports whether d is later than o.
func (d civilDate) after(o civilDate) bool {
	if d.year != o.year {
		return d.year > o.year
	}
	if d.month != o.month {
		return d.month > o.month
	}
	return d.day > o.day
}

// at is the instant at wall-clock offset sinceMidnight on d in loc. The
// offset goes in as seconds and nanoseconds so time.Date reads it as wall
// time; 24h becomes the next midnight.
func (d civilDate) at(sinceMidnight time.Duration, loc *time.Location) time.Time {
	sec := int(sinceMidnight / time.Second)
	nsec := int(sinceMidnight % time.Second)
	return time.Date(d.year, d.month, d.day, 0, 0, sec, nsec, loc)
}

func earliest(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func latest(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
