// Package app wires hcaops together the same way for the worker binary and the
// integration tests: the system of record chosen by configuration, the activities, and
// the workflows registered on a Temporal worker.
package app

import (
	"fmt"

	"go.temporal.io/sdk/worker"

	"github.com/hcaops/hcaops/activities"
	"github.com/hcaops/hcaops/config"
	"github.com/hcaops/hcaops/ticketing"
	"github.com/hcaops/hcaops/ticketing/dynamics"
	"github.com/hcaops/hcaops/ticketing/sdm"
	"github.com/hcaops/hcaops/workflows"
)

// NewSystem returns the system of record the configuration names.
func NewSystem(cfg config.Config) (ticketing.System, error) {
	// Each case returns its own nil on error, so a failed client is never a non-nil interface.
	switch cfg.Ticketing {
	case "sdm":
		c, err := sdm.NewClient(sdm.Config{BaseURL: cfg.SDM.URL, Username: cfg.SDM.Username, Password: cfg.SDM.Password})
		if err != nil {
			return nil, err
		}
		return c, nil
	case "dynamics":
		c, err := dynamics.NewClient(dynamics.Config{
			BaseURL: cfg.Dynamics.URL, TokenURL: cfg.Dynamics.TokenURL, ClientID: cfg.Dynamics.ClientID,
			ClientSecret: cfg.Dynamics.ClientSecret, CustomerAccountID: cfg.Dynamics.CustomerAccountID,
		})
		if err != nil {
			return nil, err
		}
		return c, nil
	}
	return nil, fmt.Errorf("unknown ticketing system %q (sdm or dynamics)", cfg.Ticketing)
}

// Register puts every workflow and activity of hcaops on w.
func Register(w worker.Registry, t *activities.Ticketing) {
	w.RegisterWorkflow(workflows.TicketWorkflow)
	w.RegisterActivity(t)
}
