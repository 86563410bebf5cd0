#!/usr/bin/env bash
# Makes the Pulumi CLI (v3.276.0) and a Node.js language host available on this machine without
# downloading release binaries: both are built from Go modules (the Go module proxy is all we need).
#
#   bash scripts/install-pulumi.sh            # use an ambient v3 install if there is one, else build
#   bash scripts/install-pulumi.sh --rebuild  # ignore any ambient install and rebuild .tools/pulumi/bin
#
# Result, when nothing usable is on PATH: <repo>/.tools/pulumi/bin/ holds
#   pulumi                         built from github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v3.276.0
#   pulumi-language-nodejs         built from scripts/pulumi-cli/cmd/pulumi-language-nodejs (see the note
#                                  there: the upstream host's module is not served by the proxy)
#   pulumi-resource-pulumi-nodejs  built from scripts/pulumi-cli/cmd/pulumi-resource-pulumi-nodejs: the
#                                  dynamic-provider plugin (runs @pulumi/pulumi's dynamic provider from the
#                                  project's node_modules, like the script of that name in @pulumi/pulumi,
#                                  and ends it when the engine is gone)
# The CLI finds both plugins next to its own (symlink-resolved) binary, and also on PATH.
#
# The wrapper Go module scripts/pulumi-cli (go.mod + go.sum, committed) pins every dependency; Go's
# default module and build caches under $HOME are reused, so a cold build takes ~4-5 minutes on 2 cores
# and a warm run of this script takes seconds.
set -euo pipefail

PULUMI_VERSION=v3.276.0
PULUMI_PKG=github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
VERSION_VAR=github.com/pulumi/pulumi/sdk/v3/go/common/version.Version

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd -P)
MODULE_DIR=$SCRIPT_DIR/pulumi-cli
TOOLS_DIR=$REPO_ROOT/.tools/pulumi
BIN_DIR=$TOOLS_DIR/bin
STAMP_FILE=$TOOLS_DIR/build.stamp
DYNAMIC_PLUGIN=pulumi-resource-pulumi-nodejs

# Never let our own `pulumi version` calls phone home for an update check.
export PULUMI_SKIP_UPDATE_CHECK=true

log() { printf 'install-pulumi: %s\n' "$*"; }
die() { printf 'install-pulumi: error: %s\n' "$*" >&2; exit 1; }

rebuild=0
for arg in "$@"; do
  case $arg in
    --rebuild) rebuild=1 ;;
    -h|--help) sed -n '2,20p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) die "unknown argument: $arg (try --help)" ;;
  esac
done

# Prints the version a pulumi binary reports, or nothing.
pulumi_version_of() { "$1" version 2>/dev/null | head -n1 || true; }

print_path_hint() {
  log "to use it in this shell:"
  echo "export PATH=\"$BIN_DIR:\$PATH\""
  echo "export PULUMI_SKIP_UPDATE_CHECK=true  # offline: stop every pulumi command from checking for updates"
}

# 1. An ambient Pulumi v3 with a Node.js language host: nothing to do.
if [[ $rebuild == 0 ]] && ambient=$(command -v pulumi 2>/dev/null) \
   && ambient_host=$(command -v pulumi-language-nodejs 2>/dev/null); then
  ambient_dir=$(dirname "$(readlink -f "$ambient")")
  if [[ ! -d $BIN_DIR || $ambient_dir != "$(cd "$BIN_DIR" && pwd -P)" ]]; then
    ambient_version=$(pulumi_version_of "$ambient")
    if [[ $ambient_version == v3.* ]]; then
      log "using the Pulumi CLI already on PATH; nothing to build"
      log "pulumi ($ambient_version): $ambient"
      log "pulumi-language-nodejs: $ambient_host"
      if dyn=$(command -v "$DYNAMIC_PLUGIN" 2>/dev/null); then
        log "$DYNAMIC_PLUGIN: $dyn"
      elif [[ -x $ambient_dir/$DYNAMIC_PLUGIN ]]; then
        log "$DYNAMIC_PLUGIN: $ambient_dir/$DYNAMIC_PLUGIN"
      else
        log "warning: $DYNAMIC_PLUGIN is neither on PATH nor next to pulumi; dynamic providers will fail"
      fi
      [[ $ambient_version == "$PULUMI_VERSION" ]] ||
        log "note: the project pins $PULUMI_VERSION; run with --rebuild to build that version"
      echo "pulumi version: $ambient_version"
      exit 0
    fi
    log "ignoring $ambient: it reports '${ambient_version:-nothing}', not a v3 version"
  fi
