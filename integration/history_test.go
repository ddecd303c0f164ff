package integration

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	commonpb "go.temporal.io/api/common/v1"
	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/api/proxy"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/hcaops/hcaops/internal/temporalclient"
)

// recordHistory writes the history of a real run to workflows/testdata for the replay
// tests, when HCAOPS_RECORD_HISTORIES=1 (see README: after a deliberate workflow change).
func recordHistory(t *testing.T, workflowID, runID, name string) {
	t.Helper()
	if os.Getenv("HCAOPS_RECORD_HISTORIES") != "1" {
		return
	}
	it := env.client.GetWorkflowHistory(context.Background(), workflowID, runID, false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	h := &historypb.History{}
	for it.HasNext() {
		e, err := it.Next()
		if err != nil {
			t.Fatal(err)
		}
		h.Events = append(h.Events, e)
	}
	// Committed histories are kept decoded (plaintext, synthetic values only), so replaying
	// them needs no key; the replay test reads them as histories from before encryption.
	codec, err := temporalclient.Codec()
	if err != nil {
		t.Fatal(err)
	}
	err = proxy.VisitPayloads(context.Background(), h, proxy.VisitPayloadsOptions{
		SkipSearchAttributes: true,
		Visitor: func(_ *proxy.VisitPayloadsContext, p []*commonpb.Payload) ([]*commonpb.Payload, error) {
			return codec.Decode(p)
		},
	})
	if err != nil {
		t.Fatalf("decode the history of %s: %v", workflowID, err)
	}
	data, err := protojson.MarshalOptions{Indent: "  "}.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("..", "workflows", "testdata", name+".json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("recorded %d events to %s", len(h.Events), path)
}
