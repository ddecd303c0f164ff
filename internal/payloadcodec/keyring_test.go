package payloadcodec

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func b64(n int, fill func(i int) byte) string {
	k := make([]byte, n)
	for i := range k {
		k[i] = fill(i)
	}
	return base64.StdEncoding.EncodeToString(k)
}

var good = b64(32, func(i int) byte { return byte(i*7 + 3) })

func TestParseKeyRingNamesEveryBadEntryWithoutQuotingKeys(t *testing.T) {
	short := b64(16, func(i int) byte { return byte(i + 1) })
	zeros := b64(32, func(int) byte { return 0 })
	text := strings.Join([]string{
		"# hcaops payload keys",
		"k1:" + good,
		"k2:" + short,
		"k3:not*base64",
		"k4:" + good[:len(good)-1], // padding removed
		"k1:" + good,
		"bad id:" + good,
		"k5" + good,
		"k6:" + zeros,
	}, "\n")
	_, err := ParseKeyRing(text, "HCAOPS_PAYLOAD_KEYS")
	if err == nil {
		t.Fatal("bad ring accepted")
	}
	want := []string{
		"HCAOPS_PAYLOAD_KEYS: entry 2: key k2 is 16 bytes after base64 decoding; AES-256 needs exactly 32",
		"HCAOPS_PAYLOAD_KEYS: entry 3: key k3 is not valid base64 (standard alphabet, padded)",
		"HCAOPS_PAYLOAD_KEYS: entry 4: key k4 is not valid base64 (standard alphabet, padded)",
		`HCAOPS_PAYLOAD_KEYS: entry 5: key ID "k1" appears twice`,
		`HCAOPS_PAYLOAD_KEYS: entry 6: key ID "bad id" must be 1-64 letters, digits, '.', '_' or '-'`,
		"HCAOPS_PAYLOAD_KEYS: entry 7: not KEYID:BASE64 (no colon)",
		"HCAOPS_PAYLOAD_KEYS: entry 8: key k6 is one byte repeated: generate a random key",
	}
	got := strings.Split(err.Error(), "\n")
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("errors:\n%s\nwant:\n%s", err, strings.Join(want, "\n"))
	}
	for _, k := range []string{good, short, zeros, "not*base64"} {
		if strings.Contains(err.Error(), k) {
			t.Fatalf("error quotes key material %q", k)
		}
	}
}

func TestParseKeyRingCommasCommentsAndOrder(t *testing.T) {
	other := b64(32, func(i int) byte { return byte(255 - i) })
	r, err := ParseKeyRing("# comment\n  new:"+other+" , old:"+good+"\n\n", "t")
	if err != nil {
		t.Fatal(err)
	}
	if r.ActiveKeyID() != "new" || strings.Join(r.KeyIDs(), ",") != "new,old" {
		t.Fatalf("active %s, ids %v", r.ActiveKeyID(), r.KeyIDs())
	}
	if _, err := ParseKeyRing("# only a comment\n", "t"); err == nil || !strings.Contains(err.Error(), "t holds no key") {
		t.Fatalf("empty ring: %v", err)
	}
}

func TestNewKeyEntryMakesAUsableDistinctKey(t *testing.T) {
	a, err := NewKeyEntry("2026-06")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := NewKeyEntry("2026-06")
	if a == b {
		t.Fatal("two generated keys are equal")
	}
	if !strings.HasPrefix(a, "2026-06:") {
		t.Fatalf("entry %q", a)
	}
	if _, err := ParseKeyRing(a, "t"); err != nil {
		t.Fatal(err)
	}
	if _, err := NewKeyEntry("no/slash"); err == nil {
		t.Fatal("bad key ID accepted")
	}
}

func TestFromEnv(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "keys")
	if err := os.WriteFile(file, []byte("f1:"+good+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := func(kv ...string) func(string) (string, bool) {
		m := map[string]string{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
	}
	c, err := FromEnv(env("HCAOPS_PAYLOAD_KEYS_FILE", file))
	if err != nil || c.KeyRing().ActiveKeyID() != "f1" || c.plaintext != PlaintextRead {
		t.Fatalf("from a file: %v", err)
	}
	c, err = FromEnv(env("HCAOPS_PAYLOAD_KEYS", "e1:"+good, "HCAOPS_PLAINTEXT_PAYLOADS", "refuse"))
	if err != nil || c.KeyRing().ActiveKeyID() != "e1" || c.plaintext != PlaintextRefuse {
		t.Fatalf("from the environment: %v", err)
	}
	for _, tc := range []struct {
		env  func(string) (string, bool)
		want string
	}{
		{env(), "payload encryption keys are required: set HCAOPS_PAYLOAD_KEYS_FILE"},
		{env("HCAOPS_PAYLOAD_KEYS", "e1:"+good, "HCAOPS_PAYLOAD_KEYS_FILE", file), "both HCAOPS_PAYLOAD_KEYS and HCAOPS_PAYLOAD_KEYS_FILE are set"},
		{env("HCAOPS_PAYLOAD_KEYS_FILE", filepath.Join(dir, "missing")), "HCAOPS_PAYLOAD_KEYS_FILE: open "},
		{env("HCAOPS_PAYLOAD_KEYS", "e1:short"), "HCAOPS_PAYLOAD_KEYS: entry 1: key e1 is not valid base64"},
		{env("HCAOPS_PAYLOAD_KEYS", "e1:"+good, "HCAOPS_PLAINTEXT_PAYLOADS", "allow"), `HCAOPS_PLAINTEXT_PAYLOADS="allow" must be read or refuse`},
	} {
		if _, err := FromEnv(tc.env); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("error %v, want %q", err, tc.want)
		}
	}
}
