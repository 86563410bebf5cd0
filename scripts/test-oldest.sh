#!/usr/bin/env bash
# The oldest combination the project claims (docs/testing.md, "Supported platforms"): Node 22 and the oldest
# @pulumi/pulumi of the package's peer range, with the Pulumi CLI that scripts/install-pulumi.sh built.
# Runs the unit and integration suites and the end-to-end lifecycle, provider from package and from repo.
# Called by scripts/test.sh after the newest combination; needs scripts/install-pulumi.sh to have run.
#
# It works in a copy of the working tree, .tools/oldest-sdk/ (git-ignored), with node_modules of its own,
# so that the repository's package.json, package-lock.json and node_modules stay as they are. The copy's
# packages are reinstalled only when package-lock.json, the peer range or the Node release change.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$repo_root"
started=$SECONDS

use_node 22
# "^3.216.0" -> 3.216.0: the range's own lower bound is the oldest version claimed.
sdk=$(node -p 'require("./package.json").peerDependencies["@pulumi/pulumi"].replace(/^[\^~]/, "")')
[[ $sdk =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "test-oldest: cannot read a version from the peer range: $sdk" >&2; exit 1; }
echo "test-oldest: Node $(node --version), @pulumi/pulumi $sdk, $(pulumi version 2>/dev/null || echo 'pulumi not on PATH')"

work=$repo_root/.tools/oldest-sdk
mkdir -p "$work"
# The tree as git sees it (tracked and untracked files, ignored ones left out), replacing the last copy.
find "$work" -mindepth 1 -maxdepth 1 ! -name node_modules ! -name install.stamp -exec rm -rf {} +
git ls-files -z --cached --others --exclude-standard |
  tar --null --files-from=- --ignore-failed-read -cf - 2>/dev/null | tar -xf - -C "$work"
node -e '
const fs = require("fs");
const file = process.argv[1];
const manifest = JSON.parse(fs.readFileSync(file, "utf8"));
manifest.devDependencies["@pulumi/pulumi"] = process.argv[2];
fs.writeFileSync(file, JSON.stringify(manifest, null, 2) + "\n");
' "$work/package.json" "$sdk"

cd "$work"
stamp=$( { cat package-lock.json; echo "$sdk $(node --version)"; } | sha256sum | cut -d' ' -f1)
if [[ -f install.stamp && $(cat install.stamp) == "$stamp" && -d node_modules ]]; then
  echo "test-oldest: node_modules already hold @pulumi/pulumi $sdk; skipping npm install"
else
  rm -f install.stamp
  # From package-lock.json's versions, but @pulumi/pulumi (and what it needs) at $sdk: only the copy's lock changes.
  npm install --no-audit --no-fund
  echo "$stamp" >install.stamp
fi
installed=$(node -p 'require("@pulumi/pulumi/package.json").version')
[[ $installed == "$sdk" ]] || { echo "test-oldest: @pulumi/pulumi $installed installed, expected $sdk" >&2; exit 1; }

npm run test:unit
npm run test:integration
# Both lifecycles: from the installed package, and from the repository, where the program serializes
# the provider by value (3.216's closure serializer once failed on it while the package path passed).
for from in package repo; do
  lifecycle="an adopted single-tunnel connection, provider from $from"
  npm run test:e2e -- --grep "$lifecycle" | tee .e2e-lifecycle.log
  # A renamed scenario would match nothing, and mocha passes when no test ran.
  grep -Eq '^[1-9][0-9]* passed, 0 failed' .e2e-lifecycle.log ||
    { echo "test-oldest: no end-to-end test matched \"$lifecycle\" (renamed?)" >&2; exit 1; }
done
echo "test-oldest: the oldest combination passed in $((SECONDS - started)) s"