fi

# 2. Our own build in .tools/pulumi/bin, rebuilt only when missing, wrong or out of date.
command -v go >/dev/null 2>&1 || die "go is not on PATH (needed to build the Pulumi CLI)"
[[ -f $MODULE_DIR/go.mod && -f $MODULE_DIR/go.sum ]] || die "missing $MODULE_DIR/go.mod or go.sum"

# What the binaries are built from: the wrapper module's files (a changed host source or go.sum rebuilds).
build_inputs_hash() {
  {
    echo "$PULUMI_VERSION"
    (cd "$MODULE_DIR" && find . -type f \( -name '*.go' -o -name 'go.mod' -o -name 'go.sum' \) -print0 |
      LC_ALL=C sort -z | xargs -0 sha256sum)
  } | sha256sum | cut -d' ' -f1
}
want_stamp=$(build_inputs_hash)

up_to_date=0
if [[ $rebuild == 0 && -x $BIN_DIR/pulumi && -x $BIN_DIR/pulumi-language-nodejs && -x $BIN_DIR/$DYNAMIC_PLUGIN ]] &&
   [[ $(pulumi_version_of "$BIN_DIR/pulumi") == "$PULUMI_VERSION" ]] &&
   [[ -f $STAMP_FILE && $(cat "$STAMP_FILE") == "$want_stamp" ]]; then
  up_to_date=1
fi

if [[ $up_to_date == 1 ]]; then
  log "$BIN_DIR already has pulumi $PULUMI_VERSION and its Node.js plugins; skipping the build"
else
  log "building pulumi $PULUMI_VERSION, pulumi-language-nodejs and $DYNAMIC_PLUGIN into $BIN_DIR"
  log "(a cold build takes ~4-5 minutes on 2 cores; Go's caches make later ones fast)"
  mkdir -p "$BIN_DIR"
  tmp=$(mktemp -d "$TOOLS_DIR/.build.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  start=$SECONDS
  # -mod=readonly: go.mod/go.sum are committed and complete; never rewrite them (and never need the
  # network for go.sum) during a build. Modules come from the module cache, or the proxy when cold.
  (cd "$MODULE_DIR" &&
    go build -mod=readonly -trimpath \
      -ldflags "-s -w -X $VERSION_VAR=$PULUMI_VERSION" \
      -o "$tmp/" "$PULUMI_PKG" ./cmd/pulumi-language-nodejs ./cmd/$DYNAMIC_PLUGIN)
  built_version=$(pulumi_version_of "$tmp/pulumi")
  [[ $built_version == "$PULUMI_VERSION" ]] ||
    die "built pulumi reports '${built_version}', expected $PULUMI_VERSION"
  mv -f "$tmp/pulumi" "$BIN_DIR/pulumi"
  mv -f "$tmp/pulumi-language-nodejs" "$BIN_DIR/pulumi-language-nodejs"
  rm -f "$BIN_DIR/$DYNAMIC_PLUGIN"  # a symlink to @pulumi/pulumi's script in older builds of this script
  mv -f "$tmp/$DYNAMIC_PLUGIN" "$BIN_DIR/$DYNAMIC_PLUGIN"
  echo "$want_stamp" >"$STAMP_FILE"
  log "built in $((SECONDS - start))s"
fi

log "pulumi:                        $BIN_DIR/pulumi"
log "pulumi-language-nodejs:        $BIN_DIR/pulumi-language-nodejs"
log "$DYNAMIC_PLUGIN: $BIN_DIR/$DYNAMIC_PLUGIN"
print_path_hint
echo "pulumi version: $("$BIN_DIR/pulumi" version)"
