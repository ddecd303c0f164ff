#!/usr/bin/env bash
# `make cluster`: hcaops on a real Temporal cluster, the shape of production on one machine.
# PostgreSQL (data/cluster/postgres), the Temporal server with 4 history shards on it, the
# standalone Temporal UI wired to the codec server, the fake systems of record and ES, and two
# workers. Every payload is encrypted with the key ring in data/cluster/secrets (made once,
# like the operator token): the workers, the codec server and the commands it prints use
# that one ring. Ctrl-C, or `make cluster-stop` from another terminal, stops what this
# started. Running it again reuses the data: schemas already applied are left alone.
#
#   scripts/cluster.sh start   (what `make cluster` runs; stays in the foreground)
#   scripts/cluster.sh stop    (what `make cluster-stop` runs)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=$ROOT/bin
DATA=$ROOT/data/cluster
LOGS=$DATA/logs
RUN=$DATA/run
SERVER_VERSION=${TEMPORAL_SERVER_VERSION:-v1.29.1}
# Every port moves by HCAOPS_CLUSTER_PORT_OFFSET (default 0), so a cluster can run beside
# `make run` or another cluster: with 10000, the frontend is 17233 and the UI 18080.
OFF=${HCAOPS_CLUSTER_PORT_OFFSET:-0}
p() { echo $(($1 + OFF)); }
PG_PORT=${HCAOPS_CLUSTER_PG_PORT:-$(p 5433)}
PG_USER=temporal
PG_PASSWORD=${HCAOPS_CLUSTER_PG_PASSWORD:-temporal}
FRONTEND=127.0.0.1:$(p 7233)
SERVER_PORTS=(FRONTEND_GRPC_PORT=$(p 7233) FRONTEND_HTTP_PORT=$(p 7243) FRONTEND_MEMBERSHIP_PORT=$(p 6933)
  HISTORY_GRPC_PORT=$(p 7234) HISTORY_MEMBERSHIP_PORT=$(p 6934) MATCHING_GRPC_PORT=$(p 7235)
  MATCHING_MEMBERSHIP_PORT=$(p 6935) WORKER_GRPC_PORT=$(p 7239) WORKER_MEMBERSHIP_PORT=$(p 6939))
SERVER_METRICS=127.0.0.1:$(p 8000)
UI_PORT=$(p 8080)
UI_URL=http://localhost:$UI_PORT
CODEC_ADDR=127.0.0.1:$(p 8089)
# The UI and the codec server share the host name localhost: the sign-in cookie is
# SameSite=Strict, and localhost and 127.0.0.1 are different sites to a browser.
CODEC_URL=http://localhost:$(p 8089)
SECRETS=$DATA/secrets
SDM_ADDR=127.0.0.1:$(p 8050)
DYNAMICS_ADDR=127.0.0.1:$(p 8051)
ES_ADDR=127.0.0.1:$(p 8052)
MAIL_ADDR=127.0.0.1:$(p 2525)
MAIL_HTTP=127.0.0.1:$(p 8053)
WORKER_ADDRS=(127.0.0.1:$(p 8081) 127.0.0.1:$(p 8082))

log() { echo "cluster: $*"; }
die() { echo "cluster: $*" >&2; exit 1; }

# ---------------------------------------------------------------- stopping
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

