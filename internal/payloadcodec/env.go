package payloadcodec

import (
	"fmt"
	"os"
	"strings"
)

// Environment variables every program of a deployment reads (the same values everywhere:
// worker replicas, command-line tools, the codec server).
const (
	EnvKeys      = "HCAOPS_PAYLOAD_KEYS"       // the key ring itself (a secret in the environment)
	EnvKeysFile  = "HCAOPS_PAYLOAD_KEYS_FILE"  // or a file holding it (a mounted secret)
	EnvPlaintext = "HCAOPS_PLAINTEXT_PAYLOADS" // read (default) or refuse
)

// FromEnv builds the codec from the environment. Keys are required: there is no
// unencrypted mode.
func FromEnv(lookup func(string) (string, bool)) (*Codec, error) {
	get := func(name string) string {
		v, _ := lookup(name)
		return strings.TrimSpace(v)
	}
	inline, file := get(EnvKeys), get(EnvKeysFile)
	var ring *KeyRing
	var err error
	switch {
	case inline != "" && file != "":
		return nil, fmt.Errorf("both %s and %s are set: set one", EnvKeys, EnvKeysFile)
	case inline != "":
		ring, err = ParseKeyRing(inline, EnvKeys)
	case file != "":
		data, rerr := os.ReadFile(file)
		if rerr != nil {
			return nil, fmt.Errorf("%s: %w", EnvKeysFile, rerr)
		}
		ring, err = ParseKeyRing(string(data), EnvKeysFile+" "+file)
	default:
		return nil, fmt.Errorf("payload encryption keys are required: set %s (a file of KEYID:BASE64 lines) or %s; generate a key with `codecserver new-key KEYID`", EnvKeysFile, EnvKeys)
	}
	if err != nil {
		return nil, err
	}
	policy := PlaintextRead
	switch p := get(EnvPlaintext); p {
	case "", "read":
	case "refuse":
		policy = PlaintextRefuse
	default:
		return nil, fmt.Errorf("%s=%q must be read or refuse", EnvPlaintext, printable(p))
	}
	return New(ring, policy), nil
}
