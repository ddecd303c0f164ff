// Command ticketctl is the operator's command line: every ticket action of the O&M
// process, `show` to read a ticket and its service clocks, and `list` to find tickets by
// status, tier, priority or breach. A refused action prints why and exits 1.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/hcaops/hcaops/config"
	"github.com/hcaops/hcaops/internal/logging"
	"github.com/hcaops/hcaops/internal/temporalclient"
	"github.com/hcaops/hcaops/ticketclient"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "ticketctl:", err)
		os.Exit(1)
	}
}

func run(args []string, out, errOut io.Writer) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(out)
		return nil
	}
	cmd, err := parse(args)
	if err != nil {
		return err
	}
	cfg, err := config.Load()
	if err != nil {
		return err
	}
	c, err := temporalclient.Dial(logging.New(errOut, "ticketctl"))
	if err != nil {
		return err
	}
	defer c.Close()
	ops := ticketclient.Client{Client: c, Namespace: temporalclient.Namespace(), UIURL: cfg.UIURL, Policy: cfg.Policy}
	timeout := 30 * time.Second
	if cmd.name == "migrate-desk" {
		timeout += cmd.migrate.Wait
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	return cmd.run(ctx, ops, out)
}
