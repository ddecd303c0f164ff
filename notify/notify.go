// Package notify tells people about things hcaops cannot decide alone: an SLA breach to
// the owning group and the product manager. Messages carry ticket references, never PII.
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
}

// Notifier delivers messages.
type Notifier interface {
	Notify(ctx context.Context, m Message) error
}

// Log writes notifications to the log: the notifier of the local run and of tests.
type Log struct {
	Logger zerolog.Logger
}

func (l Log) Notify(_ context.Context, m Message) error {
	l.Logger.Info().Strs("to", m.To).Str("subject", m.Subject).Str("body", m.Body).Msg("notification")
	return nil
}
