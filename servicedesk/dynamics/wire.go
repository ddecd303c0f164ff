package dynamics

import "encoding/json"

// JSON bodies of the Dataverse Web API as the client writes and reads them.

const incidentType = "Microsoft.Dynamics.CRM.incident"

// Custom columns hcaops adds to the incident entity.
const (
	// colReference holds the hcaops ticket reference; it is an alternate key,
	// so Dataverse itself refuses a second incident for the same ticket.
	colReference = "hcaops_reference"
	// colGroup holds the owning hcaops group. Routing to Dynamics queues/teams is
	// left to Dynamics (a routing rule can read this column), so hcaops needs no team GUIDs.
	colGroup = "hcaops_group"
)

// incidentCreate is the body of POST incidents.
type incidentCreate struct {
	Title        string `json:"title"`
	Description  string `json:"description,omitempty"`
	CaseOrigin   int    `json:"caseorigincode,omitempty"`
	PriorityCode int    `json:"prioritycode,omitempty"`
	Reference    string `json:"hcaops_reference,omitempty"`
	Group        string `json:"hcaops_group,omitempty"`
	CustomerBind string `json:"customerid_account@odata.bind"`
}

// incidentRecord is the part of an incident the client reads back.
type incidentRecord struct {
	ID           string `json:"incidentid"`
	TicketNumber string `json:"ticketnumber"`
	Description  string `json:"description,omitempty"`
	StateCode    *int   `json:"statecode,omitempty"`
	StatusCode   *int   `json:"statuscode,omitempty"`
	MasterID     string `json:"_masterid_value,omitempty"`
}

// collection is the body of a GET on an entity set.
type collection[T any] struct {
	Value []T `json:"value"`
}

// closeIncident is the body of the CloseIncident action, which resolves an incident.
type closeIncident struct {
	IncidentResolution incidentResolution `json:"IncidentResolution"`
	Status             int                `json:"Status"`
}

type incidentResolution struct {
	Subject      string `json:"subject"`
	IncidentBind string `json:"incidentid@odata.bind"`
	Description  string `json:"description,omitempty"`
}

// mergeRequest is the body of the Merge action, which cancels Subordinate as a duplicate of Target.
type mergeRequest struct {
	Target      entityRef `json:"Target"`
	Subordinate entityRef `json:"Subordinate"`
	// UpdateContent sets attributes on the target. It is sent empty on purpose:
	// an attribute in it (even "title": "") overwrites the master incident.
	UpdateContent          map[string]any `json:"UpdateContent"`
	PerformParentingChecks bool           `json:"PerformParentingChecks"`
}

type entityRef struct {
	IncidentID string `json:"incidentid"`
	Type       string `json:"@odata.type"`
}

// annotationCreate is the body that creates a note on an incident (PATCH annotations(id)).
type annotationCreate struct {
	Subject      string `json:"subject"`
	NoteText     string `json:"notetext"`
	IncidentBind string `json:"objectid_incident@odata.bind"`
}

// apiError is the error body of the Web API.
type apiError struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// tokenResponse is the answer of the OAuth 2 token endpoint.
type tokenResponse struct {
	TokenType   string `json:"token_type"`
	ExpiresIn   int    `json:"expires_in"`
	AccessToken string `json:"access_token"`
}

// tokenError is the error body of the OAuth 2 token endpoint (RFC 6749 §5.2).
type tokenError struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

// errorText extracts the message of an error body, from either the Web API or the
// token endpoint; it returns "" if the body is neither.
func errorText(body []byte) string {
	var w struct {
		Error       json.RawMessage `json:"error"`
		Description string          `json:"error_description"`
	}
	if json.Unmarshal(body, &w) != nil || len(w.Error) == 0 {
		return ""
	}
	var api apiError
	if json.Unmarshal(body, &api) == nil && api.Error.Message != "" {
		if api.Error.Code != "" {
			return api.Error.Message + " (" + api.Error.Code + ")"
		}
		return api.Error.Message
	}
	var tok tokenError
	if json.Unmarshal(body, &tok) == nil && tok.Error != "" {
		if tok.Description != "" {
			return tok.Error + ": " + tok.Description
		}
		return tok.Error
	}
	return ""
}
