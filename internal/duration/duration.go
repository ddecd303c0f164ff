// Package duration writes spans of time in workflow inputs as people read them ("48h",
// "1h30m", "15s") instead of nanoseconds, and reads them back from either: histories
// recorded before hold numbers, and must still decode.
package duration

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Duration is a time.Duration in JSON: a string when written, a string or a number of
// nanoseconds when read.
type Duration time.Duration

// MarshalJSON writes the duration as Format does.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(Format(time.Duration(d))) }

// UnmarshalJSON reads "48h", "7d", "1h30m" or a number of nanoseconds.
func (d *Duration) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		v, err := Parse(s)
		if err != nil {
			return err
		}
		*d = Duration(v)
		return nil
	}
	if string(b) == "null" {
		return nil
	}
	if n, err := strconv.ParseInt(string(b), 10, 64); err == nil {
		*d = Duration(n)
		return nil
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return fmt.Errorf("duration %s: want a string such as \"48h\" or a number of nanoseconds", b)
	}
	*d = Duration(int64(f))
	return nil
}

// Format is time.Duration's String without the zero units it appends: "48h", "1h30m",
// "90s" stays "1m30s", "0s".
func Format(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// Parse reads a Go duration ("90m", "1h30m"), or whole days ("7d", "1.5d").
func Parse(s string) (time.Duration, error) {
	t := strings.TrimSpace(s)
	if days, ok := strings.CutSuffix(t, "d"); ok {
		n, err := strconv.ParseFloat(days, 64)
		if err != nil {
			return 0, fmt.Errorf("duration %q: want a number of days before d", s)
		}
		return time.Duration(n * float64(24*time.Hour)), nil
	}
	d, err := time.ParseDuration(t)
	if err != nil {
		return 0, fmt.Errorf("duration %q: want e.g. 90m, 48h or 7d", s)
	}
	return d, nil
}
