package codecserver

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/hcaops/hcaops/internal/payloadcodec"
)

const (
	aliceToken = "alice-token-0123456789abcdefghij"
	bobToken   = "bob-token-0123456789abcdefghijkl"
	uiOrigin   = "http://localhost:8233"
)

type fixture struct {
	srv   *Server
	codec *payloadcodec.Codec
	logs  *bytes.Buffer
	now   time.Time
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	entry, err := payloadcodec.NewKeyEntry("k1")
	if err != nil {
		t.Fatal(err)
	}
	ring, err := payloadcodec.ParseKeyRing(entry, "test")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := LoadConfig(lookup(map[string]string{
		"HCAOPS_CODEC_TOKENS": "alice:" + aliceToken + ",bob:" + bobToken, "HCAOPS_CODEC_ORIGINS": uiOrigin,
	}))
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{codec: payloadcodec.New(ring, payloadcodec.PlaintextRead), logs: &bytes.Buffer{},
		now: time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)}
	f.srv = New(cfg, f.codec, zerolog.New(f.logs))
	f.srv.now = func() time.Time { return f.now }
	return f
}

func lookup(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

// encryptedBody is a codec request as the UI sends it: Payloads in protobuf JSON, bytes as
// base64, holding one payload the programs encrypted from the JSON value "Quinn Zebulon".
func (f *fixture) encryptedBody(t *testing.T) string {
	t.Helper()
	p, err := f.codec.DataConverter().ToPayload("Quinn Zebulon")
	if err != nil {
		t.Fatal(err)
	}
	md := map[string]string{}
	for k, v := range p.Metadata {
		md[k] = base64.StdEncoding.EncodeToString(v)
	}
	b, _ := json.Marshal(map[string]any{"payloads": []any{map[string]any{"metadata": md, "data": base64.StdEncoding.EncodeToString(p.Data)}}})
	return string(b)
}

func (f *fixture) do(method, path, body string, header ...string) *http.Response {
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Add(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	f.srv.ServeHTTP(w, r)
	return w.Result()
}

func readAll(r *http.Response) string {
	b, _ := io.ReadAll(r.Body)
	return string(b)
}

// decodedValues reads a codec response by the protocol's field names.
func decodedValues(t *testing.T, body string) []string {
	t.Helper()
	var resp struct {
		Payloads []struct {
			Metadata map[string]string `json:"metadata"`
			Data     string            `json:"data"`
		} `json:"payloads"`
	}
	if err := json.Unmarshal([]byte(body), &resp); err != nil {
		t.Fatalf("response %q: %v", body, err)
	}
	var out []string
	for _, p := range resp.Payloads {
		enc, _ := base64.StdEncoding.DecodeString(p.Metadata["encoding"])
		data, _ := base64.StdEncoding.DecodeString(p.Data)
		out = append(out, string(enc)+" "+string(data))
	}
	return out
}

func TestDecodeWithoutCredentialsIsRefusedAndDecodesNothing(t *testing.T) {
	f := newFixture(t)
	body := f.encryptedBody(t)
	for _, tc := range []struct {
		name   string
		header []string
		want   string
	}{
		{"no credential", nil, "sign in at /signin or send Authorization: Bearer TOKEN"},
		{"wrong token", []string{"Authorization", "Bearer " + strings.Repeat("x", 32)}, "not an operator's token"},
		{"basic auth", []string{"Authorization", "Basic YWxpY2U6eA=="}, "must be Bearer TOKEN"},
		{"empty bearer", []string{"Authorization", "Bearer "}, "not an operator's token"},
		{"wrong token with a valid session", []string{"Authorization", "Bearer nope", "Cookie", f.srv.newSession("alice", f.now).String()}, "not an operator's token"},
		{"forged session", []string{"Cookie", SessionCookie + "=v1." + base64.RawURLEncoding.EncodeToString([]byte("alice")) + ".9999999999.AAAA"}, "sign in"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := append([]string{"X-Namespace", "default", "Content-Type", "application/json", "Origin", uiOrigin}, tc.header...)
			resp := f.do("POST", "/decode", body, h...)
			got := readAll(resp)
			if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(got, tc.want) {
				t.Fatalf("%d %q, want 401 %q", resp.StatusCode, got, tc.want)
			}
			if strings.Contains(got, "Quinn") || strings.Contains(got, "payloads") {
				t.Fatalf("a refused request got payloads: %q", got)
			}
			if resp.Header.Get("WWW-Authenticate") == "" {
				t.Fatal("401 without WWW-Authenticate")
			}
			// CORS headers on the refusal let the UI see a 401 rather than a network error.
			if resp.Header.Get("Access-Control-Allow-Origin") != uiOrigin {
				t.Fatalf("401 lacks CORS headers: %v", resp.Header)
			}
		})
	}
}

func TestBearerTokenDecodesAndEveryRequestIsAudited(t *testing.T) {
	f := newFixture(t)
	resp := f.do("POST", "/decode", f.encryptedBody(t), "Authorization", "Bearer "+bobToken, "X-Namespace", "default")
	body := readAll(resp)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	if got := decodedValues(t, body); len(got) != 1 || got[0] != `json/plain "Quinn Zebulon"` {
		t.Fatalf("decoded %q", got)
	}
	logs := f.logs.String()
	if !strings.Contains(logs, `"operator":"bob"`) || !strings.Contains(logs, `"auth":"bearer"`) || !strings.Contains(logs, `"namespace":"default"`) || strings.Contains(logs, "Quinn") {
		t.Fatalf("audit log: %s", logs)
	}
	if strings.Contains(logs, bobToken) {
		t.Fatal("the audit log holds a token")
	}
}

func TestEndpointsMountedAtAnyDepth(t *testing.T) {
	f := newFixture(t)
	resp := f.do("POST", "/codec/default/decode", f.encryptedBody(t), "Authorization", "Bearer "+aliceToken, "X-Namespace", "default")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%d %s", resp.StatusCode, readAll(resp))
	}
}

