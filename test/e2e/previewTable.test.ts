import { expect } from "chai";
import { dualTunnelConnection, EmulatorHandle, singleTunnelConnection, startEmulator } from "../../emulator";
import type { SeedConnection } from "../../emulator";
import { callsFor, connectionId, previewedProperties, PulumiProject, ResourceSpec } from "./harness";

/**
 * The preview is what a reviewer approves, so it must name every input whose
 * change `up` makes on the connection and nothing else. Each scenario makes
 * one change (in the program, the secret config, or by hand on the
 * connection followed by a refresh), takes the keys the preview names, runs
 * `up`, and compares them with what the emulator's connection changed.
 */
describe("pulumi CLI: the preview names what up changes, and only that (emulator)", function () {
    this.timeout(600_000);
    this.slow(60_000);
    let emulator: EmulatorHandle;
    let project: PulumiProject;
    const single = connectionId("table-single");
    const dual = connectionId("table-dual");
    const psks = { single: "single-psk-A1", t1: "tunnel-one-B2", t2: "tunnel-two-C3" };
    const singleArgs = {
        regionId: "cn-hangzhou",
        vpnConnectionId: single,
        name: "office",
        enableDpd: true,
        ikeConfig: { psk: "$psk:single", ikePfs: "group2" },
        ipsecConfig: { ipsecPfs: "group2" },
    };
    // tunnelIndex last, as a program may write it: state must not then list the managed fields in another order on refresh.
    const tunnel1 = { enableDpd: true, tunnelIkeConfig: { psk: "$psk:t1", ikePfs: "group2" }, tunnelIndex: 1 };
    const tunnel2 = { enableDpd: true, tunnelIkeConfig: { psk: "$psk:t2", ikePfs: "group2" }, tunnelIndex: 2 };
    const dualArgs = { regionId: "cn-hangzhou", vpnConnectionId: dual, tunnelOptionsSpecification: [tunnel1, tunnel2] };
    let declaredDual: object = dualArgs;

    function declare(singleSpec: object, dualSpec: object): void {
        declaredDual = dualSpec;
        project.setResources([
            { name: "single", args: singleSpec as ResourceSpec["args"] },
            { name: "dual", args: dualSpec as ResourceSpec["args"] },
        ]);
    }

    before(async () => {
        emulator = await startEmulator({ port: 0, taskDurationMs: 100 });
        emulator.admin.seed([singleTunnelConnection(single), dualTunnelConnection(dual)]);
        project = await PulumiProject.create(emulator, "preview-table");
        declare(singleArgs, dualArgs);
        await project.setPsks(psks);
        await project.up();
    });
    after(async () => {
        project?.dispose();
        await emulator?.close();
    });

    const TOP_LEVEL: Record<string, string> = {
        Name: "name",
        LocalSubnet: "localSubnet",
        RemoteSubnet: "remoteSubnet",
        EnableDpd: "enableDpd",
        EnableNatTraversal: "enableNatTraversal",
        IkeConfig: "ikeConfig",
        IpsecConfig: "ipsecConfig",
        VpnBgpConfig: "bgpConfig",
        VcoHealthCheck: "healthCheckConfig",
        TunnelOptionsSpecification: "tunnelOptionsSpecification",
    };
    /** Reported by the service, not settings: these move with every task. */
    const NOT_SETTINGS = /(^|\.)(Status|State|BgpStatus|Role)$/;

    function leaves(value: unknown, path = ""): Map<string, unknown> {
        const out = new Map<string, unknown>();
        if (typeof value === "object" && value !== null) {
            for (const [k, v] of Object.entries(value)) {
                for (const [p, leaf] of leaves(v, path ? `${path}.${k}` : k)) out.set(p, leaf);
            }
        } else {
            out.set(path, value);
        }
        return out;
    }

    /** The inputs whose values the connection changed between two readings, by the program's names. */
    function changedInputs(before: SeedConnection, after: SeedConnection): string[] {
        const [a, b] = [leaves(before), leaves(after)];
        const keys = new Set<string>();
        for (const path of new Set([...a.keys(), ...b.keys()])) {
            if (NOT_SETTINGS.test(path) || a.get(path) === b.get(path)) continue;
            const top = path.split(".")[0];
            if (path.endsWith(".Psk")) keys.add(top === "IkeConfig" ? "psk" : "tunnelPsks");
            else keys.add(TOP_LEVEL[top] ?? top);
        }
        return [...keys].sort();
    }

    interface Scenario {
        title: string;
        resource: "single" | "dual";
        change: () => Promise<void>;
        /** The preview's lines that must be there: per tunnel, PSKs marked but masked. */
        lines?: RegExp[];
    }

    const scenarios: Scenario[] = [
        {
            title: "PSK rotation with pulumi config set --secret",
            resource: "single",
            change: () => project.setPsks({ ...psks, single: "rotated-psk-D4" }),
            lines: [/^~ psk\s*: \[secret\] => \[secret\]$/],
        },
        {
            title: "a tunnel's PSK rotated in config",
            resource: "dual",
            change: () => project.setPsks({ ...psks, single: "rotated-psk-D4", t2: "rotated-tunnel-E5" }),
        },
        {
            title: "drift of a top-level value",
            resource: "single",
            change: async () => {
                emulator.admin.patch(single, { Name: "renamed-by-hand" });
                await project.refresh();
            },
            lines: [/^~ name\s*: "renamed-by-hand" => "office"$/],
        },
        {
            title: "drift of a config key",
            resource: "single",
            change: async () => {
                emulator.admin.patch(single, { IkeConfig: { IkePfs: "group5" } });
                await project.refresh();
            },
        },
        {
            title: "drift of the PSK (changed by hand)",
            resource: "single",
            change: async () => {
                emulator.admin.patch(single, { IkeConfig: { Psk: "changed-by-hand-F6" } });
                await project.refresh();
            },
            lines: [/^~ psk\s*: \[secret\] => \[secret\]$/],
        },
        {
            title: "drift of a flag and a config key on one connection",
            resource: "single",
            change: async () => {
                emulator.admin.patch(single, { EnableDpd: false, IpsecConfig: { IpsecPfs: "group5" } });
                await project.refresh();
            },
        },
        {
            title: "drift of one tunnel's field",
            resource: "dual",
            change: async () => {
                const tunnelId = emulator.admin.get(dual).TunnelOptionsSpecification!.TunnelOptions[1].TunnelId;
                emulator.admin.patch(dual, {
                    TunnelOptionsSpecification: { TunnelOptions: [{ TunnelId: tunnelId, EnableDpd: "false" }] },
                } as never);
                await project.refresh();
            },
        },
        {
            title: "a dual-tunnel change declared in the program",
            resource: "dual",
            change: async () => {
                declare(singleArgs, {
                    ...dualArgs,
                    tunnelOptionsSpecification: [
                        { ...tunnel1, tunnelIkeConfig: { ...tunnel1.tunnelIkeConfig, ikePfs: "group5" } },
                        { ...tunnel2, tunnelIkeConfig: { ...tunnel2.tunnelIkeConfig, ikePfs: "group5" } },
                    ],
                });
                return Promise.resolve();
            },
        },
    ];

    for (const scenario of scenarios) {
        it(`${scenario.title}: the preview's keys are the connection's changes`, async () => {
            const id = scenario.resource === "single" ? single : dual;
            await scenario.change();
            const preview = await project.preview();
            const { keys, lines } = previewedProperties(preview, scenario.resource);
            for (const line of scenario.lines ?? []) {
                expect(
                    lines.some((l) => line.test(l)),
                    `${line} in ${lines.join("\n")}`,
                ).to.equal(true);
            }
            const before = emulator.admin.get(id);
            const mark = emulator.admin.calls().length;
            await project.up();
            const modifies = callsFor(emulator, id, "ModifyVpnAttachmentAttribute", mark);
            expect(modifies, "one Modify").to.have.length(1);
            const changed = changedInputs(before, emulator.admin.get(id));
            expect(changed, "the connection changed").to.not.deep.equal([]);
            expect(keys, preview.output).to.deep.equal(changed);
        });
    }

    it("a value newly declared that the connection already has is not shown, and up sends nothing", async () => {
        declare({ ...singleArgs, enableNatTraversal: true }, declaredDual);
        const preview = await project.preview();
        expect(previewedProperties(preview, "single").keys).to.deep.equal([]);
        expect(preview.output).to.not.match(/\+ enableNatTraversal/);
        const mark = emulator.admin.calls().length;
        await project.up();
        expect(callsFor(emulator, single, "ModifyVpnAttachmentAttribute", mark)).to.deep.equal([]);
    });

    it("a refresh after a dual-tunnel update shows no change at all", async () => {
        const before = (await project.resourceState("dual")).outputs?.managedFields;
        const refresh = await project.refresh();
        expect(refresh.output).to.not.match(/managedFields/);
        expect(refresh.output).to.not.match(/~ \d+ updated/);
        expect((await project.resourceState("dual")).outputs?.managedFields).to.deep.equal(before);
    });

    it("a nested input the rules refuse is named by its full path and the type expected, never as {<nil>}", async () => {
        declare({ ...singleArgs, ipsecConfig: { ipsecLifetime: "1d" } }, declaredDual);
        const preview = await project.run(["preview", "--diff"], { allowFailure: true });
        expect(preview.code).to.not.equal(0);
        expect(preview.output).to.include('ipsecConfig.ipsecLifetime must be an integer from 0 to 86400, got "1d"');
        expect(preview.output).to.not.include("<nil>");
    });
});
