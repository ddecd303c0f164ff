// Command esctl is the operator's command line for the Enrollment System side: the daily
// report and its reconciliation, roll-ups, the regular call's agenda and outcomes,
// connectivity, schedules, and submissions.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/hcaops/hcaops/config"
	"github.com/hcaops/hcaops/internal/logging"
	"github.com/hcaops/hcaops/internal/temporalclient"
	"github.com/hcaops/hcaops/reportclient"
	"github.com/hcaops/hcaops/ticketclient"
)

const usage = `usage: esctl COMMAND [args]

  report run [DATE]                 fetch and reconcile ES's report of DATE (default yesterday) now
  report show DATE                  the reconciliation of DATE (read through Temporal)
  report rollup [-period daily|weekly|monthly] [-from DATE] [-to DATE]
  agenda run [-date DATE]           produce the agenda of the ES call on DATE (default the next call) now
  agenda show [DATE]                the agenda of the call on DATE (default the latest)
  call record DATE REF=OUTCOME[:comment] ...
                                    record what ES said on the call; OUTCOME is acknowledged,
                                    working, resolved, needs-info or returned
  connectivity [-n N]               the ES connectivity monitor: state, outages, last N checks
  schedules                         the recurring jobs and their next runs
  submission APPLICATION-ID         where a 10-10EZ submission is
`

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "esctl:", err)
		os.Exit(1)
	}
}

// env is what every command may need.
type env struct {
	cfg     config.Config
	out     io.Writer
	client  client.Client
	ops     ticketclient.Client
	reports reportclient.Client
}

func run(args []string, out io.Writer) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(out, usage)
		return nil
	}
	cfg, err := config.Load()
	if err != nil {
		return err
	}
	e := &env{cfg: cfg, out: out}
	c, err := temporalclient.Dial(logging.New(os.Stderr, "esctl"))
	if err != nil {
		return err
	}
	defer c.Close()
	e.client = c
	e.ops = ticketclient.Client{Client: c, Namespace: temporalclient.Namespace(), UIURL: cfg.UIURL, Policy: cfg.Policy}
	dc, err := temporalclient.DataConverter()
	if err != nil {
		return err
	}
	e.reports = reportclient.Client{Client: c, Namespace: temporalclient.Namespace(), DataConverter: dc}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	switch {
	case len(args) >= 2 && args[0] == "report" && args[1] == "run":
		return e.reportRun(ctx, args[2:])
	case len(args) >= 2 && args[0] == "report" && args[1] == "show":
		return e.reportShow(ctx, args[2:])
	case len(args) >= 2 && args[0] == "report" && args[1] == "rollup":
		return e.reportRollup(ctx, args[2:])
	case len(args) >= 2 && args[0] == "agenda" && args[1] == "show":
		return e.agendaShow(ctx, args[2:])
	case len(args) >= 2 && args[0] == "agenda" && args[1] == "run":
		return e.agendaRun(ctx, args[2:])
	case len(args) >= 2 && args[0] == "call" && args[1] == "record":
		return e.callRecord(ctx, args[2:])
	case args[0] == "connectivity":
		return e.connectivity(ctx, args[1:])
	case args[0] == "schedules":
		return e.schedules(ctx)
	case args[0] == "submission" && len(args) == 2:
		return e.submission(ctx, args[1])
	}
	return fmt.Errorf("unknown command %q; run esctl help", strings.Join(args, " "))
}
