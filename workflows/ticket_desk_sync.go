package workflows

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/hcaops/hcaops/activities"
	"github.com/hcaops/hcaops/servicedesk"
	"github.com/hcaops/hcaops/ticket"
)

// The ticket and its incident in the service desk, both ways: what the ticket knows the
// desk shows (ticket.DeskView), people's changes made in the desk coming back as the
// matching actions, and the move of the incident to another desk. Everything sent to the
// desk goes through the outbox.

// Update names of the desk side; hcaops sends them, operators never do.
const (
	UpdateDeskChange  = "desk-change"
	UpdateMigrateDesk = "migrate-desk"
)

// DeskOrigin is the incident a ticket was opened from and what the desk showed then.
type DeskOrigin struct {
	Incident ticket.IncidentLink `json:"incident"`
	Desk     ticket.DeskView     `json:"desk"`
}

// MigrateRequest asks a ticket to move its incident to another desk.
type MigrateRequest struct {
	To    string `json:"to"`
	Actor string `json:"actor"`
}

// ErrStaleDeskChange is the refusal of a desk change read before the ticket's latest
// write to the desk: the poll reads the incident again.
const ErrStaleDeskChange = "stale desk change"

// openFromDesk links the ticket to the incident people opened. The first write to it
// carries the link and the opening comment, and leaves status and group as people set
// them: a difference is theirs to make, and comes back as a change.
func (r *ticketRun) openFromDesk(o DeskOrigin) {
	r.t.Incident = o.Incident
	r.t.Desk = o.Desk
	first := len(r.outbox)
	r.mirrorSince(0) // the opening, and a pii-masked event per masked field
	m := r.outbox[first].Mirror
	m.Status, m.Group, m.Link = nil, nil, true
}

// deskOpened links the incident opened for the ticket and records what it shows.
func (r *ticketRun) deskOpened(link ticket.IncidentLink) {
	r.t.Incident = link
	r.changed = true
	r.t.Desk.Status = string(servicedesk.StatusOpen)
	r.t.Desk.Group = string(servicedesk.GroupHRC)
	r.t.Desk.Priority = r.t.Priority
}

// deskWritten records a delivered write: the desk now shows what it said.
func (r *ticketRun) deskWritten(m activities.MirrorInput) {
	d := &r.t.Desk
	d.Seq++
	if m.Status != nil {
		d.Status = string(*m.Status)
	}
	if m.Group != nil {
		d.Group = string(*m.Group)
	}
	if m.Priority != nil {
		d.Priority = *m.Priority
	}
	// Not r.changed: nothing the loop shows or waits for moved, and waking it would add
	// timer commands that recorded histories do not have.
}

func (r *ticketRun) registerDeskUpdates(ctx workflow.Context) error {
	err := workflow.SetUpdateHandlerWithOptions(ctx, UpdateDeskChange,
		func(ctx workflow.Context, c ticket.DeskChange) (ticket.View, error) {
			now := workflow.Now(ctx)
			r.applyDeskChange(c, now)
			r.changed = true
			return r.t.ViewAt(r.cals, now), nil
		},
		workflow.UpdateHandlerOptions{Validator: func(ctx workflow.Context, c ticket.DeskChange) error {
			switch {
			case r.t.State.Terminal():
				return fmt.Errorf("%w: ticket %s is %s", ticket.ErrRejected, r.t.Ref, strings.ToLower(string(r.t.State)))
			case c.Seq != r.t.Desk.Seq || len(r.outbox) > 0:
				return errors.New(ErrStaleDeskChange)
			case c.Empty():
				return errors.New("an empty desk change")
			}
			return nil
		}})
	if err != nil {
		return err
	}
	return workflow.SetUpdateHandlerWithOptions(ctx, UpdateMigrateDesk,
		func(ctx workflow.Context, m MigrateRequest) (ticket.View, error) {
			r.queueMigration(m)
			r.changed = true
			return r.t.ViewAt(r.cals, workflow.Now(ctx)), nil
		},
		workflow.UpdateHandlerOptions{Validator: func(ctx workflow.Context, m MigrateRequest) error {
			switch {
			case r.t.State.Terminal():
				return fmt.Errorf("%w: ticket %s is %s; no further action is possible", ticket.ErrRejected, r.t.Ref, strings.ToLower(string(r.t.State)))
			case r.t.Incident.ID == "":
				return fmt.Errorf("%w: ticket %s has no incident yet; it opens on the configured desk", ticket.ErrRejected, r.t.Ref)
			case r.t.Incident.System == m.To:
				return fmt.Errorf("%w: ticket %s is in %s already (%s)", ticket.ErrRejected, r.t.Ref, m.To, r.t.Incident.Number)
			case r.migrating():
				return fmt.Errorf("%w: ticket %s is moving already", ticket.ErrRejected, r.t.Ref)
			}
			return nil
		}})
}

