#!/usr/bin/env bash
# What the test suite needs besides the Rust toolchain, installed once: Debian's chromium for
# the browser tests, the locked npm packages of the browser flows (tests/browser) and of the Fedify
# interoperability peer (tests/fedify, Node 24 included), and schemathesis (PyPI) for the
# API document's test. PostgreSQL must answer on
# 127.0.0.1:5432 (user postgres, trust); it is started here when it is installed but down.
# Run as root on Debian: `bash tests/setup.sh`. `.ci/run` runs it first; `cargo test` never
# installs anything and fails with this command when something is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null \
    || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null; }
fi
/usr/bin/chromium --version

(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
# schemathesis checks a node against its OpenAPI document (crates/agora/tests/openapi.rs).
python3 -m pip install -q --disable-pip-version-check schemathesis==4.32.0
(cd tests/fedify && npm ci --no-audit --no-fund --loglevel=error)

if ! psql -h 127.0.0.1 -U postgres -d postgres -Atc 'select 1' >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
  for _ in $(seq 1 30); do
    psql -h 127.0.0.1 -U postgres -d postgres -Atc 'select 1' >/dev/null 2>&1 && break
    sleep 1
  done
fi
psql -h 127.0.0.1 -U postgres -d postgres -Atc 'select version()'
