#!/usr/bin/env bash
# The demo: the top-level Pulumi.yaml program (examples/demo/index.ts) against the local VPC API
# emulator, with the real Pulumi CLI and a local file backend. Nothing leaves 127.0.0.1.
#
#   bash scripts/demo.sh
#
# 1. installs the npm packages (`npm ci`, skipped when node_modules already matches package-lock.json),
#    the Pulumi CLI (scripts/install-pulumi.sh) and builds (`npm run build`); DEMO_SKIP_INSTALL=1
#    skips all three (test/e2e/demo.test.ts, after the suite's own build);
# 2. starts the emulator (tasks take 2 s) and seeds a single-tunnel and a dual-tunnel connection;
# 3. creates a stack in .demo/ (git-ignored; recreated on every run) with the connection ids and a
#    secret PSK in its config, runs `pulumi preview` and `pulumi up`;
# 4. prints the Modify calls the emulator received (PSKs masked, as the emulator logs them) and the
#    connections' final state (PSKs left out), then stops the emulator.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$repo_root"

DEMO_DIR=$repo_root/.demo
STACK=emulator-demo
SINGLE=vco-demo-single
DUAL=vco-demo-dual

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'demo: error: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------------
step "Installing and building"
if [[ ${DEMO_SKIP_INSTALL:-} == 1 ]]; then
  # The end-to-end suite runs the demo after its own build, with the CLI it found.
  echo "DEMO_SKIP_INSTALL=1: using node_modules, the Pulumi CLI and the build as they are"
else
  if [[ -f node_modules/.package-lock.json && node_modules/.package-lock.json -nt package-lock.json ]]; then
    echo "node_modules is up to date with package-lock.json; skipping npm ci"
  else
    npm ci --no-audit --no-fund
  fi
  bash scripts/install-pulumi.sh
  npm run build
fi

# ---------------------------------------------------------------------------------------------------
step "Starting the emulator"
rm -rf "$DEMO_DIR"
mkdir -p "$DEMO_DIR/backend" "$DEMO_DIR/home"
node bin/emulator/main.js --port 0 --task-duration-ms 2000 >"$DEMO_DIR/emulator.out" 2>"$DEMO_DIR/emulator.err" &
emulator_pid=$!
stop_emulator() {
  if kill -0 "$emulator_pid" 2>/dev/null; then
    kill -TERM "$emulator_pid" 2>/dev/null || true
    wait "$emulator_pid" 2>/dev/null || true
  fi
}
trap stop_emulator EXIT

# Its first stdout line is JSON: {"endpoint":..,"port":..,"accessKeyId":..,"accessKeySecret":..}.
for _ in $(seq 1 100); do
  [[ -s $DEMO_DIR/emulator.out ]] && break
  kill -0 "$emulator_pid" 2>/dev/null || die "the emulator exited: $(cat "$DEMO_DIR/emulator.err")"
  sleep 0.1
