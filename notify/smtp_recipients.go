package notify

import (
	"net/mail"
	"strings"
)

// envelopeRecipients turns Message.To into the addresses to send to: an entry with '@' is
// an address, any other entry a group name for ResolveGroup. Duplicates (a person in two
// groups) are sent once. Errors name entries by position and groups by name, never an
// address.
func (s SMTP) envelopeRecipients(to []string) ([]string, error) {
	if len(to) == 0 {
		return nil, invalidf("no recipients")
	}
	var out []string
	seen := map[string]bool{}
	add := func(addr string) {
		if k := strings.ToLower(addr); !seen[k] {
			seen[k] = true
			out = append(out, addr)
		}
	}
	for i, r := range to {
		r = strings.TrimSpace(r)
		switch {
		case strings.ContainsAny(r, "\r\n"):
			return nil, invalidf("recipient %d contains a line break (CR or LF)", i+1)
		case r == "":
			return nil, invalidf("recipient %d is empty", i+1)
		case strings.Contains(r, "@"):
			addr, ok := parseAddress(r)
			if !ok {
				return nil, invalidf("recipient %d is not a valid email address", i+1)
			}
			add(addr)
		default:
			members, err := s.resolveGroup(i+1, r)
			if err != nil {
				return nil, err
			}
			for _, a := range members {
				add(a)
			}
		}
	}
	return out, nil
}

// resolveGroup returns the addresses of group name, the recipient at position pos.
func (s SMTP) resolveGroup(pos int, name string) ([]string, error) {
	// The name is shown in errors so that ops can fix the directory; safeRecipient still
	// guards against a phone number someone typed where a group belongs.
	shown := safeRecipient(name)
	if s.ResolveGroup == nil {
		return nil, invalidf("recipient %d is the group %q, but no ResolveGroup is configured", pos, shown)
	}
	members := s.ResolveGroup(name)
	if len(members) == 0 {
		return nil, invalidf("group %q has no addresses", shown)
	}
	out := make([]string, 0, len(members))
	for j, m := range members {
		if strings.ContainsAny(m, "\r\n") {
			return nil, invalidf("address %d of group %q contains a line break (CR or LF)", j+1, shown)
		}
		addr, ok := parseAddress(strings.TrimSpace(m))
		if !ok {
			return nil, invalidf("address %d of group %q is not a valid email address", j+1, shown)
		}
		out = append(out, addr)
	}
	return out, nil
}

// parseAddress accepts "jane@example.com" and "Jane Doe <jane@example.com>" and returns
// the bare address for the envelope.
func parseAddress(s string) (string, bool) {
	if strings.ContainsAny(s, "\r\n") {
		return "", false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || !strings.Contains(a.Address, "@") {
		return "", false
	}
	return a.Address, true
}
