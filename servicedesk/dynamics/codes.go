package dynamics

import (
	"fmt"

	"github.com/hcaops/hcaops/servicedesk"
	"github.com/hcaops/hcaops/ticket"
)

// Option-set values of the incident entity (Dynamics 365 Customer Service, out of the box).
const (
	originPhone = 1
	originEmail = 2
	originWeb   = 3

	priorityHigh   = 1
	priorityNormal = 2
	priorityLow    = 3

	stateActive    = 0
	stateResolved  = 1
	stateCancelled = 2

	statusInProgress     = 1 // active
	statusOnHold         = 2 // active
	statusWaitingDetails = 3 // active
	statusResearching    = 4 // active
	statusProblemSolved  = 5 // resolved
	statusInfoProvided   = 1000
	statusCancelled      = 6 // cancelled
	statusMerged         = 2000
)

// originCode maps the caller's channel to caseorigincode. Dynamics has no chat origin
// out of the box, and the HRC chat widget sits on VA.gov, so chat is filed as web.
func originCode(c ticket.Channel) (int, error) {
	switch c {
	case ticket.ChannelPhone:
		return originPhone, nil
	case ticket.ChannelEmail:
		return originEmail, nil
	case ticket.ChannelWeb, ticket.ChannelChat:
		return originWeb, nil
	}
	return 0, fmt.Errorf("unknown channel %q", c)
}

// priorityCode maps the tier-3 priority to prioritycode. Dynamics has three levels,
// so Urgent and High share "high".
func priorityCode(p ticket.Priority) (int, error) {
	switch p {
	case ticket.PriorityUrgent, ticket.PriorityHigh:
		return priorityHigh, nil
	case ticket.PriorityMedium:
		return priorityNormal, nil
	case ticket.PriorityLow:
		return priorityLow, nil
	}
	return 0, fmt.Errorf("unknown priority %q", p)
}

// activeStatusCode maps a status that keeps the incident active to its statuscode;
// ok is false for resolved, closed and cancelled, which need actions rather than a PATCH.
func activeStatusCode(s servicedesk.Status) (code int, ok bool) {
	switch s {
	case servicedesk.StatusOpen, servicedesk.StatusAcknowledged:
		return statusInProgress, true
	case servicedesk.StatusInProgress:
		return statusResearching, true
	case servicedesk.StatusAwaitingCaller:
		return statusWaitingDetails, true
	case servicedesk.StatusAwaitingVendor, servicedesk.StatusOnHold:
		return statusOnHold, true
	}
	return 0, false
}

// statusOf reads statecode and statuscode back as the status hcaops wrote (Canonical);
// an active status reason hcaops does not write reads as open.
func statusOf(state, status int) servicedesk.Status {
	switch state {
	case stateResolved:
		return servicedesk.StatusResolved
	case stateCancelled:
		return servicedesk.StatusCancelled
	}
	switch status {
	case statusOnHold:
		return servicedesk.StatusOnHold
	case statusWaitingDetails:
		return servicedesk.StatusAwaitingCaller
	case statusResearching:
		return servicedesk.StatusInProgress
	}
	return servicedesk.StatusOpen
}

// priorityOf reads prioritycode back; "" for a code outside the three.
func priorityOf(code int) ticket.Priority {
	switch code {
	case priorityHigh:
		return ticket.PriorityHigh
	case priorityNormal:
		return ticket.PriorityMedium
	case priorityLow:
		return ticket.PriorityLow
	}
	return ""
}
