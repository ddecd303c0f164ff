package integration

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/hcaops/hcaops/enrollment/esfake"
	"github.com/hcaops/hcaops/ticket"
	"github.com/hcaops/hcaops/workflows"
)

// scrape reads the in-process worker's /metrics, as Prometheus would.
func scrape(t *testing.T) map[string]*dto.MetricFamily {
	t.Helper()
	resp, err := http.Get(env.metricsURL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /metrics: %s", resp.Status)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("/metrics is not Prometheus text: %v", err)
	}
	return families
}

// sample is the value of the series of family name whose labels include want (counter,
// gauge or, for a histogram, its count); found is false when there is no such series.
func sample(families map[string]*dto.MetricFamily, name string, want map[string]string) (v float64, found bool) {
	f, ok := families[name]
	if !ok {
		return 0, false
	}
	for _, m := range f.GetMetric() {
		labels := map[string]string{}
		for _, l := range m.GetLabel() {
			labels[l.GetName()] = l.GetValue()
		}
		match := true
		for k, wv := range want {
			if labels[k] != wv {
				match = false
			}
		}
		if !match {
			continue
		}
		found = true
		switch {
		case m.Counter != nil:
			v += m.GetCounter().GetValue()
		case m.Gauge != nil:
			v += m.GetGauge().GetValue()
		case m.Histogram != nil:
			v += float64(m.GetHistogram().GetSampleCount())
		}
	}
	return v, found
}

