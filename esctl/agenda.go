package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/hcaops/hcaops/activities"
	"github.com/hcaops/hcaops/sla"
	"github.com/hcaops/hcaops/ticket"
	"github.com/hcaops/hcaops/workflows"
)

func (e *env) agendaRun(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("agenda run", flag.ContinueOnError)
	date := fs.String("date", "", "the call's date (YYYY-MM-DD); default the next call")
	if err := fs.Parse(args); err != nil {
		return err
	}
	call := e.cfg.ES.Call
	if *date == "" {
		*date = nextCall(time.Now(), call.Weekday, call.Zone)
	}
	if _, err := time.Parse(time.DateOnly, *date); err != nil {
		return fmt.Errorf("date %q is not YYYY-MM-DD", *date)
	}
	run, err := e.client.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID: fmt.Sprintf("es-call-agenda-%s-manual-%d", *date, time.Now().Unix()), TaskQueue: workflows.TaskQueue,
		StaticSummary: "Agenda of the " + *date + " ES call (run by hand)",
	}, workflows.CallAgendaWorkflow, workflows.CallAgendaInput{CallDate: *date, Lead: call.Lead, Zone: call.Zone})
	if err != nil {
		return err
	}
	var ag activities.Agenda
	if err := run.Get(ctx, &ag); err != nil {
		return err
	}
	fmt.Fprint(e.out, activities.RenderAgenda(ag))
	fmt.Fprintf(e.out, "\nrun: %s\n", e.ops.Link(run.GetID()))
	return nil
}

// nextCall is the date of the next call on weekday (today counts) in the call's zone.
func nextCall(now time.Time, weekday time.Weekday, zone string) string {
	loc, err := time.LoadLocation(zone)
	if err != nil {
		loc = time.UTC
	}
	d := now.In(loc)
	for d.Weekday() != weekday {
		d = d.AddDate(0, 0, 1)
	}
	d, _ = sla.CallDay(d) // no call on a federal holiday: the next workday
	return d.Format(time.DateOnly)
}

// agendaShow prints an agenda as Temporal keeps it: the agenda run's result.
func (e *env) agendaShow(ctx context.Context, args []string) error {
	date := ""
	if len(args) > 0 {
		date = args[0]
	}
	ag, err := e.reports.Agenda(ctx, date)
	if err != nil {
		return err
	}
	_, err = fmt.Fprint(e.out, activities.RenderAgenda(ag))
	return err
}

// callOutcome is one parsed REF=OUTCOME[:comment] argument.
type callOutcome struct {
	ref     string
	outcome ticket.ESOutcome
	comment string
}

func parseOutcomes(args []string) ([]callOutcome, error) {
	var out []callOutcome
	var problems []string
	for _, a := range args {
		ref, rest, ok := strings.Cut(a, "=")
		o, comment, _ := strings.Cut(rest, ":")
		outcome, err := ticket.ParseESOutcome(o)
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("%q: expected REF=OUTCOME[:comment]", a))
		case ticket.ValidRef(ref) != nil:
			problems = append(problems, fmt.Sprintf("item %d: %v", len(out)+len(problems)+1, ticket.ValidRef(ref)))
		case err != nil:
			problems = append(problems, fmt.Sprintf("%s: %v", ref, err))
		default:
			out = append(out, callOutcome{ref: ref, outcome: outcome, comment: strings.TrimSpace(comment)})
		}
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("nothing recorded:\n  %s", strings.Join(problems, "\n  "))
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("call record needs at least one REF=OUTCOME")
	}
	return out, nil
}

// callRecord delivers each outcome of a call to its ticket as an update. Every argument
// is checked before any is sent; a ticket that refuses its outcome is reported and the
// command exits non-zero, the others are recorded.
func (e *env) callRecord(ctx context.Context, args []string) error {
	if len(args) < 2 {
		return fmt.Errorf("call record needs the call date and at least one REF=OUTCOME")
	}
	date := args[0]
	if _, err := time.Parse(time.DateOnly, date); err != nil {
		return fmt.Errorf("call date %q is not YYYY-MM-DD", date)
	}
	items, err := parseOutcomes(args[1:])
	if err != nil {
		return err
	}
	actor := os.Getenv("HCAOPS_ACTOR")
	if actor == "" {
		actor = os.Getenv("USER")
	}
	refused := 0
	for _, it := range items {
		v, err := e.ops.Act(ctx, it.ref, ticket.ActESOutcome, ticket.Request{
			Actor: actor, ESOutcome: it.outcome, Comment: it.comment, CallDate: date})
		if err != nil {
			refused++
			fmt.Fprintf(e.out, "%s\tnot recorded: %v\n", it.ref, err)
			continue
		}
		fmt.Fprintf(e.out, "%s\t%s\t→ %s (owner %s)\n", it.ref, it.outcome, v.State, v.Tier)
	}
	if refused > 0 {
		return fmt.Errorf("%d of %d outcome(s) not recorded", refused, len(items))
	}
	return nil
}
