// Package app wires hcaops together the same way for the worker binary and the
// integration tests: the service desk chosen by configuration, the activities, and
// the workflows registered on a Temporal worker.
package app

import (
	"fmt"

	"github.com/rs/zerolog"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"

	"github.com/hcaops/hcaops/activities"
	"github.com/hcaops/hcaops/config"
	"github.com/hcaops/hcaops/enrollment"
	"github.com/hcaops/hcaops/internal/temporalclient"
	"github.com/hcaops/hcaops/notify"
	"github.com/hcaops/hcaops/reconcile"
	"github.com/hcaops/hcaops/report"
	"github.com/hcaops/hcaops/servicedesk"
	"github.com/hcaops/hcaops/servicedesk/dynamics"
	"github.com/hcaops/hcaops/servicedesk/sdm"
	"github.com/hcaops/hcaops/submissions"
	"github.com/hcaops/hcaops/ticketclient"
	"github.com/hcaops/hcaops/workflows"
)

// NewDesk returns the service desk (the system of record) of new tickets.
func NewDesk(cfg config.Config) (servicedesk.Desk, error) { return NewDeskNamed(cfg, cfg.Ticketing) }

// NewDeskNamed returns the client of the desk named name ("sdm" or "dynamics").
func NewDeskNamed(cfg config.Config, name string) (servicedesk.Desk, error) {
	// Each case returns its own nil on error, so a failed client is never a non-nil interface.
	switch name {
	case "sdm":
		c, err := sdm.NewClient(sdm.Config{BaseURL: cfg.SDM.URL, Username: cfg.SDM.Username, Password: cfg.SDM.Password,
			Customer: cfg.SDM.Customer, Category: cfg.SDM.Category, Urgency: cfg.SDM.Urgency, Impact: cfg.SDM.Impact,
			NoCustomAttributes: !cfg.SDM.CustomAttributes, WatchGroups: cfg.SDM.WatchGroups, Overlap: cfg.SDM.Overlap})
		if err != nil {
			return nil, err
		}
		return c, nil
	case "dynamics":
		c, err := dynamics.NewClient(dynamics.Config{
			BaseURL: cfg.Dynamics.URL, TokenURL: cfg.Dynamics.TokenURL, ClientID: cfg.Dynamics.ClientID,
			ClientSecret: cfg.Dynamics.ClientSecret, CustomerAccountID: cfg.Dynamics.CustomerAccountID,
			NoCustomColumns: !cfg.Dynamics.CustomColumns,
		})
		if err != nil {
			return nil, err
		}
		return c, nil
	}
	return nil, fmt.Errorf("unknown service desk %q (sdm or dynamics)", name)
}

// Activities are every activity struct of hcaops.
type Activities struct {
	ServiceDesk  *activities.ServiceDesk
	TicketClient *activities.TicketClient
	Enrollment   *activities.Enrollment
	Reports      *activities.Reports
	Agenda       *activities.CallAgenda
	Notices      *activities.Notices
	// ServiceReport produces the weekly service report (data from Temporal, sent by notify).
	ServiceReport *activities.ServiceReport
	DeskIntake    *activities.DeskIntake
	// Outbox delivers a ticket's pending desk writes and notices as a local activity.
	Outbox *activities.Outbox
}

// Register puts every workflow and activity of hcaops on w.
func Register(w worker.Registry, a Activities) {
	w.RegisterWorkflow(workflows.TicketWorkflow)
	w.RegisterWorkflow(workflows.SubmissionWorkflow)
	w.RegisterWorkflow(workflows.DailyReportWorkflow)
	w.RegisterWorkflow(workflows.CallAgendaWorkflow)
	w.RegisterWorkflow(workflows.ConnectivityCheckWorkflow)
	w.RegisterWorkflow(workflows.ConnectivityMonitorWorkflow)
	w.RegisterWorkflow(workflows.ServiceReportWorkflow)
	w.RegisterWorkflow(workflows.DeskPollWorkflow)
	// A test may wire only part of hcaops: the activities it leaves nil are not registered.
	register(w, a.ServiceDesk)
	register(w, a.TicketClient)
	register(w, a.Enrollment)
	register(w, a.Reports)
	register(w, a.Agenda)
	register(w, a.Notices)
	register(w, a.Outbox)
	register(w, a.ServiceReport)
	register(w, a.DeskIntake)
}

