package dynamics

import (
	"net/url"
	"strings"
)

// isGUID reports whether s is a GUID in the 8-4-4-4-12 hex form Dataverse uses for keys.
// IDs are checked before they go into a URL path so a bad ID cannot address another resource.
func isGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, c := range s {
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !strings.ContainsRune("0123456789abcdefABCDEF", c) {
				return false
			}
		}
	}
	return true
}

// quote makes s an OData string literal: single quotes are escaped by doubling them.
func quote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// queryEscape escapes an OData query option value. Spaces become %20 rather than '+',
// which OData servers do not all read as a space.
func queryEscape(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

// query builds "?$select=a,b&$filter=..." for an entity set.
func query(sel, filter string) string {
	return "?$select=" + queryEscape(sel) + "&$filter=" + queryEscape(filter)
}

// bind is the value of a single-valued navigation property binding: /set(GUID).
func bind(set, id string) string { return "/" + set + "(" + id + ")" }
