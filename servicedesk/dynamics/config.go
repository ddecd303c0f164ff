package dynamics

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hcaops/hcaops/servicedesk"
)

// apiPath is where the Dataverse Web API lives under the organisation URL.
const apiPath = "/api/data/v9.2/"

// Config says which Dynamics 365 organisation to talk to and as whom.
type Config struct {
	// BaseURL is the organisation URL, e.g. https://va-hec.crm9.dynamics.com.
	// The client appends /api/data/v9.2/; it is also the OAuth scope ({BaseURL}/.default).
	BaseURL string
	// TokenURL is the Entra ID token endpoint,
	// e.g. https://login.microsoftonline.us/{tenant}/oauth2/v2.0/token.
	TokenURL     string
	ClientID     string
	ClientSecret string
	// CustomerAccountID is the GUID of the account every incident is filed under:
	// Dynamics requires a customer on a case and hcaops tickets carry no PII,
	// so the veteran is never the customer.
	CustomerAccountID string
	// NoCustomColumns is for an organisation without hcaops's columns (hcaops_reference,
	// hcaops_group): the reference then travels as a marker line in the description,
	// found with contains(), and the owning group is not written.
	NoCustomColumns bool
	// HTTPClient defaults to a client with a 15 s timeout.
	HTTPClient *http.Client
	// RenewBefore is how long before its expiry a token is renewed (default 5 min).
	RenewBefore time.Duration
	// Now defaults to time.Now; tests override it.
	Now func() time.Time
}

// withDefaults checks cfg and fills in the optional fields.
func (cfg Config) withDefaults() (Config, error) {
	var missing []string
	for _, f := range []struct{ name, val string }{
		{"BaseURL", cfg.BaseURL},
		{"TokenURL", cfg.TokenURL},
		{"ClientID", cfg.ClientID},
		{"ClientSecret", cfg.ClientSecret},
		{"CustomerAccountID", cfg.CustomerAccountID},
	} {
		if strings.TrimSpace(f.val) == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return cfg, fmt.Errorf("dynamics config: missing %s", strings.Join(missing, ", "))
	}
	cfg.BaseURL = strings.TrimRight(strings.TrimSpace(cfg.BaseURL), "/")
	for _, u := range []struct{ name, val string }{{"BaseURL", cfg.BaseURL}, {"TokenURL", cfg.TokenURL}} {
		parsed, err := url.Parse(u.val)
		if err != nil || (parsed.Scheme != "https" && parsed.Scheme != "http") || parsed.Host == "" {
			return cfg, fmt.Errorf("dynamics config: %s %q is not an http(s) URL", u.name, u.val)
		}
	}
	if !isGUID(cfg.CustomerAccountID) {
		return cfg, fmt.Errorf("dynamics config: CustomerAccountID %q is not a GUID", cfg.CustomerAccountID)
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = servicedesk.HTTPClient()
	}
	if cfg.RenewBefore <= 0 {
		cfg.RenewBefore = 5 * time.Minute
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return cfg, nil
}
