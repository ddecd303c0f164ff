package activities

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"github.com/hcaops/hcaops/internal/markdown"
	"github.com/hcaops/hcaops/notify"
)

// Notices sends staff notices about tickets: SLA warnings and breaches, ES stall
// escalations, and the opening and resolution of tickets that announce themselves (ES
// outages). Recipients are directory groups; each notice carries the ticket's link and
// nothing a person typed but the (PII-guarded, escaped) summary of an announced ticket.
type Notices struct {
	Notifier notify.Notifier
	// Link is the ticket's page in the UI (HCAOPS_UI_URL).
	Link func(ref string) string
}

// Notice kinds.
const (
	NoticeWarning   = "warning"
	NoticeBreach    = "breach"
	NoticeESStalled = "es-stalled"
	NoticeOpened    = "opened"   // an announced ticket opened
	NoticeResolved  = "resolved" // an announced ticket resolved
)

// Escalation is one staff notice about a ticket (the name is older than the other kinds).
type Escalation struct {
	Ref      string   `json:"ref"`
	Clock    string   `json:"clock"`
	Priority string   `json:"priority"`
	Owner    string   `json:"owner"`
	To       []string `json:"to"`
	Text     string   `json:"text"`
	// Key names the event ("HRC-1#12": the ticket's timeline index), so every copy and
	// every retry of its notice carries one Message-ID; empty in old histories.
	Key     string `json:"key,omitempty"`
	Kind    string `json:"kind,omitempty"`    // one of the Notice kinds; empty in old histories: warning or breach
	Summary string `json:"summary,omitempty"` // of an announced ticket
	// Served are recipients who have the notice already (notify.RecipientID values): a
	// delivery in the ticket's outbox got that far before it handed the notice over.
	Served []string `json:"served,omitempty"`
}

// ErrTypeNotificationRejected is the failure of a notice the relay refused for good (a 5xx,
// an address the directory cannot resolve); the ticket records it in its timeline.
const ErrTypeNotificationRejected = "NotificationRejected"

// NotifyEscalation sends the notice to each recipient once. A retry after a partial
// delivery skips the recipients already served: they are kept in the activity's
// heartbeat details, which Temporal hands to the next attempt.
func (a *Notices) NotifyEscalation(ctx context.Context, e Escalation) error {
	return a.notify(ctx, e, newHeartbeatProgress(ctx, e.Served))
}

func (a *Notices) notify(ctx context.Context, e Escalation, progress notify.Progress) error {
	key := e.Key
	if key == "" {
		key = e.Ref + "#" + e.Clock + "#" + e.Text
	}
	return notifyErr(a.Notifier.Notify(ctx, notify.Message{
		To:       e.To,
		Subject:  "[hcaops] " + e.Ref + ": " + e.Text,
		Body:     a.body(e),
		Key:      key,
		Progress: progress,
	}))
}

func (a *Notices) body(e Escalation) string {
	var b strings.Builder
	switch e.Kind {
	case NoticeOpened, NoticeResolved:
		fmt.Fprintf(&b, "Ticket %s (%s priority, owned by %s) is %s: %s\n", e.Ref, e.Priority, e.Owner, e.Kind, markdown.Escape(e.Summary))
		fmt.Fprintf(&b, "\n%s\n", e.Text)
	default:
		fmt.Fprintf(&b, "Ticket %s (%s priority, owned by %s): %s clock: %s.\n", e.Ref, e.Priority, e.Owner, e.Clock, e.Text)
	}
	if a.Link != nil {
		fmt.Fprintf(&b, "\nOpen the ticket: %s\n", a.Link(e.Ref))
	}
	fmt.Fprintf(&b, "\nSent to: %s. hcaops sends one notice per event; the ticket's timeline has the rest.\n", strings.Join(e.To, ", "))
	return b.String()
}

// notifyErr makes a permanent delivery failure (a 5xx, a bad address) final, so it is
// recorded rather than retried for days.
func notifyErr(err error) error {
	if err != nil && notify.IsPermanent(err) {
		return temporal.NewNonRetryableApplicationError(err.Error(), ErrTypeNotificationRejected, nil)
	}
	return err
}

// heartbeatProgress keeps the recipients a notice has reached in the activity's
// heartbeat details (recipient IDs, not addresses), so the next attempt skips them.
type heartbeatProgress struct {
	ctx  context.Context
	done []string
}

func newHeartbeatProgress(ctx context.Context, served []string) *heartbeatProgress {
	p := &heartbeatProgress{ctx: ctx, done: served}
	if activity.IsActivity(ctx) && activity.HasHeartbeatDetails(ctx) {
		_ = activity.GetHeartbeatDetails(ctx, &p.done) // unreadable details: send to everyone
	}
	return p
}

func (p *heartbeatProgress) Delivered(id string) bool { return slices.Contains(p.done, id) }

// MarkDelivered records a delivery at once: the first heartbeat of an attempt goes out
// without batching, and a failed attempt flushes the rest before it ends.
func (p *heartbeatProgress) MarkDelivered(id string) {
	p.done = append(p.done, id)
	if activity.IsActivity(p.ctx) {
		activity.RecordHeartbeat(p.ctx, p.done)
	}
}
