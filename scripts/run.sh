#!/usr/bin/env bash
# The local run: Temporal dev server (tickets kept in data/temporal.db across restarts), the
# standalone Temporal UI wired to the codec server, the fake SDM, Dynamics and ES, the
# worker, and demo tickets in several states. Every payload is encrypted with the keys in
# data/payload-keys (made on first use); an operator signs in at the codec server to read
# them in the UI. Ctrl-C stops everything this script started.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$PWD/bin
DATA=$PWD/data
mkdir -p "$DATA/logs"

export TEMPORAL_ADDRESS=${TEMPORAL_ADDRESS:-127.0.0.1:7233}
export HCAOPS_UI_URL=${HCAOPS_UI_URL:-http://localhost:8233}
export HCAOPS_TICKETING=${HCAOPS_TICKETING:-sdm}
export SDM_URL=${SDM_URL:-http://127.0.0.1:8050}
export DYNAMICS_URL=${DYNAMICS_URL:-http://127.0.0.1:8051}
export DYNAMICS_TOKEN_URL=${DYNAMICS_TOKEN_URL:-http://127.0.0.1:8051/oauth2/v2.0/token}
export HCAOPS_HEALTH_ADDR=${HCAOPS_HEALTH_ADDR:-127.0.0.1:8081}
export ES_URL=${ES_URL:-http://127.0.0.1:8052/voa/voaSvc}
export HCAOPS_REPORTS_DIR=${HCAOPS_REPORTS_DIR:-$DATA/reports}
export HCAOPS_CONNECTIVITY_EVERY=${HCAOPS_CONNECTIVITY_EVERY:-30s}
# Staff notices go by email to the local relay (bin/fakes, go-smtp), which keeps them.
export HCAOPS_SMTP_ADDR=${HCAOPS_SMTP_ADDR:-127.0.0.1:2525}
export HCAOPS_SMTP_STARTTLS=${HCAOPS_SMTP_STARTTLS:-false}
export HCAOPS_DIRECTORY=${HCAOPS_DIRECTORY:-$PWD/demo/directory.txt}
# Both desks, as during the move to Dynamics: new tickets go to SDM, each ticket's mirror
# to the desk of its incident, and both are polled every 5 seconds for new incidents and
# people's changes. The fake SDM is a strict site; these are what it requires.
export HCAOPS_DESKS=${HCAOPS_DESKS:-sdm,dynamics}
export HCAOPS_DESK_POLL_EVERY=${HCAOPS_DESK_POLL_EVERY:-5s}
export HCAOPS_INTAKE_GROUP=${HCAOPS_INTAKE_GROUP:-HRC Tier 1}
export HCAOPS_INTAKE_CATEGORY=${HCAOPS_INTAKE_CATEGORY:-10-10EZ}
export SDM_CUSTOMER=${SDM_CUSTOMER:-Caller, HCA}
export SDM_CATEGORY=${SDM_CATEGORY:-10-10EZ}
export SDM_URGENCY=${SDM_URGENCY:-2}
export SDM_IMPACT=${SDM_IMPACT:-5}
# Demo service clocks: a day of the policy passes in a minute (Urgent breaches in 2 minutes,
# a resolved ticket closes after 7), acknowledgement counts every hour so the demo moves
# at night too, and the ES side (retries, status checks, report deadline) speeds up alike.
# ES connectivity is checked every 30 seconds. Unset these for real targets.
export HCAOPS_SLA_SCALE=${HCAOPS_SLA_SCALE:-1440}
export HCAOPS_SLA_ACKNOWLEDGE_CALENDAR=${HCAOPS_SLA_ACKNOWLEDGE_CALENDAR:-calendar}

# Payload keys and the operator token of the local run, made on first use and kept with the
# data they protect (data/ is never committed). Losing payload-keys makes data/temporal.db
# unreadable: `make clean-data` forgets both.
(
  umask 077
  if [ ! -s "$DATA/payload-keys" ]; then
    { echo "# hcaops payload keys (KEYID:BASE64); the first encrypts, the others only decrypt"
      "$BIN/codecserver" new-key "local-$(date +%Y%m%d)"; } >"$DATA/payload-keys"
  fi
  if [ ! -s "$DATA/codec-tokens" ]; then
    { echo "# operators who may decode payloads (NAME:TOKEN)"
      "$BIN/codecserver" new-token operator; } >"$DATA/codec-tokens"
  fi
)
if [ -z "${HCAOPS_PAYLOAD_KEYS:-}" ]; then
  export HCAOPS_PAYLOAD_KEYS_FILE=${HCAOPS_PAYLOAD_KEYS_FILE:-$DATA/payload-keys}
fi
export HCAOPS_CODEC_TOKENS_FILE=${HCAOPS_CODEC_TOKENS_FILE:-$DATA/codec-tokens}
export HCAOPS_CODEC_ADDR=${HCAOPS_CODEC_ADDR:-127.0.0.1:8089}
# The UI and the codec server share the host name localhost (ports may differ): the session
# cookie is SameSite=Strict, and localhost and 127.0.0.1 are different sites to a browser.
export HCAOPS_CODEC_URL=${HCAOPS_CODEC_URL:-http://localhost:8089}
export HCAOPS_CODEC_ORIGINS=${HCAOPS_CODEC_ORIGINS:-$HCAOPS_UI_URL}
export HCAOPS_UI_PORT=${HCAOPS_UI_PORT:-8233}
token=$(grep -v '^#' "$HCAOPS_CODEC_TOKENS_FILE" | head -n 1 | cut -d: -f2-)

pids=()
cleanup() {
  trap - INT TERM EXIT
  echo
  echo "stopping: ${pids[*]:-nothing}"
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap 'cleanup; exit 130' INT TERM
trap cleanup EXIT

for port in 7233 8233 8050 8051 8052 8053 2525 8081 8089; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "port $port is already in use: stop whatever holds it (another make run?) and try again" >&2
    exit 1
  fi
done

sa=()
for kv in TicketStatus=Keyword TicketTier=Keyword TicketPriority=Keyword TicketChannel=Keyword \
          TicketProduct=Keyword TicketRef=Keyword SLABreached=Bool SLADueAt=Datetime \
          SubmissionStatus=Keyword FormSubmissionID=Int SubmittedDate=Keyword \
          SubmissionOutcomeUnknown=Bool SubmissionOutcomeUnknownDates=KeywordList; do
  sa+=(--search-attribute "$kv")
done
# Headless: the embedded UI cannot send credentials to the codec server; the standalone UI
# below can (codec.includeCredentials in deploy/ui/hcaops.yaml).
"$BIN/temporal" server start-dev --db-filename "$DATA/temporal.db" --port 7233 --headless \
  --ip 127.0.0.1 --log-level warn "${sa[@]}" >"$DATA/logs/temporal.log" 2>&1 &
pids+=($!)
"$BIN/codecserver" >"$DATA/logs/codecserver.log" 2>&1 &
pids+=($!)
"$BIN/fakes" >"$DATA/logs/fakes.log" 2>&1 &
pids+=($!)

wait_for() { # name, command...
  local name=$1; shift
  for _ in $(seq 1 120); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  echo "$name did not come up; see $DATA/logs" >&2
  exit 1
}
wait_for "Temporal" "$BIN/temporal" operator cluster health --address "$TEMPORAL_ADDRESS"
# Reports are read from closed runs, which the dev server forgets after a day: keep them
# for a quarter, so esctl report show and roll-ups reach back as far as reporting does.
"$BIN/temporal" operator namespace update --address "$TEMPORAL_ADDRESS" -n default --retention 90d >/dev/null
"$BIN/ui/server" --root deploy/ui --config . --env hcaops start >"$DATA/logs/ui.log" 2>&1 &
pids+=($!)
wait_for "codec server" curl -fsS "http://$HCAOPS_CODEC_ADDR/healthz"
"$BIN/worker" >"$DATA/logs/worker.log" 2>&1 &
pids+=($!)
wait_for "worker" curl -fsS "http://$HCAOPS_HEALTH_ADDR/healthz"
wait_for "Temporal UI" curl -fsS "http://127.0.0.1:$HCAOPS_UI_PORT/"

./scripts/demo.sh

# The service report of the demo's day (its tickets were opened just now), from Temporal.
today=$(TZ=America/New_York date +%F)
SERVICE_REPORT=$HCAOPS_REPORTS_DIR/service-report-$today.html
"$BIN/reportctl" service -from "$today" -to "$today" -o "$SERVICE_REPORT" || echo "the service report failed; see above" >&2

cat <<TXT

hcaops is running. Every payload in Temporal is encrypted (keys: $DATA/payload-keys).
  Temporal UI      $HCAOPS_UI_URL/namespaces/default/workflows   (ciphertext until you sign in)
  sign in          $HCAOPS_CODEC_URL/signin   with the operator token: $token
                   (then reload the UI in the same browser: inputs, results and errors are decoded)
  codec server     $HCAOPS_CODEC_URL   (tokens: $HCAOPS_CODEC_TOKENS_FILE)
  fake SDM         $SDM_URL/caisd-rest/_fake/incidents   (what the system of record received)
  fake Dynamics    $DYNAMICS_URL/_fake/incidents
  fake ES          http://127.0.0.1:8052/_fake/submissions  and  /_fake/faults
  mail relay       smtp://$HCAOPS_SMTP_ADDR; what it received: http://127.0.0.1:8053/_fake/mail
  report copies    $HCAOPS_REPORTS_DIR/   (esctl reads reports through Temporal, from any terminal)
  worker health    http://$HCAOPS_HEALTH_ADDR/healthz
  logs             $DATA/logs/

Try, in another terminal (service clocks run a day per minute in this demo). The programs
need the payload keys:
  export HCAOPS_PAYLOAD_KEYS_FILE=$HCAOPS_PAYLOAD_KEYS_FILE
  bin/ticketctl list
  bin/ticketctl show HRC-DEMO-2
  bin/ticketctl acknowledge HRC-DEMO-2 -actor you
  bin/ticketctl route-to-es HRC-DEMO-2 -actor you -m "ES rejects the form: not vets.gov code"
  bin/ticketctl resolve HRC-DEMO-1 -actor you          # refused: a comment is required
  bin/ticketctl list -breached
  curl -s 127.0.0.1:8053/_fake/mail                    # staff notices sent (a breach: one email per recipient)
  curl -s '127.0.0.1:8053/_fake/mail?to=hca-pm@va.example.gov'   # what the product manager received
  bin/starter -ref HRC-MINE-1 -channel phone -priority High -summary "Cannot upload DD214" -reporter you
  bin/ticketctl note HRC-DEMO-3 -actor you -m "caller sent a screenshot"

The service desk is an interface too. An HRC agent logs a call in SDM (one curl); within a
poll (5 s) it is a ticket whose reference is SDM- and the incident's number (ref_num in the answer):
  curl -s -X POST $SDM_URL/caisd-rest/_fake/as/hrc-agent-1/in -H 'X-Obj-Attrs: ref_num' -d '{"in":{"summary":"Caller cannot get past the insurance page","group":{"@COMMON_NAME":"HRC Tier 1"},"category":{"@COMMON_NAME":"10-10EZ"},"customer":{"@COMMON_NAME":"Caller, HCA"},"urgency":{"@REL_ATTR":"2"},"impact":{"@REL_ATTR":"5"},"priority":{"@COMMON_NAME":"3"}}}'
  bin/ticketctl list                       # SDM-HRC00NN, opened by sdm:hrc-agent-1
People change the incident in SDM (ID is the answer's @id, e.g. 400012); each change moves the ticket:
  curl -s -X PUT $SDM_URL/caisd-rest/_fake/as/vets-eng-1/in/ID -d '{"in":{"group":{"@COMMON_NAME":"vets.gov"}}}'       # escalate
  curl -s -X PUT $SDM_URL/caisd-rest/_fake/as/vets-eng-1/in/ID -d '{"in":{"status":{"@REL_ATTR":"WIP"}}}'              # start-fix
  curl -s -X PUT $SDM_URL/caisd-rest/_fake/as/vets-eng-1/in/ID -d '{"in":{"status":{"@REL_ATTR":"RE"}}}'               # refused: no comment
  curl -s -X POST $SDM_URL/caisd-rest/_fake/as/vets-eng-1/alg -d '{"alg":{"call_req_id":{"@REL_ATTR":"cr:ID"},"type":{"@REL_ATTR":"LOG"},"description":"fixed"}}'
  bin/ticketctl show SDM-HRC00NN           # the timeline; a refusal is explained on the incident and undone there
Move the open tickets to Dynamics (each keeps mirroring to SDM until it has moved):
  bin/ticketctl migrate-desk -to dynamics -dry-run
  bin/ticketctl migrate-desk -to dynamics
  curl -s $DYNAMICS_URL/_fake/incidents    # the cases, with the timelines as notes

The Enrollment System side:
  bin/esctl submission 5eed0000-0000-4000-8000-000000000002   # attempts, ES status, ticket
  curl 127.0.0.1:8052/_fake/submissions    # what ES holds (the lost answer left one record more)
  # possible duplicates, in the UI or: bin/temporal workflow list --query "SubmissionOutcomeUnknown = true"
  bin/esctl schedules                      # daily report, call agenda, connectivity checks
  bin/esctl report show $(TZ=America/New_York date +%F)   # today's reconciliation (the demo ran it)
  bin/esctl report rollup -period weekly
  bin/esctl agenda show                    # the agenda of the next ES call (its date is in the title)
  bin/esctl call record CALL-DATE HRC-DEMO-4=working:"ES is on it" ESRECON-...=needs-info:"which rows?"
  bin/esctl connectivity
  curl -X POST 127.0.0.1:8052/_fake/faults -d '{"healthDown": true}'   # an ES outage: one incident
  curl -X POST 127.0.0.1:8052/_fake/faults -d '{"healthDown": false}'  # recovery resolves it

Reports (data read from Temporal; the weekly one is mailed to the product manager, Mondays 07:00):
  $SERVICE_REPORT   (open it in a browser: charts inline, works offline)
  bin/reportctl service -from $today -to $today -o report.html   # again, later: the demo's clocks move on
  bin/reportctl service -from $today -to $today -format csv      # or json, text
  bin/reportctl send -from $today -to $today                     # what the weekly schedule sends
What-if on the service targets (replays traffic through the real ticket workflow):
  bin/whatif generate -from 2026-01-05 -weeks 13 -tickets 10000 -o data/traffic.csv
  echo '{"resolution": {"Urgent": "24h", "High": "5d"}}' > data/proposed.json
  bin/whatif run -policy data/proposed.json -traffic data/traffic.csv
  echo '{"resolution": {"Urgent": "1m"}}' > data/proposed-demo.json    # the demo's targets run a day per minute
  bin/whatif run -policy data/proposed-demo.json -from $today -to $today   # the demo's own tickets

Reading history from the command line (the CLI decodes through the codec server too):
  bin/temporal workflow show -w ticket-HRC-DEMO-2 --detailed        # ciphertext
  bin/temporal workflow show -w ticket-HRC-DEMO-2 --detailed --codec-endpoint $HCAOPS_CODEC_URL \\
      --codec-auth "Bearer $token"     # decoded

Ctrl-C stops everything.
TXT
st=0
wait -n -p gone "${pids[@]}" || st=$?
# Ctrl-C reaches every component as well, and each stops cleanly (0) or by the signal
# (130, 143), sometimes before this script runs its trap: only a failure is news.
case $st in
  0 | 130 | 143) ;;
  *) echo "a component failed (pid ${gone:-?}, exit $st); see $DATA/logs" >&2 ;;
esac
