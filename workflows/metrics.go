package workflows

import (
	"fmt"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/workflow"
)

// Counters the workflows emit, through workflow.GetMetricsHandler: it records nothing while
// a workflow replays, so each event counts once however often its history is replayed. The
// worker exports them to Prometheus with a _total suffix. Labels carry no PII and few values.
const (
	MetricSLAWarnings     = "hcaops_sla_warnings"            // labels clock, priority, threshold
	MetricSLABreaches     = "hcaops_sla_breaches"            // labels clock, priority
	MetricMirrorFailures  = "hcaops_mirror_failures"         // a transition the system of record refused for good
	MetricSubmissions     = "hcaops_submissions"             // label outcome: processed, failed, stuck
	MetricESReports       = "hcaops_es_reports"              // label outcome: reconciled, discrepancies, missing
	MetricESDiscrepancies = "hcaops_es_report_discrepancies" // label kind: missing, unknown, mismatched, stuck
)

func countSLAWarning(h client.MetricsHandler, clock, priority string, threshold float64) {
	h.WithTags(map[string]string{"clock": clock, "priority": priority, "threshold": fmt.Sprintf("%.0f%%", threshold*100)}).
		Counter(MetricSLAWarnings).Inc(1)
}

func countSLABreach(h client.MetricsHandler, clock, priority string) {
	h.WithTags(map[string]string{"clock": clock, "priority": priority}).Counter(MetricSLABreaches).Inc(1)
}

func countSubmission(ctx workflow.Context, outcome string) {
	workflow.GetMetricsHandler(ctx).WithTags(map[string]string{"outcome": outcome}).Counter(MetricSubmissions).Inc(1)
}

func countESReport(ctx workflow.Context, res DailyReportResult) {
	h := workflow.GetMetricsHandler(ctx)
	h.WithTags(map[string]string{"outcome": res.Outcome}).Counter(MetricESReports).Inc(1)
	r := res.Reconcile
	for _, k := range []struct {
		kind string
		n    int
	}{{"missing", r.Missing}, {"unknown", r.Unknown}, {"mismatched", r.Mismatched}, {"stuck", r.Stuck}} {
		if k.n > 0 {
			h.WithTags(map[string]string{"kind": k.kind}).Counter(MetricESDiscrepancies).Inc(int64(k.n))
		}
	}
}
