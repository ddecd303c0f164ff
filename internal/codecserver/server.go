package codecserver

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/rs/zerolog"
	"go.temporal.io/sdk/converter"
)

// MaxRequestBytes bounds a codec request: the UI sends one event's payloads at a time,
// and Temporal refuses payloads above 2 MiB anyway.
const MaxRequestBytes = 8 << 20

// Server is the codec server's HTTP handler.
type Server struct {
	cfg    Config
	codec  http.Handler
	logger zerolog.Logger
	now    func() time.Time
}

// New serves codec (the programs' payload codec) under cfg.
func New(cfg Config, codec converter.PayloadCodec, logger zerolog.Logger) *Server {
	return &Server{cfg: cfg, codec: converter.NewPayloadCodecHTTPHandler(codec), logger: logger, now: time.Now}
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// The protocol names the operation by the URL's last element, so the endpoints may be
	// mounted at any depth (for example behind a proxy at /codec/default/decode).
	op := ""
	switch {
	case strings.HasSuffix(r.URL.Path, "/decode"):
		op = "decode"
	case strings.HasSuffix(r.URL.Path, "/encode"):
		op = "encode"
	}
	if op != "" {
		s.serveCodec(w, r, op)
		return
	}
	switch r.URL.Path {
	case "/healthz":
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"status":"ok"}`))
	case "/signin":
		s.serveSignIn(w, r)
	case "/signout":
		s.serveSignOut(w, r)
	case "/":
		http.Redirect(w, r, "/signin", http.StatusSeeOther)
	default:
		http.NotFound(w, r)
	}
}

func (s *Server) serveCodec(w http.ResponseWriter, r *http.Request, op string) {
	origin := r.Header.Get("Origin")
	if origin != "" && slices.Contains(s.cfg.Origins, origin) {
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", origin)
		h.Set("Access-Control-Allow-Credentials", "true")
		h.Add("Vary", "Origin")
	}
	if r.Method == http.MethodOptions {
		// A preflight carries no credentials; it only learns which headers the POST may send.
		w.Header().Set("Access-Control-Allow-Methods", "POST")
		w.Header().Set("Access-Control-Allow-Headers", "Authorization, Authorization-Extras, Content-Type, X-Namespace")
		w.Header().Set("Access-Control-Max-Age", "600")
		w.WriteHeader(http.StatusNoContent)
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		http.Error(w, "use POST", http.StatusMethodNotAllowed)
		return
	}
	operator, how, err := s.authenticate(r)
	if err != nil {
		w.Header().Set("WWW-Authenticate", `Bearer realm="hcaops codec server"`)
		http.Error(w, err.Error(), http.StatusUnauthorized)
		s.logger.Warn().Str("op", op).Str("origin", origin).Str("reason", err.Error()).Msg("codec request refused")
		return
	}
	ns := r.Header.Get("X-Namespace")
	if ns == "" && len(s.cfg.Namespaces) == 1 {
		// The Temporal CLI (v1.5.1) sends an empty X-Namespace unless --namespace or
		// TEMPORAL_NAMESPACE is given; with one namespace served there is nothing to choose.
		ns = s.cfg.Namespaces[0]
	}
	if ns == "" {
		http.Error(w, "the X-Namespace header is required", http.StatusBadRequest)
		s.logger.Warn().Str("op", op).Str("operator", operator).Msg("codec request without X-Namespace refused")
		return
	}
	if !slices.Contains(s.cfg.Namespaces, ns) {
		http.Error(w, "this codec server does not serve that namespace", http.StatusForbidden)
		s.logger.Warn().Str("op", op).Str("operator", operator).Str("namespace", ns).Msg("codec request for another namespace refused")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, MaxRequestBytes)
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	s.codec.ServeHTTP(rec, r)
	// The audit trail of who read what: operator, namespace, operation, outcome. Never payloads.
	s.logger.Info().Str("op", op).Str("origin", origin).Str("operator", operator).Str("auth", how).
		Str("namespace", ns).Int("status", rec.status).Msg("codec request")
}

var (
	errNoCredential  = errors.New("sign in at /signin or send Authorization: Bearer TOKEN")
	errBadToken      = errors.New("the bearer token is not an operator's token")
	errBadAuthHeader = errors.New("the Authorization header must be Bearer TOKEN")
)

// authenticate accepts a bearer token or, without an Authorization header, a session cookie.
// A wrong bearer token is refused even if a valid cookie came along.
func (s *Server) authenticate(r *http.Request) (operator, how string, err error) {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, token, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") {
			return "", "", errBadAuthHeader
		}
		name, ok := s.cfg.Operators.byToken(strings.TrimSpace(token))
		if !ok {
			return "", "", errBadToken
		}
		return name, "bearer", nil
	}
	if name, ok := s.sessionOperator(r, s.now()); ok {
		return name, "session", nil
	}
	return "", "", errNoCredential
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}
