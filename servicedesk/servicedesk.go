// Package servicedesk is the service desk that is the system of record for support
// tickets, seen from hcaops: NSD SDM today (package sdm), Microsoft Dynamics 365 later
// (package dynamics). The ticket workflow mirrors every transition through this one
// interface.
package servicedesk

import (
	"context"
	"errors"

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
