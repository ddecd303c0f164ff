package sdmfake

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// view renders objects the way SDM answers: identity (@id, @REL_ATTR,
// @COMMON_NAME, link) plus the attributes X-Obj-Attrs asked for.
type view struct {
	base     string   // scheme://host, for links
	attrs    []string // nil: identity only; ["*"]: everything
	noCustom bool     // the site has no zhcaops_ref, zescalated
}

// render picks the requested attributes out of all; an unknown name is an error.
func (v view) render(factory string, id int, relAttr, commonName string, all map[string]any) (map[string]any, error) {
	obj := map[string]any{
		"@id":          strconv.Itoa(id),
		"@REL_ATTR":    relAttr,
		"@COMMON_NAME": commonName,
		"link":         link(v.base, factory+"/"+strconv.Itoa(id)),
	}
	for _, a := range v.attrs {
		if a == "*" {
			for k, val := range all {
				obj[k] = val
			}
			continue
		}
		base, sub, dotted := strings.Cut(a, ".")
		val, ok := all[base]
		if ok && dotted {
			// log_agent.userid: the reference, with the attribute inside it.
			if ref, isRef := val.(map[string]string); isRef {
				_, ok = ref[sub]
			} else {
				ok = val == ""
			}
		}
		if !ok {
			return nil, fmt.Errorf("X-Obj-Attrs: unknown attribute %q for %s", a, factory)
		}
		obj[base] = val
	}
	return obj, nil
}

// collection renders a list answer. SDM sends a lone item as an object, not an
// array of one, and leaves the item key out of an empty collection.
func collection(factory string, start, total int, items []map[string]any) map[string]any {
	coll := map[string]any{
		"@COUNT":       strconv.Itoa(len(items)),
		"@START":       strconv.Itoa(start),
		"@TOTAL_COUNT": strconv.Itoa(total),
	}
	switch len(items) {
	case 0:
		coll["@START"] = "0"
	case 1:
		coll[factory] = items[0]
	default:
		coll[factory] = items
	}
	return map[string]any{"collection_" + factory: coll}
}

// listPage filters, sorts and pages rows for a GET list call. candidates, when it
// answers ok, narrows rows through an index before the where clause is checked.
func listPage[T any](r *http.Request, v view, factory string, rows []T, candidates func([]condition) ([]T, bool),
	keysOf func(T) map[string]string, render func(T) (map[string]any, error)) answer {
	q := r.URL.Query()
	conds, err := parseWhere(q.Get("WC"))
	if err != nil {
		return sdmError(http.StatusBadRequest, "%v", err)
	}
	if narrowed, ok := candidates(conds); ok {
		rows = narrowed
	}
	var hits []T
	for _, row := range rows {
		ok, err := matches(keysOf(row), conds)
		if err != nil {
			return sdmError(http.StatusBadRequest, "%v", err)
		}
		if ok {
			hits = append(hits, row)
		}
	}
	by, err := parseSort(q.Get("SORT"))
	if err == nil {
		err = sortRows(hits, keysOf, by)
	}
	if err != nil {
		return sdmError(http.StatusBadRequest, "%v", err)
	}
	start, size, err := paging(q)
	if err != nil {
		return sdmError(http.StatusBadRequest, "%v", err)
	}
	var items []map[string]any
	for i := start - 1; i >= 0 && i < len(hits) && len(items) < size; i++ {
		obj, err := render(hits[i])
		if err != nil {
			return sdmError(http.StatusBadRequest, "%v", err)
		}
		items = append(items, obj)
	}
	return answer{http.StatusOK, collection(factory, start, len(hits), items)}
}

// readFields reads a POST or PUT body {"factory":{...}} into its attributes.
func readFields(r *http.Request, factory string) (map[string]json.RawMessage, error) {
	raw, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("reading body: %v", err)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(raw, &top); err != nil {
		return nil, fmt.Errorf("body is not JSON: %v", err)
	}
	obj, ok := top[factory]
	if !ok || len(top) != 1 {
		return nil, fmt.Errorf("body must be {%q:{...}}", factory)
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(obj, &fields); err != nil {
		return nil, fmt.Errorf("%s must be an object: %v", factory, err)
	}
	return fields, nil
}

// sortedNames returns the attribute names of fields in order, so that errors
// do not depend on map order.
func sortedNames(fields map[string]json.RawMessage) []string {
	names := make([]string, 0, len(fields))
	for k := range fields {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

func stringField(name string, raw json.RawMessage) (string, error) {
	var s scalar
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", fmt.Errorf("%s: %v", name, err)
	}
	return string(s), nil
}

func refField(name string, raw json.RawMessage) (reference, error) {
	var ref reference
	if len(raw) == 0 || raw[0] != '{' || json.Unmarshal(raw, &ref) != nil {
		return reference{}, fmt.Errorf(`%s must be a reference such as {"@REL_ATTR":"..."} or {"@COMMON_NAME":"..."}`, name)
	}
	if ref == (reference{}) {
		return reference{}, fmt.Errorf("%s: empty reference", name)
	}
	return ref, nil
}

// nameField reads a reference the fake resolves by @COMMON_NAME only.
func nameField(name string, raw json.RawMessage) (string, error) {
	ref, err := refField(name, raw)
	if err != nil {
		return "", err
	}
	if ref.CommonName == "" {
		return "", fmt.Errorf("%s: the fake resolves %s by @COMMON_NAME only", name, name)
	}
	return string(ref.CommonName), nil
}

// namedRef renders a reference to an object the fake knows only by name
// (group, category, customer), with a stable made-up uuid as its key.
func namedRef(name string) any {
	if name == "" {
		return ""
	}
	h := fnv.New64a()
	h.Write([]byte(name))
	uuid := fmt.Sprintf("U'%016X%016X'", h.Sum64(), uint64(len(name)))
	return map[string]string{"@id": uuid, "@REL_ATTR": uuid, "@COMMON_NAME": name}
}

// unix renders a time as SDM does: Unix seconds, "" when unset.
func unix(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return strconv.FormatInt(t.Unix(), 10)
}

// cloneIncident copies inc so that a failed update leaves it untouched.
func cloneIncident(inc *FakeIncident) *FakeIncident {
	c := *inc
	c.Log = slices.Clone(inc.Log)
	return &c
}
