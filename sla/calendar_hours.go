package sla

import (
	"fmt"
	"time"
)

// parseTimeOfDay reads "HH:MM" (24-hour clock) as an offset from midnight.
// "24:00" is accepted only for the end of the day, for desks that work up to
// midnight.
func parseTimeOfDay(s string, isEnd bool) (time.Duration, error) {
	if s == "" {
		return 0, fmt.Errorf("empty; want HH:MM such as \"08:00\"")
	}
	if len(s) != 5 || s[2] != ':' || !isDigits(s[:2]) || !isDigits(s[3:]) {
		return 0, fmt.Errorf("%q is not HH:MM (24-hour clock, such as \"17:00\")", s)
	}
	h := int(s[0]-'0')*10 + int(s[1]-'0')
	m := int(s[3]-'0')*10 + int(s[4]-'0')
	switch {
	case m > 59:
		return 0, fmt.Errorf("%q has minute %d; minutes run 00-59", s, m)
	case h == 24 && m == 0 && isEnd:
		// midnight at the end of the day
	case h > 23:
		if isEnd {
			return 0, fmt.Errorf("%q has hour %d; hours run 00-23 (or exactly 24:00 for the end of the day)", s, h)
		}
		return 0, fmt.Errorf("%q has hour %d; hours run 00-23", s, h)
	}
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute, nil
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
