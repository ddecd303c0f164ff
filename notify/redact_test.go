package notify

import "testing"

func TestLooksLikePII(t *testing.T) {
	pii := []string{
		"jane@example.com",
		"write to zq.veteran@example.com today",
		"jane@localhost",
		"jösé@example.com",
		"SSN 231549876",
		"SSN 231-54-9876",
		"231 54 9876",
		"call 503-555-0147",
		"call (503) 555-0147",
		"call 5035550147",
		"call +1 503 555 0147",
		"ICN 1012667145V762142",
	}
	for _, s := range pii {
		if !looksLikePII(s) {
			t.Errorf("looksLikePII(%q) = false", s)
		}
	}
	clean := []string{
		"",
		"Ticket HRC-DEMO-1 (High priority), owned by ES Tier 2/3: resolution clock resolution target breached; escalated to vets.gov and the product manager.",
		"[hcaops] ticket HRC-DEMO-2: no ES progress in 3 calls; escalated to ES Tier 2/3 and the product manager",
		"breached at 2026-03-02T14:30:00Z after 72h",
		"incident INC0012345",
		"ping @team",
	}
	for _, s := range clean {
		if looksLikePII(s) {
			t.Errorf("looksLikePII(%q) = true", s)
		}
	}
}

func TestScrubPII(t *testing.T) {
	got := scrubPII("5.1.1 <jane@example.com>: Recipient address rejected; callback 503-555-0147")
	want := "5.1.1 <<redacted>>: Recipient address rejected; callback <redacted>"
	if got != want {
		t.Errorf("scrubPII = %q, want %q", got, want)
	}
}

func TestSafeRecipient(t *testing.T) {
	for in, want := range map[string]string{
		"vets.gov":              "vets.gov",
		"ES Tier 2/3":           "ES Tier 2/3",
		"hca-product-manager":   "hca-product-manager",
		"jane@example.com":      redacted,
		"Jane <jane@example.g>": redacted,
		"jane@":                 redacted, // half an address is still half an address
		"503-555-0147":          redacted,
	} {
		if got := safeRecipient(in); got != want {
			t.Errorf("safeRecipient(%q) = %q, want %q", in, got, want)
		}
	}
}
