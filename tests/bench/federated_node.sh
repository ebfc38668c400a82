# Sourced by the federation benchmarks (federation.sh, votes.sh, fanout.sh): builds the release
# node and load generator unless BENCH_BIN and LOADGEN_BIN name them, starts a node on
# 127.0.0.1:$1 that federates with private addresses (on SQLite, or on PostgreSQL with
# AGORA_DATABASE__URL, whose database it drops and creates), with one confirmed user, alice.
# Sets bin, loadgen, dir, base, pid and token (alice's API token); stops the node on exit.
bin="${BENCH_BIN:-}"
loadgen="${LOADGEN_BIN:-}"
if [ -z "$bin" ] || [ -z "$loadgen" ]; then
  export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/agora-target}"
  cargo build --release -q -p agora -p agora_peer
  bin="$CARGO_TARGET_DIR/release/agora"
  loadgen="$CARGO_TARGET_DIR/release/agora-loadgen"
fi
# A listener per simulated server, and the node's connections to each.
ulimit -n "$(ulimit -Hn)"
dir=$(mktemp -d)
base="http://localhost:$1"
export AGORA_DATA_DIR="$dir" AGORA_HTTP__BIND="127.0.0.1:$1" AGORA_INSTANCE__DOMAIN="localhost:$1" \
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
