// Package payloadcodec encrypts every payload hcaops writes to Temporal with AES-256-GCM,
// so the 10-10EZ form (names, SSN, date of birth, contact details), ticket data and error
// messages are ciphertext in Temporal's database, UI and exports. Each encrypted payload
// names its key in its metadata; a key ring lets a new key encrypt while old keys still
// decrypt. Programs get it through internal/temporalclient; the codec server serves the
// same Codec over HTTP for the UI and the CLI.
package payloadcodec

import (
	"crypto/rand"
	"errors"
	"fmt"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
	"google.golang.org/protobuf/proto"
)

// Metadata of an encrypted payload. The original payload (its metadata and data) is the
// plaintext, so nothing about the value, not even its encoding, is visible.
const (
	EncodingEncrypted = "binary/encrypted"
	MetadataKeyID     = "encryption-key-id"
	MetadataCipher    = "encryption-cipher"
	CipherAES256GCM   = "AES-256-GCM"
)

// Errors a caller can test with errors.Is. Each is wrapped with the payload's position and,
// where there is one, its key ID.
var (
	ErrMissingKeyID = errors.New("encrypted payload has no key ID")
	ErrUnknownKey   = errors.New("payload key is not in the key ring")
	ErrTampered     = errors.New("payload failed authentication (tampered, truncated, or another key of the same ID)")
	ErrCipher       = errors.New("payload uses an unsupported cipher")
	ErrPlaintext    = errors.New("payload is not encrypted")
)

// PlaintextPolicy says what Decode does with a payload that carries no encryption metadata
// at all: one written before hcaops encrypted (old histories, the committed replay
// histories), or by a tool without the codec. Encode never writes plaintext.
type PlaintextPolicy int

const (
	// PlaintextRead passes such payloads through unchanged. Workflows started before
	// encryption was turned on keep running (tickets live 30 days and more), and their
	// histories still replay.
	PlaintextRead PlaintextPolicy = iota
	// PlaintextRefuse fails on them: for a deployment whose histories are all encrypted,
	// so that nobody can slip a plaintext value into a workflow by rewriting history.
	PlaintextRefuse
)

// Codec is a converter.PayloadCodec that encrypts with the key ring's active key.
type Codec struct {
	ring      *KeyRing
	plaintext PlaintextPolicy
}

// New returns a codec over ring.
func New(ring *KeyRing, plaintext PlaintextPolicy) *Codec {
	return &Codec{ring: ring, plaintext: plaintext}
}

// KeyRing is the codec's key ring.
func (c *Codec) KeyRing() *KeyRing { return c.ring }

var _ converter.PayloadCodec = (*Codec)(nil)

// Encode encrypts every payload with the active key. It never returns a payload unencrypted:
// on any error the whole call fails.
func (c *Codec) Encode(payloads []*commonpb.Payload) ([]*commonpb.Payload, error) {
	id := c.ring.active
	aead := c.ring.aeads[id]
	out := make([]*commonpb.Payload, len(payloads))
	for i, p := range payloads {
		plain, err := proto.Marshal(p)
		if err != nil {
			return nil, fmt.Errorf("payload %d: marshal before encryption: %w", i, err)
		}
		sealed := make([]byte, aead.NonceSize(), aead.NonceSize()+len(plain)+aead.Overhead())
		if _, err := rand.Read(sealed); err != nil {
			return nil, fmt.Errorf("payload %d: nonce: %w", i, err)
		}
		sealed = aead.Seal(sealed, sealed, plain, additionalData(id))
		out[i] = &commonpb.Payload{
			Metadata: map[string][]byte{
				converter.MetadataEncoding: []byte(EncodingEncrypted),
				MetadataKeyID:              []byte(id),
				MetadataCipher:             []byte(CipherAES256GCM),
			},
			Data: sealed,
		}
	}
	return out, nil
}

// Decode decrypts every encrypted payload; see PlaintextPolicy for the others. An
// encrypted payload that cannot be decrypted is an error, never passed on as it is.
//
// In a worker the error fails the workflow task, not the workflow: a replica missing a key
// (a rotation not yet rolled out everywhere) leaves the ticket open and its task retried
// until a replica with the key picks it up, instead of ending a 30-day ticket for good.
func (c *Codec) Decode(payloads []*commonpb.Payload) ([]*commonpb.Payload, error) {
	out := make([]*commonpb.Payload, len(payloads))
	for i, p := range payloads {
		d, err := c.decode(p)
		if err != nil {
			return nil, converter.NewWorkflowTaskFailureError(fmt.Errorf("payload %d: %w", i, err))
		}
		out[i] = d
	}
	return out, nil
}

func (c *Codec) decode(p *commonpb.Payload) (*commonpb.Payload, error) {
	md := p.GetMetadata()
	keyID, hasKeyID := md[MetadataKeyID]
	if string(md[converter.MetadataEncoding]) != EncodingEncrypted {
		if hasKeyID {
			// Someone relabelled an encrypted payload: refuse rather than hand on ciphertext as a value.
			return nil, fmt.Errorf("%w: it carries key ID %q but encoding %q", ErrTampered, printable(string(keyID)), printable(string(md[converter.MetadataEncoding])))
		}
		if c.plaintext == PlaintextRefuse {
			return nil, fmt.Errorf("%w (encoding %q) and HCAOPS_PLAINTEXT_PAYLOADS=refuse", ErrPlaintext, printable(string(md[converter.MetadataEncoding])))
		}
		return p, nil
	}
	if len(keyID) == 0 {
		return nil, ErrMissingKeyID
	}
	id := string(keyID)
	if cipherName, ok := md[MetadataCipher]; ok && string(cipherName) != CipherAES256GCM {
		return nil, fmt.Errorf("%w: %q (key %s)", ErrCipher, printable(string(cipherName)), printable(id))
	}
	aead, ok := c.ring.aeads[id]
	if !ok {
		return nil, fmt.Errorf("%w: key %q (the ring holds %v)", ErrUnknownKey, printable(id), c.ring.ids)
	}
	data := p.GetData()
	if len(data) < aead.NonceSize()+aead.Overhead() {
		return nil, fmt.Errorf("%w: %d bytes is shorter than a nonce and a tag (key %s)", ErrTampered, len(data), id)
	}
	nonce, sealed := data[:aead.NonceSize()], data[aead.NonceSize():]
	plain, err := aead.Open(nil, nonce, sealed, additionalData(id))
	if err != nil {
		return nil, fmt.Errorf("%w (key %s)", ErrTampered, id)
	}
	var orig commonpb.Payload
	if err := proto.Unmarshal(plain, &orig); err != nil {
		return nil, fmt.Errorf("decrypted payload is not a Temporal payload (key %s): %w", id, err)
	}
	return &orig, nil
}

// additionalData binds the ciphertext to the metadata that says how to open it (format,
// cipher, key ID): change any of them and authentication fails.
func additionalData(keyID string) []byte {
	return []byte("hcaops-payload-v1|" + CipherAES256GCM + "|" + keyID)
}
