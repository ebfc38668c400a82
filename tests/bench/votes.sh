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
source tests/bench/federated_node.sh 18083
echo "== $actors remote actors, $petitions petitions each, $concurrency votes in flight"
"$loadgen" votes --node "$base" --token "$token" --actors "$actors" --petitions "$petitions" \
  --concurrency "$concurrency"
echo "RSS after the run: $(awk '/VmRSS/ {print $2, $3}' /proc/$pid/status)"
