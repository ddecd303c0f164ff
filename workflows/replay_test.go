package workflows

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/rs/zerolog"
	"go.temporal.io/sdk/worker"

	"github.com/hcaops/hcaops/internal/logging"
	"github.com/hcaops/hcaops/internal/payloadcodec"
)

// TestReplayCommittedHistories replays histories of real runs on a dev server (recorded
// by the integration tests, see README) against today's workflow code: a change that
// would break running tickets fails here. The replayer has the payload codec of every
// worker; the committed histories are plaintext (recorded decoded, so replaying them
// needs no key), which the codec reads as it reads histories from before encryption.
func TestReplayCommittedHistories(t *testing.T) {
	entry, err := payloadcodec.NewKeyEntry("replay-test")
	if err != nil {
		t.Fatal(err)
	}
	ring, err := payloadcodec.ParseKeyRing(entry, "test key")
	if err != nil {
		t.Fatal(err)
	}
	codec := payloadcodec.New(ring, payloadcodec.PlaintextRead)
	files, err := filepath.Glob("testdata/*.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 10 {
		t.Fatalf("found %d committed histories in workflows/testdata, want at least 10", len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			r, err := worker.NewWorkflowReplayerWithOptions(worker.WorkflowReplayerOptions{
				DataConverter: codec.DataConverter(), FailureConverter: codec.FailureConverter(),
			})
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range []any{TicketWorkflow, SubmissionWorkflow, DailyReportWorkflow, CallAgendaWorkflow,
				ConnectivityCheckWorkflow, ConnectivityMonitorWorkflow, DeskPollWorkflow} {
				r.RegisterWorkflow(w)
			}
			logger := logging.SDK{L: zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel)}
			if err := r.ReplayWorkflowHistoryFromJSONFile(logger, f); err != nil {
				t.Fatalf("replay %s: %v", f, err)
			}
		})
	}
}

// TestReplayRefusesPlaintextWhenTold: a deployment whose histories are all encrypted sets
// HCAOPS_PLAINTEXT_PAYLOADS=refuse; a plaintext history (here a committed one) then stops
// the worker's first workflow task with the reason, rather than being read.
func TestReplayRefusesPlaintextWhenTold(t *testing.T) {
	entry, err := payloadcodec.NewKeyEntry("replay-test")
	if err != nil {
		t.Fatal(err)
	}
	ring, err := payloadcodec.ParseKeyRing(entry, "test key")
	if err != nil {
		t.Fatal(err)
	}
	codec := payloadcodec.New(ring, payloadcodec.PlaintextRefuse)
	r, err := worker.NewWorkflowReplayerWithOptions(worker.WorkflowReplayerOptions{
		DataConverter: codec.DataConverter(), FailureConverter: codec.FailureConverter(),
	})
	if err != nil {
		t.Fatal(err)
	}
	r.RegisterWorkflow(SubmissionWorkflow)
	// Events 1-4: started, and the first workflow task scheduled, started and completed.
	err = r.ReplayPartialWorkflowHistoryFromJSONFile(nil, "testdata/submission.json", 4)
	want := `payload 0: payload is not encrypted (encoding "json/plain") and HCAOPS_PLAINTEXT_PAYLOADS=refuse`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("replay of a plaintext history with refuse: %v, want %q", err, want)
	}
}
