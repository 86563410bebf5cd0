import { expect } from "chai";
import { dualTunnelConnection, EmulatorHandle, singleTunnelConnection, startEmulator } from "../../emulator";
import {
    callsFor,
    callsSince,
    changedParams,
    connectionId,
    isSecretEnvelope,
    killRunningCommands,
    pskInClear,
    PulumiProject,
    REPO_ROOT,
    ResourceSpec,
    timings,
} from "./harness";

/**
 * The real Pulumi CLI (preview, up, refresh, destroy, stack export) running the
 * provider against the emulator, fully offline (see harness.ts).
 *
 * Each `describe` has its own Pulumi project, stack and connections, so any one
 * of them can run alone (`--grep`); steps inside one `describe` that build on
 * each other say so in its title and run in the order written. Scenarios use the
 * provider as npm installs it unless they say otherwise.
 *
 * Set E2E_KEEP=1 to keep the projects in .e2e/ (each command's output is in
 * <project>/logs/). Needs `npm run build` and `bash scripts/install-pulumi.sh`.
 */

const REGION = "cn-hangzhou";
/** Long enough that "up waited for the task" is measurable, short enough to keep the suite quick. */
const TASK_MS = 1000;
const MODIFY = "ModifyVpnAttachmentAttribute";
const RESOURCE_TYPE = "pulumi-nodejs:dynamic/alicloud:VpnAttachmentAttribute";
const ENTRY_POINT = "pulumi-alicloud-vpn-attachment-attribute/provider-entry";
const ENTRY_FILE = "pulumi-alicloud-vpn-attachment-attribute/bin/provider/entry.js";

