# Sourced by the project's scripts: keeps every run offline and on loopback.
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export PATH="$repo_root/.tools/pulumi/bin:$repo_root/node_modules/.bin:$PATH"
# A supported Node.js (22 or 24) first on PATH: Node 24, installed into .tools/, when the one here is older.
source "$repo_root/scripts/node-runtime.sh"
(( $(node_major) >= 22 )) || use_node 24
# Without this, @alicloud/credentials asks the ECS metadata service (100.100.100.200) when no key is found.
export ALIBABA_CLOUD_ECS_METADATA_DISABLED=true
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
export PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK=true
export PULUMI_DIY_BACKEND_NO_LEGACY_WARNING=true
