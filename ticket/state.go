package ticket

// State is where a ticket is in the O&M process.
type State string

const (
	StateNew        State = "New"         // at HRC Tier 1
	StateTriage     State = "Triage"      // routed to vets.gov for triage
	StateInProgress State = "In Progress" // vets.gov break/fix
	StateAwaitingES State = "Awaiting ES" // routed to ES for Tier 2/3
	StateOnHold     State = "On Hold"
	StateResolved   State = "Resolved"
	StateClosed     State = "Closed"
	StateCancelled  State = "Cancelled"
)

// Terminal reports whether no action is possible any more.
func (s State) Terminal() bool { return s == StateClosed || s == StateCancelled }

// HoldReason says what a ticket on hold is waiting for.
type HoldReason string

const (
	HoldAwaitingCaller HoldReason = "awaiting-caller" // pauses the vets.gov clocks
	HoldAwaitingChange HoldReason = "awaiting-change" // a scheduled change; clocks keep running
)

var HoldReasons = []HoldReason{HoldAwaitingCaller, HoldAwaitingChange}

// ParseHoldReason accepts a hold reason in any letter case.
func ParseHoldReason(s string) (HoldReason, error) {
	return parseEnum("hold reason", s, HoldReasons)
}

// CancelReason says why a ticket was cancelled.
type CancelReason string

const (
	CancelNotAnIssue CancelReason = "not-an-issue"
	CancelDuplicate  CancelReason = "duplicate"
)

var CancelReasons = []CancelReason{CancelNotAnIssue, CancelDuplicate}

// ParseCancelReason accepts a cancel reason in any letter case.
func ParseCancelReason(s string) (CancelReason, error) {
	return parseEnum("cancel reason", s, CancelReasons)
}
