// Package servicedesk is the service desk that is the system of record for support
// tickets, seen from hcaops: NSD SDM today (package sdm), Microsoft Dynamics 365 later
// (package dynamics). The ticket workflow mirrors every transition through this one
// interface.
package servicedesk

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/hcaops/hcaops/ticket"
)

// Status is the system-neutral status of an incident; each system maps it to its codes.
type Status string

const (
	StatusOpen           Status = "open"            // SDM OP;      Dynamics statecode 0, statuscode 1
	StatusAcknowledged   Status = "acknowledged"    // SDM ACK;     Dynamics 0/1
	StatusInProgress     Status = "in-progress"     // SDM WIP;     Dynamics 0/4 (researching)
	StatusAwaitingCaller Status = "awaiting-caller" // SDM AEUR;    Dynamics 0/3 (waiting for details)
	StatusAwaitingVendor Status = "awaiting-vendor" // SDM AWTVNDR; Dynamics 0/2 (on hold) -- ES is the vendor
	StatusOnHold         Status = "on-hold"         // SDM PNDCHG;  Dynamics 0/2 (on hold)
	StatusResolved       Status = "resolved"        // SDM RE;      Dynamics CloseIncident, statecode 1, statuscode 5
	StatusClosed         Status = "closed"          // SDM CL;      Dynamics stays resolved (1/5)
	StatusCancelled      Status = "cancelled"       // SDM CNCL;    Dynamics 2/6 (or Merge for a duplicate: 2/2000)
)

// Group names the owning group in the system of record.
type Group string

const (
	GroupHRC     Group = "HRC Tier 1"
	GroupVetsGov Group = "vets.gov"
	GroupES      Group = "ES Tier 2/3"
)

// NewIncident is what the ticket workflow asks the system of record to hold.
// It carries no PII: the O&M plan forbids it in tickets.
type NewIncident struct {
	Ref         string // hcaops ticket reference; the idempotency key of the incident
	Summary     string
	Description string
	Category    string
	Channel     ticket.Channel
	Priority    ticket.Priority
	Group       Group
}

// Incident identifies an incident in the system of record.
type Incident struct {
	ID     string // SDM persistent id ("cr:400001") or Dynamics incidentid (GUID)
	Number string // SDM ref_num or Dynamics ticketnumber: what people quote on the phone
}

// Update changes an incident; nil fields are left as they are.
type Update struct {
	Status    *Status
	Priority  *ticket.Priority
	Group     *Group
	Escalated *bool
	// DuplicateOf is the system ID of the master incident when Status is cancelled as a duplicate.
	DuplicateOf string
	// Resolution is the closing comment when Status is resolved or cancelled.
	Resolution string
}

// Desk is a service desk, the system of record of tickets. Every method is idempotent,
// so activities that call it can be retried: EnsureIncident finds the incident by Ref
// before creating one, and AddComment skips a comment whose key is already in the
// activity log.
type Desk interface {
	// Name is "sdm" or "dynamics".
	Name() string
	EnsureIncident(ctx context.Context, in NewIncident) (Incident, error)
	FindIncident(ctx context.Context, ref string) (Incident, error) // ErrNotFound if none
	UpdateIncident(ctx context.Context, id string, u Update) error
	// AddComment appends text to the incident's activity log once per key.
	AddComment(ctx context.Context, id, key, text string) error

	// Changes lists the incidents created or changed since cursor, the opaque value the
	// previous call returned ("" the first time, when since bounds how far back to look).
	// The next cursor may repeat some incidents: callers must take each one idempotently.
	Changes(ctx context.Context, cursor string, since time.Time) (Feed, error)
	// ReadIncident reads an incident as the desk shows it now, with the notes people wrote.
	ReadIncident(ctx context.Context, id string) (Snapshot, error)
	// LinkIncident marks an incident people opened in the desk as the ticket ref's, so
	// FindIncident finds it and later reads carry the reference.
	LinkIncident(ctx context.Context, id, ref string) error
	// Canonical is how the desk shows a status and priority hcaops writes, in hcaops's
	// words: Dynamics has one "on hold" for awaiting-vendor and on-hold, one "high" for
	// Urgent and High. A Snapshot holds canonical values.
	Canonical(s Status, p ticket.Priority) (Status, ticket.Priority)
}

// Feed is one poll of a desk's changes.
type Feed struct {
	Incidents []Snapshot
	Cursor    string // where the next poll starts
}

// Snapshot is an incident as the desk shows it: what people see and change there.
type Snapshot struct {
	System      string    `json:"system"` // "sdm" or "dynamics"
	ID          string    `json:"id"`
	Number      string    `json:"number"`
	Ref         string    `json:"ref,omitempty"` // the hcaops reference it carries, "" if none
	Summary     string    `json:"summary,omitempty"`
	Description string    `json:"description,omitempty"`
	Category    string    `json:"category,omitempty"`
	Status      Status    `json:"status"`
	Group       Group     `json:"group,omitempty"`
	OpenedBy    string    `json:"openedBy,omitempty"` // the agent's user ID, never a caller's name
	OpenedAt    time.Time `json:"openedAt,omitzero"`
	ModifiedAt  time.Time `json:"modifiedAt,omitzero"`
	ModifiedBy  string    `json:"modifiedBy,omitempty"` // user ID of the last change, where the desk says

	// Priority is the desk's priority in hcaops's words, "" when unset; where the desk
	// has fewer levels it is the desk's Canonical one.
	Priority ticket.Priority `json:"priority,omitempty"`
	// Notes are what people wrote on the incident, oldest first: hcaops's own comments
	// are left out. Only ReadIncident fills them.
	Notes []Note `json:"notes,omitempty"`
}

// Note is a log entry (SDM) or note (Dynamics) a person wrote.
type Note struct {
	ID     string    `json:"id"`
	Author string    `json:"author,omitempty"`
	Text   string    `json:"text"`
	At     time.Time `json:"at,omitzero"`
}

// Active reports whether the incident is still being worked in the desk.
func (s Snapshot) Active() bool {
	return s.Status != StatusClosed && s.Status != StatusCancelled
}

// LinkMarker is the line hcaops puts in an incident's description to carry the ticket
// reference where the desk has no attribute for it (no schema change): a person can
// read it, and a where clause or $filter can find it.
func LinkMarker(ref string) string { return "[hcaops:ref=" + ref + "]" }

// RefFromText finds a LinkMarker in text; "" if none.
func RefFromText(text string) string {
	const open = "[hcaops:ref="
	i := strings.Index(text, open)
	if i < 0 {
		return ""
	}
	rest := text[i+len(open):]
	j := strings.IndexByte(rest, ']')
	if j <= 0 {
		return ""
	}
	return rest[:j]
}

// ErrNotFound is returned when no incident has the reference.
var ErrNotFound = errors.New("incident not found")

// ResponseError is a malformed or failing answer from the system of record.
// Retryable is false for answers that will not change on retry: 4xx other than 408/429,
// and a 401 at login (wrong credentials). A 401 on a call renews the key or token once.
type ResponseError struct {
	System    string
	Op        string
	Status    int
	Retryable bool
	Msg       string
}

func (e *ResponseError) Error() string {
	return e.System + " " + e.Op + ": " + e.Msg
}
