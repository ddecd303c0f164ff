package activities

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"go.temporal.io/sdk/activity"

	"github.com/hcaops/hcaops/servicedesk"
	"github.com/hcaops/hcaops/ticket"
)

// DeskTickets is what intake needs of the ticket workflows (ticketclient.Client).
type DeskTickets interface {
	// OpenFromDesk starts the ticket of an incident people opened, linked to it from the
	// start; existing is true when the ticket was open already (nothing started).
	OpenFromDesk(ctx context.Context, n ticket.NewTicket, link ticket.IncidentLink, view ticket.DeskView) (existing bool, err error)
	Show(ctx context.Context, ref string) (ticket.View, error)
	// DeskChange hands people's changes to the ticket; stale is true when the ticket
	// wrote to the desk since they were read (the next poll reads them again).
	DeskChange(ctx context.Context, ref string, c ticket.DeskChange) (stale bool, err error)
}

// IntakeScope says which incidents people open in the desk become tickets.
type IntakeScope struct {
	Group    string // e.g. "HRC Tier 1"; empty: any group
	Category string // e.g. "10-10EZ"; empty: any category
	Lookback time.Duration
}

// DeskIntake polls the service desks: incidents people open in scope become tickets,
// and people's changes to tickets' incidents reach their tickets.
type DeskIntake struct {
	Desks   []servicedesk.Desk
	Tickets DeskTickets
	Scope   IntakeScope
	Now     func() time.Time
}

// PollInput names the desk and where the previous poll ended.
type PollInput struct {
	Desk   string `json:"desk"`
	Cursor string `json:"cursor,omitempty"`
}

// PollOutput is what changed, and where the next poll starts.
type PollOutput struct {
	Incidents []servicedesk.Snapshot `json:"incidents"`
	Cursor    string                 `json:"cursor"`
}

// PollDesk reads what changed in a desk since the cursor.
func (a *DeskIntake) PollDesk(ctx context.Context, in PollInput) (PollOutput, error) {
	desk, err := a.desk(in.Desk)
	if err != nil {
		return PollOutput{}, err
	}
	now := time.Now
	if a.Now != nil {
		now = a.Now
	}
	feed, err := desk.Changes(ctx, in.Cursor, now().Add(-a.Scope.Lookback))
	if err != nil {
		return PollOutput{}, classify("poll the "+in.Desk+" desk", err)
	}
	return PollOutput{Incidents: feed.Incidents, Cursor: feed.Cursor}, nil
}

// TakeOutcome says what became of one incident of a poll.
type TakeOutcome string

const (
	TakeOpened    TakeOutcome = "opened"    // a new ticket
	TakeSynced    TakeOutcome = "synced"    // people's changes went to the ticket
	TakeUnchanged TakeOutcome = "unchanged" // nothing new (hcaops's own write, or seen before)
	TakeLater     TakeOutcome = "later"     // the ticket is writing to the desk: the next poll
	TakeSkipped   TakeOutcome = "skipped"   // not hcaops's (out of scope, closed, moved away)
)

// TakeResult is the outcome for one incident.
type TakeResult struct {
	Ref     string      `json:"ref,omitempty"`
	Outcome TakeOutcome `json:"outcome"`
	Why     string      `json:"why,omitempty"`
	// Reread asks the next poll to start from this poll's cursor: the ticket was writing
	// to its incident, and a note-only write (Dynamics) does not bring the incident back.
	Reread bool `json:"reread,omitempty"`
}

// TakeIncident opens the ticket of a new incident in scope, or hands people's changes
// on a ticket's incident to the ticket. Both are idempotent: the ticket's workflow ID
// derives from the incident, and a change is compared with what the ticket knows.
func (a *DeskIntake) TakeIncident(ctx context.Context, snap servicedesk.Snapshot) (TakeResult, error) {
	desk, err := a.desk(snap.System)
	if err != nil {
		return TakeResult{}, err
	}
	ref := snap.Ref
	if ref == "" {
		if why := a.outOfScope(snap); why != "" {
			return TakeResult{Outcome: TakeSkipped, Why: why}, nil
		}
		n := NewTicketFromIncident(snap)
		ref = n.Ref
		status, priority := desk.Canonical(servicedesk.StatusOpen, n.Priority)
		view := ticket.DeskView{Status: string(status), Group: string(servicedesk.GroupHRC), Priority: priority}
		existing, err := a.Tickets.OpenFromDesk(ctx, n, ticket.IncidentLink{System: snap.System, ID: snap.ID, Number: snap.Number}, view)
		if err != nil {
			return TakeResult{}, fmt.Errorf("open the ticket of incident %s: %w", snap.Number, err)
		}
		if !existing {
			activity.GetLogger(ctx).Info("ticket opened from the desk", "ref", ref, "incident", snap.Number)
			return TakeResult{Ref: ref, Outcome: TakeOpened}, nil
		}
	}
	v, err := a.Tickets.Show(ctx, ref)
	if errors.Is(err, ticket.ErrRejected) {
		return TakeResult{Ref: ref, Outcome: TakeSkipped, Why: "no open ticket"}, nil
	}
	if err != nil {
		// One ticket that does not answer (its worker gone) must not stop every poll:
		// its incident comes back when it changes again.
		activity.GetLogger(ctx).Warn("ticket does not answer; its incident is left for a later change", "ref", ref, "error", err)
		return TakeResult{Ref: ref, Outcome: TakeLater, Why: "the ticket does not answer"}, nil
	}
	switch {
	case v.State.Terminal():
		return TakeResult{Ref: ref, Outcome: TakeSkipped, Why: "the ticket is " + strings.ToLower(string(v.State))}, nil
	case v.Incident.ID != snap.ID:
		return TakeResult{Ref: ref, Outcome: TakeSkipped, Why: "the ticket's incident is " + v.Incident.System + " " + v.Incident.Number}, nil
	case v.DeskPending:
		return TakeResult{Ref: ref, Outcome: TakeLater, Why: "hcaops is writing to the incident", Reread: true}, nil
	}
	fresh, err := desk.ReadIncident(ctx, snap.ID)
	if err != nil {
		return TakeResult{}, classify("read incident "+snap.Number, err)
	}
	change := DeskChangeOf(desk, v.Desk, fresh)
	if change.Empty() {
		return TakeResult{Ref: ref, Outcome: TakeUnchanged}, nil
	}
	stale, err := a.Tickets.DeskChange(ctx, ref, change)
	if errors.Is(err, ticket.ErrRejected) {
		return TakeResult{Ref: ref, Outcome: TakeSkipped, Why: err.Error()}, nil
	}
	if err != nil {
		activity.GetLogger(ctx).Warn("ticket does not take the desk change", "ref", ref, "error", err)
		return TakeResult{Ref: ref, Outcome: TakeLater, Why: "the ticket does not answer"}, nil
	}
	if stale {
		return TakeResult{Ref: ref, Outcome: TakeLater, Why: "the ticket wrote to the incident meanwhile", Reread: true}, nil
	}
	return TakeResult{Ref: ref, Outcome: TakeSynced}, nil
}

