package simulation

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/hcaops/hcaops/ticket"
)

// CSVColumns are the columns of a traffic file, in this order; the header row names them.
// One row per event; a ticket's first row is its "open" (priority, channel, product and
// summary are read there). at is RFC 3339. The request columns are read as each action
// needs them, as ticketctl's flags are.
var CSVColumns = []string{"ref", "at", "action", "priority", "channel", "product", "summary", "actor",
	"comment", "hold_reason", "cancel_reason", "duplicate_of", "es_outcome", "call_date"}

// ReadCSV reads a traffic file. A malformed row is refused with its line number and the
// column at fault, and nothing is returned.
func ReadCSV(r io.Reader, name string) ([]Ticket, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: empty file; want a header row: %s", name, strings.Join(CSVColumns, ","))
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if !slices.Equal(header, CSVColumns) {
		return nil, fmt.Errorf("%s line 1: header %q, want %q", name, strings.Join(header, ","), strings.Join(CSVColumns, ","))
	}
	byRef := map[string]*Ticket{}
	var order []string
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if len(rec) != len(CSVColumns) {
			return nil, fmt.Errorf("%s line %d: %d columns, want %d (%s)", name, line, len(rec), len(CSVColumns), strings.Join(CSVColumns, ","))
		}
		col := func(c string) string { return strings.TrimSpace(rec[slices.Index(CSVColumns, c)]) }
		bad := func(c, why string) error {
			return fmt.Errorf("%s line %d, column %s: %s", name, line, c, why)
		}
		ref := col("ref")
		if err := ticket.ValidRef(ref); err != nil {
			return nil, bad("ref", err.Error())
		}
		at, err := time.Parse(time.RFC3339, col("at"))
		if err != nil {
			return nil, bad("at", fmt.Sprintf("%q is not an RFC 3339 instant (2026-12-01T09:30:00-05:00)", col("at")))
		}
		action := col("action")
		t := byRef[ref]
		if action == "open" {
			if t != nil {
				return nil, bad("action", "ticket "+ref+" is opened twice")
			}
			n := ticket.NewTicket{Ref: ref, Channel: ticket.Channel(col("channel")), Product: ticket.Product(col("product")),
				Priority: ticket.Priority(col("priority")), Summary: col("summary"), Reporter: col("actor"), OpenedAt: at}
			if n.Summary == "" {
				n.Summary = "replayed traffic"
			}
			if n.Product == "" {
				n.Product = ticket.ProductOnline1010EZ
			}
			if err := n.Validate(); err != nil {
				return nil, fmt.Errorf("%s line %d: %w", name, line, err)
			}
			n.Normalize()
			byRef[ref] = &Ticket{New: n}
			order = append(order, ref)
			continue
		}
		if t == nil {
			return nil, bad("action", fmt.Sprintf("%s on ticket %s before its open row", action, ref))
		}
		a := ticket.Action(action)
		if !slices.Contains(ticket.Actions(), a) {
			return nil, bad("action", fmt.Sprintf("unknown action %q", action))
		}
		if n := len(t.Events); at.Before(t.New.OpenedAt) || n > 0 && at.Before(t.Events[n-1].At) {
			return nil, bad("at", "events of a ticket must be in time order")
		}
		req := ticket.Request{Actor: col("actor"), Comment: col("comment"), HoldReason: ticket.HoldReason(col("hold_reason")),
			CancelReason: ticket.CancelReason(col("cancel_reason")), DuplicateOf: col("duplicate_of"),
			Priority: ticket.Priority(col("priority")), ESOutcome: ticket.ESOutcome(col("es_outcome")), CallDate: col("call_date")}
		if req.Actor == "" {
			return nil, bad("actor", "every action needs an actor")
		}
		t.Events = append(t.Events, Event{At: at, Action: a, Request: req})
	}
	if len(order) == 0 {
		return nil, fmt.Errorf("%s: no ticket in the file", name)
	}
	out := make([]Ticket, len(order))
	for i, ref := range order {
		out[i] = *byRef[ref]
	}
	return out, nil
}

// WriteCSV writes traffic in the format ReadCSV reads.
func WriteCSV(w io.Writer, ts []Ticket) error {
	cw := csv.NewWriter(w)
	_ = cw.Write(CSVColumns)
	for _, t := range ts {
		n := t.New
		_ = cw.Write([]string{n.Ref, n.OpenedAt.Format(time.RFC3339Nano), "open", string(n.Priority), string(n.Channel),
			string(n.Product), n.Summary, n.Reporter, "", "", "", "", "", ""})
		for _, e := range t.Events {
			r := e.Request
			_ = cw.Write([]string{n.Ref, e.At.Format(time.RFC3339Nano), string(e.Action), string(r.Priority), "", "", "", r.Actor,
				r.Comment, string(r.HoldReason), string(r.CancelReason), r.DuplicateOf, string(r.ESOutcome), r.CallDate})
		}
	}
	cw.Flush()
	return cw.Error()
}
