#!/usr/bin/env bash
# The viral-petition benchmark: signed-in local accounts sign one petition as fast as wrk
# drives them, each from its own address behind a trusted proxy, while other clients load the
# petition's page; then every acknowledged signature must be in the database and in the log,
# and `agora petition verify` must check the whole log.
# Usage: bash tests/bench/petition.sh [SECONDS] [SIGNING CONNECTIONS] [ACCOUNTS]
# READERS (4) connections load the page, READ_RATE (1000) times a second at most, 0 for as fast
# as it comes.
# PostgreSQL: AGORA_DATABASE__URL=postgres://postgres@127.0.0.1:5432/agora_bench (the script
# drops and creates that database). BENCH_BIN=path/to/release/agora skips the build.
set -euo pipefail
cd "$(dirname "$0")/../.."
secs="${1:-60}"
conns="${2:-64}"
accounts="${3:-330000}"
readers="${READERS:-4}"
# Page loads a second the readers ask for at most (0: as many as the node answers).
export READ_RATE="${READ_RATE:-1000}" READERS="$readers"
bin="${BENCH_BIN:-}"
if [ -z "$bin" ]; then
  export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/agora-target}"
  cargo build --release -q -p agora
  bin="$CARGO_TARGET_DIR/release/agora"
fi
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
here="$PWD"
dir=$(mktemp -d)
port=18082
base="http://localhost:$port"
export AGORA_DATA_DIR="$dir" AGORA_HTTP__BIND="127.0.0.1:$port" AGORA_INSTANCE__DOMAIN="localhost:$port" \
  AGORA_INSTANCE__SCHEME=http AGORA_HTTP__TRUSTED_PROXIES='["127.0.0.1/32"]' AGORA_LOG=warn
if [ -n "${AGORA_DATABASE__URL:-}" ]; then
  db="${AGORA_DATABASE__URL##*/}"
  psql "${AGORA_DATABASE__URL%/*}/postgres" -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
fi
cd "$dir"
AGORA_PASSWORD="bench password" "$bin" admin create-user alice --email alice@example.org --confirmed >/dev/null
start=$(date +%s.%N)
"$bin" admin seed-load-accounts "$accounts" --tokens "$dir/tokens" 2>/dev/null
echo "seeded $accounts accounts with tokens in $(echo "$(date +%s.%N) - $start" | bc) s"
"$bin" serve & pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$dir"' EXIT
until curl -sf "$base/health" >/dev/null; do sleep 0.01; done
token=$(curl -sf "$base/api/v1/auth/token" -H 'content-type: application/json' \
  -d '{"username":"alice","password":"bench password"}' | sed 's/.*"token":"\([^"]*\)".*/\1/')
deadline=$(date -u -d '+30 days' +%Y-%m-%dT%H:%M:%SZ)
id=$(curl -sf "$base/api/v1/petitions" -H "authorization: Bearer $token" -H 'content-type: application/json' \
  -d "{\"title\":\"Viral\",\"text\":\"Sign it.\",\"target\":\"Everyone\",\"deadline\":\"$deadline\",\"milestones\":[1000,100000]}" \
  | sed 's/^{"id":\([0-9]*\).*/\1/')
echo "node: $(nproc) cores, $($bin --version), database ${AGORA_DATABASE__URL:-sqlite}"
echo "== $secs s: $conns connections signing petition $id, $readers loading its page (at most $READ_RATE a second; 0: no limit)"
if [ "$readers" -gt 0 ]; then
  wrk -t1 -c"$readers" -d"${secs}s" -s "$here/tests/bench/read.lua" "$base/petitions/$id" > "$dir/readers" &
else
  echo "(no readers)" > "$dir/readers" &
fi
readers_pid=$!
TOKENS="$dir/tokens" SIGN_PATH="/api/v1/petitions/$id/signatures" WRK_THREADS=1 \
  wrk -t1 -c"$conns" -d"${secs}s" --timeout 10s -s "$here/tests/bench/sign.lua" "$base" | tee "$dir/signers"
wait $readers_pid
echo "== the page, meanwhile"
grep -E "Requests/sec|Latency|Non-2xx|requests in|no readers" "$dir/readers"
acked=$(sed -n 's/^ACKED=\([0-9]*\).*/\1/p' "$dir/signers")
count=$(curl -sf "$base/api/v1/petitions/$id" | sed 's/.*"signatures":{"verified":\([0-9]*\).*/\1/')
echo "== acknowledged $acked, the petition counts $count"
echo "RSS after the run: $(awk '/VmRSS/ {print $2, $3}' /proc/$pid/status)"
start=$(date +%s.%N)
"$bin" petition verify "$base/petitions/$id"
echo "verified in $(echo "$(date +%s.%N) - $start" | bc) s"
# Requests still in flight when wrk stops are stored but not counted by wrk: at most one per
# connection more than acknowledged, never fewer.
if [ "$count" -lt "$acked" ] || [ "$count" -gt $((acked + conns)) ]; then
  echo "MISMATCH: $acked acknowledged, $count counted" >&2; exit 1
fi
