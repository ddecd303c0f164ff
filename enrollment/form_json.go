package enrollment

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
)

// ParseApplication reads one application from JSON ({"applicationId", "veteranIdentifier",
// "form"}) strictly, and names every problem by path without its value: an unknown field
// (a typo would otherwise drop an answer silently) and a value of the wrong JSON type. Paths
// inside the form are the form's own ("veteranAddress.postalCode"), as Validate writes them.
// It does not validate the answers; call Validate for that.
func ParseApplication(raw []byte) (Application, error) {
	var generic any
	if err := json.Unmarshal(raw, &generic); err != nil {
		return Application{}, &FieldError{Field: "application", Problem: "not valid JSON" + syntaxOffset(err)}
	}
	var errs []error
	checkJSON(&errs, "", generic, reflect.TypeFor[Application]())
	if len(errs) > 0 {
		return Application{}, errors.Join(errs...)
	}
	var a Application
	if err := json.Unmarshal(raw, &a); err != nil {
		// The shape was checked above; what is left is a number that does not fit its field.
		return Application{}, &FieldError{Field: "application", Problem: "cannot be read: " + typeProblem(err)}
	}
	return a, nil
}

func syntaxOffset(err error) string {
	if syn, ok := errors.AsType[*json.SyntaxError](err); ok {
		return fmt.Sprintf(" (syntax error at byte %d)", syn.Offset)
	}
	return ""
}

func typeProblem(err error) string {
	if te, ok := errors.AsType[*json.UnmarshalTypeError](err); ok {
		return te.Field + " must be a " + te.Type.String()
	}
	return "invalid value"
}

// checkJSON walks a decoded JSON value against the Go type it will fill.
func checkJSON(errs *[]error, path string, v any, t reflect.Type) {
	if v == nil { // null: absent
		return
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	add := func(problem string) {
		*errs = append(*errs, &FieldError{Field: formPath(path), Problem: problem})
	}
	switch t.Kind() {
	case reflect.Struct:
		obj, ok := v.(map[string]any)
		if !ok {
			add("must be an object")
			return
		}
		fields := jsonFields(t)
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		slices.Sort(keys) // one order for the messages
		for _, k := range keys {
			f, ok := fields[k]
			if !ok {
				*errs = append(*errs, &FieldError{Field: formPath(join(path, k)), Problem: "unknown field"})
				continue
			}
			checkJSON(errs, join(path, k), obj[k], f)
		}
	case reflect.Slice:
		list, ok := v.([]any)
		if !ok {
			add("must be an array")
			return
		}
		for i, e := range list {
			checkJSON(errs, fmt.Sprintf("%s[%d]", path, i), e, t.Elem())
		}
	case reflect.String:
		if _, ok := v.(string); !ok {
			add("must be a string")
		}
	case reflect.Bool:
		if _, ok := v.(bool); !ok {
			add("must be true or false")
		}
	case reflect.Float64:
		if _, ok := v.(float64); !ok {
			add("must be a number")
		}
	case reflect.Int, reflect.Int64:
		if n, ok := v.(float64); !ok || n != float64(int64(n)) {
			add("must be a whole number")
		}
	}
}

// jsonFields maps a struct's JSON names to their types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" || !f.IsExported() {
			continue
		}
		out[name] = f.Type
	}
	return out
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// formPath writes a path inside the form as the form's own.
func formPath(path string) string {
	if rest, ok := strings.CutPrefix(path, "form."); ok {
		return rest
	}
	if path == "" {
		return "application"
	}
	return path
}
