#!/usr/bin/env bash
# "The fediverse signs": a crowd of remote actors on 127.0.0.1 votes on petitions of a release
# node through its inbox, as Mastodon votes on a poll, every request signed ahead; prints the
# votes verified and counted per second, and checks the petitions count each acknowledged one.
# Usage: bash tests/bench/votes.sh [ACTORS] [PETITIONS] [CONCURRENCY]
# PostgreSQL: AGORA_DATABASE__URL=postgres://postgres@127.0.0.1:5432/agora_bench (dropped and
# created). BENCH_BIN and LOADGEN_BIN (release binaries) skip the build.
set -euo pipefail
cd "$(dirname "$0")/../.."
actors="${1:-1000}"
petitions="${2:-15}"
concurrency="${3:-64}"
bin="${BENCH_BIN:-}"
loadgen="${LOADGEN_BIN:-}"
if [ -z "$bin" ] || [ -z "$loadgen" ]; then
  export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/agora-target}"
  cargo build --release -q -p agora -p agora_peer
  bin="$CARGO_TARGET_DIR/release/agora"
  loadgen="$CARGO_TARGET_DIR/release/agora-loadgen"
fi
ulimit -n "$(ulimit -Hn)"
dir=$(mktemp -d)
port=18083
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
echo "== $actors remote actors, $petitions petitions each, $concurrency votes in flight"
"$loadgen" votes --node "$base" --token "$token" --actors "$actors" --petitions "$petitions" \
  --concurrency "$concurrency"
echo "RSS after the run: $(awk '/VmRSS/ {print $2, $3}' /proc/$pid/status)"
