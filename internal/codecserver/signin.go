package codecserver

import (
	"html/template"
	"net/http"
	"time"
)

// The sign-in page is the browser's way to prove an operator: the dev server's UI sends no
// credentials, and the standalone UI forwards only an OIDC token or the browser's cookies.
// Signing in here sets the session cookie, which the UI then sends with every codec request
// (codec.includeCredentials).
var signInPage = template.Must(template.New("signin").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>hcaops codec server</title>
<style>body{font-family:sans-serif;max-width:36em;margin:3em auto}input{font-size:1em;padding:.3em;width:100%}button{font-size:1em;margin-top:.6em}</style>
</head><body>
<h1>hcaops codec server</h1>
{{if .Operator}}
<p id="status">Signed in as <strong>{{.Operator}}</strong> until {{.Until}}. The Temporal UI now shows decoded payloads in this browser.</p>
{{range .Origins}}<p><a href="{{.}}">Open the Temporal UI at {{.}}</a></p>{{end}}
<form method="post" action="/signout"><button type="submit">Sign out</button></form>
{{else}}
{{if .Refused}}<p id="error" role="alert">That token is not an operator's token.</p>{{end}}
<p>Sign in to read decoded workflow payloads (Veterans' PII) in the Temporal UI. Every decode is logged with your name.</p>
<form method="post" action="/signin">
<label for="token">Operator token</label>
<input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
<button type="submit">Sign in</button>
</form>
{{end}}
</body></html>
`))

type signInView struct {
	Operator, Until string
	Origins         []string
	Refused         bool
}

func (s *Server) writePage(w http.ResponseWriter, status int, v signInView) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
	w.WriteHeader(status)
	_ = signInPage.Execute(w, v)
}

func (s *Server) serveSignIn(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		v := signInView{Origins: s.cfg.Origins}
		if name, ok := s.sessionOperator(r, s.now()); ok {
			v.Operator = name
			if c, err := r.Cookie(SessionCookie); err == nil {
				v.Until = expiryOf(c.Value).Format(time.RFC1123)
			}
		}
		s.writePage(w, http.StatusOK, v)
	case http.MethodPost:
		// A form posted from another site must not sign this browser in.
		if r.Header.Get("Sec-Fetch-Site") == "cross-site" {
			http.Error(w, "sign in from this page", http.StatusForbidden)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
		if err := r.ParseForm(); err != nil {
			http.Error(w, "bad form", http.StatusBadRequest)
			return
		}
		name, ok := s.cfg.Operators.byToken(r.PostForm.Get("token"))
		if !ok {
			s.logger.Warn().Msg("sign-in refused: unknown token")
			s.writePage(w, http.StatusUnauthorized, signInView{Refused: true})
			return
		}
		http.SetCookie(w, s.newSession(name, s.now()))
		s.logger.Info().Str("operator", name).Msg("operator signed in")
		http.Redirect(w, r, "/signin", http.StatusSeeOther)
	default:
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "use GET or POST", http.StatusMethodNotAllowed)
	}
}

func (s *Server) serveSignOut(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		http.Error(w, "use POST", http.StatusMethodNotAllowed)
		return
	}
	if name, ok := s.sessionOperator(r, s.now()); ok {
		s.logger.Info().Str("operator", name).Msg("operator signed out")
	}
	http.SetCookie(w, s.endSession())
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
}
