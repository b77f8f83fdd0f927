#!/usr/bin/env bash
# Installs the external oracles the test suite compares against, under .tools/ (gitignored):
# buf (protobuf breaking-change reference), the official SARIF 2.1.0 schema (@microsoft/jest-sarif)
# and Microsoft's SARIF Multitool. Pinned versions; idempotent; needs Node.js with npm.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .tools
if [ ! -x .tools/node_modules/.bin/buf ] || [ ! -e .tools/node_modules/@microsoft/jest-sarif ] || [ ! -e .tools/node_modules/.bin/sarif-multitool ]; then
  [ -f .tools/package.json ] || echo '{"name":"schemacheck-test-tools","private":true}' > .tools/package.json
  npm install --prefix .tools --no-audit --no-fund --loglevel=error \
    @bufbuild/buf@1.75.0 @microsoft/jest-sarif@1.0.0-beta.0 @microsoft/sarif-multitool@5.7.0
fi
# npm may skip install scripts; the Multitool's only job there is to make its binary executable.
find .tools/node_modules/@microsoft -name Sarif.Multitool -type f -exec chmod u+x {} + 2>/dev/null || true
.tools/node_modules/.bin/buf --version >/dev/null
# oasdiff (the OpenAPI reference, a Go program) when Go is installed; its oracle test and the
# OpenAPI benchmark skip, saying so, without it. Pinned; built from the Go module proxy.
if [ ! -x .tools/bin/oasdiff ] && command -v go >/dev/null 2>&1; then
  GOBIN="$PWD/.tools/bin" GOFLAGS=-mod=mod go install github.com/oasdiff/oasdiff@v1.39.0 \
    || echo "note: could not build oasdiff; its oracle test will be skipped"
fi
bash scripts/native-for-tests.sh
oasdiff_note=$([ -x .tools/bin/oasdiff ] && echo ", $(.tools/bin/oasdiff --version 2>/dev/null | head -1)" || echo ", no oasdiff (Go missing)")
echo "test tools ready in .tools/ (buf $(.tools/node_modules/.bin/buf --version)${oasdiff_note})"
