package codecserver

import (
	"crypto/hmac"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// SessionCookie is the cookie the sign-in page sets. HttpOnly: page scripts (the UI's
// included) cannot read it; Secure: browsers treat localhost as secure, so the local run
// works over plain HTTP; SameSite=Strict: it is sent only from pages of the same site, so
// the UI and the codec server must share a host name (ports may differ).
const SessionCookie = "hcaops_codec_session"

func (s *Server) newSession(name string, now time.Time) *http.Cookie {
	expires := now.Add(s.cfg.SessionTTL).Unix()
	mac, _ := s.cfg.Operators.sessionMAC(name, expires)
	value := strings.Join([]string{"v1", base64.RawURLEncoding.EncodeToString([]byte(name)),
		strconv.FormatInt(expires, 10), base64.RawURLEncoding.EncodeToString(mac)}, ".")
	return &http.Cookie{Name: SessionCookie, Value: value, Path: "/", MaxAge: int(s.cfg.SessionTTL.Seconds()),
		HttpOnly: true, Secure: true, SameSite: http.SameSiteStrictMode}
}

// sessionOperator returns the operator of a valid, unexpired session cookie.
func (s *Server) sessionOperator(r *http.Request, now time.Time) (string, bool) {
	c, err := r.Cookie(SessionCookie)
	if err != nil {
		return "", false
	}
	parts := strings.Split(c.Value, ".")
	if len(parts) != 4 || parts[0] != "v1" {
		return "", false
	}
	name, err1 := base64.RawURLEncoding.DecodeString(parts[1])
	expires, err2 := strconv.ParseInt(parts[2], 10, 64)
	mac, err3 := base64.RawURLEncoding.DecodeString(parts[3])
	if err1 != nil || err2 != nil || err3 != nil || now.Unix() >= expires {
		return "", false
	}
	want, ok := s.cfg.Operators.sessionMAC(string(name), expires)
	if !ok || !hmac.Equal(mac, want) {
		return "", false
	}
	return string(name), true
}

// expiryOf reads the expiry of a cookie value already verified by sessionOperator.
func expiryOf(value string) time.Time {
	parts := strings.Split(value, ".")
	if len(parts) != 4 {
		return time.Time{}
	}
	sec, _ := strconv.ParseInt(parts[2], 10, 64)
	return time.Unix(sec, 0).UTC()
}

func (s *Server) endSession() *http.Cookie {
	return &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: true, SameSite: http.SameSiteStrictMode}
}