describe("pulumi CLI end to end (emulator)", function () {
    this.timeout(300_000);
    this.slow(20_000);
    let emulator: EmulatorHandle;
    const suiteStarted = Date.now();
    /** Length of the serialized provider (`__provider`) per way of loading it, for the summary. */
    const providerSizes: Record<string, number> = {};

    before(async () => {
        // Keys of its own, so a leak of the secret is unmistakable in any output.
        emulator = await startEmulator({
            port: 0,
            taskDurationMs: TASK_MS,
            accessKeyId: "LTAIe2eAccessKeyId",
            accessKeySecret: "e2eAccessKeySecretZq7Wx",
        });
    });

    after(async () => {
        killRunningCommands();
        await emulator?.close();
        if (timings.length > 0) {
            const lines = timings.map(
                (t) => `      ${(t.ms / 1000).toFixed(1).padStart(5)} s  ${t.scope}: ${t.command}`,
            );
            const cli = timings.reduce((sum, t) => sum + t.ms, 0) / 1000;
            console.log(
                `\n    pulumi commands (${timings.length}, ${cli.toFixed(1)} s of ${((Date.now() - suiteStarted) / 1000).toFixed(1)} s):`,
            );
            console.log(lines.join("\n"));
            const byScope = new Map<string, number>();
            for (const t of timings) byScope.set(t.scope, (byScope.get(t.scope) ?? 0) + t.ms);
            console.log(
                "    per project:",
                [...byScope].map(([scope, ms]) => `${scope} ${(ms / 1000).toFixed(1)} s`).join(", "),
            );
        }
        for (const [from, size] of Object.entries(providerSizes)) {
            console.log(
                `    __provider with the provider from ${from}: ${(size / 1024).toFixed(0)} KB (stored twice per resource)`,
            );
        }
    });

    afterEach(() => {
        emulator.admin.clearFaults();
    });

    // The same steps with the provider as users install it (node_modules: serialized as require() references)
    // and as examples/demo loads it (from the repository: serialized by value).
    for (const providerFrom of ["package", "repo"] as const) {
        describe(`an adopted single-tunnel connection, provider from ${providerFrom} (steps in order, one stack)`, () => {
            const id = connectionId(`life-${providerFrom}`);
            let project: PulumiProject;

            const declare = (attrs: Record<string, unknown>): ResourceSpec[] => [
                { name: "conn", args: { regionId: REGION, vpnConnectionId: id, ...attrs } },
            ];
            const adopted = {
                name: "site-a",
                localSubnet: "10.0.0.0/16",
                remoteSubnet: "192.168.0.0/24",
                ipsecConfig: { ipsecPfs: "group2" },
            };
            const changed = {
                name: "site-b",
                localSubnet: "10.0.0.0/16",
                remoteSubnet: "192.168.1.0/24",
                ipsecConfig: { ipsecPfs: "group14" },
            };

            before(async () => {
                emulator.admin.seed(
                    singleTunnelConnection(id, {
                        Name: "site-a",
                        LocalSubnet: "10.0.0.0/16",
                        RemoteSubnet: "192.168.0.0/24",
                    }),
                );
                project = await PulumiProject.create(emulator, `lifecycle-${providerFrom}`, { providerFrom });
            });
            after(() => project?.dispose());

            it("adopts a connection that already has the declared values without a Modify call", async () => {
                project.setResources(declare(adopted));
                const mark = emulator.admin.calls().length;
                const up = await project.up();
                expect(up.output).to.match(/\+ 2 created/);
                expect(callsFor(emulator, id, MODIFY, mark)).to.have.length(0);
                expect(
                    callsSince(emulator, mark).filter((c) => c.action.startsWith("DescribeVpnConnection")),
                ).to.have.length.at.least(1);

                // How Pulumi stored the provider: by reference to the installed package, or its code by value.
                const state = await project.resourceState("conn");
                const serialized = state.outputs?.__provider;
                expect(serialized, "__provider").to.be.a("string");
                expect(state.inputs?.__provider, "__provider in inputs and outputs").to.equal(serialized);
                const code = serialized as string;
                const requires = [...code.matchAll(/require\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]);
                providerSizes[providerFrom] = code.length;
                expect(state.type).to.equal(RESOURCE_TYPE);
                if (providerFrom === "package") {
                    // The stable entry point is the only module the state may name (package.json "exports"): by its
                    // export name where Pulumi can read the package's exports, else by its file, exported too.
                    expect([[ENTRY_POINT], [ENTRY_FILE]], "modules the stored provider requires").to.deep.include(
                        requires,
                    );
                    expect(code.length, "one require(), not the provider's code").to.be.below(1_000);
                } else {
                    expect(requires.filter((r) => r.startsWith("pulumi-alicloud-vpn-attachment-attribute"))).to.be
                        .empty;
                    expect(code, "the provider's own code").to.include("ModifyVpnAttachmentAttribute");
                    expect(code.length).to.be.below(500_000);
                }
                // Nothing machine-specific or live was captured: no absolute paths, no credentials.
                expect(code).to.not.include(REPO_ROOT);
                expect(code).to.not.include(emulator.endpoint);
                expect(code).to.not.include(emulator.accessKeySecret);
                const outputs = await project.run(["stack", "output", "providerModule"]);
                expect(outputs.stdout.trim()).to.satisfy((p: string) =>
                    providerFrom === "package"
                        ? p.startsWith(`${project.dir}/node_modules/`)
                        : p.startsWith(`${REPO_ROOT}/bin/provider/`),
                );
            });

            it("1. preview shows the change and makes no API call", async () => {
                project.setResources(declare(changed));
                const mark = emulator.admin.calls().length;
                const preview = await project.preview();
                expect(preview.output).to.match(
                    /~ pulumi-nodejs:dynamic\/alicloud:VpnAttachmentAttribute: \(update\)\s+\[id=vco-life-\w+-\w+\]\s+\[urn=\S+::conn\]/,
                );
                expect(preview.output).to.match(/name\s*:\s*"site-a" => "site-b"/);
                expect(preview.output).to.match(/"192\.168\.0\.0\/24" => "192\.168\.1\.0\/24"/);
                expect(preview.output).to.match(/ipsecPfs\s*:\s*"group2" => "group14"/);
                expect(preview.output).to.match(/~ 1 to update/);
                expect(callsSince(emulator, mark), "API calls during preview").to.deep.equal([]);
                expect(emulator.admin.get(id).Name).to.equal("site-a");
            });

            it("2. up sends one Modify with only the changed fields and returns once the task is done", async () => {
                const mark = emulator.admin.calls().length;
                const up = await project.up();
                const returnedAt = Date.now();
                const conn = emulator.admin.get(id);

                expect(up.output).to.match(/~ 1 updated/);
                const modifies = callsFor(emulator, id, MODIFY, mark);
                expect(modifies, "Modify calls").to.have.length(1);
                // LocalSubnet goes along unchanged: both subnets go with every Modify (docs/service-readings.md).
                expect(changedParams(modifies[0])).to.deep.equal([
                    "IpsecConfig",
                    "LocalSubnet",
                    "Name",
                    "RemoteSubnet",
                ]);
                expect(modifies[0].params.Name).to.equal("site-b");
                expect(JSON.parse(modifies[0].params.IpsecConfig)).to.include({ IpsecPfs: "group14" });
                // The task ran TASK_MS after the call was answered; `up` returned after it ended.
                expect(returnedAt - Date.parse(modifies[0].time)).to.be.at.least(TASK_MS);
                expect(conn.State, "State when up returned").to.equal("attached");
                expect(conn.Name).to.equal("site-b");
                expect(conn.RemoteSubnet).to.equal("192.168.1.0/24");
                expect(conn.IpsecConfig?.IpsecPfs).to.equal("group14");

                const state = await project.resourceState("conn");
                expect(state.outputs).to.include({ name: "site-b", remoteSubnet: "192.168.1.0/24", state: "attached" });
            });

            it("3. a second up without program changes changes nothing and makes no Modify call", async () => {
                const mark = emulator.admin.calls().length;
                const up = await project.up();
                expect(up.output).to.match(/2 unchanged/);
                expect(up.output).to.not.match(/updated|created|replaced/);
                expect(callsSince(emulator, mark).filter((c) => c.action === MODIFY)).to.deep.equal([]);
            });

            it("4. refresh shows drift made outside Pulumi, and the next up restores the declared values", async () => {
                emulator.admin.patch(id, { Name: "drifted", IpsecConfig: { IpsecPfs: "group5" } });
                let mark = emulator.admin.calls().length;
                const refresh = await project.refresh();
                expect(refresh.output).to.match(/name\s*:\s*"site-b" => "drifted"/);
                expect(refresh.output).to.match(/ipsecPfs\s*:\s*"group14" => "group5"/);
                expect(
                    callsSince(emulator, mark).filter((c) => c.action === MODIFY),
                    "Modify during refresh",
                ).to.deep.equal([]);
                expect((await project.resourceState("conn")).outputs).to.include({ name: "drifted" });

                mark = emulator.admin.calls().length;
                const up = await project.up();
                expect(up.output).to.match(/~ 1 updated/);
                const modifies = callsFor(emulator, id, MODIFY, mark);
                expect(modifies).to.have.length(1);
                expect(changedParams(modifies[0])).to.deep.equal([
                    "IpsecConfig",
                    "LocalSubnet",
                    "Name",
                    "RemoteSubnet",
                ]);
                const conn = emulator.admin.get(id);
                expect(conn).to.include({ Name: "site-b", State: "attached" });
                expect(conn.IpsecConfig?.IpsecPfs).to.equal("group14");
            });
        });
    }

    describe("100 resources", () => {
        const ids = Array.from({ length: 100 }, (_, i) => `vco-scale-${String(i).padStart(3, "0")}`);
        before(() => emulator.admin.seed(ids.map((id) => singleTunnelConnection(id))));

        for (const providerFrom of ["package", "repo"] as const) {
            it(`preview stays cheap with the provider from ${providerFrom}: no API call, seconds not minutes`, async () => {
                const project = await PulumiProject.create(emulator, `scale-${providerFrom}`, { providerFrom });
                try {
                    project.setResources(
                        ids.map((id, i) => ({
                            name: `conn-${i}`,
                            args: { regionId: REGION, vpnConnectionId: id, name: `site-${i}` },
                        })),
                    );
                    const mark = emulator.admin.calls().length;
                    const preview = await project.preview();
                    expect(preview.output).to.match(/\+ 101 to create/);
                    expect(callsSince(emulator, mark)).to.deep.equal([]);
                    // Generous: about 4 s (package) and 6 s (repo) on 2 cores; a blow-up would take minutes.
                    expect(preview.ms).to.be.below(60_000);
                } finally {
                    project.dispose();
                }
            });
        }
    });

    describe("dual-tunnel connection", () => {
        const id = connectionId("dual");
        const tunnel2 = `tun-${id.slice(4)}-2`;
        let project: PulumiProject;
        const declare = (tunnel2Pfs: "group2" | "group14"): ResourceSpec[] => [
            {
                name: "dual",
                args: {
                    regionId: REGION,
                    vpnConnectionId: id,
                    tunnelOptionsSpecification: [
                        { tunnelIndex: 1, tunnelIkeConfig: { ikeVersion: "ikev2", ikePfs: "group2" } },
                        { tunnelIndex: 2, tunnelIkeConfig: { ikeVersion: "ikev2", ikePfs: tunnel2Pfs } },
                    ],
                },
            },
        ];

        before(async () => {
            emulator.admin.seed(dualTunnelConnection(id));
            project = await PulumiProject.create(emulator, "dual-tunnel");
            project.setResources(declare("group2"));
            await project.up();
            expect(callsFor(emulator, id, MODIFY), "Modify when adopting").to.deep.equal([]);
        });
        after(() => project?.dispose());

        it("5. changing one tunnel's IKE settings sends only that tunnel", async () => {
            const before = emulator.admin.get(id).TunnelOptionsSpecification?.TunnelOptions ?? [];
            project.setResources(declare("group14"));
            const mark = emulator.admin.calls().length;
            const up = await project.up();
            expect(up.output).to.match(/1 updated/);

            const modifies = callsFor(emulator, id, MODIFY, mark);
            expect(modifies).to.have.length(1);
            const params = modifies[0].params;
            const entries = new Set(
                Object.keys(params)
                    .filter((k) => k.startsWith("TunnelOptionsSpecification."))
                    .map((k) => k.split(".")[1]),
            );
            expect([...entries], "tunnel entries sent").to.deep.equal(["1"]);
            const sentTunnel =
                params["TunnelOptionsSpecification.1.TunnelId"] ?? params["TunnelOptionsSpecification.1.TunnelIndex"];
            expect([tunnel2, "2"]).to.include(sentTunnel);
            expect(params["TunnelOptionsSpecification.1.TunnelIkeConfig.IkePfs"]).to.equal("group14");

            const after = emulator.admin.get(id).TunnelOptionsSpecification?.TunnelOptions ?? [];
            expect(after[0], "tunnel 1 untouched").to.deep.equal(before[0]);
            expect(after[1].TunnelIkeConfig?.IkePfs).to.equal("group14");
            expect(after[1].State).to.not.equal("updating");
        });
    });

    describe("every reading of the service at once (the strictest combination)", () => {
        const id = connectionId("strict");
        let project: PulumiProject;
        const declare = (lifetime: number): ResourceSpec[] => [
            {
                name: "strict",
                args: {
                    regionId: REGION,
                    vpnConnectionId: id,
                    name: `strict-${lifetime}`,
                    tunnelOptionsSpecification: [{ tunnelIndex: 1, tunnelIkeConfig: { ikeLifetime: lifetime } }],
                },
            },
        ];

        before(async () => {
            emulator.admin.setReadings(["subnetsWithConfig", "resetOmitted", "lateReads", "canonical"]);
            emulator.admin.seed(dualTunnelConnection(id));
            project = await PulumiProject.create(emulator, "strict-readings");
        });
        after(() => {
            emulator.admin.setReadings([]);
            project?.dispose();
        });

        it("5b. up converges with one applied Modify and nothing undeclared changed; the next up changes nothing", async () => {
            const before = emulator.admin.get(id);
            project.setResources(declare(3600));
            const mark = emulator.admin.calls().length;
            const up = await project.up();
            expect(up.output).to.match(/\+ 2 created/);
            const modifies = callsFor(emulator, id, MODIFY, mark);
            expect(modifies.map((c) => c.code)).to.deep.equal(["OK"]);

            const after = emulator.admin.get(id);
            const [was1, was2] = before.TunnelOptionsSpecification?.TunnelOptions ?? [];
            const [now1, now2] = after.TunnelOptionsSpecification?.TunnelOptions ?? [];
            expect(now1).to.deep.equal({
                ...was1,
                TunnelIkeConfig: { ...was1.TunnelIkeConfig, IkeLifetime: "3600" },
            });
            expect(now2, "the other tunnel is not sent").to.deep.equal(was2);
            expect(after).to.include({ Name: "strict-3600", LocalSubnet: before.LocalSubnet, State: "attached" });

            const again = emulator.admin.calls().length;
            await project.up();
            expect(callsFor(emulator, id, MODIFY, again), "no Modify when nothing changed").to.deep.equal([]);
        });
    });

    describe("invalid input", () => {
        const id = connectionId("invalid");
        let project: PulumiProject;
        before(async () => {
            emulator.admin.seed(singleTunnelConnection(id));
            project = await PulumiProject.create(emulator, "invalid-input");
        });
        after(() => project?.dispose());

        it("6. preview fails naming the property and the rule, before any API call", async () => {
            project.setResources([
                {
                    name: "bad",
                    args: {
                        regionId: REGION,
                        vpnConnectionId: id,
                        bgpConfig: { enableBgp: true, tunnelCidr: "10.0.0.0/30", localBgpIp: "10.0.0.1" },
                    },
                },
            ]);
            const mark = emulator.admin.calls().length;
            const preview = await project.run(["preview"], { allowFailure: true });
            expect(preview.code).to.not.equal(0);
            expect(preview.output).to.match(/bgpConfig\.tunnelCidr/);
            expect(preview.output).to.match(/169\.254\.0\.0\/16/);
            expect(callsSince(emulator, mark), "API calls").to.deep.equal([]);
        });

        it("6c. preview fails on a typo or an unlisted algorithm, naming the property, the list and the page", async () => {
            project.setResources([
                {
                    name: "typo",
                    args: {
                        regionId: REGION,
                        vpnConnectionId: id,
                        // A JavaScript or YAML program has no types to catch these before preview.
                        ikeConfig: { ikePfs: "gruop14" as "group14", ikeEncAlg: "sm4" as "aes" },
                    },
                },
            ]);
            const mark = emulator.admin.calls().length;
            const preview = await project.run(["preview"], { allowFailure: true });
            expect(preview.code).to.not.equal(0);
            expect(preview.output).to.match(
                /ikeConfig\.ikePfs[^\n]*must be one of group1, group2, group5, group14, as the ModifyVpnAttachmentAttribute API page lists them; got "gruop14" \(did you mean "group14"\?\)/,
            );
            expect(preview.output).to.match(/ikeConfig\.ikeEncAlg[^\n]*must be one of aes, aes192, aes256, des, 3des/);
            expect(callsSince(emulator, mark), "API calls").to.deep.equal([]);
        });
    });

    describe("a change the connection cannot take in place (steps in order, one stack)", () => {
        const id = connectionId("in-place");
        let project: PulumiProject;
        const declare = (attrs: Record<string, unknown>): ResourceSpec[] => [
            { name: "conn", args: { regionId: REGION, vpnConnectionId: id, ...attrs } },
        ];
        before(async () => {
            emulator.admin.seed(singleTunnelConnection(id, { NetworkType: "public" }));
            project = await PulumiProject.create(emulator, "in-place");
            project.setResources(declare({ name: "site-np" }));
            await project.up();
        });
        after(() => project?.dispose());

        it("6b. preview fails for another networkType, saying why and what to do, before any API call", async () => {
            project.setResources(declare({ name: "site-np", networkType: "private" }));
            const mark = emulator.admin.calls().length;
            const preview = await project.run(["preview"], { allowFailure: true });
            expect(preview.code).to.not.equal(0);
            expect(preview.output).to.match(/networkType cannot change from public to private/);
            expect(preview.output).to.match(/IllegalParam\.NetworkType/);
            expect(callsSince(emulator, mark), "API calls").to.deep.equal([]);
            expect(emulator.admin.get(id).NetworkType).to.equal("public");
        });
    });

    describe("injected conflict and throttling", () => {
        const id = connectionId("faults");
        let project: PulumiProject;
        before(async () => {
            emulator.admin.seed(singleTunnelConnection(id));
            project = await PulumiProject.create(emulator, "faults");
        });
        after(() => project?.dispose());

        it("7. up still succeeds after VpnTask.CONFLICT and Throttling.User", async () => {
            project.setResources([
                { name: "conn", args: { regionId: REGION, vpnConnectionId: id, name: "after-faults" } },
            ]);
            emulator.admin.failNext({ code: "VpnTask.CONFLICT", httpStatus: 400, action: MODIFY });
            // One call per second per key, burst 1: the Modify right after the first Describe is throttled.
            emulator.admin.throttle({ perSecond: 1 });
            const mark = emulator.admin.calls().length;
            const up = await project.up();
            expect(up.output).to.match(/\+ 2 created/);

            const calls = callsFor(emulator, id, undefined, mark);
            const codes = calls.map((c) => `${c.action}:${c.code}`);
            expect(
                codes.filter((c) => c === `${MODIFY}:VpnTask.CONFLICT`),
                codes.join(", "),
            ).to.have.length(1);
            expect(
                codes.filter((c) => c.endsWith(":Throttling.User")),
                codes.join(", "),
            ).to.have.length.at.least(1);
            expect(
                codes.filter((c) => c === `${MODIFY}:OK`),
                codes.join(", "),
            ).to.have.length(1);
            expect(emulator.admin.get(id)).to.include({ Name: "after-faults", State: "attached" });
        });
    });

    describe("secrets", () => {
        const single = connectionId("secret-s");
        const dual = connectionId("secret-d");
        const programPsk = "ProgramPskTunnel1Qx9";
        const servicePsk = "ServicePskTunnel2Vb4";
        const replacedPsk = "ReplacedPskTunnel1Km3";
        const singlePsk = "ServicePskSingleZr8";
        let project: PulumiProject;

        before(async () => {
            // The single-tunnel connection's PSK is one the program never declares: the provider must send it
            // along with the changed IKE config (never an IkeConfig without Psk) and keep it out of sight.
            emulator.admin.seed(singleTunnelConnection(single, { IkeConfig: { Psk: singlePsk } }));
            emulator.admin.seed(
                dualTunnelConnection(dual, {
                    TunnelOptionsSpecification: {
                        TunnelOptions: [
                            { TunnelId: `tun-${dual.slice(4)}-1`, TunnelIkeConfig: { Psk: replacedPsk } },
                            { TunnelId: `tun-${dual.slice(4)}-2`, TunnelIkeConfig: { Psk: servicePsk } },
                        ],
                    },
                }),
            );
            expect(emulator.admin.get(single).IkeConfig?.Psk).to.equal(singlePsk);
            // Keys in stack config this time (alicloud:secretKey a secret), not in the environment.
            project = await PulumiProject.create(emulator, "secrets", { credentials: "config" });
        });
        after(() => project?.dispose());

        it("8. no PSK (set by the program or only known to the service) and no access key secret in state or CLI output", async () => {
            await project.setPsks({ tunnel1: programPsk });
            project.setResources([
                {
                    name: "single",
                    args: { regionId: REGION, vpnConnectionId: single, ikeConfig: { ikePfs: "group14" } },
                },
                {
                    name: "dual",
                    args: {
                        regionId: REGION,
                        vpnConnectionId: dual,
                        // The program passes this PSK as a plain value: the resource must make it secret.
                        tunnelOptionsSpecification: [
                            { tunnelIndex: 1, tunnelIkeConfig: { psk: "$psk:tunnel1", ikePfs: "group5" } },
                        ],
                    },
                },
            ]);
            await project.preview();
            await project.up();
            expect(emulator.admin.get(single).IkeConfig?.Psk, "the connection kept its PSK").to.equal(singlePsk);
            const tunnels = emulator.admin.get(dual).TunnelOptionsSpecification?.TunnelOptions ?? [];
            expect(tunnels[0].TunnelIkeConfig?.Psk, "the program's PSK reached the service").to.equal(programPsk);
            expect(callsFor(emulator, dual, MODIFY)[0].accessKeyId, "keys from config").to.equal(emulator.accessKeyId);

            emulator.admin.patch(single, { Name: "drift-for-refresh" });
            await project.refresh();
            await project.preview();
            await project.run(["stack", "output"]);
            await project.run(["stack", "output", "--json"]);
            await project.run(["stack", "history"]);
            const { text: exported, deployment } = await project.exportStack();

            // The PSKs are in state, encrypted.
            const singleState = deployment.resources?.find((r) => r.urn.endsWith("::single"));
            const dualState = deployment.resources?.find((r) => r.urn.endsWith("::dual"));
            expect(isSecretEnvelope(singleState?.outputs?.psk), "single: psk output is a secret").to.equal(true);
            expect(isSecretEnvelope(dualState?.outputs?.tunnelPsks), "dual: tunnelPsks output is a secret").to.equal(
                true,
            );
            expect(pskInClear(deployment), "PSK properties stored in clear").to.deep.equal([]);
            // Only the PSKs are secret: the tunnel settings around them stay readable in state and previews.
            expect(
                isSecretEnvelope(dualState?.inputs?.tunnelOptionsSpecification),
                "dual: tunnel settings readable",
            ).to.equal(false);
            expect(
                isSecretEnvelope(dualState?.outputs?.tunnelOptionsSpecification),
                "dual: tunnel outputs readable",
            ).to.equal(false);

            // Positive control: the values searched for below are the ones state holds (encrypted).
            const decrypted = await project.run(["stack", "export", "--show-secrets"], { record: false });
            for (const psk of [singlePsk, programPsk, servicePsk]) {
                expect(decrypted.stdout.includes(psk), "a PSK missing from the decrypted state").to.equal(true);
            }

            await project.destroy();

            const secrets = {
                "the program's PSK": programPsk,
                "the single connection's PSK": singlePsk,
                "the service's PSK (tunnel 2)": servicePsk,
                "the replaced PSK (tunnel 1)": replacedPsk,
                "the access key secret": emulator.accessKeySecret,
            };
            const places: Record<string, string> = { "stack export": exported };
            for (const [file, text] of Object.entries(project.backendFiles())) {
                places[file] = text;
            }
            for (const result of project.transcript) {
                places[`output of \`${result.command}\``] = result.output;
            }
            for (const [where, text] of Object.entries(places)) {
                for (const [what, secret] of Object.entries(secrets)) {
                    expect(text.includes(secret), `${what} appears in ${where}`).to.equal(false);
                }
            }
        });
    });

    describe("replacement and destroy (steps in order, one stack)", () => {
        const first = connectionId("repl-a");
        const second = connectionId("repl-b");
        let project: PulumiProject;
        const declare = (id: string): ResourceSpec[] => [
            { name: "conn", args: { regionId: REGION, vpnConnectionId: id, name: "managed" } },
        ];

        before(async () => {
            emulator.admin.seed([singleTunnelConnection(first), singleTunnelConnection(second)]);
            project = await PulumiProject.create(emulator, "replace-destroy");
            project.setResources(declare(first));
            await project.up();
            expect(emulator.admin.get(first).Name).to.equal("managed");
        });
        after(() => project?.dispose());

        it("9a. changing vpnConnectionId replaces the resource", async () => {
            project.setResources(declare(second));
            const preview = await project.preview();
            expect(preview.output).to.match(
                /\+-pulumi-nodejs:dynamic\/alicloud:VpnAttachmentAttribute: \(replace\)\s+\[id=vco-repl-a-\w+\]\s+\[urn=\S+::conn\]/,
            );
            expect(preview.output).to.match(/\+-1 to replace/);
            expect(preview.output).to.match(/vpnConnectionId\s*:\s*"vco-repl-a-\w+" => "vco-repl-b-\w+"/);

            const mark = emulator.admin.calls().length;
            const up = await project.up();
            expect(up.output).to.match(/\+-1 replaced/);
            expect(callsFor(emulator, first, MODIFY, mark), "Modify on the old connection").to.deep.equal([]);
            expect(callsFor(emulator, second, MODIFY, mark)).to.have.length(1);
            expect(emulator.admin.get(second).Name).to.equal("managed");
            const state = await project.resourceState("conn");
            expect(state.id).to.equal(second);
            expect(state.outputs?.vpnConnectionId).to.equal(second);
        });

        it("9b. destroy leaves both connections and their attributes as they are", async () => {
            const before = [emulator.admin.get(first), emulator.admin.get(second)];
            const mark = emulator.admin.calls().length;
            const destroy = await project.destroy();
            expect(destroy.output).to.match(/- 2 deleted/);
            expect(
                emulator.admin
                    .calls()
                    .slice(mark)
                    .filter((c) => c.action === MODIFY),
            ).to.deep.equal([]);
            expect([emulator.admin.get(first), emulator.admin.get(second)]).to.deep.equal(before);
            const { deployment } = await project.exportStack();
            expect(deployment.resources ?? []).to.deep.equal([]);
        });
    });
});
