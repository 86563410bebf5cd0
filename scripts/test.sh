#!/usr/bin/env bash
# The one command that sets up a fresh clone and runs every test suite:
# unit, emulator, integration (real SDK over real HTTP to the emulator) and
# end-to-end (the real Pulumi CLI against the emulator).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$repo_root"
npm ci --no-audit --no-fund
bash scripts/install-pulumi.sh
npm test