// deskStep is one action people's change stands for.
type deskStep struct {
	action ticket.Action
	req    ticket.Request
	what   string // what people did, for the timeline: "set the status to resolved"
}

// applyDeskChange turns people's changes into the matching actions, each checked by the
// state machine as an operator's would be. An accepted one is recorded and the desk
// brought in line with hcaops's mapping (no comment: people's words are there already);
// a refused one is recorded, explained on the incident, and undone there.
func (r *ticketRun) applyDeskChange(c ticket.DeskChange, now time.Time) {
	actor := c.Desk + ":" + orDefault(c.By, "desk")
	var texts []string
	var flags []ticket.PIIFlag
	for _, n := range c.Notes {
		texts = append(texts, n.Text)
		if n.PIIFlag != nil {
			flags = append(flags, *n.PIIFlag)
		}
		r.t.Desk.TookNote(n.ID)
	}
	comment := strings.Join(texts, "\n")
	used := false
	var refused []string
	apply := func(s deskStep) {
		s.req.Actor = actor
		if s.req.Comment == "" && comment != "" {
			s.req.Comment, s.req.PIIFlags, used = comment, flags, true
		}
		if err := r.t.Check(s.action, s.req, now); err != nil {
			refused = append(refused, fmt.Sprintf("%s %s: %s", actor, s.what, explain(err, r.t.State)))
			return
		}
		before, first := len(r.t.Timeline), len(r.outbox)
		r.t.Apply(s.action, s.req, r.cals, now)
		r.mirrorSince(before)
		// People's own words are in the desk already; a pii-masked event is not.
		r.outbox[first].Mirror.Comment = ""
	}
	if c.Group != "" {
		r.t.Desk.Group = c.Group
		if s, why := groupStep(r.t, c.Group); why != "" {
			refused = append(refused, fmt.Sprintf("%s set the group to %s: %s", actor, c.Group, why))
		} else if s != nil {
			apply(*s)
		}
	}
	if c.Status != "" {
		r.t.Desk.Status = c.Status
		if s, why := statusStep(r.t, servicedesk.Status(c.Status), c.Desk); why != "" {
			refused = append(refused, fmt.Sprintf("%s set the status to %s: %s", actor, c.Status, why))
		} else if s != nil {
			apply(*s)
		}
	}
	if c.Priority != "" {
		r.t.Desk.Priority = c.Priority
		if c.Priority != r.t.Priority {
			apply(deskStep{action: ticket.ActChangePriority, req: ticket.Request{Priority: c.Priority}, what: "set the priority to " + string(c.Priority)})
		}
	}
	if !used {
		for _, n := range c.Notes {
			req := ticket.Request{Comment: n.Text}
			if n.PIIFlag != nil {
				req.PIIFlags = []ticket.PIIFlag{*n.PIIFlag}
			}
			apply(deskStep{action: ticket.ActNote, req: req, what: "wrote a note"})
		}
	}
	if len(refused) > 0 {
		r.refuseDeskChange(c, refused, now)
	}
}

