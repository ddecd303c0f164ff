package duration

import (
	"encoding/json"
	"testing"
	"time"
)

func TestWrittenAsPeopleReadThem(t *testing.T) {
	for _, c := range []struct {
		d    time.Duration
		want string
	}{
		{48 * time.Hour, `"48h"`}, {720 * time.Hour, `"720h"`}, {90 * time.Minute, `"1h30m"`},
		{4 * time.Second, `"4s"`}, {90 * time.Second, `"1m30s"`}, {1500 * time.Millisecond, `"1.5s"`}, {0, `"0s"`},
		{10 * time.Minute, `"10m"`},
	} {
		b, err := json.Marshal(Duration(c.d))
		if err != nil || string(b) != c.want {
			t.Errorf("%v: %s %v, want %s", c.d, b, err, c.want)
		}
	}
}

// Histories recorded before this package hold nanoseconds: they must still decode.
func TestReadFromStringsAndFromNanoseconds(t *testing.T) {
	for _, c := range []struct {
		in   string
		want time.Duration
	}{
		{`"48h"`, 48 * time.Hour}, {`172800000000000`, 48 * time.Hour}, {`"7d"`, 168 * time.Hour},
		{`"1h30m"`, 90 * time.Minute}, {`4000000000`, 4 * time.Second}, {`1.728e+14`, 48 * time.Hour},
	} {
		var d Duration
		if err := json.Unmarshal([]byte(c.in), &d); err != nil || time.Duration(d) != c.want {
			t.Errorf("%s: %v %v, want %v", c.in, time.Duration(d), err, c.want)
		}
	}
	var d Duration
	if err := json.Unmarshal([]byte(`"two days"`), &d); err == nil {
		t.Error(`"two days" read without an error`)
	}
}
