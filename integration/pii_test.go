package integration

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	commonpb "go.temporal.io/api/common/v1"
	enumspb "go.temporal.io/api/enums/v1"
	failurepb "go.temporal.io/api/failure/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/api/proxy"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/worker"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/hcaops/hcaops/enrollment"
	"github.com/hcaops/hcaops/enrollment/enrollmenttest"
	"github.com/hcaops/hcaops/enrollment/esfake"
	"github.com/hcaops/hcaops/internal/payloadcodec"
	"github.com/hcaops/hcaops/workflows"
)

// veteranPII is one made-up Veteran whose values exist nowhere but in this run: a hit in
// any store can only be a leak of this test's submissions.
type veteranPII struct {
	First, Last, DOB, SSN, Street, Email, Phone string
}

func (v veteranPII) values() []string {
	return []string{v.First, v.Last, v.DOB, v.SSN, v.Street, v.Email, v.Phone}
}

func newVeteranPII(t *testing.T) veteranPII {
	t.Helper()
	n := func(max int64) int64 {
		r, err := rand.Int(rand.Reader, big.NewInt(max))
		if err != nil {
			t.Fatal(err)
		}
		return r.Int64()
	}
	letters := func(k int) string {
		b := make([]byte, k)
		for i := range b {
			b[i] = byte('a' + n(26))
		}
		return string(b)
	}
	name := func(prefix string) string { return prefix + letters(8) }
	return veteranPII{
		First: name("Quil"), Last: name("Zeb"),
		DOB: fmt.Sprintf("19%02d-%02d-%02d", 40+n(50), 1+n(12), 1+n(28)),
		// A valid SSN: area 100-899 but not 666, group and serial never zero.
		SSN:    fmt.Sprintf("%03d%02d%04d", 100+n(566), 10+n(89), 1000+n(8999)),
		Street: fmt.Sprintf("%d %s Rd", 100+n(900), name("Plant")),
		Email:  "v." + letters(10) + "@example.com",
		Phone:  fmt.Sprintf("212555%04d", 1000+n(8999)),
	}
}

// applicationWithPII is the one place that knows where a Veteran's values sit in the form
// (the va.gov 10-10EZ): when the form's shape changes, only this function changes.
func applicationWithPII(id string, v veteranPII) enrollment.Application {
	a := enrollmenttest.Application(id)
	f := &a.Form
	f.VeteranFullName.First, f.VeteranFullName.Last = v.First, v.Last
	f.VeteranSocialSecurityNumber, f.VeteranDateOfBirth = v.SSN, v.DOB
	address := *f.VeteranAddress
	address.Street = v.Street
	f.VeteranAddress = &address
	f.Email, f.HomePhone = v.Email, v.Phone
	return a
}