// refuseDeskChange records refused desk changes and queues the answer to the desk: a
// comment that says why and what is allowed, and the ticket's real status, group and
// priority.
func (r *ticketRun) refuseDeskChange(c ticket.DeskChange, refused []string, now time.Time) {
	text := strings.Join(refused, "; ")
	r.t.Note(now, "desk-refused", text)
	i := len(r.t.Timeline) - 1
	m := &activities.MirrorInput{
		Ref: r.t.Ref, Key: fmt.Sprintf("%s#%d", r.t.Ref, i), Action: "desk-refused",
		Comment: fmt.Sprintf("[hcaops refused a change made in %s] %s. The incident shows the ticket's state again: %s, owned by %s, %s priority.",
			c.Desk, text, r.t.State, r.t.Tier, r.t.Priority),
	}
	// Only what people changed is written back: a status written again to a resolved
	// incident would log the comment as a second resolution.
	if c.Status != "" {
		status := incidentStatus(r.t)
		m.Status = &status
	}
	if c.Group != "" {
		group := incidentGroup(r.t.Tier)
		m.Group = &group
	}
	if c.Priority != "" {
		priority := r.t.Priority
		m.Priority = &priority
	}
	r.outbox = append(r.outbox, OutboxItem{Mirror: m})
}

// explain is a refusal in the words of the state machine, with what is allowed now.
func explain(err error, s ticket.State) string {
	msg := strings.TrimPrefix(err.Error(), ticket.ErrRejected.Error()+": ")
	if !strings.Contains(msg, "allowed now") && !s.Terminal() {
		msg += fmt.Sprintf("; allowed now: %s", joinActions(ticket.Allowed(s)))
	}
	return msg
}

func joinActions(as []ticket.Action) string {
	s := make([]string, len(as))
	for i, a := range as {
		s[i] = string(a)
	}
	return strings.Join(s, ", ")
}

// groupStep is the action a reassignment in the desk stands for; why is set when no
// action can stand for it.
func groupStep(t *ticket.Ticket, g string) (*deskStep, string) {
	what := "set the group to " + g
	switch {
	case strings.EqualFold(g, string(servicedesk.GroupVetsGov)):
		switch t.State {
		case ticket.StateNew:
			return &deskStep{action: ticket.ActEscalate, what: what}, ""
		case ticket.StateAwaitingES:
			return &deskStep{action: ticket.ActReturnFromES, what: what}, ""
		case ticket.StateTriage, ticket.StateInProgress:
			return nil, ""
		}
		return &deskStep{action: ticket.ActEscalate, what: what}, ""
	case strings.EqualFold(g, string(servicedesk.GroupES)):
		if t.State == ticket.StateAwaitingES {
			return nil, ""
		}
		return &deskStep{action: ticket.ActRouteToES, what: what}, ""
	case strings.EqualFold(g, string(servicedesk.GroupHRC)):
		if t.Tier == ticket.TierHRC {
			return nil, ""
		}
		return nil, "no action returns a ticket to HRC Tier 1; allowed now: " + joinActions(ticket.Allowed(t.State))
	}
	return nil, fmt.Sprintf("%q is not a group of the process (%s, %s, %s)", g, servicedesk.GroupHRC, servicedesk.GroupVetsGov, servicedesk.GroupES)
}

