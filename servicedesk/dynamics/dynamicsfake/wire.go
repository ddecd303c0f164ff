package dynamicsfake

import "strings"

// The fake's own reading of the Dataverse Web API and the Entra ID token endpoint,
// written from Microsoft's documentation rather than shared with the client in package
// dynamics, so that the two can disagree and a test can catch it.

// apiPath is where the Dataverse Web API (v9.2) lives under the organisation URL.
const apiPath = "/api/data/v9.2/"

// incidentType is the @odata.type of an incident entity reference.
const incidentType = "Microsoft.Dynamics.CRM.incident"

// Custom columns hcaops adds to the incident entity (hcaops_ is the publisher prefix).
const (
	colReference = "hcaops_reference" // an alternate key: one incident per ticket
	colGroup     = "hcaops_group"
)

// Option-set values of the incident entity in Dynamics 365 Customer Service, out of
// the box: caseorigincode, prioritycode, statecode and statuscode.
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

	statusInProgress    = 1    // active
	statusProblemSolved = 5    // resolved
	statusMerged        = 2000 // cancelled
)

// validStatus lists the status reasons (statuscode) each state (statecode) allows.
var validStatus = map[int][]int{
	stateActive:    {statusInProgress, 2 /* on hold */, 3 /* waiting for details */, 4 /* researching */},
	stateResolved:  {statusProblemSolved, 1000 /* information provided */},
	stateCancelled: {6 /* cancelled */, statusMerged},
}

// apiError is the Web API's error body: {"error":{"code":"0x...","message":"..."}}.
type apiError struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// tokenResponse is a successful answer of the OAuth 2 token endpoint (RFC 6749 §5.1).
type tokenResponse struct {
	TokenType   string `json:"token_type"`
	ExpiresIn   int    `json:"expires_in"`
	AccessToken string `json:"access_token"`
}

// tokenError is the error answer of the OAuth 2 token endpoint (RFC 6749 §5.2).
type tokenError struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

// isGUID reports whether s is a GUID in the 8-4-4-4-12 hex form Dataverse uses for keys.
func isGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, c := range s {
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if c != '-' {
				return false
			}
		} else if !strings.ContainsRune("0123456789abcdefABCDEF", c) {
			return false
		}
	}
	return true
}

// parseBind reads an @odata.bind value, "/set(GUID)" optionally prefixed by the
// service root, into the entity set and the GUID.
func parseBind(s string) (set, id string, ok bool) {
	if i := strings.LastIndex(s, "/"); i >= 0 {
		s = s[i+1:]
	}
	open := strings.IndexByte(s, '(')
	if open <= 0 || !strings.HasSuffix(s, ")") {
		return "", "", false
	}
	set, id = s[:open], s[open+1:len(s)-1]
	return set, id, isGUID(id)
}
