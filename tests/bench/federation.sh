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
source tests/bench/federated_node.sh 18081
curl -sf "$base/api/v1/initiatives" -H "authorization: Bearer $token" -H 'content-type: application/json' \
  -d '{"handle":"bench","name":"Bench","description":"Load test"}' >/dev/null
echo "== $followers followers, $concurrency follows in flight"
"$loadgen" follow --node "$base" --group bench --token "$token" --followers "$followers" --concurrency "$concurrency"
echo "RSS after the run: $(awk '/VmRSS/ {print $2, $3}' /proc/$pid/status)"
