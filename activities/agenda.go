package activities

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hcaops/hcaops/internal/markdown"
	"github.com/hcaops/hcaops/notify"
	"github.com/hcaops/hcaops/ticket"
)

// AwaitingESLister finds the tickets waiting on ES (a visibility query).
type AwaitingESLister interface {
	AwaitingES(ctx context.Context) ([]string, error)
}

// CallAgenda prepares the regular vets.gov–ES call.
type CallAgenda struct {
	Lister   AwaitingESLister
	Dir      string // when set, a copy of each agenda is written to Dir/agenda-<date>.md and .json
	Notifier notify.Notifier
	To       []string // who receives the agenda
	// Link is a ticket's page in the UI (HCAOPS_UI_URL); nil leaves the agenda without links.
	Link func(ref string) string
}

// Agenda is one call's agenda.
type Agenda struct {
	CallDate  string       `json:"callDate"`
	Generated time.Time    `json:"generated"`
	Items     []AgendaItem `json:"items"`
	Path      string       `json:"path,omitempty"` // the file copy on the worker, if one is kept
	// MovedFrom is the regular call's date and holiday when the call moved off a federal
	// holiday to the next workday ("2026-11-26 (Thanksgiving Day)").
	MovedFrom string `json:"movedFrom,omitempty"`
}

// AgendaItem is one ticket to raise with ES.
type AgendaItem struct {
	Ref                  string           `json:"ref"`
	Summary              string           `json:"summary"`
	Priority             string           `json:"priority"`
	Opened               time.Time        `json:"opened"`
	Age                  time.Duration    `json:"age"`
	ESClock              ticket.ClockView `json:"esClock"`
	Calls                int              `json:"calls"`
	CallsWithoutProgress int              `json:"callsWithoutProgress"`
	Stalled              bool             `json:"stalled"`
	LastCall             string           `json:"lastCall,omitempty"`
	LastOutcome          string           `json:"lastOutcome,omitempty"`
	LastComment          string           `json:"lastComment,omitempty"`
	Link                 string           `json:"link,omitempty"` // the ticket in the UI
	// HoldReason is set when the ticket was put on hold while with ES; it stays listed.
	HoldReason string `json:"holdReason,omitempty"`
}

// ListAwaitingES returns the references of the tickets awaiting ES.
func (a *CallAgenda) ListAwaitingES(ctx context.Context) ([]string, error) {
	return a.Lister.AwaitingES(ctx)
}

// PublishAgenda sends the agenda and, when the desk keeps files (Dir), writes a copy
// there; it returns that copy's path, or "". Operators read agendas through Temporal (the
// agenda run's result), not from the files.
func (a *CallAgenda) PublishAgenda(ctx context.Context, ag Agenda) (string, error) {
	if a.Link != nil {
		for i := range ag.Items {
			ag.Items[i].Link = a.Link(ag.Items[i].Ref)
		}
	}
	md := RenderAgenda(ag)
	path := ""
	if a.Dir != "" {
		if err := os.MkdirAll(a.Dir, 0o755); err != nil {
			return "", fmt.Errorf("agenda folder: %w", err)
		}
		base := filepath.Join(a.Dir, "agenda-"+ag.CallDate)
		data, err := json.MarshalIndent(ag, "", "  ")
		if err != nil {
			return "", err
		}
		if err := writeAtomic(base+".json", data); err != nil {
			return "", err
		}
		if err := writeAtomic(base+".md", []byte(md)); err != nil {
			return "", err
		}
		path = base + ".md"
	}
	err := a.Notifier.Notify(ctx, notify.Message{To: a.To,
		Subject: fmt.Sprintf("[hcaops] agenda of the %s ES call: %d item(s)", ag.CallDate, len(ag.Items)), Body: md,
		Key: "agenda-" + ag.CallDate, Progress: newHeartbeatProgress(ctx, nil)})
	return path, notifyErr(err)
}

// RenderAgenda is the agenda as Markdown. Text people typed (summaries, ES's comments) is
// escaped: it can neither start a heading or a table row nor imitate the ESCALATED flag,
// in the Markdown file or in the email.
func RenderAgenda(ag Agenda) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# vets.gov – ES call, %s\n\n", ag.CallDate)
	if ag.MovedFrom != "" {
		fmt.Fprintf(&b, "Moved from %s: no call on a federal holiday.\n\n", markdown.Escape(ag.MovedFrom))
	}
	fmt.Fprintf(&b, "Tickets awaiting ES: %d (generated %s).\n\n", len(ag.Items), ag.Generated.UTC().Format("2006-01-02 15:04 UTC"))
	if len(ag.Items) == 0 {
		b.WriteString("Nothing is waiting on ES.\n")
		return b.String()
	}
	b.WriteString("| # | ticket | priority | summary | age | ES clock | calls | last time |\n|---|---|---|---|---|---|---|---|\n")
	for i, it := range ag.Items {
		flag := ""
		if it.Stalled {
			flag = " **ESCALATED: no ES progress**"
		}
		clock := it.ESClock.Status
		if !it.ESClock.Deadline.IsZero() {
			clock += ", due " + it.ESClock.Deadline.UTC().Format("2006-01-02 15:04 UTC")
		}
		last := "—"
		if it.LastOutcome != "" {
			last = markdown.Escape(fmt.Sprintf("%s (%s): %s", it.LastOutcome, it.LastCall, it.LastComment))
		}
		ref := it.Ref // letters, digits, '.', '_', '-' (ticket.ValidRef): kept as typed, to copy into esctl
		if ticket.ValidRef(ref) != nil {
			ref = markdown.Escape(ref)
		}
		if it.Link != "" {
			ref = "[" + ref + "](" + it.Link + ")"
		}
		fmt.Fprintf(&b, "| %d | %s%s | %s | %s | %s | %s | %d | %s |\n", i+1, ref, flag, markdown.Escape(it.Priority),
			markdown.Escape(it.Summary)+onHold(it), days(it.Age), clock, it.Calls, last)
	}
	b.WriteString("\nRecord outcomes after the call: `bin/esctl call record " + ag.CallDate + " REF=outcome[:comment] ...`\n" +
		"(outcomes: acknowledged, working, resolved, needs-info, returned)\n")
	return b.String()
}

// onHold marks an item put on hold while with ES: it stays on the agenda.
func onHold(it AgendaItem) string {
	if it.HoldReason == "" {
		return ""
	}
	return " _\\(on hold: " + markdown.Escape(it.HoldReason) + "\\)_"
}

func days(d time.Duration) string {
	if d < 24*time.Hour {
		return fmt.Sprintf("%dh", int(d.Hours()))
	}
	return fmt.Sprintf("%dd", int(d.Hours()/24))
}

// writeAtomic replaces path in one step, so readers never see half a file.
func writeAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}
