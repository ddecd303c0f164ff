package duration

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

type tier string

type policy struct {
	Name     string                 `json:"name"`
	Ack      time.Duration          `json:"acknowledge"`
	Window   time.Duration          `json:"window,omitempty"`
	PerTier  map[tier]time.Duration `json:"perTier"`
	Untagged time.Duration
	Skipped  time.Duration `json:"-"`
	Count    int64         `json:"count"`
}

func (v policy) MarshalJSON() ([]byte, error) {
	type plain policy
	return MarshalFields(plain(v))
}

func (v *policy) UnmarshalJSON(b []byte) error {
	type plain policy
	return UnmarshalFields(b, (*plain)(v))
}

func TestFieldsWrittenAsPeopleReadThem(t *testing.T) {
	b, err := json.Marshal(policy{Name: "p", Ack: 48 * time.Hour, PerTier: map[tier]time.Duration{"es": 90 * time.Minute},
		Untagged: 4 * time.Second, Skipped: time.Hour, Count: 172800000000000})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"Untagged":"4s","acknowledge":"48h","count":172800000000000,"name":"p","perTier":{"es":"1h30m"}}`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
}

// Histories recorded before hold nanoseconds; fields the JSON leaves out keep their values.
func TestFieldsReadFromStringsAndNanoseconds(t *testing.T) {
	v := policy{Window: time.Minute, Count: 7}
	in := `{"name":"p","acknowledge":172800000000000,"perTier":{"es":"7d","hrc":3600000000000},"untagged":"1h30m"}`
	if err := json.Unmarshal([]byte(in), &v); err != nil {
		t.Fatal(err)
	}
	if v.Name != "p" || v.Ack != 48*time.Hour || v.PerTier["es"] != 168*time.Hour || v.PerTier["hrc"] != time.Hour ||
		v.Untagged != 90*time.Minute || v.Window != time.Minute || v.Count != 7 {
		t.Errorf("read %+v", v)
	}
	var back policy
	b, _ := json.Marshal(v)
	if err := json.Unmarshal(b, &back); err != nil || back.Ack != v.Ack || back.PerTier["es"] != v.PerTier["es"] || back.Window != v.Window {
		t.Errorf("round trip: %+v %v", back, err)
	}
}

func TestFieldsBadDurationNamesTheField(t *testing.T) {
	var v policy
	err := json.Unmarshal([]byte(`{"acknowledge":"two days"}`), &v)
	if err == nil || !strings.Contains(err.Error(), "acknowledge") || !strings.Contains(err.Error(), "two days") {
		t.Errorf("error %v, want one naming acknowledge and the value", err)
	}
	if err := json.Unmarshal([]byte(`[1]`), &v); err == nil {
		t.Error("an array read as a policy")
	}
	if err := json.Unmarshal([]byte(`null`), &v); err != nil {
		t.Errorf("null: %v", err)
	}
}
