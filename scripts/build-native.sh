#!/usr/bin/env bash
# Build the optional native extension (native/, PyO3 + maturin) from source and install it into
# the current Python, then show which protobuf path schemacheck now uses.
#
#   bash scripts/build-native.sh            # fails when there is no Rust toolchain
#   bash scripts/build-native.sh --if-cargo # does nothing (exit 0) without cargo: for CI scripts
#
# Without the extension schemacheck runs its pure-Python compiler, with the same answers.
# CARGO_BUILD_JOBS limits the build's parallelism (shared machines).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v cargo >/dev/null 2>&1; then
  if [ "${1:-}" = "--if-cargo" ]; then
    echo "build-native: no cargo on PATH; schemacheck stays pure Python" >&2
    exit 0
  fi
  echo "build-native: cargo not found; install Rust first (https://rustup.rs)" >&2
  exit 1
fi
export PIP_DISABLE_PIP_VERSION_CHECK=1
python -m pip install 'maturin>=1.5,<2'
# --no-build-isolation: use the maturin just installed; the crate's target/ is reused by rebuilds.
python -m pip install --force-reinstall --no-deps --no-build-isolation ./native
# Which path schemacheck now uses (on a fresh machine schemacheck itself may not be installed yet).
python -m schemacheck --version 2>/dev/null \
  || python -c 'import schemacheck_native as m; print("built schemacheck_native", m.__version__)'
