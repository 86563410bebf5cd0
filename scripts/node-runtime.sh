# Sourced (by scripts/env.sh and scripts/test-oldest.sh): puts a supported Node.js first on PATH.
#
# The project supports Node 22 and 24 (package.json "engines"). Machines may come with an older one, so
# `use_node MAJOR` takes the node on PATH when it has that major version, and otherwise the official
# binaries of the pinned release below, installed once from the npm package `node` into
# .tools/node-<version>/ (git-ignored) and reused by every later run.
# Needs `repo_root` (set by env.sh) and, for the first install only, npm on PATH.

# The release each supported major version installs, when the machine has none of that major.
node_release_for() {
  case $1 in
    24) echo 24.21.0 ;;
    22) echo 22.23.3 ;;
    *) echo "node-runtime: Node $1 is not a supported version (22 or 24)" >&2; return 1 ;;
  esac
}

# The major version of the node on PATH, or 0 when there is none.
node_major() {
  local v
  v=$(node --version 2>/dev/null) || { echo 0; return; }
  v=${v#v}
  echo "${v%%.*}"
}

# Prints the bin directory of Node <version> under .tools, installing it first when it is missing or broken.
node_tools_bin() {
  local version=$1
  local dir=$repo_root/.tools/node-$version
  local bin=$dir/node_modules/node/bin
  if [[ $("$bin/node" --version 2>/dev/null) != "v$version" ]]; then
    command -v npm >/dev/null 2>&1 ||
      { echo "node-runtime: npm is not on PATH; it is needed once to install Node $version" >&2; return 1; }
    echo "node-runtime: installing Node.js $version into .tools/node-$version (npm package node@$version)" >&2
    # Into a scratch folder first, so that an interrupted install never looks like a usable one.
    local tmp=$dir.partial
    rm -rf "$tmp" "$dir"
    mkdir -p "$tmp"
    echo '{"private": true}' >"$tmp/package.json"
    npm install --prefix "$tmp" --no-audit --no-fund --loglevel=error "node@$version" >&2 || { rm -rf "$tmp"; return 1; }
    mv "$tmp" "$dir"
    [[ $("$bin/node" --version 2>/dev/null) == "v$version" ]] ||
      { echo "node-runtime: $bin/node does not report v$version" >&2; return 1; }
  fi
  echo "$bin"
}

# Makes `node` (and the npm run by it) Node <major> for everything that follows in this shell.
use_node() {
  local major=$1 release bin
  [[ $(node_major) == "$major" ]] && return 0
  release=$(node_release_for "$major") || return 1
  bin=$(node_tools_bin "$release") || return 1
  export PATH="$bin:$PATH"
  hash -r
}
