package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/hcaops/hcaops/ticket"
	"github.com/hcaops/hcaops/ticketclient"
)

// command is one parsed invocation.
type command struct {
	name   string
	ref    string
	action ticket.Action
	req    ticket.Request
	filter ticketclient.Filter
	asJSON bool
	// migrate-desk
	migrate ticketclient.MigrateOptions
}

// aliases lets operators use the words of the O&M plan.
var aliases = map[string]ticket.Action{
	"triage": ticket.ActStartFix, "fix": ticket.ActStartFix, "ack": ticket.ActAcknowledge,
	"route": ticket.ActRouteToES, "duplicate": ticket.ActCancel, "priority": ticket.ActChangePriority,
}

func usage(w io.Writer) {
	fmt.Fprint(w, `usage: ticketctl COMMAND [REF] [flags]

Actions (each needs REF; -actor defaults to $HCAOPS_ACTOR or $USER):
  escalate REF                      HRC Tier 1 routes the ticket to vets.gov triage
  acknowledge REF                   vets.gov acknowledges it (stops the acknowledgement clock)
  start-fix REF                     vets.gov takes it as its own break/fix (alias: triage)
  route-to-es REF -m TEXT           route to ES Tier 2/3 (not vets.gov break/fix)
  return-from-es REF -m TEXT        ES hands it back to vets.gov triage
  hold REF -reason R -m TEXT        R: awaiting-caller (pauses clocks) or awaiting-change
  resume REF                        off hold, back where it was
  resolve REF -m TEXT               resolved (at Tier 1, by vets.gov or by ES)
  reopen REF [-m TEXT]              the caller says the problem persists (within the reopen window)
  cancel REF -reason not-an-issue -m TEXT
  cancel REF -reason duplicate -duplicate-of OTHER -m TEXT   (alias: duplicate REF -duplicate-of OTHER -m TEXT)
  change-priority REF -priority P   P: Low, Medium, High, Urgent; deadlines move from the start
  es-outcome REF -outcome O [-m TEXT] [-call DATE]
                                    what ES said: acknowledged, working, resolved, needs-info, returned
                                    (esctl call record takes a whole call at once)

  note REF -m TEXT                  a comment in the timeline (and on the incident)

Service desk:
  migrate-desk -to dynamics [-dry-run] [-wait 5m]
                                    move every open ticket's incident to Dynamics: the timeline
                                    as notes, each incident pointing at the other, the old one
                                    closed; safe to run again (it finds before it creates)

Reading:
  show REF [-json]                  the ticket, its service clocks and its timeline
  list [-status S] [-tier T] [-priority P] [-channel C] [-product P] [-breached] [-on-time] [-open] [-limit N]
`)
}

