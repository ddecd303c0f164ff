package workflows

import (
	"go.temporal.io/sdk/temporal"
)

// Typed search attributes of ticket workflows. None carries PII: operators filter on them
// in the Temporal UI and with `ticketctl list`.
var (
	TicketStatus   = temporal.NewSearchAttributeKeyKeyword("TicketStatus")
	TicketTier     = temporal.NewSearchAttributeKeyKeyword("TicketTier")
	TicketPriority = temporal.NewSearchAttributeKeyKeyword("TicketPriority")
	TicketChannel  = temporal.NewSearchAttributeKeyKeyword("TicketChannel")
	TicketProduct  = temporal.NewSearchAttributeKeyKeyword("TicketProduct")
	TicketRef      = temporal.NewSearchAttributeKeyKeyword("TicketRef")
	SLABreached    = temporal.NewSearchAttributeKeyBool("SLABreached")
	SLADueAt       = temporal.NewSearchAttributeKeyTime("SLADueAt")
)

// SearchAttributeKeys lists every key, for registration on the namespace.
var SearchAttributeKeys = []temporal.SearchAttributeKey{
	TicketStatus, TicketTier, TicketPriority, TicketChannel, TicketProduct, TicketRef, SLABreached, SLADueAt,
}

// Search attributes of 10-10EZ submissions: no PII, only where the submission is.
var (
	SubmissionStatus = temporal.NewSearchAttributeKeyKeyword("SubmissionStatus")
	FormSubmissionID = temporal.NewSearchAttributeKeyInt64("FormSubmissionID")
	SubmittedDate    = temporal.NewSearchAttributeKeyKeyword("SubmittedDate") // ES's local date, YYYY-MM-DD
	// SubmissionOutcomeUnknown is true once a saveSubmitForm attempt was sent and got no
	// answer: ES may hold a record vets.gov does not know (a possible duplicate).
	SubmissionOutcomeUnknown = temporal.NewSearchAttributeKeyBool("SubmissionOutcomeUnknown")
	// SubmissionOutcomeUnknownDates are ES's local dates (YYYY-MM-DD) of those attempts.
	SubmissionOutcomeUnknownDates = temporal.NewSearchAttributeKeyKeywordList("SubmissionOutcomeUnknownDates")
)

func init() {
	SearchAttributeKeys = append(SearchAttributeKeys, SubmissionStatus, FormSubmissionID, SubmittedDate,
		SubmissionOutcomeUnknown, SubmissionOutcomeUnknownDates)
}