stop_all() {
  local f p
  # Reverse start order: workers first, the database last.
  for f in $(ls -1 "$RUN"/*.pid 2>/dev/null | sort -r); do
    if alive "$f"; then
      p=$(cat "$f")
      log "stopping $(basename "$f" .pid) (pid $p)"
      kill "$p" 2>/dev/null || true
      for _ in $(seq 1 150); do kill -0 "$p" 2>/dev/null || break; sleep 0.2; done
      kill -0 "$p" 2>/dev/null && kill -9 "$p" 2>/dev/null || true
    fi
    rm -f "$f"
  done
  if [ -f "$RUN/postgres.started" ]; then
    pg_stop
    rm -f "$RUN/postgres.started"
  fi
}

# ---------------------------------------------------------------- PostgreSQL
PG_BIN=""
find_postgres() {
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
    [ "$(id -u)" = 0 ] || die "PostgreSQL is not installed: install Debian's postgresql package (apt-get install postgresql) and run again"
    log "installing PostgreSQL from Debian's packages"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  fi
}

# pg runs a PostgreSQL program as the owner of the data: PostgreSQL refuses to run as root.
pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

PGDATA=$DATA/postgres
pg_stop() {
  find_postgres
  pg "$PG_BIN/pg_ctl" -D "$PGDATA" -m fast stop >/dev/null 2>&1 && log "PostgreSQL stopped" || true
}

start_postgres() {
  find_postgres
  if [ "$(id -u)" = 0 ] && [ ! -e "$PGDATA" ] && ! runuser -u postgres -- test -x "$DATA"; then
    # The postgres user cannot reach this checkout (e.g. under /root): keep the data in
    # PostgreSQL's own folder and link it here.
    local elsewhere=/var/lib/postgresql/hcaops-$(echo "$ROOT" | md5sum | cut -c1-12)
    mkdir -p "$elsewhere" && chown postgres "$elsewhere"
    ln -s "$elsewhere" "$PGDATA"
  fi
  if [ ! -f "$PGDATA/PG_VERSION" ]; then
    log "creating the database cluster in $PGDATA"
    mkdir -p "$PGDATA"
    [ "$(id -u)" = 0 ] && chown postgres "$PGDATA"/. && chmod 700 "$PGDATA"/.
    local pw
    pw=$(mktemp) && printf '%s\n' "$PG_PASSWORD" >"$pw" && chmod 644 "$pw"
    pg "$PG_BIN/initdb" -D "$PGDATA" -U "$PG_USER" --pwfile="$pw" --auth=scram-sha-256 -E UTF8 \
      --locale=C.UTF-8 >"$LOGS/initdb.log" 2>&1 || { rm -f "$pw"; die "initdb failed; see $LOGS/initdb.log"; }
    rm -f "$pw"
  fi
  if pg "$PG_BIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
    log "PostgreSQL already running on 127.0.0.1:$PG_PORT (left running)"
    return
  fi
  port_free "$PG_PORT" || die "port $PG_PORT is taken: set HCAOPS_CLUSTER_PG_PORT to a free one"
  touch "$LOGS/postgres.log"
  [ "$(id -u)" = 0 ] && chown postgres "$LOGS/postgres.log"
  pg "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$LOGS/postgres.log" -w -t 60 \
    -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$PGDATA/." start >/dev/null ||
    die "PostgreSQL did not start; see $LOGS/postgres.log"
  touch "$RUN/postgres.started"
  log "PostgreSQL $(basename "$(dirname "$PG_BIN")") on 127.0.0.1:$PG_PORT"
}

# ---------------------------------------------------------------- helpers
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for() { # name, seconds, command...
  local name=$1 secs=$2
  shift 2
  for _ in $(seq 1 $((secs * 2))); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  die "$name did not come up within ${secs}s; see $LOGS"
}

# spawn starts a program in the background with its log and pid file.
spawn() { # name, command...
  local name=$1
  shift
  "$@" >"$LOGS/$name.log" 2>&1 &
  echo $! >"$RUN/$name.pid"
}

module_dir() { # module@version -> its folder in the module cache (downloaded if needed)
  go mod download -json "$1" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p'
}

# ---------------------------------------------------------------- secrets
# The payload keys and the operator token, made once and kept with the data they protect
# (data/ is never committed). Losing payload-keys makes the histories in data/cluster/postgres
# unreadable: `make clean-data` forgets both together.
make_secrets() {
  mkdir -p "$SECRETS" && chmod 700 "$SECRETS"
  if [ ! -s "$SECRETS/payload-keys" ]; then
    if [ -f "$PGDATA/PG_VERSION" ]; then
      log "warning: $PGDATA exists but $SECRETS/payload-keys does not: new keys are made, and payloads encrypted with the old ones stay unreadable"
    fi
    log "making the payload keys ($SECRETS/payload-keys) and the operator token ($SECRETS/codec-tokens)"
    (umask 077 && {
      echo "# hcaops payload keys (KEYID:BASE64); the first encrypts, the others only decrypt"
      "$BIN/codecserver" new-key "cluster-$(date +%Y%m%d)"
    } >"$SECRETS/payload-keys")
  fi
  if [ ! -s "$SECRETS/codec-tokens" ]; then
    (umask 077 && {
      echo "# operators who may decode payloads (NAME:TOKEN)"
      "$BIN/codecserver" new-token operator
    } >"$SECRETS/codec-tokens")
  fi
  # One ring for every program of the cluster: the file, never a ring from the caller's shell.
  unset HCAOPS_PAYLOAD_KEYS
  export HCAOPS_PAYLOAD_KEYS_FILE=$SECRETS/payload-keys
}

# ---------------------------------------------------------------- start
start() {
  if [ "${DEMO:-}" = 1 ] && [ "$OFF" != 0 ]; then
    die "DEMO=1 runs scripts/demo.sh, which expects the fakes on their usual ports: unset HCAOPS_CLUSTER_PORT_OFFSET"
  fi
  mkdir -p "$LOGS" "$RUN" "$DATA/reports"
  for f in "$RUN"/*.pid; do
    if alive "$f"; then die "a cluster is already running ($(basename "$f" .pid) pid $(cat "$f")): make cluster-stop first"; fi
  done
  rm -f "$RUN"/*.pid
  for port in 7233 7234 7235 7239 7243 6933 6934 6935 6939 8000 8080 8050 8051 8052 8081 8082 8089; do
    port=$(p "$port")
    port_free "$port" || die "port $port is already in use: stop whatever holds it (make run? another make cluster?) and try again"
  done
  for b in "$BIN/temporal-server/server" "$BIN/temporal-server/sql" "$BIN/ui/server" "$BIN/temporal" "$BIN/worker" "$BIN/fakes" "$BIN/codecserver"; do
    [ -x "$b" ] || die "$b is missing: run \`make cluster\`, which installs it"
  done
  echo $$ >"$DATA/foreground.pid"
  trap 'echo; stop_all; exit 130' INT
  trap 'stop_all; exit 0' TERM # make cluster-stop
  trap 'stop_all; rm -f "$DATA/foreground.pid"' EXIT
  local t0=$SECONDS

  make_secrets
  start_postgres

  local server_mod
  server_mod=$(module_dir "go.temporal.io/server@$SERVER_VERSION")
  [ -d "$server_mod/schema/postgresql/v12" ] || die "no PostgreSQL schema in $server_mod"

  log "applying the Temporal schemas (temporal, temporal_visibility)"
  SQL_TOOL=$BIN/temporal-server/sql SCHEMA_DIR=$server_mod/schema/postgresql/v12 \
    SQL_HOST=127.0.0.1 SQL_PORT=$PG_PORT SQL_USER=$PG_USER SQL_PASSWORD=$PG_PASSWORD \
    deploy/temporal/setup-schema.sh >"$LOGS/schema.log" 2>&1 || die "schema setup failed; see $LOGS/schema.log"

  # The server reads the release's own docker.yaml template, configured by the same
  # variables as the temporalio/server image in docker-compose.yml.
  mkdir -p "$DATA/temporal/config"
  install -m 644 "$server_mod/config/docker.yaml" "$DATA/temporal/config/docker.yaml"
  spawn temporal-server env DB=postgres12 POSTGRES_SEEDS=127.0.0.1 DB_PORT="$PG_PORT" VISIBILITY_DB_PORT="$PG_PORT" \
    POSTGRES_USER=$PG_USER POSTGRES_PWD="$PG_PASSWORD" NUM_HISTORY_SHARDS=4 BIND_ON_IP=127.0.0.1 "${SERVER_PORTS[@]}" \
    TEMPORAL_BROADCAST_ADDRESS=127.0.0.1 PROMETHEUS_ENDPOINT=$SERVER_METRICS LOG_LEVEL=warn \
    DYNAMIC_CONFIG_FILE_PATH="$ROOT/deploy/temporal/dynamicconfig.yaml" \
    "$BIN/temporal-server/server" --root "$DATA/temporal" --config config --env docker --allow-no-auth start
  wait_for "the Temporal server" 120 "$BIN/temporal" operator cluster health --address "$FRONTEND"
  if ! "$BIN/temporal" operator namespace describe -n default --address "$FRONTEND" >/dev/null 2>&1; then
    log "creating the namespace default (retention 30 days)"
    "$BIN/temporal" operator namespace create -n default --retention 720h --address "$FRONTEND" >/dev/null
  fi
  wait_for "the namespace default" 60 "$BIN/temporal" workflow count -n default --address "$FRONTEND"

  export TEMPORAL_ADDRESS=$FRONTEND TEMPORAL_NAMESPACE=default HCAOPS_UI_URL=$UI_URL
  export HCAOPS_TICKETING=${HCAOPS_TICKETING:-sdm}
  export SDM_URL=http://$SDM_ADDR DYNAMICS_URL=http://$DYNAMICS_ADDR
  export DYNAMICS_TOKEN_URL=http://$DYNAMICS_ADDR/oauth2/v2.0/token ES_URL=http://$ES_ADDR/voa/voaSvc
  export HCAOPS_REPORTS_DIR=$DATA/reports
  # Staff notices go by email to the fakes' relay, as in `make run`.
  export HCAOPS_SMTP_ADDR=${HCAOPS_SMTP_ADDR:-$MAIL_ADDR} HCAOPS_SMTP_STARTTLS=${HCAOPS_SMTP_STARTTLS:-false}
  export HCAOPS_DIRECTORY=${HCAOPS_DIRECTORY:-$ROOT/demo/directory.txt}

  # The codec server, with the cluster's payload keys and operator token: every program
  # below (both workers, the commands printed at the end) reads the same ring.
  spawn codec-server env HCAOPS_CODEC_ADDR=$CODEC_ADDR HCAOPS_CODEC_ORIGINS=$UI_URL \
    HCAOPS_CODEC_TOKENS_FILE="$SECRETS/codec-tokens" HCAOPS_CODEC_NAMESPACES=default "$BIN/codecserver"
  wait_for "the codec server" 30 curl -fsS "http://$CODEC_ADDR/healthz"

  # The UI of `make run` (deploy/ui/hcaops.yaml): the browser sends the codec server's
  # sign-in cookie with each decode (codec.includeCredentials).
  spawn temporal-ui env TEMPORAL_ADDRESS=$FRONTEND TEMPORAL_NAMESPACE=default HCAOPS_UI_HOST=127.0.0.1 \
    HCAOPS_UI_PORT=$UI_PORT HCAOPS_CODEC_URL=$CODEC_URL "$BIN/ui/server" --root "$ROOT/deploy/ui" --config . --env hcaops start
  wait_for "the Temporal UI" 60 curl -fsS "$UI_URL/"

  spawn fakes "$BIN/fakes" -sdm "$SDM_ADDR" -dynamics "$DYNAMICS_ADDR" -es "$ES_ADDR" -mail "$MAIL_ADDR" -mail-http "$MAIL_HTTP"
  wait_for "the fakes" 30 curl -fsS -o /dev/null "http://$ES_ADDR/_fake/submissions"

  if [ "${DEMO:-}" = 1 ]; then
    # The demo's service clocks (see scripts/run.sh): a day per minute.
    export HCAOPS_SLA_SCALE=${HCAOPS_SLA_SCALE:-1440} HCAOPS_SLA_ACKNOWLEDGE_CALENDAR=${HCAOPS_SLA_ACKNOWLEDGE_CALENDAR:-calendar}
    export HCAOPS_CONNECTIVITY_EVERY=${HCAOPS_CONNECTIVITY_EVERY:-30s}
  fi
  # One worker at a time: the first registers the search attributes and schedules.
  local i=1
  for addr in "${WORKER_ADDRS[@]}"; do
    spawn "worker-$i" env HCAOPS_HEALTH_ADDR="$addr" "$BIN/worker"
    wait_for "worker-$i" 60 curl -fsS "http://$addr/readyz"
    i=$((i + 1))
  done
  log "up in $((SECONDS - t0))s"

  if [ "${DEMO:-}" = 1 ]; then
    ./scripts/demo.sh >"$LOGS/demo.log" 2>&1 || die "the demo failed; see $LOGS/demo.log"
    log "demo tickets and submissions created (see $LOGS/demo.log)"
  fi

  local token
  token=$(grep -v '^#' "$SECRETS/codec-tokens" | head -n 1 | cut -d: -f2-)
  cat <<TXT

hcaops runs on a Temporal cluster (PostgreSQL, 4 history shards). Every payload in Temporal
is encrypted (keys: $SECRETS/payload-keys).
  Temporal frontend   $FRONTEND            (bin/temporal --address $FRONTEND ...)
  Temporal UI         $UI_URL/namespaces/default/workflows   (ciphertext until you sign in)
  sign in             $CODEC_URL/signin   with the operator token: $token
                      (then reload the UI in the same browser: inputs, results and errors are decoded)
  codec server        $CODEC_URL   (tokens: $SECRETS/codec-tokens)
  PostgreSQL          127.0.0.1:$PG_PORT  databases temporal, temporal_visibility (user $PG_USER)
  server metrics      http://$SERVER_METRICS/metrics
TXT
  i=1
  for addr in "${WORKER_ADDRS[@]}"; do
    echo "  worker-$i            http://$addr/healthz  /readyz  /metrics"
    i=$((i + 1))
  done
  cat <<TXT
  fake SDM, Dynamics, ES  http://$SDM_ADDR, http://$DYNAMICS_ADDR, http://$ES_ADDR
  mail relay          smtp://$MAIL_ADDR; what it received: http://$MAIL_HTTP/_fake/mail
  reports, agendas    $DATA/reports/
  logs                $LOGS/
  data                $DATA/ (make clean-data forgets it, keys included)

Try, in another terminal. The programs need the cluster's payload keys:
  export TEMPORAL_ADDRESS=$FRONTEND HCAOPS_UI_URL=$UI_URL SDM_URL=$SDM_URL HCAOPS_PAYLOAD_KEYS_FILE=$HCAOPS_PAYLOAD_KEYS_FILE
  bin/starter -ref HRC-CLUSTER-1 -channel phone -priority High -summary "Form stops" -reporter you
  bin/ticketctl list
  bin/ticketctl show HRC-CLUSTER-1
Reading history from the command line (the CLI decodes through the codec server too):
  bin/temporal workflow show -w ticket-HRC-CLUSTER-1 --detailed     # ciphertext
  bin/temporal workflow show -w ticket-HRC-CLUSTER-1 --detailed --codec-endpoint $CODEC_URL \\
      --codec-auth "Bearer $token"     # decoded
The integration suite against this cluster (in a namespace of its own, with keys of its own):
  HCAOPS_TEST_TEMPORAL_ADDRESS=$FRONTEND make test-cluster
Ctrl-C (or make cluster-stop) stops everything.
TXT
  local pids=()
  for f in "$RUN"/*.pid; do pids+=("$(cat "$f")"); done
  local st=0 gone=""
  wait -n -p gone "${pids[@]}" || st=$?
  # Ctrl-C reaches every component as well: only a failure is news.
  case $st in
    0 | 130 | 143) ;;
    *) echo "cluster: a component failed (pid ${gone:-?}, exit $st); see $LOGS" >&2 ;;
  esac
}

case "${1:-start}" in
  start) start ;;
  stop)
    # A cluster started in another terminal stops the way Ctrl-C stops it; without one
    # (it was killed), the pid files say what is left to stop.
    if alive "$DATA/foreground.pid"; then
      p=$(cat "$DATA/foreground.pid")
      kill "$p"
      for _ in $(seq 1 300); do kill -0 "$p" 2>/dev/null || break; sleep 0.2; done
    else
      stop_all
    fi
    ;;
  *) die "usage: $0 start|stop" ;;
esac
