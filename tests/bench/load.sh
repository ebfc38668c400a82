#!/usr/bin/env bash
# Load benchmark of a release node on SQLite: idle memory, start-up, and requests per second
# for the GETs other servers make most (actor document, WebFinger), measured with wrk.
# Usage: bash tests/bench/load.sh [SECONDS] [CONNECTIONS]   (needs wrk: apt-get install wrk)
# BENCH_BIN=path/to/release/agora skips the build.
# Everything runs on 127.0.0.1 and stops by itself.
set -euo pipefail
cd "$(dirname "$0")/../.."
secs="${1:-15}"
conns="${2:-64}"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
bin="${BENCH_BIN:-}"
if [ -z "$bin" ]; then
  export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/agora-target}"
  cargo build --release -q -p agora
  bin="$CARGO_TARGET_DIR/release/agora"
fi
dir=$(mktemp -d)
port="${BENCH_PORT:-18080}"
export AGORA_DATA_DIR="$dir" AGORA_HTTP__BIND="127.0.0.1:$port" AGORA_INSTANCE__DOMAIN="localhost:$port" \
  AGORA_INSTANCE__SCHEME=http AGORA_LOG=warn \
  AGORA_LIMITS__LOGIN_FAILURES_PER_15MIN=100000 AGORA_LIMITS__LOGIN_FAILURES_PER_ACCOUNT_15MIN=100000
cd "$dir"
AGORA_PASSWORD="bench password" "$bin" admin create-user alice --email alice@example.org >/dev/null
start=$(date +%s%N)
"$bin" serve & pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$dir"' EXIT
until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do sleep 0.01; done
echo "start-up to first answer: $(( ($(date +%s%N) - start) / 1000000 )) ms"
sleep 2
echo "idle RSS: $(awk '/VmRSS/ {print $2, $3}' /proc/$pid/status)"
# Log-ins as they come in real use: bursts of right and wrong passwords (Argon2id, 19 MiB each),
# then idle again. Every password check is a hash: this is where memory used to stay.
login() {
  curl -s -o /dev/null -w '%{http_code}\n' -X POST "http://127.0.0.1:$port/api/v1/auth/token" \
    -H 'content-type: application/json' -d "{\"username\":\"alice\",\"password\":\"$1\"}"
}
answers=$(mktemp)
for round in 1 2; do
  pids=()
  for i in $(seq 1 10); do
    login "bench password" >>"$answers" & pids+=($!)
    login "wrong password $i" >>"$answers" & pids+=($!)
  done
  wait "${pids[@]}"
done
pids=()
for i in $(seq 1 40); do login "wrong password $i" >>"$answers" & pids+=($!); done
wait "${pids[@]}"
sort "$answers" | uniq -c | sed 's/^/  log-in answers: /'
rm -f "$answers"
sleep 5
echo "idle RSS after 80 log-ins: $(awk '/VmRSS/ {print $2, $3}' /proc/$pid/status)"
echo
echo "== GET /users/alice (Accept: application/activity+json), ${secs}s, $conns connections"
wrk -t2 -c"$conns" -d"${secs}s" --latency -H 'Accept: application/activity+json' "http://127.0.0.1:$port/users/alice"
echo
echo "== GET /.well-known/webfinger?resource=acct:alice@localhost:$port"
wrk -t2 -c"$conns" -d"${secs}s" --latency "http://127.0.0.1:$port/.well-known/webfinger?resource=acct:alice@localhost:$port"
echo
echo "RSS after load: $(awk '/VmRSS/ {print $2, $3}' /proc/$pid/status)"
