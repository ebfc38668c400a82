#!/usr/bin/env bash
# "Followers far away": one follower on each of many simulated servers on 127.0.0.1, each
# answering a delivery only after a delay, follows the author of a petition on a release node;
# one signature moves the count, and the run prints when the Update{Question} reached the first
# and the last server.
# Usage: bash tests/bench/fanout.sh [SERVERS] [DELAY_MS]
# PostgreSQL: AGORA_DATABASE__URL=postgres://postgres@127.0.0.1:5432/agora_bench (dropped and
# created). BENCH_BIN and LOADGEN_BIN (release binaries) skip the build.
set -euo pipefail
cd "$(dirname "$0")/../.."
servers="${1:-1000}"
delay="${2:-100}"
bin="${BENCH_BIN:-}"
loadgen="${LOADGEN_BIN:-}"
if [ -z "$bin" ] || [ -z "$loadgen" ]; then
  export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/agora-target}"
  cargo build --release -q -p agora -p agora_peer
  bin="$CARGO_TARGET_DIR/release/agora"
  loadgen="$CARGO_TARGET_DIR/release/agora-loadgen"
fi
# A listener per server, and the node's connections to each.
ulimit -n "$(ulimit -Hn)"
dir=$(mktemp -d)
port=18084
base="http://localhost:$port"
export AGORA_DATA_DIR="$dir" AGORA_HTTP__BIND="127.0.0.1:$port" AGORA_INSTANCE__DOMAIN="localhost:$port" \
  AGORA_INSTANCE__SCHEME=http AGORA_FEDERATION__ALLOW_PRIVATE_ADDRESSES=true AGORA_LOG=warn
if [ -n "${AGORA_DATABASE__URL:-}" ]; then
  db="${AGORA_DATABASE__URL##*/}"
  psql "${AGORA_DATABASE__URL%/*}/postgres" -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
fi
cd "$dir"
AGORA_PASSWORD="bench password" "$bin" admin create-user alice --email alice@example.org --confirmed >/dev/null
"$bin" serve & pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$dir"' EXIT
until curl -sf "$base/health" >/dev/null; do sleep 0.01; done
token=$(curl -sf "$base/api/v1/auth/token" -H 'content-type: application/json' \
  -d '{"username":"alice","password":"bench password"}' | sed 's/.*"token":"\([^"]*\)".*/\1/')
echo "node: $(nproc) cores, $($bin --version), database ${AGORA_DATABASE__URL:-sqlite}"
"$loadgen" fanout --node "$base" --token "$token" --servers "$servers" --delay-ms "$delay"
echo "RSS after the run: $(awk '/VmRSS/ {print $2, $3}' /proc/$pid/status)"
