// Command starter opens support tickets at HRC Tier 1: one from flags, or many from a JSON
// file (an array of tickets, or one ticket). Every ticket is validated before any is
// opened, so a bad file opens nothing. Opening a reference twice returns the first ticket.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/hcaops/hcaops/config"
	"github.com/hcaops/hcaops/internal/logging"
	"github.com/hcaops/hcaops/internal/temporalclient"
	"github.com/hcaops/hcaops/ticket"
	"github.com/hcaops/hcaops/ticketclient"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "starter:", err)
		os.Exit(1)
	}
}

func run(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("starter", flag.ContinueOnError)
	file := fs.String("file", "", "JSON file of tickets (an array, or one object); - reads standard input")
	apps := fs.String("applications", "", "JSON file of 10-10EZ applications to submit to ES (an array, or one object)")
	var n ticket.NewTicket
	fs.StringVar(&n.Ref, "ref", "", "ticket reference (e.g. HRC-20261125-0001)")
	channel := fs.String("channel", "", "phone, email, chat or web")
	product := fs.String("product", "online-1010ez", "online-1010ez or legacy-voa")
	priority := fs.String("priority", "Medium", "Low, Medium, High or Urgent")
	fs.StringVar(&n.Summary, "summary", "", "one line, no PII (at most 200 characters)")
	fs.StringVar(&n.Description, "description", "", "details, no PII")
	fs.StringVar(&n.Category, "category", "", "e.g. submission-error, login, form-question")
	fs.StringVar(&n.Reporter, "reporter", os.Getenv("HCAOPS_ACTOR"), "HRC agent ID opening the ticket (not the caller)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: starter -ref REF -channel phone -priority High -summary TEXT -reporter AGENT\n       starter -file tickets.json\n       starter -applications applications.json")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q (flags only)", fs.Arg(0))
	}
	n.Channel, n.Product, n.Priority = ticket.Channel(*channel), ticket.Product(*product), ticket.Priority(*priority)
	if *apps != "" {
		return submitApplications(*apps, out)
	}

	var tickets []ticket.NewTicket
	if *file != "" {
		var err error
		if tickets, err = readTickets(*file); err != nil {
			return err
		}
	} else {
		tickets = []ticket.NewTicket{n}
	}
	if err := validateAll(tickets); err != nil {
		return err
	}

	cfg, c, err := connect()
	if err != nil {
		return err
	}
	defer c.Close()
	ops := ticketclient.Client{Client: c, Namespace: temporalclient.Namespace(), UIURL: cfg.UIURL, Policy: cfg.Policy}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for _, t := range tickets {
		o, err := ops.Open(ctx, t)
		if err != nil {
			return err
		}
		state := "opened"
		if o.Existing {
			state = "already open"
		}
		fmt.Fprintf(out, "%s\t%s\t%s\t%s\n", o.Ref, state, o.WorkflowID, o.UILink)
	}
	return nil
}

// readTickets decodes a file strictly: unknown fields are errors, so a typo is not silently dropped.
func readTickets(path string) ([]ticket.NewTicket, error) {
	var out []ticket.NewTicket
	if err := readJSONList(path, "tickets", &out); err != nil {
		return nil, err
	}
	return out, nil
}

// readJSONList reads a JSON array (or one object) of things into out, strictly.
func readJSONList[T any](path, what string, out *[]T) error {
	var r io.Reader = os.Stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, 64<<20))
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	trimmed := strings.TrimSpace(string(data))
	if trimmed == "" {
		return fmt.Errorf("%s is empty: expected a JSON array of %s or one object", path, what)
	}
	if !strings.HasPrefix(trimmed, "[") {
		trimmed = "[" + trimmed + "]"
	}
	dec := json.NewDecoder(strings.NewReader(trimmed))
	dec.DisallowUnknownFields()
	if err := dec.Decode(out); err != nil {
		return fmt.Errorf("%s is not valid JSON of %s: %w", path, what, jsonProblem(err))
	}
	if len(*out) == 0 {
		return fmt.Errorf("%s holds no %s", path, what)
	}
	return nil
}

// jsonProblem keeps decoding errors to their position and field, never the offending value.
func jsonProblem(err error) error {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return fmt.Errorf("syntax error at byte %d", syn.Offset)
	}
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		return fmt.Errorf("field %s must be a %s", typ.Field, typ.Type)
	}
	return err
}

func validateAll(ts []ticket.NewTicket) error {
	return checkEach(ts, "ticket", "ref", "nothing opened",
		func(t ticket.NewTicket) error { return t.Validate() },
		func(t ticket.NewTicket) string { return t.Ref })
}

// checkEach validates every item of a file before any is acted on, naming each problem
// by the item's position, and refuses repeated keys.
func checkEach[T any](items []T, noun, keyName, verdict string, validate func(T) error, key func(T) string) error {
	var errs []error
	seen := map[string]int{}
	for i, it := range items {
		if err := validate(it); err != nil {
			for _, e := range unjoin(err) {
				errs = append(errs, fmt.Errorf("%s %d: %w", noun, i+1, e))
			}
		}
		k := key(it)
		if prev, ok := seen[k]; ok && k != "" {
			errs = append(errs, fmt.Errorf("%s %d: %s repeats %s %d", noun, i+1, keyName, noun, prev))
		}
		seen[k] = i + 1
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("%s:\n%w", verdict, err)
	}
	return nil
}

// unjoin lists the problems of an errors.Join, so each line can name its ticket.
func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// connect reads the configuration and dials Temporal, once input has been checked.
func connect() (config.Config, client.Client, error) {
	cfg, err := config.Load()
	if err != nil {
		return cfg, nil, err
	}
	c, err := temporalclient.Dial(logging.New(os.Stderr, "starter"))
	return cfg, c, err
}
