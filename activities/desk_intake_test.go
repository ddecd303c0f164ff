package activities

import (
	"strings"
	"testing"

	"github.com/hcaops/hcaops/servicedesk"
	"github.com/hcaops/hcaops/ticket"
)

// An incident an agent opened is never lost over what they typed: PII-looking values are
// masked and flagged, the ticket still validates, and SDM's bare numbers get a prefix.
func TestNewTicketFromIncidentMasksAndFlags(t *testing.T) {
	n := NewTicketFromIncident(servicedesk.Snapshot{
		System: "sdm", ID: "cr:400003", Number: "123456789", OpenedBy: "hrc-agent-3",
		Summary: "Caller SSN 123-45-6789 cannot sign in", Description: "born 01/10/1955\n[hcaops:ref=SDM-123456789]",
	})
	if err := n.Validate(); err != nil {
		t.Fatalf("the ticket does not validate: %v", err)
	}
	if n.Ref != "SDM-123456789" || n.Reporter != "sdm:hrc-agent-3" || n.Priority != ticket.PriorityMedium {
		t.Errorf("ticket %+v", n)
	}
	if strings.Contains(n.Summary, "6789") || strings.Contains(n.Description, "1955") || strings.Contains(n.Description, "hcaops:ref") {
		t.Errorf("kept %q / %q", n.Summary, n.Description)
	}
	if len(n.PIIFlags) != 2 {
		t.Errorf("flags %+v, want summary and description", n.PIIFlags)
	}
}