done
emulator_json=$(head -n1 "$DEMO_DIR/emulator.out")
json_field() { node -e 'process.stdout.write(String(JSON.parse(process.argv[1])[process.argv[2]]))' "$emulator_json" "$1"; }
endpoint=$(json_field endpoint)
[[ $endpoint == http://127.0.0.1:* ]] || die "unexpected emulator endpoint: $endpoint"
echo "emulator at $endpoint (pid $emulator_pid)"

# Every call below, the provider's included, goes to the emulator on loopback only.
unset HTTP_PROXY HTTPS_PROXY ALL_PROXY http_proxy https_proxy all_proxy
unset ALIBABA_CLOUD_ACCESS_KEY_ID ALIBABA_CLOUD_ACCESS_KEY_SECRET ALIBABA_CLOUD_SECURITY_TOKEN ALICLOUD_SECURITY_TOKEN
unset ALIBABA_CLOUD_ROLE_ARN ALIBABA_CLOUD_CREDENTIALS_URI ALIBABA_CLOUD_PROFILE PULUMI_ACCESS_TOKEN
export NO_PROXY=127.0.0.1,localhost
export ALICLOUD_VPC_ENDPOINT=$endpoint
export ALICLOUD_ACCESS_KEY
export ALICLOUD_SECRET_KEY
ALICLOUD_ACCESS_KEY=$(json_field accessKeyId)
ALICLOUD_SECRET_KEY=$(json_field accessKeySecret)

# Admin API helper: admin METHOD PATH, a JSON body (if any) on stdin, the answer on stdout.
cat >"$DEMO_DIR/admin.js" <<'EOF'
const [endpoint, method, path] = process.argv.slice(2);
const body = method === "POST" || method === "PATCH" || method === "PUT" ? require("fs").readFileSync(0, "utf8") : undefined;
fetch(`${endpoint}/__admin/${path}`, { method, headers: { "content-type": "application/json" }, body })
  .then(async (res) => {
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} /__admin/${path}: HTTP ${res.status} ${text}`);
    process.stdout.write(text);
  })
  .catch((err) => { console.error(err.message); process.exit(1); });
EOF
admin() { node "$DEMO_DIR/admin.js" "$endpoint" "$@"; }

step "Seeding $SINGLE (single tunnel) and $DUAL (dual tunnel)"
node -e '
const f = require("./bin/emulator/fixtures");
console.log(JSON.stringify([f.singleTunnelConnection(process.argv[1]), f.dualTunnelConnection(process.argv[2])]));
' "$SINGLE" "$DUAL" | admin POST connections >/dev/null
echo "seeded: both attached, IKE/IPsec aes/sha1/group2, names emulator-demo-single / emulator-demo-dual"

# ---------------------------------------------------------------------------------------------------
step "Creating stack $STACK (backend file://$DEMO_DIR/backend)"
export PULUMI_HOME=$DEMO_DIR/home
export PULUMI_BACKEND_URL=file://$DEMO_DIR/backend
unset PULUMI_CONFIG_PASSPHRASE_FILE
export PULUMI_CONFIG_PASSPHRASE=emulator-demo  # this throw-away stack's own
# `stack init` writes Pulumi.<stack>.yaml beside Pulumi.yaml; keep it in .demo/ instead.
[[ ! -e Pulumi.$STACK.yaml ]] || die "Pulumi.$STACK.yaml already exists in $repo_root; move it away first"
pulumi stack init "$STACK" --non-interactive
mv "Pulumi.$STACK.yaml" "$DEMO_DIR/"
cfg=(--config-file "$DEMO_DIR/Pulumi.$STACK.yaml" --non-interactive)
pulumi config set "${cfg[@]}" regionId cn-hangzhou
pulumi config set "${cfg[@]}" singleTunnelConnectionId "$SINGLE"
pulumi config set "${cfg[@]}" dualTunnelConnectionId "$DUAL"
# A fresh random PSK, given on stdin (not on a command line) and stored encrypted.
node -e 'process.stdout.write("demo" + require("crypto").randomBytes(12).toString("hex"))' |
  pulumi config set "${cfg[@]}" --secret singleTunnelPsk
pulumi config "${cfg[@]}"

step "pulumi preview"
pulumi preview "${cfg[@]}" --diff

step "pulumi up"
pulumi up "${cfg[@]}" --yes --skip-preview

# ---------------------------------------------------------------------------------------------------
step "What changed: the Modify calls the emulator received (PSKs masked by the emulator)"
admin GET calls | node -e '
const calls = JSON.parse(require("fs").readFileSync(0, "utf8"));
const counts = {};
for (const c of calls) counts[`${c.action} ${c.code}`] = (counts[`${c.action} ${c.code}`] ?? 0) + 1;
console.log("all API calls:", Object.entries(counts).map(([k, n]) => `${n} x ${k}`).join(", "));
for (const c of calls.filter((c) => c.action === "ModifyVpnAttachmentAttribute")) {
  const { ClientToken, RegionId, VpnConnectionId, ...changed } = c.params;
  console.log(`\n${c.time} ${c.action} ${VpnConnectionId} -> HTTP ${c.httpStatus} ${c.code}`);
  for (const [k, v] of Object.entries(changed)) console.log(`    ${k} = ${v}`);
}
'

step "The connections now (as the emulator stores them; PSKs left out)"
admin GET connections | node -e '
const conns = JSON.parse(require("fs").readFileSync(0, "utf8"));
const noPsk = (o) => { if (!o) return o; const { Psk, ...rest } = o; return { ...rest, ...(Psk !== undefined && { Psk: "(set)" }) }; };
for (const c of conns) {
  console.log(`\n${c.VpnConnectionId}: Name=${c.Name} State=${c.State} LocalSubnet=${c.LocalSubnet} RemoteSubnet=${c.RemoteSubnet}`);
  if (c.IkeConfig) console.log("    IkeConfig   ", JSON.stringify(noPsk(c.IkeConfig)));
  if (c.IpsecConfig) console.log("    IpsecConfig ", JSON.stringify(c.IpsecConfig));
  if (c.EnableDpd !== undefined) console.log("    EnableDpd   ", c.EnableDpd);
  for (const t of c.TunnelOptionsSpecification?.TunnelOptions ?? []) {
    console.log(`    tunnel ${t.TunnelIndex} (${t.TunnelId}) State=${t.State}`);
    console.log("        TunnelIkeConfig  ", JSON.stringify(noPsk(t.TunnelIkeConfig)));
    console.log("        TunnelIpsecConfig", JSON.stringify(t.TunnelIpsecConfig));
  }
}
'

step "Stack outputs"
pulumi stack output --non-interactive

cat <<EOF

Done. The emulator stops now; the stack's state stays in .demo/ (rebuilt by the next run).
To look at it:  source scripts/env.sh; export PULUMI_HOME=$DEMO_DIR/home PULUMI_BACKEND_URL=file://$DEMO_DIR/backend PULUMI_CONFIG_PASSPHRASE=$PULUMI_CONFIG_PASSPHRASE
                pulumi stack export --stack $STACK
EOF
