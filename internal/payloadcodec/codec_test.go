package payloadcodec

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
	"google.golang.org/protobuf/proto"
)

// testRing makes a ring of freshly generated keys, the first active.
func testRing(t testing.TB, ids ...string) *KeyRing {
	t.Helper()
	var entries []string
	for _, id := range ids {
		e, err := NewKeyEntry(id)
		if err != nil {
			t.Fatal(err)
		}
		entries = append(entries, e)
	}
	r, err := ParseKeyRing(strings.Join(entries, "\n"), "test ring")
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// ringEntries generates one key ring entry per ID, to assemble rings before and after a rotation.
func ringEntries(t *testing.T, ids ...string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, id := range ids {
		e, err := NewKeyEntry(id)
		if err != nil {
			t.Fatal(err)
		}
		out[id] = e
	}
	return out
}

func mustRing(t *testing.T, text string) *KeyRing {
	t.Helper()
	r, err := ParseKeyRing(text, "test")
	if err != nil {
		t.Fatal(err)
	}
	return r
}

const secretValue = "SSN 231549876 of Quinn Zebulon"

func plainPayloads(t *testing.T) []*commonpb.Payload {
	t.Helper()
	dc := converter.GetDefaultDataConverter()
	var out []*commonpb.Payload
	for _, v := range []any{map[string]string{"ssn": "231549876", "name": "Quinn Zebulon"}, secretValue, nil, []byte(secretValue)} {
		p, err := dc.ToPayload(v)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

func TestEncodeEncryptsEveryPayloadAndDecodeRestoresIt(t *testing.T) {
	c := New(testRing(t, "2026-06"), PlaintextRead)
	in := plainPayloads(t)
	enc, err := c.Encode(in)
	if err != nil {
		t.Fatal(err)
	}
	if len(enc) != len(in) {
		t.Fatalf("%d payloads encoded, want %d", len(enc), len(in))
	}
	for i, p := range enc {
		if got := string(p.Metadata["encoding"]); got != "binary/encrypted" {
			t.Errorf("payload %d encoding %q, want binary/encrypted", i, got)
		}
		if got := string(p.Metadata["encryption-key-id"]); got != "2026-06" {
			t.Errorf("payload %d key ID %q", i, got)
		}
		if got := string(p.Metadata["encryption-cipher"]); got != "AES-256-GCM" {
			t.Errorf("payload %d cipher %q", i, got)
		}
		if len(p.Metadata) != 3 {
			t.Errorf("payload %d has metadata %v: the original encoding must be inside the ciphertext", i, p.Metadata)
		}
		for _, s := range []string{"231549876", "Quinn", "json/plain", "binary/null"} {
			if bytes.Contains(p.Data, []byte(s)) {
				t.Errorf("payload %d data contains %q", i, s)
			}
		}
	}
	again, _ := c.Encode(in)
	if bytes.Equal(again[1].Data, enc[1].Data) {
		t.Error("two encryptions of one value are identical: the nonce is not random")
	}
	dec, err := c.Decode(enc)
	if err != nil {
		t.Fatal(err)
	}
	for i := range in {
		if !proto.Equal(in[i], dec[i]) {
			t.Errorf("payload %d: decoded %v, want %v", i, dec[i], in[i])
		}
	}
}

func TestRotationNewKeyEncryptsOldKeysStillDecrypt(t *testing.T) {
	k := ringEntries(t, "2026-01", "2026-06")
	before := New(mustRing(t, k["2026-01"]), PlaintextRead)
	old, err := before.Encode(plainPayloads(t))
	if err != nil {
		t.Fatal(err)
	}
	// Rotation: the new key goes first, the old one stays to decrypt.
	after := New(mustRing(t, k["2026-06"]+"\n"+k["2026-01"]), PlaintextRead)
	if after.KeyRing().ActiveKeyID() != "2026-06" {
		t.Fatalf("active key %s, want the first entry", after.KeyRing().ActiveKeyID())
	}
	if _, err := after.Decode(old); err != nil {
		t.Fatalf("old payloads after rotation: %v", err)
	}
	fresh, err := after.Encode(plainPayloads(t))
	if err != nil {
		t.Fatal(err)
	}
	if got := string(fresh[0].Metadata["encryption-key-id"]); got != "2026-06" {
		t.Fatalf("new payloads encrypted with %q, want 2026-06", got)
	}
	// Retiring the old key: what it encrypted is refused by name, never passed on.
	retired := New(mustRing(t, k["2026-06"]), PlaintextRead)
	_, err = retired.Decode(old)
	if !errors.Is(err, ErrUnknownKey) || !strings.Contains(err.Error(), `key "2026-01"`) {
		t.Fatalf("decode with the old key retired: %v", err)
	}
}

func TestDecodeRefusesBrokenPayloadsWithoutFallingBackToPlaintext(t *testing.T) {
	k := ringEntries(t, "a", "b")
	c := New(mustRing(t, k["a"]+"\n"+k["b"]), PlaintextRead)
	fresh := func() *commonpb.Payload {
		enc, err := c.Encode(plainPayloads(t)[:1])
		if err != nil {
			t.Fatal(err)
		}
		return enc[0]
	}
	cases := []struct {
		name   string
		change func(p *commonpb.Payload)
		want   error
		text   string
	}{
		{"missing key ID", func(p *commonpb.Payload) { delete(p.Metadata, "encryption-key-id") }, ErrMissingKeyID, "payload 0: encrypted payload has no key ID"},
		{"empty key ID", func(p *commonpb.Payload) { p.Metadata["encryption-key-id"] = nil }, ErrMissingKeyID, "no key ID"},
		{"unknown key ID", func(p *commonpb.Payload) { p.Metadata["encryption-key-id"] = []byte("z") }, ErrUnknownKey, `key "z" (the ring holds [a b])`},
		{"other known key ID", func(p *commonpb.Payload) { p.Metadata["encryption-key-id"] = []byte("b") }, ErrTampered, "(key b)"},
		{"flipped ciphertext bit", func(p *commonpb.Payload) { p.Data[len(p.Data)/2] ^= 1 }, ErrTampered, "(key a)"},
		{"flipped nonce bit", func(p *commonpb.Payload) { p.Data[0] ^= 1 }, ErrTampered, "(key a)"},
		{"flipped tag bit", func(p *commonpb.Payload) { p.Data[len(p.Data)-1] ^= 1 }, ErrTampered, "(key a)"},
		{"truncated", func(p *commonpb.Payload) { p.Data = p.Data[:20] }, ErrTampered, "20 bytes is shorter than a nonce and a tag"},
		{"empty data", func(p *commonpb.Payload) { p.Data = nil }, ErrTampered, "0 bytes"},
		{"relabelled as JSON", func(p *commonpb.Payload) { p.Metadata["encoding"] = []byte("json/plain") }, ErrTampered, `carries key ID "a" but encoding "json/plain"`},
		{"other cipher", func(p *commonpb.Payload) { p.Metadata["encryption-cipher"] = []byte("AES-128-CBC") }, ErrCipher, `"AES-128-CBC"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := fresh()
			tc.change(p)
			out, err := c.Decode([]*commonpb.Payload{p})
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.text) {
				t.Fatalf("error %v, want %v containing %q", err, tc.want, tc.text)
			}
			if out != nil {
				t.Fatalf("decode returned payloads %v with its error", out)
			}
			// In a worker: retry the workflow task (until a replica with the key takes
			// it), never fail the workflow.
			var taskFailure *converter.WorkflowTaskFailureError
			if !errors.As(err, &taskFailure) {
				t.Fatalf("error %T does not fail the workflow task", err)
			}
		})
	}
}

func TestPlaintextPayloadsAreReadOrRefusedAsConfigured(t *testing.T) {
	in := plainPayloads(t)
	ring := testRing(t, "a")
	out, err := New(ring, PlaintextRead).Decode(in)
	if err != nil {
		t.Fatal(err)
	}
	for i := range in {
		if !proto.Equal(in[i], out[i]) {
			t.Fatalf("plaintext payload %d changed: %v", i, out[i])
		}
	}
	_, err = New(ring, PlaintextRefuse).Decode(in)
	if !errors.Is(err, ErrPlaintext) || !strings.Contains(err.Error(), `payload 0: payload is not encrypted (encoding "json/plain") and HCAOPS_PLAINTEXT_PAYLOADS=refuse`) {
		t.Fatalf("refuse: %v", err)
	}
}