func parse(args []string) (command, error) {
	c := command{name: args[0]}
	fs := flag.NewFlagSet("ticketctl "+c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	actor := os.Getenv("HCAOPS_ACTOR")
	if actor == "" {
		actor = os.Getenv("USER")
	}
	fs.StringVar(&c.req.Actor, "actor", actor, "who is acting")
	fs.StringVar(&c.req.Comment, "m", "", "comment")
	fs.StringVar(&c.req.Comment, "comment", "", "comment")
	reason := fs.String("reason", "", "hold or cancel reason")
	fs.StringVar(&c.req.DuplicateOf, "duplicate-of", "", "reference of the ticket this one duplicates")
	priority := fs.String("priority", "", "priority")
	outcome := fs.String("outcome", "", "what ES said (es-outcome)")
	fs.StringVar(&c.req.CallDate, "call", "", "the ES call's date (es-outcome)")
	fs.BoolVar(&c.asJSON, "json", false, "print JSON")
	fs.StringVar(&c.filter.Status, "status", "", "filter: state")
	fs.StringVar(&c.filter.Tier, "tier", "", "filter: owning tier")
	fs.StringVar(&c.filter.Channel, "channel", "", "filter: channel")
	fs.StringVar(&c.filter.Product, "product", "", "filter: product")
	breached := fs.Bool("breached", false, "filter: only breached tickets")
	onTime := fs.Bool("on-time", false, "filter: only tickets with no breach")
	fs.BoolVar(&c.filter.Open, "open", false, "filter: only open tickets")
	fs.IntVar(&c.filter.Limit, "limit", 100, "at most this many tickets")
	fs.StringVar(&c.migrate.To, "to", "", "migrate-desk: the desk to move to")
	fs.BoolVar(&c.migrate.DryRun, "dry-run", false, "migrate-desk: list, move nothing")
	fs.DurationVar(&c.migrate.Wait, "wait", 5*time.Minute, "migrate-desk: how long to wait for the moves")

	// Flags may come before or after the reference.
	var positional []string
	rest := args[1:]
	for {
		if err := fs.Parse(rest); err != nil {
			return c, fmt.Errorf("%s: %w", c.name, err)
		}
		if fs.NArg() == 0 {
			break
		}
		positional = append(positional, fs.Arg(0))
		rest = fs.Args()[1:]
	}

	switch c.name {
	case "migrate-desk":
		if len(positional) > 0 {
			return c, fmt.Errorf("migrate-desk takes no reference: it moves every open ticket")
		}
		if c.migrate.To != "dynamics" && c.migrate.To != "sdm" {
			return c, fmt.Errorf("migrate-desk: -to must be dynamics or sdm")
		}
		c.migrate.Actor = c.req.Actor
		return c, nil
	case "list":
		if len(positional) > 0 {
			return c, fmt.Errorf("list takes no reference, only filters")
		}
		c.filter.Priority = *priority
		if *breached && *onTime {
			return c, fmt.Errorf("list: -breached and -on-time exclude each other")
		}
		if *breached || *onTime {
			c.filter.Breached = breached
		}
		_, err := c.filter.Query()
		return c, err
	case "show":
	default:
		a, ok := aliases[c.name]
		if !ok {
			a = ticket.Action(c.name)
		}
		if !slices.Contains(ticket.OperatorActions(), a) {
			return c, fmt.Errorf("unknown command %q; run ticketctl help", c.name)
		}
		c.action = a
		c.req.Priority = ticket.Priority(*priority)
		c.req.ESOutcome = ticket.ESOutcome(*outcome)
		switch a {
		case ticket.ActHold:
			c.req.HoldReason = ticket.HoldReason(*reason)
		case ticket.ActCancel:
			c.req.CancelReason = ticket.CancelReason(*reason)
			if c.name == "duplicate" || (*reason == "" && c.req.DuplicateOf != "") {
				c.req.CancelReason = ticket.CancelDuplicate
			}
		}
	}
	if len(positional) != 1 {
		return c, fmt.Errorf("%s needs exactly one ticket reference", c.name)
	}
	c.ref = positional[0]
	return c, ticket.ValidRef(c.ref)
}

func (c command) run(ctx context.Context, ops ticketclient.Client, out io.Writer) error {
	switch c.name {
	case "migrate-desk":
		start := time.Now()
		rep, err := ops.MigrateOpenTickets(ctx, c.migrate, out)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "moved %d, already there %d, without incident %d, failed %d, still moving %d (%s)\n",
			rep.Moved, rep.Already, rep.NoIncident, rep.Failed, rep.Pending, time.Since(start).Round(time.Millisecond))
		if rep.Failed > 0 || rep.Pending > 0 {
			return fmt.Errorf("%d tickets not moved yet: run migrate-desk again", rep.Failed+rep.Pending)
		}
		return nil
	case "list":
		rows, err := ops.List(ctx, c.filter)
		if err != nil {
			return err
		}
		printList(out, rows)
		return nil
	case "show":
		v, err := ops.Show(ctx, c.ref)
		if err != nil {
			return err
		}
		if c.asJSON {
			enc := json.NewEncoder(out)
			enc.SetIndent("", "  ")
			return enc.Encode(v)
		}
		printTicket(out, v, ops.Link("ticket-"+v.Ref))
		return nil
	}
	v, err := ops.Act(ctx, c.ref, c.action, c.req)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s: %s → %s (owner %s)\n", v.Ref, c.action, v.State, v.Tier)
	if len(v.Allowed) > 0 {
		fmt.Fprintf(out, "next: %s\n", strings.Join(actionNames(v.Allowed), ", "))
	}
	return nil
}

func actionNames(as []ticket.Action) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = string(a)
	}
	return out
}
