package mailfake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/http"
	"net/mail"
	"strconv"
	"strings"
)

// Summary is a received message as a person reads it: headers decoded (RFC 2047) and the
// body decoded from its transfer encoding.
type Summary struct {
	ID        int      `json:"id"`
	At        string   `json:"at"`
	From      string   `json:"from"` // envelope sender
	To        []string `json:"to"`   // envelope recipients
	TLS       bool     `json:"tls"`
	AuthUser  string   `json:"authUser,omitempty"`
	MessageID string   `json:"messageId"`
	Date      string   `json:"date"`
	Subject   string   `json:"subject"`
	Body      string   `json:"body"`
}

// Decode reads m's headers and body.
func Decode(m Mail) (Summary, error) {
	s := Summary{ID: m.ID, At: m.At.Format("2006-01-02T15:04:05Z"), From: m.From, To: m.To, TLS: m.TLS, AuthUser: m.AuthUser}
	msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
	if err != nil {
		return s, fmt.Errorf("message %d: %w", m.ID, err)
	}
	s.MessageID, s.Date = msg.Header.Get("Message-ID"), msg.Header.Get("Date")
	if s.Subject, err = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject")); err != nil {
		return s, fmt.Errorf("message %d: subject: %w", m.ID, err)
	}
	var body io.Reader = msg.Body
	if strings.EqualFold(msg.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		body = quotedprintable.NewReader(body)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		return s, fmt.Errorf("message %d: body: %w", m.ID, err)
	}
	s.Body = strings.ReplaceAll(string(b), "\r\n", "\n")
	return s, nil
}

// Handler lists what the relay received:
//
//	GET    /_fake/mail          every message, decoded (JSON); ?to=ADDRESS keeps one recipient's
//	GET    /_fake/mail/{id}     one message as received (message/rfc822)
//	DELETE /_fake/mail          forget them all
func (r *Relay) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /_fake/mail", func(w http.ResponseWriter, req *http.Request) {
		to := normalizeAddr(req.URL.Query().Get("to"))
		out := []Summary{}
		for _, m := range r.Messages() {
			if to != "" && !containsAddr(m.To, to) {
				continue
			}
			s, err := Decode(m)
			if err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			out = append(out, s)
		}
		w.Header().Set("Content-Type", "application/json")
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		_ = enc.Encode(out)
	})
	mux.HandleFunc("GET /_fake/mail/{id}", func(w http.ResponseWriter, req *http.Request) {
		id, err := strconv.Atoi(req.PathValue("id"))
		if err != nil {
			http.Error(w, "id must be a number", http.StatusBadRequest)
			return
		}
		for _, m := range r.Messages() {
			if m.ID == id {
				w.Header().Set("Content-Type", "message/rfc822")
				_, _ = w.Write(m.Data)
				return
			}
		}
		http.NotFound(w, req)
	})
	mux.HandleFunc("DELETE /_fake/mail", func(w http.ResponseWriter, _ *http.Request) {
		r.Clear()
		w.WriteHeader(http.StatusNoContent)
	})
	return mux
}

func containsAddr(list []string, addr string) bool {
	for _, a := range list {
		if normalizeAddr(a) == addr {
			return true
		}
	}
	return false
}
