// Command whatif replays a period of ticket traffic through the real TicketWorkflow (in
// Temporal's time-skipping test environment, activities stubbed) under the current policy
// and a proposed one, and prints compliance, breaches and escalations per priority side
// by side. The traffic is the real history of tickets, read from Temporal, or a CSV of
// ticket events; `generate` writes realistic traffic to try it without real data.
//
// It is its own program because it links the SDK's test environment, which the worker
// and the operator programs must not carry.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/hcaops/hcaops/config"
	"github.com/hcaops/hcaops/internal/logging"
	"github.com/hcaops/hcaops/internal/temporalclient"
	"github.com/hcaops/hcaops/report"
	"github.com/hcaops/hcaops/simulation"
	"github.com/hcaops/hcaops/ticket"
	"github.com/hcaops/hcaops/ticketclient"
)

const usage = `usage: whatif COMMAND [flags]

  run -policy FILE (-traffic FILE.csv | -from DATE -to DATE) [-json] [-workers N]
        replay the traffic under the current policy and under the one FILE proposes
        (JSON; fields left out keep the current value, see README). -traffic reads a CSV
        of ticket events; -from/-to read the real history of the tickets opened in those
        days from Temporal (each measured against the policy it was opened with).
  generate -from DATE [-weeks N] [-tickets N] [-seed N] -o FILE.csv
        write realistic traffic (the README states the assumptions)
`

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "whatif:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(stdout, usage)
		return nil
	}
	fs := flag.NewFlagSet("whatif "+args[0], flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	switch args[0] {
	case "run":
		policyPath := fs.String("policy", "", "proposed policy (JSON)")
		trafficPath := fs.String("traffic", "", "CSV of ticket events")
		from := fs.String("from", "", "first day of real traffic, YYYY-MM-DD")
		to := fs.String("to", "", "last day of real traffic, YYYY-MM-DD")
		asJSON := fs.Bool("json", false, "print JSON")
		workers := fs.Int("workers", 0, "tickets replayed at once (default one per CPU)")
		if err := parse(fs, args[1:]); err != nil {
			return err
		}
		return runWhatIf(*policyPath, *trafficPath, *from, *to, *asJSON, *workers, stdout, stderr)
	case "generate":
		from := fs.String("from", "", "first day (its week's Monday starts the traffic), YYYY-MM-DD")
		weeks := fs.Int("weeks", 13, "weeks of traffic (13: a quarter)")
		tickets := fs.Int("tickets", 10000, "tickets")
		seed := fs.Uint64("seed", 1, "random seed (the same seed gives the same traffic)")
		out := fs.String("o", "", "CSV file to write")
		if err := parse(fs, args[1:]); err != nil {
			return err
		}
		return generate(*from, *weeks, *tickets, *seed, *out, stdout)
	}
	return fmt.Errorf("unknown command %q\n%s", args[0], usage)
}

func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w\n%s", err, usage)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected %q\n%s", strings.Join(fs.Args(), " "), usage)
	}
	return nil
}

func runWhatIf(policyPath, trafficPath, from, to string, asJSON bool, workers int, stdout, stderr io.Writer) error {
	if policyPath == "" {
		return fmt.Errorf("-policy is required: the proposed policy (JSON)")
	}
	if (trafficPath == "") == (from == "" && to == "") {
		return fmt.Errorf("give either -traffic FILE.csv or -from DATE -to DATE")
	}
	cfg, err := config.Load()
	if err != nil {
		return err
	}
	data, err := os.ReadFile(policyPath)
	if err != nil {
		return err
	}
	proposed, err := simulation.ReadPolicy(data, policyPath, cfg.Policy)
	if err != nil {
		return err
	}
	var traffic []simulation.Ticket
	var until time.Time
	if trafficPath != "" {
		f, err := os.Open(trafficPath)
		if err != nil {
			return err
		}
		defer f.Close()
		if traffic, err = simulation.ReadCSV(f, trafficPath); err != nil {
			return err
		}
	} else {
		if traffic, until, err = fromTemporal(cfg, from, to); err != nil {
			return err
		}
	}
	fmt.Fprintf(stderr, "replaying %d tickets under two policies...\n", len(traffic))
	// The file changes each ticket's own policy: tickets from history keep what it leaves alone.
	propose := func(cur ticket.Policy) (ticket.Policy, error) { return simulation.ReadPolicy(data, policyPath, cur) }
	c, err := simulation.Compare(traffic, simulation.Options{Current: cfg.Policy, Proposed: proposed, Propose: propose,
		Until: until, Workers: workers})
	if err != nil {
		return err
	}
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(c)
	}
	simulation.WriteText(stdout, c)
	return nil
}

// fromTemporal reads the tickets opened in from..to (and their whole histories) and
// replays them up to now or the end of the period, whichever is first.
func fromTemporal(cfg config.Config, from, to string) ([]simulation.Ticket, time.Time, error) {
	zone, err := time.LoadLocation(cfg.ServiceReport.Zone)
	if err != nil {
		return nil, time.Time{}, err
	}
	start, end, err := report.Period(from, to, zone)
	if err != nil {
		return nil, time.Time{}, err
	}
	c, err := temporalclient.Dial(logging.New(os.Stderr, "whatif"))
	if err != nil {
		return nil, time.Time{}, err
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	all, _, err := ticketclient.Client{Client: c, Namespace: temporalclient.Namespace()}.TicketsSince(ctx, start)
	if err != nil {
		return nil, time.Time{}, err
	}
	var opened []ticket.Ticket
	for _, t := range all {
		if !t.OpenedAt.Before(start) && t.OpenedAt.Before(end) {
			opened = append(opened, t)
		}
	}
	if len(opened) == 0 {
		return nil, time.Time{}, fmt.Errorf("no ticket was opened between %s and %s: nothing to replay", from, to)
	}
	traffic, err := simulation.FromHistory(opened)
	until := end
	if now := time.Now(); now.Before(end) {
		until = now
	}
	return traffic, until, err
}

func generate(from string, weeks, tickets int, seed uint64, out string, stdout io.Writer) error {
	if out == "" {
		return fmt.Errorf("-o FILE.csv is required")
	}
	start, err := time.Parse(time.DateOnly, from)
	if err != nil {
		return fmt.Errorf("-from %q is not a date (YYYY-MM-DD)", from)
	}
	traffic, err := simulation.Generate(simulation.DefaultAssumptions(), start, weeks, tickets, seed)
	if err != nil {
		return err
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	if err := simulation.WriteCSV(f, traffic); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	events := 0
	for _, t := range traffic {
		events += 1 + len(t.Events)
	}
	fmt.Fprintf(stdout, "%d tickets, %d events over %d weeks written to %s\n", len(traffic), events, weeks, out)
	return nil
}
