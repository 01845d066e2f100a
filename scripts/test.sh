#!/usr/bin/env bash
# Installs the test dependencies, then runs the whole test suite (nextest when available,
# else cargo test). Extra arguments go to the test runner. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

scripts/install-deps.sh

if cargo nextest --version >/dev/null 2>&1; then
  exec cargo nextest run --no-fail-fast \
    --tool-config-file "tlsprobe-scripts:$root/scripts/nextest.toml" "$@"
else
  exec cargo test --no-fail-fast "$@"
fi
