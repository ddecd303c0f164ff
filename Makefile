# hcaops: `make run` brings the whole system up locally; `make test` runs every test.
# Everything either needs is installed here, into ./bin, from the Go module proxy.

TEMPORAL_CLI_VERSION := v1.5.1
BIN := $(CURDIR)/bin
TEMPORAL := $(BIN)/temporal
PROGRAMS := worker starter ticketctl esctl reportctl whatif fakes

.PHONY: run test build clean-data vet workflowcheck bench

run: $(TEMPORAL) build
	./scripts/run.sh

test: $(TEMPORAL) workflowcheck
	HCAOPS_TEMPORAL_CLI=$(TEMPORAL) go test -count=1 ./...

# Figures, not assertions: operator latency on a real dev server, calendar arithmetic,
# the streaming ES report parser, and reconciling a million-row report beside parsing it
# (bench/README.md keeps the latest figures).
bench: $(TEMPORAL)
	HCAOPS_TEMPORAL_CLI=$(TEMPORAL) go test -run '^$$' -bench . -benchtime 3s ./integration/ ./sla/ ./enrollment/ ./reconcile/ ./report/

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

# Forget every ticket of the local run.
clean-data:
	rm -rf data
