package config

import (
	"crypto/x509"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"

	"github.com/hcaops/hcaops/notify"
	"github.com/hcaops/hcaops/ticket"
)

// Mail configures the relay every email goes through (staff notices and Veteran emails)
// and the group directory that turns staff groups into addresses.
type Mail struct {
	SMTPAddr           string // host:port; empty: notices and Veteran emails go to the log
	From               string
	Username, Password string         // AUTH PLAIN, only over TLS (or to localhost)
	StartTLS           bool           // require STARTTLS before AUTH and MAIL
	RootCAs            *x509.CertPool // from HCAOPS_SMTP_CA_FILE; nil: the system's roots
	DirectoryPath      string
	Directory          notify.Directory
}

// mail reads HCAOPS_SMTP_* and HCAOPS_DIRECTORY, and checks at start what would otherwise
// fail the first breach notice: a relay without a directory, a directory without a group
// hcaops sends to, a password that would cross the network in clear.
func (e *env) mail(c Config) Mail {
	m := Mail{
		SMTPAddr:      e.str("HCAOPS_SMTP_ADDR", ""),
		From:          e.str("HCAOPS_SMTP_FROM", "no-reply@va.gov"),
		Username:      e.str("HCAOPS_SMTP_USERNAME", ""),
		Password:      e.str("HCAOPS_SMTP_PASSWORD", ""),
		StartTLS:      e.boolean("HCAOPS_SMTP_STARTTLS", true),
		DirectoryPath: e.str("HCAOPS_DIRECTORY", ""),
	}
	if m.SMTPAddr != "" {
		host, _, err := net.SplitHostPort(m.SMTPAddr)
		if err != nil || host == "" {
			e.fail("HCAOPS_SMTP_ADDR", m.SMTPAddr, "must be host:port, e.g. smtp.example.gov:587")
		} else if m.Username != "" && !m.StartTLS && !isLoopback(host) {
			e.fail("HCAOPS_SMTP_STARTTLS", "false", "must be true when HCAOPS_SMTP_USERNAME is set: the password would cross the network in clear")
		}
		if m.DirectoryPath == "" {
			e.fail("HCAOPS_DIRECTORY", "", "must name the group directory file when HCAOPS_SMTP_ADDR is set (staff notices go to its addresses)")
		}
	}
	if ca := e.str("HCAOPS_SMTP_CA_FILE", ""); ca != "" {
		pem, err := os.ReadFile(ca)
		m.RootCAs = x509.NewCertPool()
		if err != nil {
			e.fail("HCAOPS_SMTP_CA_FILE", ca, "cannot be read: "+err.Error())
		} else if !m.RootCAs.AppendCertsFromPEM(pem) {
			e.fail("HCAOPS_SMTP_CA_FILE", ca, "holds no PEM certificate")
		}
	}
	if m.DirectoryPath != "" {
		d, err := notify.LoadDirectory(m.DirectoryPath)
		if err != nil {
			e.errs = append(e.errs, fmt.Errorf("HCAOPS_DIRECTORY: %w", err))
			return m
		}
		if err := d.Require(recipients(c)); err != nil {
			e.errs = append(e.errs, fmt.Errorf("HCAOPS_DIRECTORY=%q: %w", m.DirectoryPath, err))
		}
		m.Directory = d
	}
	return m
}

// recipients names every group hcaops sends staff notices to, and why.
func recipients(c Config) map[string]string {
	why := map[string]string{
		string(ticket.TierVetsGov): "SLA warnings and breaches, ES stall escalations, ES outages",
		string(ticket.TierES):      "ES clock warnings and breaches, ES outages",
		c.Policy.ProductManager:    "breaches, ES stall escalations and outages (HCAOPS_PRODUCT_MANAGER)",
		c.Policy.Liaison():         "ES stall escalations and outages (HCAOPS_ES_LIAISON)",
	}
	for _, g := range c.ES.AgendaTo {
		if _, ok := why[g]; !ok {
			why[g] = "the ES call agenda (HCAOPS_AGENDA_TO)"
		}
	}
	return why
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (e *env) boolean(name string, def bool) bool {
	v := e.str(name, "")
	if v == "" {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		e.fail(name, v, "must be true or false")
		return def
	}
	return b
}

// splitList reads a comma-separated list, dropping blanks and spaces around items.
func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}