func TestEncodeThenDecode(t *testing.T) {
	f := newFixture(t)
	plain := `{"payloads":[{"metadata":{"encoding":"anNvbi9wbGFpbg=="},"data":"IlF1aW5uIg=="}]}` // json/plain "Quinn"
	resp := f.do("POST", "/encode", plain, "Authorization", "Bearer "+aliceToken, "X-Namespace", "default")
	enc := readAll(resp)
	if resp.StatusCode != http.StatusOK || strings.Contains(enc, "IlF1aW5uIg==") {
		t.Fatalf("%d %s", resp.StatusCode, enc)
	}
	if got := decodedValues(t, enc); !strings.HasPrefix(got[0], "binary/encrypted ") {
		t.Fatalf("encode answered %q", got)
	}
	resp = f.do("POST", "/decode", enc, "Authorization", "Bearer "+aliceToken, "X-Namespace", "default")
	if got := decodedValues(t, readAll(resp)); got[0] != `json/plain "Quinn"` {
		t.Fatalf("round trip %q", got)
	}
}

func TestTamperedPayloadIsAnErrorNotPassedThrough(t *testing.T) {
	f := newFixture(t)
	var req map[string][]map[string]any
	_ = json.Unmarshal([]byte(f.encryptedBody(t)), &req)
	data, _ := base64.StdEncoding.DecodeString(req["payloads"][0]["data"].(string))
	data[len(data)-1] ^= 1
	req["payloads"][0]["data"] = base64.StdEncoding.EncodeToString(data)
	b, _ := json.Marshal(req)
	resp := f.do("POST", "/decode", string(b), "Authorization", "Bearer "+aliceToken, "X-Namespace", "default")
	body := readAll(resp)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "failed authentication") {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
}

