package sdm

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/hcaops/hcaops/servicedesk"
	"github.com/hcaops/hcaops/ticket"
)

// SDM status (crs) codes used by hcaops.
const (
	codeOpen           = "OP"
	codeAcknowledged   = "ACK"
	codeInProgress     = "WIP"
	codeAwaitingCaller = "AEUR"
	codeAwaitingVendor = "AWTVNDR"
	codePendingChange  = "PNDCHG"
	codeResolved       = "RE"
	codeClosed         = "CL"
	codeCancelled      = "CNCL"
)

var statusCodes = map[servicedesk.Status]string{
	servicedesk.StatusOpen:           codeOpen,
	servicedesk.StatusAcknowledged:   codeAcknowledged,
	servicedesk.StatusInProgress:     codeInProgress,
	servicedesk.StatusAwaitingCaller: codeAwaitingCaller,
	servicedesk.StatusAwaitingVendor: codeAwaitingVendor,
	servicedesk.StatusOnHold:         codePendingChange,
	servicedesk.StatusResolved:       codeResolved,
	servicedesk.StatusClosed:         codeClosed,
	servicedesk.StatusCancelled:      codeCancelled,
}

func statusCode(s servicedesk.Status) (string, error) {
	if c, ok := statusCodes[s]; ok {
		return c, nil
	}
	return "", fmt.Errorf("unknown status %q", s)
}

// priorityNames maps hcaops priorities to SDM priority (pri) names, 1 highest.
// SDM's "5" is not used.
var priorityNames = map[ticket.Priority]string{
	ticket.PriorityUrgent: "1",
	ticket.PriorityHigh:   "2",
	ticket.PriorityMedium: "3",
	ticket.PriorityLow:    "4",
}

func priorityName(p ticket.Priority) (string, error) {
	if n, ok := priorityNames[p]; ok {
		return n, nil
	}
	return "", fmt.Errorf("unknown priority %q", p)
}

// SDM activity (alg) types written by hcaops.
const (
	activityComment  = "LOG" // Log Comment
	activityResolve  = "RE"  // Resolve
	activityClose    = "CL"  // Close
	activityEscalate = "ESC" // Escalate
)

// incidentType is the request type (crt) of an incident.
const incidentType = "crt:182"

// persistentID returns SDM's persistent id of the incident with numeric id n.
func persistentID(n string) string { return "cr:" + n }

// incidentNumber accepts an incident ID as hcaops may hold it ("cr:400001",
// "in:400001" or "400001") and returns the numeric id SDM puts in URLs.
func incidentNumber(id string) (string, error) {
	n := strings.TrimSpace(id)
	for _, prefix := range []string{"cr:", "in:"} {
		if strings.HasPrefix(n, prefix) {
			n = n[len(prefix):]
			break
		}
	}
	if _, err := strconv.ParseUint(n, 10, 64); err != nil || n == "" {
		return "", fmt.Errorf("invalid incident id %q (want cr:NNN)", id)
	}
	return n, nil
}