// TestPIIIsCiphertextInTemporalAndReadableOnlyThroughTheCodecServer plants unique PII in
// two submissions (one processed, one refused by ES: a ticket, a Veteran notice and
// failures follow), then exports every workflow history of the server and searches it,
// the worker's logs, the reports, the fakes' stores, the mail relay and the CLI's view: the
// values appear nowhere, while ES received them, the Veteran's notice went to their address,
// and the codec server shows them to an operator's token and to nobody else.
func TestPIIIsCiphertextInTemporalAndReadableOnlyThroughTheCodecServer(t *testing.T) {
	veterans := map[string]veteranPII{}
	var apps []enrollment.Application
	for i := range 2 {
		id := fmt.Sprintf("c0dec000-0000-4000-8000-%012d", time.Now().UnixNano()%1e11*10+int64(i))
		veterans[id] = newVeteranPII(t)
		apps = append(apps, applicationWithPII(id, veterans[id]))
	}
	var planted []string
	for _, v := range veterans {
		planted = append(planted, v.values()...)
	}
	file := filepath.Join(t.TempDir(), "applications.json")
	data, err := json.Marshal(apps)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := env.es.SetFaults(esfake.Faults{ValidationFault: 1}); err != nil {
		t.Fatal(err)
	}
	defer env.es.SetFaults(esfake.Faults{})
	starter := program(t, "starter", "-applications", file)
	if starter.code != 0 || strings.Count(starter.out, "\tsubmitted\t") != len(apps) {
		t.Fatalf("starter: exit %d\n%s%s", starter.code, starter.out, starter.err)
	}
	outcomes := map[string]workflows.SubmissionState{}
	eventually(t, 60*time.Second, "both submissions finished", func() bool {
		for id := range veterans {
			if st, done := submissionState(t, id); done {
				outcomes[id] = st
			}
		}
		return len(outcomes) == len(veterans)
	})
	var failedID string
	for id, st := range outcomes {
		if st.Outcome == workflows.SubmissionFailed {
			failedID = id
		}
	}
	if failedID == "" || outcomes[failedID].TicketRef == "" {
		t.Fatalf("outcomes %+v: want one refused by ES, with a ticket", outcomes)
	}
	ticketWorkflow := workflows.TicketWorkflowID(outcomes[failedID].TicketRef)

	// The decrypted form reached ES, the one system that must read it.
	for id, v := range veterans {
		if !strings.Contains(env.esWire.String(), v.SSN) {
			t.Fatalf("ES never received the SSN of %s: the worker did not decrypt the form", id)
		}
	}

	// Every history of the server, as stored, and what visibility lists.
	histories, listing := exportHistories(t)
	for _, id := range []string{workflows.SubmissionWorkflowID(apps[0].ApplicationID), workflows.SubmissionWorkflowID(apps[1].ApplicationID), ticketWorkflow} {
		found := false
		for key := range histories {
			found = found || strings.HasPrefix(key, id+"/")
		}
		if !found {
			t.Fatalf("the export lacks %s", id)
		}
	}
	payloads, appFailures := 0, 0
	for key, h := range histories {
		payloads += assertEncrypted(t, key, h)
		appFailures += assertFailuresEncoded(t, key, h)
	}
	if appFailures == 0 {
		t.Fatal("no failure written by hcaops in any history: the test did not exercise failure details")
	}
	t.Logf("exported %d histories with %d payloads and %d failures written by hcaops", len(histories), payloads, appFailures)
	assertSearchAttributesPlain(t, listing, planted)

	// The codec server and the CLI, as an operator uses them.
	codec := startCodecServer(t)
	failedHistory := historyOf(t, histories, workflows.SubmissionWorkflowID(failedID))
	input := failedHistory.Events[0].GetWorkflowExecutionStartedEventAttributes().GetInput()
	decoded, status := codec.decode(t, input, "Bearer "+codec.token)
	if status != http.StatusOK || !strings.Contains(decoded, veterans[failedID].SSN) || !strings.Contains(decoded, veterans[failedID].Email) {
		t.Fatalf("decode with the operator's token: %d %q", status, decoded)
	}
	for _, auth := range []string{"", "Bearer " + strings.Repeat("w", 40)} {
		body, status := codec.decode(t, input, auth)
		if status != http.StatusUnauthorized {
			t.Fatalf("decode with Authorization %q: %d, want 401", auth, status)
		}
		for _, v := range planted {
			if strings.Contains(body, v) {
				t.Fatalf("a refused decode answered a PII value: %q", body)
			}
		}
	}
	show := func(args ...string) (string, error) {
		// On the dev server as an operator types it against make run (README): no namespace,
		// so the CLI's X-Namespace is empty. On an existing server the run has its own.
		base := []string{"workflow", "show", "-w", workflows.SubmissionWorkflowID(failedID), "--address", env.hostPort, "--output", "json"}
		if env.namespace != client.DefaultNamespace {
			base = append(base, "--namespace", env.namespace)
		}
		cmd := exec.Command(temporalCLI(t), append(base, args...)...)
		cmd.Env = withoutVar(os.Environ(), "TEMPORAL_NAMESPACE")
		out, err := cmd.CombinedOutput()
		return withPayloadData(string(out)), err
	}
	cipher, err := show()
	// The CLI prints metadata it cannot decode in base64: this is "binary/encrypted".
	if err != nil || !strings.Contains(cipher, base64.StdEncoding.EncodeToString([]byte("binary/encrypted"))) {
		t.Fatalf("temporal workflow show without a codec: %v\n%s", err, cipher)
	}
	clear, err := show("--codec-endpoint", codec.url, "--codec-auth", "Bearer "+codec.token, "--command-timeout", "20s")
	if err != nil || !strings.Contains(clear, veterans[failedID].SSN) {
		t.Fatalf("temporal workflow show through the codec server: %v\n%s", err, clear)
	}
	// Without the token the codec server refuses every decode; the CLI retries until its
	// timeout and prints nothing of the history.
	refused, err := show("--codec-endpoint", codec.url, "--command-timeout", "3s")
	if err == nil || strings.Contains(refused, "WorkflowExecutionStarted") || !strings.Contains(codec.logs.String(), `"message":"codec request refused"`) {
		t.Fatalf("temporal workflow show through the codec server without a token: %v\n%s\ncodec server:\n%s", err, refused, codec.logs)
	}

	// Where the values must not be.
	stores := map[string]string{
		"the in-process worker's logs": env.logs.String(),
		"the starter's output":         starter.out + starter.err,
		"the codec server's logs":      codec.logs.String(),
		"the CLI's view without codec": cipher,
		"the CLI's refused view":       refused,
		"the reports folder":           filesOf(t, env.reports),
		"the fake SDM's store":         jsonOf(t, env.sdm.Incidents(), env.sdm.Requests()),
		"the fake ES's store":          jsonOf(t, env.es.Submissions()),
		"the visibility listing":       string(mustMarshal(t, listing)),
	}
	for key, h := range histories {
		raw := mustMarshal(t, h)
		text, _ := protojson.Marshal(h)
		stores["history "+key] = string(raw) + string(text)
	}
	for where, text := range stores {
		for _, v := range planted {
			if strings.Contains(text, v) {
				t.Errorf("%s hold the planted PII value %q", where, v)
			}
		}
	}
	// The mail relay: the refused Veteran's notice goes to their address, which is the one
	// planted value a message may carry, and only in a message to that Veteran.
	notified := false
	for _, m := range env.mail.current().Messages() {
		text := strings.Join(m.To, ",") + "\n" + string(m.Data)
		for id, v := range veterans {
			for _, pii := range v.values() {
				if pii == v.Email && slices.Contains(m.To, v.Email) {
					notified = notified || id == failedID
					continue
				}
				if strings.Contains(text, pii) {
					t.Errorf("mail %d to %v holds the planted PII value %q", m.ID, m.To, pii)
				}
			}
		}
	}
	if !notified {
		t.Error("the Veteran whose application ES refused was not emailed")
	}
	if !strings.Contains(codec.logs.String(), `"operator":"it-ops"`) {
		t.Errorf("the codec server did not audit the operator's decode:\n%s", codec.logs.String())
	}

	// A worker replays the encrypted histories with the ring; without the key it stops, by name.
	for _, id := range []string{workflows.SubmissionWorkflowID(apps[0].ApplicationID), workflows.SubmissionWorkflowID(apps[1].ApplicationID)} {
		if err := replay(historyOf(t, histories, id), env.keys); err != nil {
			t.Fatalf("replay %s with the ring: %v", id, err)
		}
	}
	// A worker without the key fails the first workflow task by name (the task is retried,
	// the workflow stays open) instead of running on ciphertext or failing the workflow.
	other, _ := payloadcodec.NewKeyEntry("other")
	firstTask := &historypb.History{Events: failedHistory.Events[:4]}
	if err := replay(firstTask, other); err == nil || !strings.Contains(err.Error(), fmt.Sprintf(`payload key is not in the key ring: key %q (the ring holds [other])`, env.keyID)) {
		t.Fatalf("replay with another key: %v", err)
	}
}