func TestNamespaceHeaderIsChecked(t *testing.T) {
	f := newFixture(t)
	body := f.encryptedBody(t)
	if resp := f.do("POST", "/decode", body, "Authorization", "Bearer "+aliceToken, "X-Namespace", "payments"); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("other namespace: %d", resp.StatusCode)
	}
	// The CLI sends an empty X-Namespace unless told the namespace: one served, it is that one.
	if resp := f.do("POST", "/decode", body, "Authorization", "Bearer "+aliceToken, "X-Namespace", ""); resp.StatusCode != http.StatusOK {
		t.Fatalf("empty X-Namespace, one namespace served: %d", resp.StatusCode)
	}
	if !strings.Contains(f.logs.String(), `"namespace":"default"`) {
		t.Fatalf("audit log: %s", f.logs)
	}
	f.srv.cfg.Namespaces = []string{"default", "payments"}
	resp := f.do("POST", "/decode", body, "Authorization", "Bearer "+aliceToken)
	if got := readAll(resp); resp.StatusCode != http.StatusBadRequest || !strings.Contains(got, "X-Namespace header is required") {
		t.Fatalf("no X-Namespace, two namespaces served: %d %q", resp.StatusCode, got)
	}
}

func TestPreflightAllowsOnlyTheUIOrigin(t *testing.T) {
	f := newFixture(t)
	resp := f.do("OPTIONS", "/decode", "", "Origin", uiOrigin, "Access-Control-Request-Method", "POST",
		"Access-Control-Request-Headers", "content-type,x-namespace")
	h := resp.Header
	if resp.StatusCode != http.StatusNoContent || h.Get("Access-Control-Allow-Origin") != uiOrigin ||
		h.Get("Access-Control-Allow-Credentials") != "true" || !strings.Contains(h.Get("Access-Control-Allow-Headers"), "X-Namespace") ||
		!strings.Contains(h.Get("Access-Control-Allow-Methods"), "POST") {
		t.Fatalf("preflight %d %v", resp.StatusCode, h)
	}
	resp = f.do("OPTIONS", "/decode", "", "Origin", "http://evil.example", "Access-Control-Request-Method", "POST")
	if resp.Header.Get("Access-Control-Allow-Origin") != "" || resp.Header.Get("Access-Control-Allow-Credentials") != "" {
		t.Fatalf("another origin allowed: %v", resp.Header)
	}
}

func signIn(t *testing.T, f *fixture, token string, header ...string) *http.Response {
	t.Helper()
	h := append([]string{"Content-Type", "application/x-www-form-urlencoded"}, header...)
	return f.do("POST", "/signin", url.Values{"token": {token}}.Encode(), h...)
}

func TestSignInSetsAStrictSessionCookieThatDecodes(t *testing.T) {
	f := newFixture(t)
	resp := signIn(t, f, aliceToken)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/signin" {
		t.Fatalf("sign-in %d %v", resp.StatusCode, resp.Header)
	}
	var c *http.Cookie
	for _, k := range resp.Cookies() {
		if k.Name == SessionCookie {
			c = k
		}
	}
	if c == nil || !c.HttpOnly || !c.Secure || c.SameSite != http.SameSiteStrictMode || c.MaxAge != 8*3600 {
		t.Fatalf("cookie %+v", c)
	}
	if strings.Contains(c.Value, aliceToken) {
		t.Fatal("the cookie holds the token")
	}
	cookie := SessionCookie + "=" + c.Value
	resp = f.do("POST", "/decode", f.encryptedBody(t), "Cookie", cookie, "X-Namespace", "default", "Origin", uiOrigin)
	body := readAll(resp)
	if resp.StatusCode != http.StatusOK || !strings.Contains(decodedValues(t, body)[0], "Quinn Zebulon") {
		t.Fatalf("decode with the session: %d %s", resp.StatusCode, body)
	}
	if !strings.Contains(f.logs.String(), `"auth":"session"`) {
		t.Fatalf("audit log: %s", f.logs)
	}
	page := readAll(f.do("GET", "/signin", "", "Cookie", cookie))
	if !strings.Contains(page, "Signed in as <strong>alice</strong>") || !strings.Contains(page, `href="`+uiOrigin+`"`) {
		t.Fatalf("signed-in page:\n%s", page)
	}
	// Sessions end: after their lifetime, and when sign-out clears the cookie.
	f.now = f.now.Add(8*time.Hour + time.Second)
	if resp := f.do("POST", "/decode", f.encryptedBody(t), "Cookie", cookie, "X-Namespace", "default"); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("expired session: %d", resp.StatusCode)
	}
	out := f.do("POST", "/signout", "", "Cookie", cookie)
	if out.StatusCode != http.StatusSeeOther || len(out.Cookies()) != 1 || out.Cookies()[0].MaxAge >= 0 {
		t.Fatalf("sign-out %d %v", out.StatusCode, out.Cookies())
	}
}

