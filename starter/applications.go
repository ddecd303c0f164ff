package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/hcaops/hcaops/enrollment"
	"github.com/hcaops/hcaops/internal/temporalclient"
	"github.com/hcaops/hcaops/submissions"
	"github.com/hcaops/hcaops/ticketclient"
)

// submitApplications starts a submission workflow per application in the file, after
// checking every one: a file with one bad application submits nothing. Each entry is
// {"applicationId": UUID, "form": <the va.gov 10-10EZ as the front end posts it>}, with an
// optional "veteranIdentifier" {type, value} for a signed-in Veteran. Errors name the
// application by its position and the field by its path, never a value (the form is PII).
func submitApplications(path string, out io.Writer) error {
	now := time.Now()
	apps, err := readApplications(path, now)
	if err != nil {
		return err
	}
	cfg, c, err := connect()
	if err != nil {
		return err
	}
	defer c.Close()
	policy := cfg.ES.Submission
	subs := submissions.Client{Client: c, Namespace: temporalclient.Namespace(), Policy: &policy}
	links := ticketclient.Client{Namespace: temporalclient.Namespace(), UIURL: cfg.UIURL}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for _, app := range apps {
		s, err := subs.Submit(ctx, app, now)
		if err != nil {
			return err
		}
		state := "submitted"
		if s.Existing {
			state = "already submitted"
		}
		fmt.Fprintf(out, "%s\t%s\t%s\t%s\n", s.ApplicationID, state, s.WorkflowID, links.Link(s.WorkflowID))
	}
	return nil
}

type parsedApplication struct {
	app enrollment.Application
	err error // the JSON does not fit the form
}

// readApplications reads and checks every application of the file; any problem in any of
// them is an error naming all of them.
func readApplications(path string, now time.Time) ([]enrollment.Application, error) {
	var raws []json.RawMessage
	if err := readJSONList(path, "applications", &raws); err != nil {
		return nil, err
	}
	parsed := make([]parsedApplication, len(raws))
	for i, raw := range raws {
		parsed[i].app, parsed[i].err = enrollment.ParseApplication(raw)
	}
	err := checkEach(parsed, "application", "applicationId", "nothing submitted",
		func(p parsedApplication) error {
			if p.err != nil {
				return p.err
			}
			return p.app.Validate(now)
		},
		func(p parsedApplication) string { return p.app.ApplicationID })
	if err != nil {
		return nil, err
	}
	apps := make([]enrollment.Application, len(parsed))
	for i, p := range parsed {
		apps[i] = p.app
	}
	return apps, nil
}
