package codecserver

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// MinTokenLength keeps tokens out of guessing range (new-token makes 43 characters).
const MinTokenLength = 24

var operatorName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$`)

// Operators are the people allowed to decode, each with a secret token. The name is what
// the audit log records; the token is what the CLI sends and the sign-in page takes.
type Operators struct {
	byName map[string][]byte
	names  []string
	hashes [][sha256.Size]byte
}

// ParseOperators reads entries "NAME:TOKEN", separated by newlines or commas, # comments.
// Errors name the entry and the operator, never the token.
func ParseOperators(text, source string) (*Operators, error) {
	ops := &Operators{byName: map[string][]byte{}}
	var errs []error
	seenToken := map[[sha256.Size]byte]string{}
	n := 0
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		for _, entry := range strings.Split(line, ",") {
			if entry = strings.TrimSpace(entry); entry == "" {
				continue
			}
			n++
			name, token, ok := strings.Cut(entry, ":")
			name, token = strings.TrimSpace(name), strings.TrimSpace(token)
			switch {
			case !ok:
				errs = append(errs, fmt.Errorf("%s: entry %d: not NAME:TOKEN (no colon)", source, n))
			case !operatorName.MatchString(name):
				errs = append(errs, fmt.Errorf("%s: entry %d: operator name must be 1-64 letters, digits, '.', '_', '@' or '-'", source, n))
			case len(token) < MinTokenLength:
				errs = append(errs, fmt.Errorf("%s: entry %d: the token of %s is %d characters; at least %d are needed", source, n, name, len(token), MinTokenLength))
			case ops.byName[name] != nil:
				errs = append(errs, fmt.Errorf("%s: entry %d: operator %s appears twice", source, n, name))
			default:
				h := sha256.Sum256([]byte(token))
				if other, dup := seenToken[h]; dup {
					errs = append(errs, fmt.Errorf("%s: entry %d: %s has the same token as %s", source, n, name, other))
					continue
				}
				seenToken[h] = name
				ops.byName[name] = []byte(token)
				ops.names = append(ops.names, name)
				ops.hashes = append(ops.hashes, h)
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if len(ops.names) == 0 {
		return nil, fmt.Errorf("%s holds no operator: expected entries NAME:TOKEN", source)
	}
	return ops, nil
}

// byToken returns the operator a token belongs to. Every operator is compared, in constant
// time over fixed-length hashes, so timing tells nothing about which tokens exist.
func (o *Operators) byToken(token string) (string, bool) {
	h := sha256.Sum256([]byte(token))
	found := -1
	for i := range o.hashes {
		if subtle.ConstantTimeCompare(h[:], o.hashes[i][:]) == 1 {
			found = i
		}
	}
	if found < 0 || token == "" {
		return "", false
	}
	return o.names[found], true
}

// sessionMAC signs a browser session with the operator's own token: replacing or removing
// that token ends the operator's sessions, and every replica of the codec server, with the
// same tokens, accepts the same cookies without shared state.
func (o *Operators) sessionMAC(name string, expires int64) ([]byte, bool) {
	token, ok := o.byName[name]
	if !ok {
		return nil, false
	}
	m := hmac.New(sha256.New, token)
	fmt.Fprintf(m, "hcaops-codec-session-v1|%s|%d", name, expires)
	return m.Sum(nil), true
}

// NewTokenEntry makes an operator entry "NAME:TOKEN" with a random token.
func NewTokenEntry(name string) (string, error) {
	if !operatorName.MatchString(name) {
		return "", fmt.Errorf("operator name %q must be 1-64 letters, digits, '.', '_', '@' or '-'", name)
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return name + ":" + base64.RawURLEncoding.EncodeToString(b), nil
}
