#!/usr/bin/env bash
# Federation load benchmark of a release node on SQLite (or PostgreSQL with AGORA_DATABASE__URL):
# a crowd of remote actors on 127.0.0.1 follows one initiative (signed Follows, each actor
# fetched by the node on first contact, each Accept delivered back), then an organizer posts an
# update and the crowd counts the announces (two per follower inbox: FEP-1b12 and the bare form).
# Usage: bash tests/bench/federation.sh [FOLLOWERS] [CONCURRENCY]
# BENCH_BIN=path/to/release/agora and LOADGEN_BIN=path/to/release/agora-loadgen skip the build.
# Everything runs on 127.0.0.1 and stops by itself.
set -euo pipefail
cd "$(dirname "$0")/../.."
followers="${1:-1000}"
concurrency="${2:-32}"
bin="${BENCH_BIN:-}"
loadgen="${LOADGEN_BIN:-}"
if [ -z "$bin" ] || [ -z "$loadgen" ]; then
  export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/agora-target}"
  cargo build --release -q -p agora -p agora_peer
  bin="$CARGO_TARGET_DIR/release/agora"
  loadgen="$CARGO_TARGET_DIR/release/agora-loadgen"
fi
dir=$(mktemp -d)
port=18081
base="http://localhost:$port"
export AGORA_DATA_DIR="$dir" AGORA_HTTP__BIND="127.0.0.1:$port" AGORA_INSTANCE__DOMAIN="localhost:$port" \
  AGORA_INSTANCE__SCHEME=http AGORA_FEDERATION__ALLOW_PRIVATE_ADDRESSES=true AGORA_LOG=warn
cd "$dir"
AGORA_PASSWORD="bench password" "$bin" admin create-user alice --email alice@example.org >/dev/null
"$bin" serve & pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$dir"' EXIT
until curl -sf "$base/health" >/dev/null; do sleep 0.01; done
token=$(curl -sf "$base/api/v1/auth/token" -H 'content-type: application/json' \
  -d '{"username":"alice","password":"bench password"}' | sed 's/.*"token":"\([^"]*\)".*/\1/')
curl -sf "$base/api/v1/initiatives" -H "authorization: Bearer $token" -H 'content-type: application/json' \
  -d '{"handle":"bench","name":"Bench","description":"Load test"}' >/dev/null
echo "node: $(nproc) cores, $followers followers, $concurrency follows in flight"
"$loadgen" follow --node "$base" --group bench --token "$token" --followers "$followers" --concurrency "$concurrency"
echo "RSS after the run: $(awk '/VmRSS/ {print $2, $3}' /proc/$pid/status)"
