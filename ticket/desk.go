package ticket

// DeskChange is what people changed on a ticket's incident in the service desk since
// hcaops last wrote to it: the fields that differ from the ticket's DeskView, and the
// notes it has not taken. Unset fields did not change.
type DeskChange struct {
	Desk   string `json:"desk"`   // "sdm" or "dynamics"
	Number string `json:"number"` // the incident, for the timeline
	Seq    int    `json:"seq"`    // DeskView.Seq the change was read against
	By     string `json:"by,omitempty"`
	Status string `json:"status,omitempty"`
	Group  string `json:"group,omitempty"`
	// Priority is the desk's, in hcaops's words.
	Priority Priority   `json:"priority,omitempty"`
	Notes    []DeskNote `json:"notes,omitempty"`
}

// DeskNote is a note a person wrote in the desk.
type DeskNote struct {
	ID     string `json:"id"`
	Author string `json:"author,omitempty"`
	Text   string `json:"text"` // FromDesk: masked where it looked like PII
	// PIIFlag is set when Text had PII-looking values masked.
	PIIFlag *PIIFlag `json:"piiFlag,omitempty"`
}

// Empty reports whether nothing changed.
func (c DeskChange) Empty() bool {
	return c.Status == "" && c.Group == "" && c.Priority == "" && len(c.Notes) == 0
}
