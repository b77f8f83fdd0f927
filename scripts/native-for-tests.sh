#!/usr/bin/env bash
# Part of scripts/install-test-tools.sh: where a Rust toolchain is installed (cargo on PATH), build
# the optional native extension from source and mark it required (.tools/native-required), so the
# parity tests (tests/test_native_parity.py) fail instead of skipping when it does not import.
# Without cargo nothing is built, the mark is removed, and the suite runs the pure-Python compiler.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .tools
if command -v cargo >/dev/null 2>&1; then
  bash scripts/build-native.sh
  touch .tools/native-required
else
  rm -f .tools/native-required
  echo "no cargo on PATH: the optional native extension is not built (pure Python)"
fi
