// Package codecserver serves the payload codec over Temporal's remote codec protocol
// (POST .../encode and .../decode, payloads as protobuf JSON, the namespace in X-Namespace),
// so operators read decrypted history in the UI and the CLI while Temporal stores only
// ciphertext. Every codec request must prove an operator: a bearer token (the CLI's
// --codec-auth) or the session cookie of the sign-in page (the browser, with the UI's
// codec.includeCredentials). Without one the answer is 401 and nothing is decoded.
package codecserver

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"
)

// Config is the codec server's settings, from the environment.
type Config struct {
	Addr       string        // HCAOPS_CODEC_ADDR
	Origins    []string      // HCAOPS_CODEC_ORIGINS: UI origins allowed by CORS
	Namespaces []string      // HCAOPS_CODEC_NAMESPACES
	SessionTTL time.Duration // HCAOPS_CODEC_SESSION_TTL
	TLSCert    string        // HCAOPS_CODEC_TLS_CERT_FILE
	TLSKey     string        // HCAOPS_CODEC_TLS_KEY_FILE
	Operators  *Operators    // HCAOPS_CODEC_TOKENS or HCAOPS_CODEC_TOKENS_FILE
}

// LoadConfig reads the environment, naming every bad value.
func LoadConfig(lookup func(string) (string, bool)) (Config, error) {
	get := func(name, def string) string {
		if v, ok := lookup(name); ok && strings.TrimSpace(v) != "" {
			return strings.TrimSpace(v)
		}
		return def
	}
	var errs []error
	c := Config{
		Addr:       get("HCAOPS_CODEC_ADDR", ":8089"),
		Origins:    list(get("HCAOPS_CODEC_ORIGINS", "http://localhost:8233")),
		Namespaces: list(get("HCAOPS_CODEC_NAMESPACES", "default")),
		TLSCert:    get("HCAOPS_CODEC_TLS_CERT_FILE", ""),
		TLSKey:     get("HCAOPS_CODEC_TLS_KEY_FILE", ""),
	}
	for _, o := range c.Origins {
		if err := checkOrigin(o); err != nil {
			errs = append(errs, fmt.Errorf("HCAOPS_CODEC_ORIGINS: %w", err))
		}
	}
	if len(c.Namespaces) == 0 {
		errs = append(errs, errors.New("HCAOPS_CODEC_NAMESPACES names no namespace"))
	}
	ttl := get("HCAOPS_CODEC_SESSION_TTL", "8h")
	d, err := time.ParseDuration(ttl)
	if err != nil || d < time.Minute || d > 7*24*time.Hour {
		errs = append(errs, fmt.Errorf("HCAOPS_CODEC_SESSION_TTL=%q must be a duration from 1m to 168h", ttl))
	}
	c.SessionTTL = d
	if (c.TLSCert == "") != (c.TLSKey == "") {
		errs = append(errs, errors.New("HCAOPS_CODEC_TLS_CERT_FILE and HCAOPS_CODEC_TLS_KEY_FILE go together: set both or neither"))
	}
	inline, file := get("HCAOPS_CODEC_TOKENS", ""), get("HCAOPS_CODEC_TOKENS_FILE", "")
	switch {
	case inline != "" && file != "":
		errs = append(errs, errors.New("both HCAOPS_CODEC_TOKENS and HCAOPS_CODEC_TOKENS_FILE are set: set one"))
	case inline != "":
		c.Operators, err = ParseOperators(inline, "HCAOPS_CODEC_TOKENS")
	case file != "":
		data, rerr := os.ReadFile(file)
		if rerr != nil {
			err = fmt.Errorf("HCAOPS_CODEC_TOKENS_FILE: %w", rerr)
		} else {
			c.Operators, err = ParseOperators(string(data), "HCAOPS_CODEC_TOKENS_FILE "+file)
		}
	default:
		err = errors.New("operator tokens are required: set HCAOPS_CODEC_TOKENS_FILE (lines NAME:TOKEN) or HCAOPS_CODEC_TOKENS; make one with `codecserver new-token NAME`")
	}
	if err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return Config{}, err
	}
	return c, nil
}

func list(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// checkOrigin accepts exactly what a browser sends in Origin: scheme, host and port, no path.
func checkOrigin(o string) error {
	u, err := url.Parse(o)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
		return fmt.Errorf("%q is not an origin such as https://temporal-ui.example.gov or http://localhost:8233", o)
	}
	if strings.HasSuffix(o, "/") {
		return fmt.Errorf("%q ends with a slash; browsers send origins without one", o)
	}
	return nil
}
