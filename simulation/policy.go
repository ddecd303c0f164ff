package simulation

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/hcaops/hcaops/config"
	"github.com/hcaops/hcaops/ticket"
)

// A policy file proposes changes to the service targets, in JSON. Fields left out keep
// the current policy's value:
//
//	{
//	  "acknowledge": "24h",
//	  "acknowledgeCalendar": "business",
//	  "resolution": {"Urgent": "24h", "High": "5d", "Medium": "10d", "Low": "20d"},
//	  "resolutionCalendar": "calendar",
//	  "es": {"Urgent": "72h", "High": "10d"},
//	  "esCalendar": "business",
//	  "warnings": [0.5, 0.9],
//	  "businessHours": {"zone": "America/Chicago", "start": "07:00", "end": "19:00"},
//	  "holidays": {"federal": "observed", "extra": ["2026-12-24", "2026-12-31"]},
//	  "reopenWindow": "7d",
//	  "esStallCalls": 2
//	}
//
// Durations are Go durations or days ("48h", "90m", "15d"). An unknown field is refused
// by name and line, so a typo never silently keeps the current value.
type policyFile struct {
	Acknowledge         *string           `json:"acknowledge"`
	AcknowledgeCalendar *string           `json:"acknowledgeCalendar"`
	Resolution          map[string]string `json:"resolution"`
	ResolutionCalendar  *string           `json:"resolutionCalendar"`
	ES                  map[string]string `json:"es"`
	ESCalendar          *string           `json:"esCalendar"`
	Warnings            *[]float64        `json:"warnings"`
	BusinessHours       *struct {
		Zone  *string `json:"zone"`
		Start *string `json:"start"`
		End   *string `json:"end"`
	} `json:"businessHours"`
	Holidays *struct {
		Federal *string   `json:"federal"`
		Extra   *[]string `json:"extra"`
	} `json:"holidays"`
	ReopenWindow *string `json:"reopenWindow"`
	ESStallCalls *int    `json:"esStallCalls"`
}

// schema names every field a policy file may hold; nil is a value, a map an object.
var priorityFields = map[string]any{"Urgent": nil, "High": nil, "Medium": nil, "Low": nil}

var schema = map[string]any{
	"acknowledge": nil, "acknowledgeCalendar": nil, "resolution": priorityFields, "resolutionCalendar": nil,
	"es": priorityFields, "esCalendar": nil, "warnings": nil,
	"businessHours": map[string]any{"zone": nil, "start": nil, "end": nil},
	"holidays":      map[string]any{"federal": nil, "extra": nil},
	"reopenWindow":  nil, "esStallCalls": nil,
}

// ReadPolicy applies a policy file to base and returns the proposed policy.
func ReadPolicy(data []byte, name string, base ticket.Policy) (ticket.Policy, error) {
	if err := checkFields(data, name); err != nil {
		return ticket.Policy{}, err
	}
	var f policyFile
	if err := json.Unmarshal(data, &f); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return ticket.Policy{}, fmt.Errorf("%s line %d: %s must be %s", name, lineAt(data, int(te.Offset)), te.Field, kind(te.Type.String()))
		}
		return ticket.Policy{}, fmt.Errorf("%s: %w", name, err)
	}
	p := base
	p.Resolution, p.ES = maps.Clone(base.Resolution), maps.Clone(base.ES)
	p.Warnings, p.Holidays = slices.Clone(base.Warnings), slices.Clone(base.Holidays)
	var errs []error
	dur := func(field, v string, into *time.Duration) {
		d, err := config.ParseDuration(v)
		if err != nil || d <= 0 {
			errs = append(errs, fmt.Errorf("%s: %s %q is not a positive duration (48h, 90m, 15d)", name, field, v))
			return
		}
		*into = d
	}
	str := func(v *string, into *string) {
		if v != nil {
			*into = *v
		}
	}
	if f.Acknowledge != nil {
		dur("acknowledge", *f.Acknowledge, &p.Acknowledge)
	}
	for _, pr := range ticket.Priorities {
		if v, ok := f.Resolution[string(pr)]; ok {
			d := p.Resolution[pr]
			dur("resolution."+string(pr), v, &d)
			p.Resolution[pr] = d
		}
		if v, ok := f.ES[string(pr)]; ok {
			d := p.ES[pr]
			dur("es."+string(pr), v, &d)
			p.ES[pr] = d
		}
	}
	str(f.AcknowledgeCalendar, &p.AcknowledgeCalendar)
	str(f.ResolutionCalendar, &p.ResolutionCalendar)
	str(f.ESCalendar, &p.ESCalendar)
	if f.Warnings != nil {
		p.Warnings = *f.Warnings
	}
	if b := f.BusinessHours; b != nil {
		str(b.Zone, &p.Zone)
		str(b.Start, &p.DayStart)
		str(b.End, &p.DayEnd)
	}
	if h := f.Holidays; h != nil {
		str(h.Federal, &p.FederalHolidays)
		if h.Extra != nil {
			p.Holidays = *h.Extra
		}
	}
	if f.ReopenWindow != nil {
		dur("reopenWindow", *f.ReopenWindow, &p.ReopenWindow)
	}
	if f.ESStallCalls != nil {
		p.ESStallCalls = *f.ESStallCalls
	}
	if err := errors.Join(errs...); err != nil {
		return ticket.Policy{}, err
	}
	if err := p.Validate(); err != nil {
		return ticket.Policy{}, fmt.Errorf("%s: %w", name, err)
	}
	if _, err := ticket.NewCalendars(p); err != nil {
		return ticket.Policy{}, fmt.Errorf("%s: businessHours or holidays: %w", name, err)
	}
	return p, nil
}

// checkFields walks the JSON and refuses the first field the schema does not know, with
// its dotted path and line.
func checkFields(data []byte, name string) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	var walk func(path string, known map[string]any) error
	walk = func(path string, known map[string]any) error {
		tok, err := dec.Token()
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if d, ok := tok.(json.Delim); !ok || d != '{' {
			what := "the file"
			if path != "" {
				what = path
			}
			return fmt.Errorf("%s line %d: %s must be an object", name, lineAt(data, int(dec.InputOffset())), what)
		}
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			key := tok.(string)
			field := strings.TrimPrefix(path+"."+key, ".")
			sub, ok := known[key]
			if !ok {
				return fmt.Errorf("%s line %d: unknown field %q (known here: %s)", name, lineAt(data, int(dec.InputOffset())),
					field, strings.Join(slices.Sorted(maps.Keys(known)), ", "))
			}
			if m, isObject := sub.(map[string]any); isObject {
				if err := walk(field, m); err != nil {
					return err
				}
				continue
			}
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return fmt.Errorf("%s line %d: %s: %w", name, lineAt(data, int(dec.InputOffset())), field, err)
			}
		}
		_, err = dec.Token() // '}'
		return err
	}
	return walk("", schema)
}

func lineAt(data []byte, offset int) int {
	offset = min(max(offset, 0), len(data))
	return bytes.Count(data[:offset], []byte("\n")) + 1
}

func kind(goType string) string {
	switch {
	case strings.Contains(goType, "float"), strings.Contains(goType, "int"):
		return "a number"
	case strings.HasPrefix(goType, "[]"):
		return "a list"
	case strings.HasPrefix(goType, "map"), strings.HasPrefix(goType, "struct"):
		return "an object"
	}
	return "a string"
}
