# hcaops: `make run` brings the whole system up locally; `make test` runs every test.
# Everything either needs is installed here, into ./bin, from the Go module proxy.

TEMPORAL_CLI_VERSION := v1.5.1
# The real cluster (make cluster): server and its sql tool, and the standalone UI. Both
# binaries are called `server`, so each lives in a folder of its own.
TEMPORAL_SERVER_VERSION := v1.29.1
UI_SERVER_VERSION := v2.42.1
BIN := $(CURDIR)/bin
TEMPORAL := $(BIN)/temporal
TEMPORAL_SERVER := $(BIN)/temporal-server/server
TEMPORAL_SQL := $(BIN)/temporal-server/sql
UI_SERVER := $(BIN)/ui/server
PROGRAMS := worker starter ticketctl esctl reportctl whatif fakes codecserver

.PHONY: run test build clean-data vet workflowcheck bench bench-scale cluster cluster-stop test-cluster compose-config compose-secrets

run: $(TEMPORAL) $(UI_SERVER) build
	./scripts/run.sh

test: $(TEMPORAL) workflowcheck
	HCAOPS_TEMPORAL_CLI=$(TEMPORAL) go test -count=1 ./...

# Figures, not assertions: the ticket against the bare workflow and its floors (history
# events, action p50/p95 at 1 and 16 operators), operator latency on a real dev server,
# calendar arithmetic, the streaming ES report parser, reconciling a million-row report beside
# parsing it, what payload encryption adds per payload size, and how many desk calls deep a
# mirrored transition is (bench/README.md keeps the latest figures).
bench: $(TEMPORAL)
	HCAOPS_TEMPORAL_CLI=$(TEMPORAL) go test -run '^$$' -bench TicketAgainstBare -benchtime 1x ./integration/
	HCAOPS_TEMPORAL_CLI=$(TEMPORAL) go test -run '^$$' -bench TicketLifecycle -benchtime 3s ./integration/
	go test -run '^$$' -bench . -benchtime 3s ./sla/ ./enrollment/ ./reconcile/ ./report/ ./internal/payloadcodec/
	go test -run '^$$' -bench MirrorTransition -benchtime 2000x ./activities/

# Many open tickets (issue 9): start rate, backlog, actions at 1,000 and at N, the worker's
# heap and goroutines, bytes per cached ticket. `make bench-scale N=100000`; set
# HCAOPS_SCALE_TEMPORAL_ADDRESS to measure against a running server instead of a dev server.
N ?= 10000
bench-scale: $(TEMPORAL)
	HCAOPS_SCALE_N=$(N) HCAOPS_TEMPORAL_CLI=$(TEMPORAL) go test -run '^$$' -bench Scale -benchtime 1x -timeout 3h ./bench/scale/

# Static determinism check of the workflow code (no I/O, wall clock, goroutines, map ranges).
workflowcheck:
	go run go.temporal.io/sdk/contrib/tools/workflowcheck@v0.6.0 ./workflows/

build:
	@mkdir -p $(BIN)
	go build -o $(BIN)/ $(addprefix ./,$(PROGRAMS))

vet:
	go vet ./...

# The Temporal CLI carries the dev server and the Web UI; v1.5.1 is the last release
# that `go install` can build (later ones use replace directives).
$(TEMPORAL):
	@mkdir -p $(BIN)
	@echo "installing the Temporal CLI $(TEMPORAL_CLI_VERSION) into $(BIN) (about 2 minutes the first time)"
	GOBIN=$(BIN) go install github.com/temporalio/cli/cmd/temporal@$(TEMPORAL_CLI_VERSION)

# hcaops on a real Temporal cluster: PostgreSQL, the server with 4 history shards, the
# codec server and the standalone UI wired to it, two workers and the fakes, all with the
# payload keys made once in data/cluster/secrets (scripts/cluster.sh; README "Production").
# DEMO=1 also opens the demo tickets and submissions.
cluster: $(TEMPORAL) $(TEMPORAL_SERVER) $(TEMPORAL_SQL) $(UI_SERVER) build
	TEMPORAL_SERVER_VERSION=$(TEMPORAL_SERVER_VERSION) UI_SERVER_VERSION=$(UI_SERVER_VERSION) ./scripts/cluster.sh start

cluster-stop:
	./scripts/cluster.sh stop

# The integration suite against a running server (by default the one `make cluster` runs),
# in a namespace of its own.
test-cluster:
	HCAOPS_TEST_TEMPORAL_ADDRESS=$${HCAOPS_TEST_TEMPORAL_ADDRESS:-127.0.0.1:7233} go test -count=1 ./integration/

# Validates docker-compose.yml (both the production shape and the demo profile).
compose-config:
	@command -v docker-compose >/dev/null || { echo "docker-compose is not installed (apt-get install docker-compose)" >&2; exit 1; }
	docker-compose -f docker-compose.yml config -q
	docker-compose -f docker-compose.yml --profile demo config -q
	@echo "docker-compose.yml is valid"

# The secrets docker-compose.yml reads (payload keys, the codec server's operator tokens),
# made once with the codec server's own generators; deploy/secrets/ is never committed.
# An existing file is kept: the keys must outlive every history they encrypted. Compose
# bind-mounts a file secret with its host owner and mode (uid, gid and mode apply only in
# Swarm), and the containers run as nonroot: the files are readable (644), and the folder
# (700) is what keeps other users of the host out.
compose-secrets: build
	@mkdir -p deploy/secrets && chmod 700 deploy/secrets
	@test -s deploy/secrets/payload-keys || (umask 077; { echo "# hcaops payload keys (KEYID:BASE64); the first encrypts, the others only decrypt"; \
	  $(BIN)/codecserver new-key compose-$$(date +%Y%m%d); } >deploy/secrets/payload-keys)
	@test -s deploy/secrets/codec-tokens || (umask 077; { echo "# operators who may decode payloads (NAME:TOKEN)"; \
	  $(BIN)/codecserver new-token operator; } >deploy/secrets/codec-tokens)
	@chmod 644 deploy/secrets/payload-keys deploy/secrets/codec-tokens
	@echo "deploy/secrets/payload-keys and deploy/secrets/codec-tokens are ready (never commit them)"

$(TEMPORAL_SERVER) $(TEMPORAL_SQL):
	@mkdir -p $(BIN)/temporal-server
	@echo "installing the Temporal server $(TEMPORAL_SERVER_VERSION) and its sql tool into $(BIN)/temporal-server (about 3 minutes the first time)"
	GOBIN=$(BIN)/temporal-server go install go.temporal.io/server/cmd/server@$(TEMPORAL_SERVER_VERSION) go.temporal.io/server/cmd/tools/sql@$(TEMPORAL_SERVER_VERSION)

# The standalone Temporal UI (the one the CLI embeds), which can send the browser's cookies
# to the codec server. Its binary is also called `server`, hence a folder of its own.
$(UI_SERVER):
	@mkdir -p $(BIN)/ui
	@echo "installing the Temporal UI server $(UI_SERVER_VERSION) into $(BIN)/ui (about 2 minutes the first time)"
	GOBIN=$(BIN)/ui go install github.com/temporalio/ui-server/v2/cmd/server@$(UI_SERVER_VERSION)

# Forget every ticket of the local run.
clean-data:
	rm -rf data