// TestProgramsRefuseBadKeysByName: no program runs without keys, a bad ring is named
// entry by entry without echoing key material, and another deployment's key reads
// nothing: a clear error, never the payload as it is.
func TestProgramsRefuseBadKeysByName(t *testing.T) {
	other, err := payloadcodec.NewKeyEntry("other")
	if err != nil {
		t.Fatal(err)
	}
	const badKey = "k1:c2hvcnQ="
	for _, tc := range []struct {
		name     string
		override map[string]string
		want     string
	}{
		{"no keys", map[string]string{"HCAOPS_PAYLOAD_KEYS": ""}, "payload encryption keys are required: set HCAOPS_PAYLOAD_KEYS_FILE"},
		{"short key", map[string]string{"HCAOPS_PAYLOAD_KEYS": badKey}, "HCAOPS_PAYLOAD_KEYS: entry 1: key k1 is 5 bytes after base64 decoding; AES-256 needs exactly 32"},
		{"missing file", map[string]string{"HCAOPS_PAYLOAD_KEYS": "", "HCAOPS_PAYLOAD_KEYS_FILE": "/nonexistent/payload-keys"}, "HCAOPS_PAYLOAD_KEYS_FILE: open /nonexistent/payload-keys"},
		{"another deployment's key", map[string]string{"HCAOPS_PAYLOAD_KEYS": other}, fmt.Sprintf(`payload key is not in the key ring: key %q (the ring holds [other])`, env.keyID)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := programWith(t, tc.override, "esctl", "connectivity")
			if r.code == 0 || !strings.Contains(r.err, tc.want) {
				t.Fatalf("exit %d, stderr %q, want an error containing %q", r.code, r.err, tc.want)
			}
			if strings.Contains(r.err, "c2hvcnQ=") {
				t.Fatal("the error quotes key material")
			}
		})
	}
}

