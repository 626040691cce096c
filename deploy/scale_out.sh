#!/usr/bin/env bash
# Run N app processes behind HAProxy, with sticky sessions, on one port.
#
#   deploy/scale_out.sh N          start N `streamlit run` processes on loopback ports and HAProxy
#                                  on $PORT; stays in the foreground, Ctrl-C stops everything
#   deploy/scale_out.sh start N    the same, in the background (returns when all are healthy)
#   deploy/scale_out.sh stop       stop what `start` (or a foreground run) started
#   deploy/scale_out.sh status     list the processes and their health
#
# Settings (environment): PORT (balancer, default 8600), BIND (balancer address, default
# 127.0.0.1; 0.0.0.0 to serve a classroom network), BACKEND_PORT (first app port, default
# PORT+1), RUN_DIR (pid files, config, logs; default /tmp/softmax-scale-out), PYTHON (default
# .venv/bin/python), STREAMLIT_ARGS (extra `streamlit run` flags for every process, e.g.
# "--runner.postScriptGC false").
#
# Needs Debian's HAProxy: apt-get update && apt-get install -y haproxy
# Stickiness is by an HAProxy cookie (see deploy/haproxy_cfg.py): every browser's websocket,
# downloads and media reach the process that holds its session. All processes share one
# cookie secret, generated per start, so Streamlit's XSRF cookie is valid on each of them.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PORT="${PORT:-8600}"
BIND="${BIND:-127.0.0.1}"
BACKEND_PORT="${BACKEND_PORT:-$((PORT + 1))}"
RUN_DIR="${RUN_DIR:-/tmp/softmax-scale-out}"
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
STREAMLIT_ARGS="${STREAMLIT_ARGS:-}"
MAX_PROCESSES=16

die() { echo "scale_out: $*" >&2; exit 1; }

pids() { cat "$RUN_DIR"/*.pid 2>/dev/null || true; }

alive() { kill -0 "$1" 2>/dev/null; }

stop_all() {
  local pid file
  [ -d "$RUN_DIR" ] || { echo "scale_out: nothing to stop"; return 0; }
  # the balancer first (no new requests), then the app processes, each by its own pid
  for file in "$RUN_DIR"/haproxy.pid "$RUN_DIR"/app-*.pid; do
    [ -f "$file" ] || continue
    pid="$(cat "$file")"
    if alive "$pid"; then kill -TERM "$pid" 2>/dev/null || true; fi
  done
  for _ in $(seq 50); do
    local left=0
    for pid in $(pids); do alive "$pid" && left=1; done
    [ "$left" = 0 ] && break
    sleep 0.2
  done
  for pid in $(pids); do
    if alive "$pid"; then echo "scale_out: pid $pid did not stop, killing it"; kill -KILL "$pid" || true; fi
  done
  rm -f "$RUN_DIR"/*.pid
  echo "scale_out: stopped"
}

healthy() { # url
  "$PYTHON" - "$1" <<'EOF'
import sys, urllib.request
try:
    with urllib.request.urlopen(sys.argv[1] + "/_stcore/health", timeout=2) as r:
        sys.exit(0 if r.status == 200 else 1)
except OSError:
    sys.exit(1)
EOF
}

wait_healthy() { # url seconds [pid]
  local deadline=$((SECONDS + $2))
  until healthy "$1"; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    if [ -n "${3:-}" ] && ! alive "$3"; then return 1; fi
    sleep 0.3
  done
}

start_all() { # n
  local n="$1" i port pid secret
  [[ "$n" =~ ^[0-9]+$ ]] && [ "$n" -ge 1 ] && [ "$n" -le "$MAX_PROCESSES" ] \
    || die "N must be a whole number from 1 to $MAX_PROCESSES (got '$n')"
  command -v haproxy >/dev/null || die "haproxy not found: apt-get update && apt-get install -y haproxy"
  [ -x "$PYTHON" ] || die "no Python at $PYTHON (run 'make run' once, or set PYTHON)"
  mkdir -p "$RUN_DIR"
  for pid in $(pids); do
    alive "$pid" && die "already running (pid $pid); run '$0 stop' first"
  done
  rm -f "$RUN_DIR"/*.pid
  secret="$("$PYTHON" -c 'import secrets; print(secrets.token_hex(24))')"

  local ports=()
  for i in $(seq 1 "$n"); do
    port=$((BACKEND_PORT + i - 1))
    ports+=("$port")
    # shellcheck disable=SC2086  # STREAMLIT_ARGS is a list of flags
    (cd "$ROOT" && STREAMLIT_SERVER_COOKIE_SECRET="$secret" exec "$PYTHON" -m streamlit run serve.py \
        --server.port "$port" --server.address 127.0.0.1 --server.headless true $STREAMLIT_ARGS) \
      >"$RUN_DIR/app-$i.log" 2>&1 &
    echo $! >"$RUN_DIR/app-$i.pid"
  done
  (cd "$ROOT" && "$PYTHON" -m deploy.haproxy_cfg --backends "${ports[@]}" --port "$PORT" --bind "$BIND") \
    >"$RUN_DIR/haproxy.cfg"
  haproxy -c -q -f "$RUN_DIR/haproxy.cfg" || { stop_all; die "invalid $RUN_DIR/haproxy.cfg"; }
  for i in $(seq 1 "$n"); do
    wait_healthy "http://127.0.0.1:${ports[$((i - 1))]}" 90 "$(cat "$RUN_DIR/app-$i.pid")" \
      || { stop_all; die "app process $i (port ${ports[$((i - 1))]}) not healthy: see $RUN_DIR/app-$i.log"; }
  done
  haproxy -db -f "$RUN_DIR/haproxy.cfg" >"$RUN_DIR/haproxy.log" 2>&1 &
  echo $! >"$RUN_DIR/haproxy.pid"
  wait_healthy "http://127.0.0.1:$PORT" 30 "$(cat "$RUN_DIR/haproxy.pid")" \
    || { stop_all; die "HAProxy not answering on $PORT: see $RUN_DIR/haproxy.log"; }
  # one first run per page and process, before students arrive (see deploy/warm_up.py)
  (cd "$ROOT" && "$PYTHON" -m deploy.warm_up "http://127.0.0.1:$PORT" --processes "$n") \
    || echo "scale_out: warm-up reported failures (see above); the app may still be usable"
  echo "scale_out: $n app processes (ports ${ports[*]}) behind HAProxy on http://$BIND:$PORT"
  echo "scale_out: pids $(pids | tr '\n' ' ')(files in $RUN_DIR)"
}

status() {
  local file pid
  [ -d "$RUN_DIR" ] || { echo "scale_out: not running"; return 0; }
  for file in "$RUN_DIR"/*.pid; do
    [ -f "$file" ] || continue
    pid="$(cat "$file")"
    if alive "$pid"; then echo "$(basename "$file" .pid): pid $pid running"; else echo "$(basename "$file" .pid): pid $pid gone"; fi
  done
}

case "${1:-}" in
  stop) stop_all ;;
  status) status ;;
  start) start_all "${2:-}" ;;
  "" | -h | --help) sed -n '2,20p' "$0" ;;
  *)
    start_all "$1"
    trap 'echo; stop_all; exit 0' INT TERM
    echo "scale_out: Ctrl-C stops everything"
    # stay in the foreground until interrupted or until a process dies
    while :; do
      for pid in $(pids); do
        alive "$pid" || { echo "scale_out: pid $pid exited"; stop_all; exit 1; }
      done
      sleep 2
    done
    ;;
esac