// TestMetricsCountWhatHappened makes each event hcaops measures happen, and reads it back
// from /metrics with the labels an operator's dashboard filters on: the SDK's own metrics,
// SLA warnings and breaches, failed calls to the service desk and a transition it refused,
// submissions by outcome, ES report discrepancies, open tickets and ES connectivity.
func TestMetricsCountWhatHappened(t *testing.T) {
	ctx := context.Background()
	before := scrape(t)
	counted := func(name string, labels map[string]string) float64 {
		v, _ := sample(before, name, labels)
		return v
	}

	// The service desk fails a call (retried) and then refuses a transition for good. This
	// comes first: nothing else of this test calls SDM meanwhile to take the injected faults.
	desk := uniqueRef(t, "IT-MET-DESK")
	if _, err := env.ops.Open(ctx, ticket.NewTicket{Ref: desk, Channel: ticket.ChannelEmail, Product: ticket.ProductOnline1010EZ,
		Summary: "metrics desk", Priority: ticket.PriorityLow, Reporter: "hrc-agent-4"}); err != nil {
		t.Fatal(err)
	}
	eventually(t, 20*time.Second, "incident in SDM", func() bool { _, ok := sdmIncident(desk); return ok })
	env.sdm.FailNext(1, http.StatusServiceUnavailable)
	if _, err := env.ops.Act(ctx, desk, ticket.ActEscalate, ticket.Request{Actor: "it-operator"}); err != nil {
		t.Fatal(err)
	}
	eventually(t, 20*time.Second, "the retried escalation mirrored", func() bool {
		inc, _ := sdmIncident(desk)
		return countMarked(inc, desk) == 2
	})
	env.sdm.FailNext(1, http.StatusBadRequest)
	if _, err := env.ops.Act(ctx, desk, ticket.ActAcknowledge, ticket.Request{Actor: "it-operator"}); err != nil {
		t.Fatal(err)
	}
	eventually(t, 20*time.Second, "the refused transition noted", func() bool {
		v, err := env.ops.Show(ctx, desk)
		return err == nil && v.Timeline[len(v.Timeline)-1].Action == "mirror-failed"
	})

	// An Urgent ticket breaches its 4-second resolution target after warnings at 50% and 75%.
	urgent := uniqueRef(t, "IT-MET-URG")
	if _, err := env.ops.Open(ctx, ticket.NewTicket{Ref: urgent, Channel: ticket.ChannelPhone, Product: ticket.ProductOnline1010EZ,
		Summary: "metrics breach", Priority: ticket.PriorityUrgent, Reporter: "hrc-agent-4"}); err != nil {
		t.Fatal(err)
	}
	for _, a := range []ticket.Action{ticket.ActEscalate, ticket.ActStartFix} {
		if _, err := env.ops.Act(ctx, urgent, a, ticket.Request{Actor: "it-operator"}); err != nil {
			t.Fatal(err)
		}
	}

	// Two submissions: ES refuses one, processes the other.
	if err := env.es.SetFaults(esfake.Faults{ValidationFault: 1}); err != nil {
		t.Fatal(err)
	}
	defer env.es.SetFaults(esfake.Faults{})
	path, ids := applications(t, runPrefix(), 2)
	ok(t, "starter", "-applications", path)
	eventually(t, 60*time.Second, "both submissions finished", func() bool {
		for _, id := range ids {
			if _, done := submissionState(t, id); !done {
				return false
			}
		}
		return true
	})

	// Today's report drops the row of the processed submission: missing from ES.
	processed := ""
	for _, id := range ids {
		if st, _ := submissionState(t, id); st.Outcome == workflows.SubmissionProcessed {
			processed = id
		}
	}
	eventually(t, 20*time.Second, "visibility lists the processed submission", func() bool {
		resp, err := env.client.CountWorkflow(ctx, countRequest(fmt.Sprintf(
			"WorkflowId = '%s' AND SubmissionStatus = 'processed'", workflows.SubmissionWorkflowID(processed))))
		return err == nil && resp.GetCount() == 1
	})
	if err := env.es.SetFaults(esfake.Faults{ReportDrop: 1}); err != nil {
		t.Fatal(err)
	}
	day := time.Now().In(esZone).Format(time.DateOnly)
	runWorkflow(t, fmt.Sprintf("it-metrics-report-%d", time.Now().UnixNano()), workflows.DailyReportWorkflow, workflows.DailyReportInput{Date: day})

	// A connectivity check, so the monitor has a state to report.
	runWorkflow(t, fmt.Sprintf("it-metrics-connectivity-%d", time.Now().UnixNano()), workflows.ConnectivityCheckWorkflow)

	grew := func(name string, labels map[string]string, by float64) func(map[string]*dto.MetricFamily) bool {
		return func(f map[string]*dto.MetricFamily) bool {
			v, _ := sample(f, name, labels)
			return v-counted(name, labels) >= by
		}
	}
	is := func(name string, labels map[string]string, want float64) func(map[string]*dto.MetricFamily) bool {
		return func(f map[string]*dto.MetricFamily) bool {
			v, found := sample(f, name, labels)
			return found && v == want
		}
	}
	atLeast := func(name string, labels map[string]string, want float64) func(map[string]*dto.MetricFamily) bool {
		return func(f map[string]*dto.MetricFamily) bool {
			v, found := sample(f, name, labels)
			return found && v >= want
		}
	}
	expectations := []struct {
		what string
		ok   func(map[string]*dto.MetricFamily) bool
	}{
		{"SLA warning at 50%", grew("hcaops_sla_warnings_total", map[string]string{"clock": "resolution", "priority": "Urgent", "threshold": "50%"}, 1)},
		{"SLA warning at 75%", grew("hcaops_sla_warnings_total", map[string]string{"clock": "resolution", "priority": "Urgent", "threshold": "75%"}, 1)},
		{"SLA breach", grew("hcaops_sla_breaches_total", map[string]string{"clock": "resolution", "priority": "Urgent"}, 1)},
		{"desk error, retried", grew("hcaops_servicedesk_errors_total", map[string]string{"system": "sdm", "operation": "mirror-transition", "retryable": "true"}, 1)},
		{"desk error, refused", grew("hcaops_servicedesk_errors_total", map[string]string{"system": "sdm", "operation": "mirror-transition", "retryable": "false"}, 1)},
		{"mirror failure", grew("hcaops_mirror_failures_total", nil, 1)},
		{"submission processed", grew("hcaops_submissions_total", map[string]string{"outcome": "processed"}, 1)},
		{"submission failed", grew("hcaops_submissions_total", map[string]string{"outcome": "failed"}, 1)},
		{"report with discrepancies", grew("hcaops_es_reports_total", map[string]string{"outcome": "discrepancies"}, 1)},
		{"report row missing from ES", grew("hcaops_es_report_discrepancies_total", map[string]string{"kind": "missing"}, 1)},
		{"open tickets by state, tier and priority", atLeast("hcaops_open_tickets", map[string]string{"state": "In Progress", "tier": "vets.gov", "priority": "Urgent"}, 1)},
		{"ES reachable", is("hcaops_es_reachable", nil, 1)},
		{"no failed ES checks in a row", is("hcaops_es_consecutive_failed_checks", nil, 0)},
		{"no ES outage open", is("hcaops_es_outage_open", nil, 0)},
		// The SDK's own: task latencies, failures, pollers and the sticky cache.
		{"workflow task latency", atLeast("temporal_workflow_task_execution_latency_seconds", map[string]string{"workflow_type": "TicketWorkflow"}, 1)},
		{"workflow task schedule-to-start", atLeast("temporal_workflow_task_schedule_to_start_latency_seconds", nil, 1)},
		{"activity latency", atLeast("temporal_activity_execution_latency_seconds", map[string]string{"activity_type": "MirrorTransition"}, 1)},
		// A ticket writes the desk in a local activity that reports a failing call in its
		// result (counted above as desk errors) and hands the item to the retrying
		// MirrorTransition; so the failures are hcaops's counters, not the SDK's.
		{"desk deliveries in the action's task", atLeast("temporal_local_activity_execution_latency_seconds", map[string]string{"activity_type": "DeliverOutbox"}, 1)},
		{"sticky cache size", atLeast("temporal_sticky_cache_size", nil, 1)},
		{"sticky cache hits", atLeast("temporal_sticky_cache_hit_total", nil, 1)},
		{"pollers", atLeast("temporal_num_pollers", nil, 1)},
	}
	var after map[string]*dto.MetricFamily
	deadline := time.Now().Add(30 * time.Second)
	for {
		after = scrape(t)
		missing := []string{}
		for _, e := range expectations {
			if !e.ok(after) {
				missing = append(missing, e.what)
			}
		}
		if len(missing) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("not in /metrics within 30s: %s", strings.Join(missing, "; "))
		}
		time.Sleep(500 * time.Millisecond)
	}
	checkDashboard(t, after)
}
