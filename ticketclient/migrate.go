package ticketclient

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/hcaops/hcaops/ticket"
)

// MigrateOptions drive MigrateOpenTickets.
type MigrateOptions struct {
	To     string        // "dynamics"
	Actor  string        // who asked
	DryRun bool          // list what would move, move nothing
	Wait   time.Duration // how long to wait for the moves to finish (default 5 min)
	Limit  int           // at most this many open tickets (default 10000)
}

// MigrateReport counts what a run did.
type MigrateReport struct {
	Moved, Already, NoIncident, Failed, Pending int
}

// MigrateOpenTickets moves the incident of every open ticket to the desk opts.To, one
// migrate-desk Update each (the move itself runs in the ticket's outbox, on the worker,
// which holds both desks), then waits for the moves and prints one line per ticket.
// It can be run again at any time: a ticket that has moved refuses the Update, and a
// move interrupted halfway finds what it had created.
func (c Client) MigrateOpenTickets(ctx context.Context, opts MigrateOptions, out io.Writer) (MigrateReport, error) {
	var rep MigrateReport
	if opts.Limit <= 0 {
		opts.Limit = 10000
	}
	if opts.Wait <= 0 {
		opts.Wait = 5 * time.Minute
	}
	open, err := c.List(ctx, Filter{Open: true, Limit: opts.Limit})
	if err != nil {
		return rep, err
	}
	var asked []string
	for _, s := range open {
		v, err := c.Show(ctx, s.Ref)
		if err != nil {
			fmt.Fprintf(out, "%s: cannot read: %v\n", s.Ref, err)
			rep.Failed++
			continue
		}
		switch {
		case v.State.Terminal():
			continue
		case v.Incident.System == opts.To:
			fmt.Fprintf(out, "%s: in %s already (%s)\n", s.Ref, opts.To, v.Incident.Number)
			rep.Already++
			continue
		case v.Incident.ID == "":
			fmt.Fprintf(out, "%s: no incident yet; it opens on the configured desk\n", s.Ref)
			rep.NoIncident++
			continue
		}
		if opts.DryRun {
			fmt.Fprintf(out, "%s: would move %s %s to %s (%d timeline events as notes)\n", s.Ref, v.Incident.System, v.Incident.Number, opts.To, len(v.Timeline))
			continue
		}
		err = c.MigrateDesk(ctx, s.Ref, opts.To, opts.Actor)
		if errors.Is(err, ticket.ErrRejected) && strings.Contains(err.Error(), "moving already") {
			asked = append(asked, s.Ref) // an earlier run's move, still retrying: wait for it
			continue
		}
		if errors.Is(err, ticket.ErrRejected) {
			fmt.Fprintf(out, "%s: %v\n", s.Ref, err)
			continue
		}
		if err != nil {
			fmt.Fprintf(out, "%s: %v\n", s.Ref, err)
			rep.Failed++
			continue
		}
		asked = append(asked, s.Ref)
	}
	deadline := time.Now().Add(opts.Wait)
	for _, ref := range asked {
		for {
			v, err := c.Show(ctx, ref)
			if err == nil && v.Incident.System == opts.To {
				fmt.Fprintf(out, "%s: moved to %s %s\n", ref, opts.To, v.Incident.Number)
				rep.Moved++
				break
			}
			if err == nil && failedMove(v) {
				fmt.Fprintf(out, "%s: the move failed: %s (run again to retry)\n", ref, v.Timeline[len(v.Timeline)-1].Comment)
				rep.Failed++
				break
			}
			if time.Now().After(deadline) || ctx.Err() != nil {
				fmt.Fprintf(out, "%s: still moving (the worker retries; run again to see)\n", ref)
				rep.Pending++
				break
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	return rep, nil
}

// failedMove: the outbox recorded the move's final failure and nothing is queued.
func failedMove(v ticket.View) bool {
	n := len(v.Timeline)
	return n > 0 && v.Timeline[n-1].Action == "mirror-failed" && !v.DeskPending
}
