package dynamicsfake

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// The fake's OData query support: $select, and a $filter of "property eq literal"
// clauses joined by "and" -- what hcaops sends, and no more.

// filterClause is one "property eq literal".
type filterClause struct {
	prop     string
	value    string
	quoted   bool // a string literal; otherwise a number, GUID, true, false or null
	contains bool // contains(prop,'value'): a substring, without regard to case
}

// parseFilter parses a $filter such as
//
//	hcaops_reference eq 'O''Brien' and statecode eq 0
func parseFilter(s string) ([]filterClause, error) {
	var clauses []filterClause
	p := strings.TrimSpace(s)
	word := func() string {
		i := strings.IndexFunc(p, func(r rune) bool { return r == ' ' })
		if i < 0 {
			i = len(p)
		}
		w := p[:i]
		p = strings.TrimLeft(p[i:], " ")
		return w
	}
	for {
		var c filterClause
		if rest, ok := strings.CutPrefix(p, "contains("); ok {
			prop, lit, ok := strings.Cut(rest, ",")
			if !ok || !strings.HasPrefix(strings.TrimSpace(lit), "'") {
				return nil, fmt.Errorf("contains needs a property and a string")
			}
			value, after, err := stringLiteral(strings.TrimSpace(lit))
			if err != nil {
				return nil, err
			}
			after = strings.TrimLeft(after, " ")
			if !strings.HasPrefix(after, ")") {
				return nil, fmt.Errorf("contains(...) is not closed")
			}
			c = filterClause{prop: strings.TrimSpace(prop), value: value, quoted: true, contains: true}
			clauses = append(clauses, c)
			p = strings.TrimLeft(after[1:], " ")
			if p == "" {
				return clauses, nil
			}
			if and := word(); and != "and" {
				return nil, fmt.Errorf("only and joins clauses, got %q", and)
			}
			continue
		}
		if c.prop = word(); c.prop == "" {
			return nil, fmt.Errorf("expected a property name")
		}
		if op := word(); op != "eq" {
			return nil, fmt.Errorf("only the eq operator is supported, got %q", op)
		}
		if strings.HasPrefix(p, "'") {
			lit, rest, err := stringLiteral(p)
			if err != nil {
				return nil, err
			}
			c.value, c.quoted = lit, true
			p = strings.TrimLeft(rest, " ")
		} else if c.value = word(); c.value == "" {
			return nil, fmt.Errorf("expected a value after %s eq", c.prop)
		}
		clauses = append(clauses, c)
		if p == "" {
			return clauses, nil
		}
		if and := word(); and != "and" {
			return nil, fmt.Errorf("only and joins clauses, got %q", and)
		}
	}
}

// stringLiteral reads a quoted OData string at the start of s, in which a doubled
// single quote stands for one.
func stringLiteral(s string) (lit, rest string, err error) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		if s[i] != '\'' {
			b.WriteByte(s[i])
			continue
		}
		if i+1 < len(s) && s[i+1] == '\'' {
			b.WriteByte('\'')
			i++
			continue
		}
		return b.String(), s[i+1:], nil
	}
	return "", "", fmt.Errorf("unterminated string literal")
}

// checkProps reports the first clause property that the entity type does not have.
func checkProps(clauses []filterClause, props []string) error {
	for _, c := range clauses {
		if !slices.Contains(props, c.prop) {
			return fmt.Errorf("could not find a property named '%s'", c.prop)
		}
	}
	return nil
}

// matches reports whether the entity satisfies every clause. Like Dataverse's default
// collation, string and GUID comparison ignores case.
func matches(entity map[string]any, clauses []filterClause) bool {
	for _, c := range clauses {
		v := entity[c.prop]
		if v == nil {
			if c.quoted || c.value != "null" {
				return false
			}
			continue
		}
		if c.contains {
			if !strings.Contains(strings.ToLower(literalText(v)), strings.ToLower(c.value)) {
				return false
			}
			continue
		}
		if !strings.EqualFold(literalText(v), c.value) {
			return false
		}
	}
	return true
}

func literalText(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case int:
		return strconv.Itoa(v)
	case bool:
		return strconv.FormatBool(v)
	}
	return fmt.Sprint(v)
}

// selectProps keeps the $select-ed properties of an entity, plus its key and etag,
// which Dataverse always returns.
func selectProps(entity map[string]any, sel, key string, props []string) (map[string]any, error) {
	if strings.TrimSpace(sel) == "" {
		return entity, nil
	}
	out := map[string]any{key: entity[key]}
	if etag, ok := entity["@odata.etag"]; ok {
		out["@odata.etag"] = etag
	}
	for _, p := range strings.Split(sel, ",") {
		p = strings.TrimSpace(p)
		if !slices.Contains(props, p) {
			return nil, fmt.Errorf("could not find a property named '%s'", p)
		}
		out[p] = entity[p]
	}
	return out, nil
}
