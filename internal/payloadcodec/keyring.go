package payloadcodec

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// KeySize is the length of an AES-256 key in bytes.
const KeySize = 32

// keyIDPattern keeps key IDs printable and short: they travel in every payload's metadata
// and appear in error messages, so they must never be a secret or carry one.
var keyIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// KeyRing holds the keys of one deployment: the active key encrypts every new payload,
// the others only decrypt payloads written before a rotation.
type KeyRing struct {
	active string
	aeads  map[string]cipher.AEAD
	ids    []string // in the order given, active first
}

// ActiveKeyID is the ID of the key new payloads are encrypted with.
func (r *KeyRing) ActiveKeyID() string { return r.active }

// KeyIDs lists every key ID, the active one first.
func (r *KeyRing) KeyIDs() []string { return append([]string(nil), r.ids...) }

// ParseKeyRing reads a key ring: entries "KEYID:BASE64" (standard base64 of 32 bytes),
// separated by newlines or commas; lines starting with # are comments. The first entry
// is the active key. source names where the text came from, for error messages; no error
// ever quotes key material.
func ParseKeyRing(text, source string) (*KeyRing, error) {
	r := &KeyRing{aeads: map[string]cipher.AEAD{}}
	var errs []error
	n := 0
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		for _, entry := range strings.Split(line, ",") {
			entry = strings.TrimSpace(entry)
			if entry == "" {
				continue
			}
			n++
			id, aead, err := parseEntry(entry)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: entry %d: %w", source, n, err))
				continue
			}
			if _, dup := r.aeads[id]; dup {
				errs = append(errs, fmt.Errorf("%s: entry %d: key ID %q appears twice", source, n, id))
				continue
			}
			r.aeads[id] = aead
			r.ids = append(r.ids, id)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if len(r.ids) == 0 {
		return nil, fmt.Errorf("%s holds no key: expected entries KEYID:BASE64 (generate one with `codecserver new-key KEYID`)", source)
	}
	r.active = r.ids[0]
	return r, nil
}

func parseEntry(entry string) (string, cipher.AEAD, error) {
	id, encoded, ok := strings.Cut(entry, ":")
	if !ok {
		return "", nil, errors.New("not KEYID:BASE64 (no colon)")
	}
	id, encoded = strings.TrimSpace(id), strings.TrimSpace(encoded)
	if !keyIDPattern.MatchString(id) {
		return "", nil, fmt.Errorf("key ID %q must be 1-64 letters, digits, '.', '_' or '-'", printable(id))
	}
	key, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil {
		return "", nil, fmt.Errorf("key %s is not valid base64 (standard alphabet, padded)", id)
	}
	if len(key) != KeySize {
		return "", nil, fmt.Errorf("key %s is %d bytes after base64 decoding; AES-256 needs exactly %d", id, len(key), KeySize)
	}
	if weak(key) {
		return "", nil, fmt.Errorf("key %s is one byte repeated: generate a random key", id)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return "", nil, fmt.Errorf("key %s: %w", id, err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return "", nil, fmt.Errorf("key %s: %w", id, err)
	}
	return id, aead, nil
}

// weak refuses the placeholder keys people type by hand (all zeros, all 'A's).
func weak(key []byte) bool {
	for _, b := range key[1:] {
		if b != key[0] {
			return false
		}
	}
	return true
}

// printable keeps a rejected key ID readable in an error without echoing control characters.
func printable(s string) string {
	if len(s) > 64 {
		s = s[:64] + "..."
	}
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return '?'
		}
		return r
	}, s)
}

// NewKeyEntry generates a random key and returns it as a key ring entry "KEYID:BASE64".
func NewKeyEntry(id string) (string, error) {
	if !keyIDPattern.MatchString(id) {
		return "", fmt.Errorf("key ID %q must be 1-64 letters, digits, '.', '_' or '-'", printable(id))
	}
	key := make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		return "", fmt.Errorf("generate key: %w", err)
	}
	return id + ":" + base64.StdEncoding.EncodeToString(key), nil
}
