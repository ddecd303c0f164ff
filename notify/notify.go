// Package notify tells people about things hcaops cannot decide alone: an SLA breach to
// the owning group and the product manager, or a failed application to the veteran.
// Recipients are group names (resolved to addresses by the notifier) or addresses; a
// veteran's address is PII, so no notifier puts one in a log line or an error.
package notify

import (
	"context"

	"github.com/rs/zerolog"
)

// Message is one notification.
type Message struct {
	To      []string `json:"to"`
	Subject string   `json:"subject"`
	Body    string   `json:"body"`
	// Key names the event the message is about ("HRC-1#12", "agenda-2026-12-01"): every
	// copy of it, retries included, carries the same Message-ID.
	Key string `json:"key,omitempty"`
	// Progress, when set, records the recipients served so a retry skips them.
	Progress Progress `json:"-"`
}

// Notifier delivers messages.
type Notifier interface {
	Notify(ctx context.Context, m Message) error
}

// Log writes notifications to the log: the notifier of the local run and of tests.
//
// Logs are not a place for PII, and a recipient can be a veteran's email address, so
// recipients that look like addresses are logged as "<redacted>" (group names such as
// "vets.gov" stay readable), and the subject and body are logged only if they hold no
// address or SSN-, phone- or ICN-like number; otherwise "subject_redacted" or
// "body_redacted" is true in their place.
type Log struct {
	Logger zerolog.Logger
}

func (l Log) Notify(_ context.Context, m Message) error {
	ev := l.Logger.Info().Strs("to", safeRecipients(m.To))
	ev = logText(ev, "subject", m.Subject)
	ev = logText(ev, "body", m.Body)
	ev.Msg("notification")
	return nil
}

// logText adds key=s, or key_redacted=true when s looks like it holds PII.
func logText(ev *zerolog.Event, key, s string) *zerolog.Event {
	if looksLikePII(s) {
		return ev.Bool(key+"_redacted", true)
	}
	return ev.Str(key, s)
}
