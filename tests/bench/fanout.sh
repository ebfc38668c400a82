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
source tests/bench/federated_node.sh 18084
"$loadgen" fanout --node "$base" --token "$token" --servers "$servers" --delay-ms "$delay"
echo "RSS after the run: $(awk '/VmRSS/ {print $2, $3}' /proc/$pid/status)"
