package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/hcaops/hcaops/config"
	"github.com/hcaops/hcaops/enrollment"
	"github.com/hcaops/hcaops/internal/logging"
	"github.com/hcaops/hcaops/internal/temporalclient"
	"github.com/hcaops/hcaops/submissions"
	"github.com/hcaops/hcaops/ticketops"
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
	var errs []error
	seen := map[string]int{}
	for i := range apps {
		if err := apps[i].Validate(now); err != nil {
			for _, e := range unjoin(err) {
				errs = append(errs, fmt.Errorf("application %d: %w", i+1, e))
			}
		}
		if prev, ok := seen[apps[i].ApplicationID]; ok && apps[i].ApplicationID != "" {
			errs = append(errs, fmt.Errorf("application %d: applicationId repeats application %d", i+1, prev))
		}
		seen[apps[i].ApplicationID] = i + 1
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("nothing submitted:\n%w", err)
	}
	cfg, err := config.Load()
	if err != nil {
		return err
	}
	c, err := temporalclient.Dial(logging.New(os.Stderr, "starter"))
	if err != nil {
		return err
	}
	defer c.Close()
	policy := cfg.ES.Submission
	desk := submissions.Desk{Client: c, Namespace: temporalclient.Namespace(), Policy: &policy}
	links := ticketops.Ops{Namespace: temporalclient.Namespace(), UIURL: cfg.UIURL}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for _, app := range apps {
		s, err := desk.Submit(ctx, app, now)
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