func TestSessionEndsWhenTheOperatorsTokenIsReplaced(t *testing.T) {
	f := newFixture(t)
	cookie := f.srv.newSession("alice", f.now).String()
	ops, err := ParseOperators("alice:"+strings.Repeat("n", 32)+",bob:"+bobToken, "t")
	if err != nil {
		t.Fatal(err)
	}
	f.srv.cfg.Operators = ops
	if resp := f.do("POST", "/decode", f.encryptedBody(t), "Cookie", cookie, "X-Namespace", "default"); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("session after the token changed: %d", resp.StatusCode)
	}
}

func TestSignInRefusals(t *testing.T) {
	f := newFixture(t)
	resp := signIn(t, f, "not-a-token-0123456789abcdef")
	page := readAll(resp)
	if resp.StatusCode != http.StatusUnauthorized || len(resp.Cookies()) != 0 || !strings.Contains(page, "not an operator") {
		t.Fatalf("bad token: %d %v", resp.StatusCode, resp.Cookies())
	}
	resp = signIn(t, f, aliceToken, "Sec-Fetch-Site", "cross-site")
	if resp.StatusCode != http.StatusForbidden || len(resp.Cookies()) != 0 {
		t.Fatalf("cross-site sign-in: %d", resp.StatusCode)
	}
	if resp := f.do("GET", "/decode", ""); resp.StatusCode != http.StatusMethodNotAllowed {
		t.Fatalf("GET /decode: %d", resp.StatusCode)
	}
	if resp := f.do("GET", "/healthz", ""); resp.StatusCode != http.StatusOK {
		t.Fatalf("healthz: %d", resp.StatusCode)
	}
}

func TestLoadConfigNamesEveryBadValue(t *testing.T) {
	_, err := LoadConfig(lookup(map[string]string{
		"HCAOPS_CODEC_ORIGINS": "http://localhost:8233/,localhost:8080", "HCAOPS_CODEC_SESSION_TTL": "30d",
		"HCAOPS_CODEC_TLS_CERT_FILE": "c.pem", "HCAOPS_CODEC_TOKENS": "alice:short,bob,alice:" + aliceToken + ",carol:" + aliceToken,
	}))
	want := []string{
		`HCAOPS_CODEC_ORIGINS: "http://localhost:8233/" ends with a slash; browsers send origins without one`,
		`HCAOPS_CODEC_ORIGINS: "localhost:8080" is not an origin such as https://temporal-ui.example.gov or http://localhost:8233`,
		`HCAOPS_CODEC_SESSION_TTL="30d" must be a duration from 1m to 168h`,
		"HCAOPS_CODEC_TLS_CERT_FILE and HCAOPS_CODEC_TLS_KEY_FILE go together: set both or neither",
		"HCAOPS_CODEC_TOKENS: entry 1: the token of alice is 5 characters; at least 24 are needed",
		"HCAOPS_CODEC_TOKENS: entry 2: not NAME:TOKEN (no colon)",
		"HCAOPS_CODEC_TOKENS: entry 4: carol has the same token as alice",
	}
	if err == nil || err.Error() != strings.Join(want, "\n") {
		t.Fatalf("errors:\n%v\nwant:\n%s", err, strings.Join(want, "\n"))
	}
	if strings.Contains(fmt.Sprint(err), aliceToken) {
		t.Fatal("an error quotes a token")
	}
	if _, err := LoadConfig(lookup(nil)); err == nil || !strings.Contains(err.Error(), "operator tokens are required") {
		t.Fatalf("no tokens: %v", err)
	}
}
