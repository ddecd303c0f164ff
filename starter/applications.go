package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/hcaops/hcaops/enrollment"
	"github.com/hcaops/hcaops/internal/temporalclient"
	"github.com/hcaops/hcaops/submissions"
	"github.com/hcaops/hcaops/ticketclient"
)

// submitApplications starts a submission workflow per 10-10EZ in the file, after checking
// every one: a file with a bad application submits nothing. Errors name the application
// by its position and ID and the field, never a value (the form is PII).
func submitApplications(path string, out io.Writer) error {
	var apps []enrollment.Application
	if err := readJSONList(path, "applications", &apps); err != nil {
		return err
	}
	now := time.Now()
	if err := checkEach(apps, "application", "applicationId", "nothing submitted",
		func(a enrollment.Application) error { return a.Validate(now) },
		func(a enrollment.Application) string { return a.ApplicationID }); err != nil {
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