// DeskChangeOf compares the incident with what the ticket last wrote or read, in the
// desk's own terms (Canonical), and keeps the notes the ticket has not taken.
func DeskChangeOf(desk servicedesk.Desk, view ticket.DeskView, s servicedesk.Snapshot) ticket.DeskChange {
	c := ticket.DeskChange{Desk: desk.Name(), Number: s.Number, Seq: view.Seq, By: s.ModifiedBy}
	wantStatus, wantPriority := desk.Canonical(servicedesk.Status(view.Status), view.Priority)
	if view.Status != "" && s.Status != wantStatus {
		c.Status = string(s.Status)
	}
	if view.Group != "" && s.Group != "" && !strings.EqualFold(string(s.Group), view.Group) {
		c.Group = string(s.Group)
	}
	if view.Priority != "" && s.Priority != "" && s.Priority != wantPriority {
		c.Priority = s.Priority
	}
	for _, n := range s.Notes {
		if view.HasNote(n.ID) {
			continue
		}
		text, flag := ticket.FromDesk(ticket.FieldComment, n.Text)
		c.Notes = append(c.Notes, ticket.DeskNote{ID: n.ID, Author: n.Author, Text: text, PIIFlag: flag})
		if n.Author != "" {
			c.By = n.Author
		}
	}
	return c
}

// NewTicketFromIncident is the ticket of an incident an HRC agent opened in the desk.
// Its reference is the incident's number, which people already quote; free text goes
// through ticket.FromDesk (PII-looking values masked and flagged, control characters
// removed), since an agent already typed it and the ticket must not be lost.
func NewTicketFromIncident(s servicedesk.Snapshot) ticket.NewTicket {
	ref := s.Number
	if s.System == "sdm" {
		ref = "SDM-" + s.Number // SDM numbers can be bare digits, which a reference may not be
	}
	priority := s.Priority
	if priority == "" {
		priority = ticket.PriorityMedium
	}
	n := ticket.NewTicket{
		Ref: ref, Channel: ticket.ChannelPhone, Product: ticket.ProductOnline1010EZ,
		Priority: priority, Reporter: s.System + "-intake", OpenedAt: s.OpenedAt,
	}
	if by, flag := ticket.FromDesk(ticket.FieldReporter, s.OpenedBy); by != "" && flag == nil {
		n.Reporter = s.System + ":" + by
	}
	for _, f := range []struct {
		field ticket.Field
		text  string
		dst   *string
	}{
		{ticket.FieldSummary, s.Summary, &n.Summary},
		{ticket.FieldDescription, strings.ReplaceAll(s.Description, servicedesk.LinkMarker(ref), ""), &n.Description},
		{ticket.FieldCategory, s.Category, &n.Category},
	} {
		text, flag := ticket.FromDesk(f.field, f.text)
		*f.dst = text
		if flag != nil {
			n.PIIFlags = append(n.PIIFlags, *flag)
		}
	}
	if n.Summary == "" {
		n.Summary = "(no summary in " + s.System + " incident " + s.Number + ")"
	}
	return n
}

// outOfScope says why an unlinked incident does not become a ticket; "" if it does.
func (a *DeskIntake) outOfScope(s servicedesk.Snapshot) string {
	switch {
	case !s.Active():
		return "closed before hcaops saw it"
	// A desk without hcaops's group column says no group: the category decides alone.
	case a.Scope.Group != "" && s.Group != "" && !strings.EqualFold(string(s.Group), a.Scope.Group):
		return "not in group " + a.Scope.Group
	// Dynamics has no incident category hcaops reads (subject trees differ by site).
	case a.Scope.Category != "" && s.System != "dynamics" && !strings.EqualFold(s.Category, a.Scope.Category):
		return "not in category " + a.Scope.Category
	}
	return ""
}

func (a *DeskIntake) desk(system string) (servicedesk.Desk, error) {
	for _, d := range a.Desks {
		if d.Name() == system {
			return d, nil
		}
	}
	return nil, fmt.Errorf("the worker has no client for the %q desk", system)
}