// exportHistories reads every execution visibility lists, with its history as stored.
func exportHistories(t *testing.T) (map[string]*historypb.History, []*workflowservice.ListWorkflowExecutionsResponse) {
	t.Helper()
	ctx := context.Background()
	out := map[string]*historypb.History{}
	var pages []*workflowservice.ListWorkflowExecutionsResponse
	var token []byte
	for {
		resp, err := env.client.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{Namespace: env.namespace, PageSize: 1000, NextPageToken: token})
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, resp)
		for _, e := range resp.GetExecutions() {
			wid, rid := e.GetExecution().GetWorkflowId(), e.GetExecution().GetRunId()
			h := &historypb.History{}
			it := env.client.GetWorkflowHistory(ctx, wid, rid, false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
			for it.HasNext() {
				ev, err := it.Next()
				if err != nil {
					t.Fatalf("history of %s: %v", wid, err)
				}
				h.Events = append(h.Events, ev)
			}
			out[wid+"/"+rid] = h
		}
		if token = resp.GetNextPageToken(); len(token) == 0 {
			return out, pages
		}
	}
}

func historyOf(t *testing.T, histories map[string]*historypb.History, workflowID string) *historypb.History {
	t.Helper()
	for key, h := range histories {
		if strings.HasPrefix(key, workflowID+"/") {
			return h
		}
	}
	t.Fatalf("no history of %s", workflowID)
	return nil
}

