package sdmfake

import (
	"cmp"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// This file is the fake's list machinery: where clauses (WC), sorting (SORT),
// paging (start, size) and attribute selection (X-Obj-Attrs). Objects are
// offered to it as flat maps of attribute name to the value a where clause
// compares: the key of a reference ("WIP", "cr:400001"), the text of a string.

// condition is one term of a where clause: attr op value, or attr IS [NOT] NULL.
type condition struct {
	attr, op, value string
}

// whereOps are the comparison operators of SDM's where clauses, longest first.
var whereOps = []string{">=", "<=", "<>", "!=", "=", ">", "<"}

// parseWhere parses terms joined by AND: attr op 'value' or attr op number (op one of
// = <> != > >= < <=), attr LIKE 'pattern', attr IS NULL, attr IS NOT NULL. A single
// quote inside a value is written twice, as in SQL. Attributes may be dotted
// (group.last_name).
func parseWhere(wc string) ([]condition, error) {
	s := strings.TrimSpace(wc)
	if s == "" {
		return nil, nil
	}
	var conds []condition
	for {
		var c condition
		i := strings.IndexFunc(s, func(r rune) bool { return !(r == '_' || r == '.' || unicode.IsLetter(r) || unicode.IsDigit(r)) })
		if i == 0 {
			return nil, fmt.Errorf("invalid where clause %q: attribute name expected", wc)
		}
		if i < 0 {
			i = len(s)
		}
		c.attr, s = s[:i], strings.TrimSpace(s[i:])
		upper := strings.ToUpper(s)
		switch {
		case strings.HasPrefix(upper, "IS NOT NULL"):
			c.op, s = "IS NOT NULL", s[len("IS NOT NULL"):]
		case strings.HasPrefix(upper, "IS NULL"):
			c.op, s = "IS NULL", s[len("IS NULL"):]
		case strings.HasPrefix(upper, "LIKE "):
			c.op, s = "LIKE", strings.TrimSpace(s[len("LIKE "):])
		default:
			for _, op := range whereOps {
				if strings.HasPrefix(s, op) {
					c.op, s = op, strings.TrimSpace(s[len(op):])
					break
				}
			}
			if c.op == "" {
				return nil, fmt.Errorf("invalid where clause %q: operator expected after %s", wc, c.attr)
			}
		}
		if c.op != "IS NULL" && c.op != "IS NOT NULL" {
			switch {
			case strings.HasPrefix(s, "'"):
				var b strings.Builder
				s = s[1:]
				for {
					j := strings.IndexByte(s, '\'')
					if j < 0 {
						return nil, fmt.Errorf("invalid where clause %q: unterminated string", wc)
					}
					b.WriteString(s[:j])
					s = s[j+1:]
					if !strings.HasPrefix(s, "'") {
						break
					}
					b.WriteByte('\'')
					s = s[1:]
				}
				c.value = b.String()
			case c.op == "LIKE":
				return nil, fmt.Errorf("invalid where clause %q: LIKE needs a 'quoted' pattern", wc)
			default:
				j := strings.IndexFunc(s, unicode.IsSpace)
				if j < 0 {
					j = len(s)
				}
				if _, err := strconv.ParseFloat(s[:j], 64); err != nil {
					return nil, fmt.Errorf("invalid where clause %q: value must be 'quoted' or a number", wc)
				}
				c.value, s = s[:j], s[j:]
			}
		}
		conds = append(conds, c)
		s = strings.TrimSpace(s)
		if s == "" {
			return conds, nil
		}
		word, after, ok := strings.Cut(s, " ")
		if !ok || !strings.EqualFold(word, "AND") {
			return nil, fmt.Errorf("invalid where clause %q: only AND joins terms", wc)
		}
		s = strings.TrimSpace(after)
	}
}

// matches reports whether keys satisfies every condition, comparing text without
// regard to case as SDM's usual database collation does, and numbers as numbers. An
// empty value is NULL: it satisfies IS NULL and no comparison.
func matches(keys map[string]string, conds []condition) (bool, error) {
	for _, c := range conds {
		v, ok := keys[c.attr]
		if !ok {
			return false, fmt.Errorf("unknown attribute %q in where clause", c.attr)
		}
		var hit bool
		switch c.op {
		case "IS NULL":
			hit = v == ""
		case "IS NOT NULL":
			hit = v != ""
		case "LIKE":
			hit = v != "" && like(v, c.value)
		default:
			if v == "" {
				hit = false
				break
			}
			cmpv := compareValues(v, c.value)
			switch c.op {
			case "=":
				hit = cmpv == 0
			case "<>", "!=":
				hit = cmpv != 0
			case ">":
				hit = cmpv > 0
			case ">=":
				hit = cmpv >= 0
			case "<":
				hit = cmpv < 0
			case "<=":
				hit = cmpv <= 0
			}
		}
		if !hit {
			return false, nil
		}
	}
	return true, nil
}

// like is SQL LIKE without regard to case: % any run, _ any one character.
func like(s, pattern string) bool {
	sr, pr := []rune(strings.ToLower(s)), []rune(strings.ToLower(pattern))
	var match func(i, j int) bool
	match = func(i, j int) bool {
		for j < len(pr) {
			switch pr[j] {
			case '%':
				for k := i; k <= len(sr); k++ {
					if match(k, j+1) {
						return true
					}
				}
				return false
			case '_':
				if i >= len(sr) {
					return false
				}
			default:
				if i >= len(sr) || sr[i] != pr[j] {
					return false
				}
			}
			i++
			j++
		}
		return i == len(sr)
	}
	return match(0, 0)
}

// sortKey is one attr [ASC|DESC] term of SORT.
type sortKey struct {
	attr string
	desc bool
}

func parseSort(s string) ([]sortKey, error) {
	var keys []sortKey
	for term := range strings.SplitSeq(s, ",") {
		f := strings.Fields(term)
		if len(f) == 0 {
			continue
		}
		k := sortKey{attr: f[0]}
		switch {
		case len(f) == 1, len(f) == 2 && strings.EqualFold(f[1], "ASC"):
		case len(f) == 2 && strings.EqualFold(f[1], "DESC"):
			k.desc = true
		default:
			return nil, fmt.Errorf("invalid SORT %q", s)
		}
		keys = append(keys, k)
	}
	return keys, nil
}

// sortRows orders rows (each with its flat keys) by keys; numbers compare as numbers.
func sortRows[T any](rows []T, keysOf func(T) map[string]string, by []sortKey) error {
	for _, k := range by {
		if len(rows) > 0 {
			if _, ok := keysOf(rows[0])[k.attr]; !ok {
				return fmt.Errorf("unknown attribute %q in SORT", k.attr)
			}
		}
	}
	slices.SortStableFunc(rows, func(a, b T) int {
		ka, kb := keysOf(a), keysOf(b)
		for _, k := range by {
			c := compareValues(ka[k.attr], kb[k.attr])
			if k.desc {
				c = -c
			}
			if c != 0 {
				return c
			}
		}
		return 0
	})
	return nil
}

func compareValues(a, b string) int {
	na, errA := strconv.ParseFloat(a, 64)
	nb, errB := strconv.ParseFloat(b, 64)
	if errA == nil && errB == nil {
		return cmp.Compare(na, nb)
	}
	return strings.Compare(strings.ToLower(a), strings.ToLower(b))
}

// paging reads start (1-based) and size: 25 rows by default, at most 500.
func paging(q url.Values) (start, size int, err error) {
	start, size = 1, 25
	if s := q.Get("start"); s != "" {
		if start, err = strconv.Atoi(s); err != nil || start < 1 {
			return 0, 0, fmt.Errorf("invalid start %q", s)
		}
	}
	if s := q.Get("size"); s != "" {
		if size, err = strconv.Atoi(s); err != nil || size < 1 {
			return 0, 0, fmt.Errorf("invalid size %q", s)
		}
	}
	return start, min(size, 500), nil
}

// objAttrs parses X-Obj-Attrs: nil for none (only the identity comes back),
// ["*"] for all.
func objAttrs(header string) ([]string, error) {
	var attrs []string
	for a := range strings.SplitSeq(header, ",") {
		if a = strings.TrimSpace(a); a != "" {
			attrs = append(attrs, a)
		}
	}
	if slices.Contains(attrs, "*") && len(attrs) > 1 {
		return nil, errors.New("X-Obj-Attrs: * cannot be combined with names")
	}
	return attrs, nil
}