// register puts one activity struct on w unless it is nil (typed: a nil *T in an
// interface is not nil).
func register[T any](w worker.Registry, a *T) {
	if a != nil {
		w.RegisterActivity(a)
	}
}

// NewActivities builds every activity from configuration: the service desk, ES, the
// notifiers, and the ticket and submission clients over the Temporal client c.
func NewActivities(cfg config.Config, c client.Client, namespace string, logger zerolog.Logger) (Activities, error) {
	sd, err := NewDesk(cfg)
	if err != nil {
		return Activities{}, err
	}
	desks := []servicedesk.Desk{sd}
	var others []servicedesk.Desk
	for _, name := range cfg.Desks {
		if name == cfg.Ticketing {
			continue
		}
		d, err := NewDeskNamed(cfg, name)
		if err != nil {
			return Activities{}, err
		}
		desks, others = append(desks, d), append(others, d)
	}
	es, err := enrollment.NewClient(enrollment.Config{Endpoint: cfg.ES.URL, ReportURL: cfg.ES.ReportURL,
		CertFile: cfg.ES.CertFile, KeyFile: cfg.ES.KeyFile, CAFile: cfg.ES.CAFile})
	if err != nil {
		return Activities{}, fmt.Errorf("ES client: %w", err)
	}
	staff, veterans := Notifiers(cfg.Mail, logger)
	tickets := ticketclient.Client{Client: c, Namespace: namespace, UIURL: cfg.UIURL, Policy: cfg.Policy}
	// Visibility hands memos back encrypted: the submission listings decode them with the codec.
	dc, err := temporalclient.DataConverter()
	if err != nil {
		return Activities{}, err
	}
	subs := submissions.Client{Client: c, Namespace: namespace, Policy: &cfg.ES.Submission, DataConverter: dc}
	desk := &activities.ServiceDesk{Desk: sd, Others: others}
	notices := &activities.Notices{Notifier: staff,
		Link: func(ref string) string { return tickets.Link(workflows.TicketWorkflowID(ref)) }}
	return Activities{
		ServiceDesk: desk,
		Notices:     notices,
		Outbox:      &activities.Outbox{Desk: desk, Notices: notices},
		DeskIntake: &activities.DeskIntake{Desks: desks, Tickets: tickets, Scope: activities.IntakeScope{
			Group: cfg.Intake.Group, Category: cfg.Intake.Category, Lookback: cfg.Intake.Lookback}},
		TicketClient: &activities.TicketClient{Tickets: tickets},
		Enrollment:   &activities.Enrollment{ES: es, Notifier: veterans, HealthCheckID: cfg.ES.HealthCheckID},
		Reports:      &activities.Reports{ES: es, Store: reconcile.Store{Dir: cfg.ES.ReportsDir}, Submissions: subs},
		Agenda:       &activities.CallAgenda{Lister: tickets, Dir: cfg.ES.ReportsDir, Notifier: staff, To: cfg.ES.AgendaTo},
		ServiceReport: &activities.ServiceReport{Notifier: staff, Sources: report.Sources{
			Tickets: tickets, Submissions: subs, UIURL: cfg.UIURL, Namespace: namespace,
		}},
	}, nil
}

// Notifiers returns where staff notices and Veteran emails go: the relay when one is
// configured (staff groups resolved through the directory), otherwise the log, which
// redacts addresses.
func Notifiers(m config.Mail, logger zerolog.Logger) (staff, veterans notify.Notifier) {
	log := notify.Log{Logger: logger.With().Str("component", "notify").Logger()}
	if m.SMTPAddr == "" {
		return log, log
	}
	relay := notify.SMTP{Addr: m.SMTPAddr, From: m.From, Username: m.Username, Password: m.Password,
		StartTLS: m.StartTLS, RootCAs: m.RootCAs, ResolveGroup: m.Directory.Resolve}
	veteranRelay := relay
	veteranRelay.ResolveGroup = nil // a Veteran email names its one address, never a group
	return relay, veteranRelay
}
