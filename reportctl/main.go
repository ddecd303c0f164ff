// Command reportctl produces the service report from Temporal: compliance with the
// service targets, times to acknowledge and resolve, time with ES, reopenings,
// cancellations, breaches, the backlog, and the ES side. It writes one HTML page with
// charts (opens offline), CSV or JSON; `send` runs the weekly report's workflow now.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/hcaops/hcaops/activities"
	"github.com/hcaops/hcaops/config"
	"github.com/hcaops/hcaops/internal/logging"
	"github.com/hcaops/hcaops/internal/temporalclient"
	"github.com/hcaops/hcaops/report"
	"github.com/hcaops/hcaops/submissions"
	"github.com/hcaops/hcaops/ticketclient"
	"github.com/hcaops/hcaops/workflows"
)

const usage = `usage: reportctl COMMAND [flags]

  service [-from DATE] [-to DATE] [-format html|csv|json|text] [-o FILE]
        the service report of the days DATE..DATE (default: last week, Monday to Sunday,
        in HCAOPS_SERVICE_REPORT_ZONE); html is one page with its charts inline. Without -o
        it goes to standard output.
  send [-from DATE] [-to DATE]
        run the weekly report's workflow now: the report is computed by the worker and its
        summary sent to HCAOPS_SERVICE_REPORT_TO (default the product manager)
`

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "reportctl:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(stdout, usage)
		return nil
	}
	cfg, err := config.Load()
	if err != nil {
		return err
	}
	zone, err := time.LoadLocation(cfg.ServiceReport.Zone)
	if err != nil {
		return err
	}
	fs := flag.NewFlagSet("reportctl "+args[0], flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	lastFrom, lastTo := workflows.WeekBefore(time.Now(), zone)
	from := fs.String("from", lastFrom, "first day, YYYY-MM-DD")
	to := fs.String("to", lastTo, "last day, YYYY-MM-DD")
	format := fs.String("format", "", "html, csv, json or text (default: from -o's extension, else html)")
	outPath := fs.String("o", "", "file to write (default standard output)")
	if err := fs.Parse(args[1:]); err != nil {
		return fmt.Errorf("%w\n%s", err, usage)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected %q\n%s", strings.Join(fs.Args(), " "), usage)
	}
	if _, _, err := report.Period(*from, *to, zone); err != nil {
		return err
	}
	var f string
	switch args[0] {
	case "service":
		if f, err = formatOf(*format, *outPath); err != nil {
			return err
		}
	case "send":
	default:
		return fmt.Errorf("unknown command %q\n%s", args[0], usage)
	}
	c, err := temporalclient.Dial(logging.New(os.Stderr, "reportctl"))
	if err != nil {
		return err
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	if args[0] == "send" {
		return send(ctx, c, cfg, *from, *to, stdout)
	}
	return service(ctx, c, cfg, zone, *from, *to, f, *outPath, stdout)
}

func formatOf(format, path string) (string, error) {
	if format == "" {
		format = strings.TrimPrefix(filepath.Ext(path), ".")
		if format == "" || format == "htm" {
			format = "html"
		}
		if format == "txt" {
			format = "text"
		}
	}
	switch format {
	case "html", "csv", "json", "text":
		return format, nil
	}
	return "", fmt.Errorf("-format %q: want html, csv, json or text", format)
}

func service(ctx context.Context, c client.Client, cfg config.Config, zone *time.Location, from, to, format, outPath string, stdout io.Writer) error {
	ns := temporalclient.Namespace()
	dc, err := temporalclient.DataConverter()
	if err != nil {
		return err
	}
	started := time.Now()
	r, err := report.Collect(ctx, report.Sources{
		Tickets:     ticketclient.Client{Client: c, Namespace: ns, UIURL: cfg.UIURL},
		Submissions: submissions.Client{Client: c, Namespace: ns, DataConverter: dc},
		UIURL:       cfg.UIURL, Namespace: ns,
	}, from, to, zone, time.Now())
	if err != nil {
		return err
	}
	w := stdout
	var file *os.File
	if outPath != "" {
		// Written next to its final name and renamed, so a reader never sees half a report.
		file, err = os.CreateTemp(filepath.Dir(outPath), ".report-*")
		if err != nil {
			return err
		}
		defer os.Remove(file.Name())
		if err := file.Chmod(0o644); err != nil { // CreateTemp makes it private; a report is for reading
			return err
		}
		w = file
	}
	switch format {
	case "html":
		err = report.WriteHTML(w, r)
	case "csv":
		err = report.WriteCSV(w, r)
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		err = enc.Encode(r)
	case "text":
		_, err = io.WriteString(w, report.Text(r))
	}
	if file != nil {
		err = errors.Join(err, file.Close())
		if err == nil {
			err = os.Rename(file.Name(), outPath)
		}
		if err == nil {
			abs, _ := filepath.Abs(outPath)
			fmt.Fprintf(stdout, "service report %s to %s: %d tickets, %d breaches; written to %s in %v\n",
				from, to, r.Tickets, len(r.Breaches), abs, time.Since(started).Round(time.Millisecond))
		}
	}
	return err
}

func send(ctx context.Context, c client.Client, cfg config.Config, from, to string, stdout io.Writer) error {
	run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID: fmt.Sprintf("service-report-%s-%s-%d", from, to, time.Now().Unix()), TaskQueue: workflows.TaskQueue,
		StaticSummary: "Service report " + from + " to " + to,
	}, workflows.ServiceReportWorkflow, workflows.ServiceReportInput{From: from, To: to, Zone: cfg.ServiceReport.Zone, Recipients: cfg.ServiceReport.To})
	if err != nil {
		return err
	}
	var out activities.ServiceReportOutcome
	if err := run.Get(ctx, &out); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "sent to %s:\n\n%s", strings.Join(cfg.ServiceReport.To, ", "), out.Summary)
	return nil
}
