#!/usr/bin/env bash
# The one command that sets up a fresh clone and runs every test suite:
# unit, emulator, integration (real SDK over real HTTP to the emulator) and
# end-to-end (the real Pulumi CLI against the emulator), on the newest
# combination (Node 24, package-lock's @pulumi/pulumi); then, on the oldest
# combination claimed, scripts/test-oldest.sh (docs/testing.md, "Supported platforms").
set -euo pipefail
source "$(dirname "$0")/env.sh"
use_node 24
cd "$repo_root"
npm ci --no-audit --no-fund
# House rules first (ESLint, Prettier): a lint failure is reported in a minute, not after the suites.
npm run lint
bash scripts/install-pulumi.sh
# Each run closes with its own "N passed, N failed, N skipped" line; the last line of all sums them.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
npm test | tee "$log"
bash scripts/test-oldest.sh | tee -a "$log"
echo "Both combinations:"
awk '/^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$/ { p += $1; f += $3; s += $5 }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