// assertEncrypted checks that every payload of a history, search attributes aside, is
// ciphertext naming its key, and returns how many there are. (On a fresh dev server every
// key is this run's; on a shared cluster other runs' keys appear too.)
func assertEncrypted(t *testing.T, key string, h *historypb.History) int {
	t.Helper()
	n := 0
	var plain []string
	err := proxy.VisitPayloads(context.Background(), proto.Clone(h), proxy.VisitPayloadsOptions{
		SkipSearchAttributes: true,
		Visitor: func(_ *proxy.VisitPayloadsContext, ps []*commonpb.Payload) ([]*commonpb.Payload, error) {
			for _, p := range ps {
				n++
				md := p.GetMetadata()
				if string(md[converter.MetadataEncoding]) != "binary/encrypted" || len(md["encryption-key-id"]) == 0 {
					plain = append(plain, fmt.Sprintf("%q/%q", md[converter.MetadataEncoding], md["encryption-key-id"]))
				}
			}
			return ps, nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(plain) > 0 {
		t.Errorf("history %s: %d of %d payloads are not encrypted (encoding/key ID: %s)", key, len(plain), n, strings.Join(plain, " "))
	}
	return n
}

// assertFailuresEncoded checks every failure hcaops wrote (application and cancellation
// failures, and their causes): message and stack trace travel encrypted, so the stored
// message is the SDK's placeholder. Failures the server writes itself (timeouts,
// terminations) carry its own texts. It returns how many it checked.
func assertFailuresEncoded(t *testing.T, key string, h *historypb.History) int {
	t.Helper()
	n := 0
	var walk func(m protoreflect.Message)
	walk = func(m protoreflect.Message) {
		if f, ok := m.Interface().(*failurepb.Failure); ok && (f.GetApplicationFailureInfo() != nil || f.GetCanceledFailureInfo() != nil) {
			n++
			if f.GetMessage() != "Encoded failure" || f.GetStackTrace() != "" || f.GetEncodedAttributes() == nil {
				t.Errorf("history %s: failure %q (stack %d bytes) is not encoded", key, f.GetMessage(), len(f.GetStackTrace()))
			}
		}
		m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
			switch {
			case fd.IsList() && fd.Message() != nil:
				for i := range v.List().Len() {
					walk(v.List().Get(i).Message())
				}
			case fd.IsMap() && fd.MapValue().Message() != nil:
				v.Map().Range(func(_ protoreflect.MapKey, mv protoreflect.Value) bool { walk(mv.Message()); return true })
			case fd.Message() != nil && !fd.IsMap():
				walk(v.Message())
			}
			return true
		})
	}
	walk(h.ProtoReflect())
	return n
}

// assertSearchAttributesPlain: search attributes are indexed by the server, so they are
// never encrypted: each must decode with no key at all, and none may hold PII.
func assertSearchAttributesPlain(t *testing.T, pages []*workflowservice.ListWorkflowExecutionsResponse, planted []string) {
	t.Helper()
	keyless := converter.GetDefaultDataConverter()
	seen := 0
	for _, page := range pages {
		for _, e := range page.GetExecutions() {
			for name, p := range e.GetSearchAttributes().GetIndexedFields() {
				seen++
				var v any
				if err := keyless.FromPayload(p, &v); err != nil || strings.HasPrefix(string(p.GetMetadata()[converter.MetadataEncoding]), "binary/encrypted") {
					t.Errorf("search attribute %s of %s is not plain JSON: %v", name, e.GetExecution().GetWorkflowId(), err)
				}
				text := fmt.Sprint(v)
				for _, pii := range planted {
					if strings.Contains(text, pii) {
						t.Errorf("search attribute %s of %s holds the PII value %q", name, e.GetExecution().GetWorkflowId(), pii)
					}
				}
			}
		}
	}
	if seen == 0 {
		t.Fatal("no search attributes listed")
	}
}

type codecProcess struct {
	url, token string
	logs       *syncBuffer
}

// startCodecServer runs the codecserver program with this run's keys and one operator.
func startCodecServer(t *testing.T) codecProcess {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	tokenOut, err := exec.Command(env.bin+"/codecserver", "new-token", "it-ops").Output()
	if err != nil {
		t.Fatal(err)
	}
	entry := strings.TrimSpace(string(tokenOut))
	c := codecProcess{url: "http://" + addr, token: strings.TrimPrefix(entry, "it-ops:"), logs: &syncBuffer{}}
	cmd := exec.Command(env.bin + "/codecserver")
	cmd.Env = append(os.Environ(), "HCAOPS_PAYLOAD_KEYS="+env.keys, "HCAOPS_CODEC_TOKENS="+entry, "HCAOPS_CODEC_ADDR="+addr,
		"HCAOPS_CODEC_NAMESPACES="+env.namespace)
	cmd.Stdout, cmd.Stderr = c.logs, c.logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	eventually(t, 10*time.Second, "the codec server answers /healthz", func() bool {
		resp, err := http.Get(c.url + "/healthz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	return c
}

// decode posts payloads to /decode as the UI and the CLI do, and returns the decoded
// payloads' encodings and data as text (or the answer's body when refused).
func (c codecProcess) decode(t *testing.T, payloads *commonpb.Payloads, auth string) (string, int) {
	t.Helper()
	body, err := protojson.Marshal(payloads)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, c.url+"/decode", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Namespace", env.namespace)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return string(answer), resp.StatusCode
	}
	var out commonpb.Payloads
	if err := protojson.Unmarshal(answer, &out); err != nil {
		t.Fatalf("decode answered %q: %v", answer, err)
	}
	var text strings.Builder
	for _, p := range out.GetPayloads() {
		fmt.Fprintf(&text, "%s %s\n", p.GetMetadata()[converter.MetadataEncoding], p.GetData())
	}
	return text.String(), resp.StatusCode
}

// replay runs a stored history through a replayer with the given key ring, as a worker
// does when it rebuilds a workflow.
func replay(h *historypb.History, ring string) error {
	r, err := payloadcodec.ParseKeyRing(ring, "test ring")
	if err != nil {
		return err
	}
	codec := payloadcodec.New(r, payloadcodec.PlaintextRead)
	rep, err := worker.NewWorkflowReplayerWithOptions(worker.WorkflowReplayerOptions{
		DataConverter: codec.DataConverter(), FailureConverter: codec.FailureConverter(),
	})
	if err != nil {
		return err
	}
	rep.RegisterWorkflow(workflows.SubmissionWorkflow)
	return rep.ReplayWorkflowHistory(nil, proto.Clone(h).(*historypb.History))
}

func withoutVar(environ []string, name string) []string {
	var out []string
	for _, kv := range environ {
		if !strings.HasPrefix(kv, name+"=") {
			out = append(out, kv)
		}
	}
	return out
}

// withPayloadData appends to the CLI's JSON output the base64 "data" fields it holds,
// decoded, so that a search sees payloads as they are, not in base64.
func withPayloadData(out string) string {
	var all strings.Builder
	all.WriteString(out)
	for _, m := range payloadData.FindAllStringSubmatch(out, -1) {
		if b, err := base64.StdEncoding.DecodeString(m[1]); err == nil {
			all.WriteString("\n")
			all.Write(b)
		}
	}
	return all.String()
}

var payloadData = regexp.MustCompile(`"data":\s*"([A-Za-z0-9+/=]*)"`)

// temporalCLI is the Temporal CLI of the run, where startServer finds it.
func temporalCLI(t *testing.T) string {
	t.Helper()
	cli := os.Getenv("HCAOPS_TEMPORAL_CLI")
	if cli == "" {
		cli = "../bin/temporal"
	}
	cli, _ = filepath.Abs(cli)
	if _, err := os.Stat(cli); err != nil {
		t.Fatalf("the Temporal CLI is missing at %s: run `make test`, which installs it", cli)
	}
	return cli
}

func filesOf(t *testing.T, dir string) string {
	t.Helper()
	var all strings.Builder
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		all.Write(b)
		return err
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return all.String()
}

func jsonOf(t *testing.T, vs ...any) string {
	t.Helper()
	b, err := json.Marshal(vs)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func mustMarshal(t *testing.T, m any) []byte {
	t.Helper()
	switch v := m.(type) {
	case proto.Message:
		b, err := proto.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return b
	case []*workflowservice.ListWorkflowExecutionsResponse:
		var all []byte
		for _, page := range v {
			all = append(all, mustMarshal(t, page)...)
		}
		return all
	}
	t.Fatalf("cannot marshal %T", m)
	return nil
}
