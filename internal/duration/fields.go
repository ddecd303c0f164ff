package duration

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"
)

// A struct whose time.Duration fields should read as people read them gives itself two
// short methods that hand a method-less copy of itself to MarshalFields and UnmarshalFields:
//
//	func (v Policy) MarshalJSON() ([]byte, error) { type plain Policy; return duration.MarshalFields(plain(v)) }
//	func (v *Policy) UnmarshalJSON(b []byte) error { type plain Policy; return duration.UnmarshalFields(b, (*plain)(v)) }
//
// Its fields keep their type, time.Duration, so the code that uses them does not change.

var durationType = reflect.TypeFor[time.Duration]()

// durationField is a struct field of type time.Duration, or a map of them, by its JSON key.
type durationField struct {
	key   string
	isMap bool
}

// fieldsByType keeps fieldsOf's answer per type: ticket state (its policy, its clocks) is
// encoded on every query answer and workflow result, and a type's fields never change.
var fieldsByType sync.Map // reflect.Type → []durationField

// fieldsOf lists t's exported time.Duration fields and maps of time.Duration, named as
// encoding/json names them.
func fieldsOf(t reflect.Type) []durationField {
	if f, ok := fieldsByType.Load(t); ok {
		return f.([]durationField)
	}
	f := scanFields(t)
	fieldsByType.Store(t, f)
	return f
}

func scanFields(t reflect.Type) []durationField {
	var out []durationField
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() || f.Anonymous {
			continue
		}
		isMap := f.Type.Kind() == reflect.Map && f.Type.Elem() == durationType
		if f.Type != durationType && !isMap {
			continue
		}
		key, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if key == "-" {
			continue
		}
		if key == "" {
			key = f.Name
		}
		out = append(out, durationField{key: key, isMap: isMap})
	}
	return out
}

// MarshalFields is json.Marshal of v, a struct without JSON methods of its own, with every
// time.Duration field (and map of them) written as Format writes it: "48h". Keys come out
// sorted.
func MarshalFields(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	fields := fieldsOf(reflect.TypeOf(v))
	if len(fields) == 0 {
		return b, nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(b, &obj); err != nil {
		return nil, err
	}
	for _, f := range fields {
		raw, ok := obj[f.key]
		if !ok { // left out by omitempty
			continue
		}
		if obj[f.key], err = rewrite(raw, f.isMap, func(d Duration) any { return d }); err != nil {
			return nil, fmt.Errorf("%s: %w", f.key, err)
		}
	}
	return json.Marshal(obj)
}

// UnmarshalFields is json.Unmarshal into v, a pointer to a struct without JSON methods of
// its own, reading every time.Duration field (and map of them) from a string ("48h",
// "7d") or, as histories recorded before hold them, a number of nanoseconds. Fields the
// JSON leaves out keep their values, as encoding/json does.
func UnmarshalFields(b []byte, v any) error {
	fields := fieldsOf(reflect.TypeOf(v).Elem())
	var obj map[string]json.RawMessage
	if len(fields) == 0 || json.Unmarshal(b, &obj) != nil || obj == nil {
		return json.Unmarshal(b, v) // not an object: encoding/json says what is wrong
	}
	for _, f := range fields {
		key, ok := lookup(obj, f.key)
		if !ok {
			continue
		}
		var err error
		if obj[key], err = rewrite(obj[key], f.isMap, func(d Duration) any { return int64(d) }); err != nil {
			return fmt.Errorf("%s: %w", f.key, err)
		}
	}
	b, err := json.Marshal(obj)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// rewrite reads raw as a Duration, or an object of them, and writes each as out gives it.
func rewrite(raw json.RawMessage, isMap bool, out func(Duration) any) (json.RawMessage, error) {
	if string(raw) == "null" {
		return raw, nil
	}
	if !isMap {
		var d Duration
		if err := json.Unmarshal(raw, &d); err != nil {
			return nil, err
		}
		return json.Marshal(out(d))
	}
	var m map[string]Duration
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	w := make(map[string]any, len(m))
	for k, d := range m {
		w[k] = out(d)
	}
	return json.Marshal(w)
}

// lookup finds key in obj as encoding/json matches a field: exactly, or else without
// regard to case (the first such key in sorted order, so the choice does not vary).
func lookup(obj map[string]json.RawMessage, key string) (string, bool) {
	if _, ok := obj[key]; ok {
		return key, true
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if strings.EqualFold(k, key) {
			return k, true
		}
	}
	return "", false
}