// statusStep is the action a status set in the desk stands for, or nil when the ticket
// is in that status already.
func statusStep(t *ticket.Ticket, s servicedesk.Status, desk string) (*deskStep, string) {
	what := "set the status to " + string(s)
	state := t.State
	switch s {
	case servicedesk.StatusResolved, servicedesk.StatusClosed:
		if state == ticket.StateResolved {
			return nil, ""
		}
		return &deskStep{action: ticket.ActResolve, what: what}, ""
	case servicedesk.StatusCancelled:
		return &deskStep{action: ticket.ActCancel, req: ticket.Request{CancelReason: ticket.CancelNotAnIssue}, what: what}, ""
	case servicedesk.StatusAwaitingCaller:
		if state == ticket.StateOnHold && t.HoldReason == ticket.HoldAwaitingCaller {
			return nil, ""
		}
		return &deskStep{action: ticket.ActHold, req: ticket.Request{HoldReason: ticket.HoldAwaitingCaller}, what: what}, ""
	case servicedesk.StatusOnHold:
		// Dynamics shows a ticket awaiting ES as on hold too.
		if state == ticket.StateOnHold || (state == ticket.StateAwaitingES && desk == "dynamics") {
			return nil, ""
		}
		return &deskStep{action: ticket.ActHold, req: ticket.Request{HoldReason: ticket.HoldAwaitingChange}, what: what}, ""
	case servicedesk.StatusAwaitingVendor:
		if state == ticket.StateAwaitingES {
			return nil, ""
		}
		return &deskStep{action: ticket.ActRouteToES, what: what}, ""
	case servicedesk.StatusInProgress:
		switch state {
		case ticket.StateInProgress:
			return nil, ""
		case ticket.StateOnHold:
			return &deskStep{action: ticket.ActResume, what: what}, ""
		case ticket.StateResolved:
			return &deskStep{action: ticket.ActReopen, what: what}, ""
		}
		return &deskStep{action: ticket.ActStartFix, what: what}, ""
	case servicedesk.StatusOpen, servicedesk.StatusAcknowledged:
		switch state {
		case ticket.StateResolved:
			return &deskStep{action: ticket.ActReopen, what: what}, ""
		case ticket.StateOnHold:
			return &deskStep{action: ticket.ActResume, what: what}, ""
		case ticket.StateTriage:
			if s == servicedesk.StatusAcknowledged {
				return &deskStep{action: ticket.ActAcknowledge, what: what}, ""
			}
		}
		return nil, ""
	}
	return nil, fmt.Sprintf("status %q has no meaning in the process", s)
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// migrating reports whether a move to another desk is queued.
func (r *ticketRun) migrating() bool {
	for _, it := range r.outbox {
		if it.Migrate != nil {
			return true
		}
	}
	return false
}

// queueMigration puts the move in the outbox, after every write to the old desk.
func (r *ticketRun) queueMigration(m MigrateRequest) {
	in := activities.MigrateInput{
		Ticket: r.t.NewTicket, From: r.t.Incident, To: m.To,
		Status: incidentStatus(r.t), Group: incidentGroup(r.t.Tier), Priority: r.t.Priority,
	}
	for i, ev := range r.t.Timeline {
		in.Notes = append(in.Notes, activities.MigrateNote{
			Key:  fmt.Sprintf("%s#%d", r.t.Ref, i),
			Text: fmt.Sprintf("%s [%s by %s] %s", ev.At.UTC().Format(time.RFC3339), ev.Action, ev.Actor, ev.Comment),
		})
	}
	r.outbox = append(r.outbox, OutboxItem{Migrate: &in})
}

// deliverMigration moves the incident and switches the ticket's link; the mirror goes to
// the new desk from the next write on.
func (r *ticketRun) deliverMigration(ctx workflow.Context, a *activities.ServiceDesk, in activities.MigrateInput) error {
	mctx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 5 * time.Minute,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: 10 * time.Second,
			NonRetryableErrorTypes: []string{activities.ErrTypeDeskRejected},
		},
		Summary: fmt.Sprintf("move incident %s from %s to %s", in.From.Number, in.From.System, in.To),
	})
	var res activities.MigrateResult
	if err := workflow.ExecuteActivity(mctx, a.MigrateIncident, in).Get(ctx, &res); err != nil {
		return err
	}
	from, seq := r.t.Incident, r.t.Desk.Seq
	r.t.Incident = res.Incident
	r.t.Desk = res.Desk
	r.t.Desk.Seq = seq + 1 // a change read before the move is stale
	r.t.Note(workflow.Now(ctx), "desk-migrated", fmt.Sprintf("incident moved from %s %s to %s %s", from.System, from.Number, res.Incident.System, res.Incident.Number))
	r.mirrorLast()
	r.changed = true
	return nil
}
