#!/usr/bin/env bash
# Opens the demo tickets and moves them to different states. Run once per data folder:
# when the tickets already exist (a restart), it leaves them as they are.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$PWD/bin
ctl() { "$BIN/ticketctl" "$@" -actor demo >/dev/null; }

out=$("$BIN/starter" -file demo/tickets.json)
echo "$out"
if grep -q "already open" <<<"$out"; then
  echo "demo tickets exist already (data/ kept them); not acting on them again"
  exit 0
fi
ctl escalate HRC-DEMO-2 -m "several callers: the form will not submit"
ctl escalate HRC-DEMO-3
ctl start-fix HRC-DEMO-3 -m "reproduced: the save button fails on mobile Safari"
ctl escalate HRC-DEMO-4
ctl route-to-es HRC-DEMO-4 -m "submission reached ES and was rejected there"
ctl escalate HRC-DEMO-5
ctl start-fix HRC-DEMO-5
ctl hold HRC-DEMO-5 -reason awaiting-caller -m "asked the caller for the browser version"
ctl resolve HRC-DEMO-6 -m "walked the caller through signing in"
ctl escalate HRC-DEMO-7
ctl cancel HRC-DEMO-7 -reason duplicate -duplicate-of HRC-DEMO-3 -m "same mobile Safari problem"
echo "demo tickets moved: New, Triage, In Progress, Awaiting ES, On Hold, Resolved, Cancelled"

# The ES side: six va.gov 10-10EZ forms. ES refuses one (a validation fault), leaves one
# stuck in processing, and loses its answer to one after making the record (that one is
# sent again and flagged as a possible duplicate); the daily report drops one of vets.gov's
# rows (missing: ESRECON) and lists one ES got through another channel (counted, not a
# discrepancy). A file with one bad form submits nothing:
"$BIN/starter" -applications demo/applications-invalid.json 2>&1 | sed 's/^/  (expected) /' || true
curl -fsS -X POST 127.0.0.1:8052/_fake/faults \
  -d '{"validationFault": 1, "stuckInProcessing": 1, "answerLost": 1, "reportDrop": 1, "reportExtra": 1}' >/dev/null
"$BIN/starter" -applications demo/applications.json
echo "waiting for ES to process the demo submissions..."
for _ in $(seq 1 60); do
  running=$("$BIN/temporal" workflow count --address "$TEMPORAL_ADDRESS" \
    --query "WorkflowType='SubmissionWorkflow' AND ExecutionStatus='Running'" | awk '{print $NF}')
  [ "${running:-9}" -le 1 ] && break   # the stuck one keeps running
  sleep 1
done
"$BIN/esctl" report run today
"$BIN/esctl" agenda run
