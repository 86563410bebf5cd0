import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { VpnAttachmentAttributeProvider } from "../../provider";
import { createVpcApi } from "../../provider/service/client";
import { observeConnection } from "../../provider/model/normalize";
import { CheckedInputs, ObservedConnection } from "../../provider/model/types";
import { checkInputs } from "../../provider/model/validation";
import { PulumiProject, REPO_ROOT, ResourceSpec } from "../e2e/harness";
import { AcceptanceSettings, acceptanceSettings } from "./settings";

/**
 * The end-to-end scenarios (preview, up, refresh with drift, a dual-tunnel
 * change, destroy) with the real Pulumi CLI against Alibaba Cloud itself, on
 * two existing connections the user names. Opt-in: see settings.ts and the
 * docs/testing.md. It records both connections first and puts them back at the end,
 * failed or not; it changes only the name, DPD and lifetimes unless
 * ALICLOUD_ACCEPTANCE_ALLOW_DISRUPTIVE=1 also lets it change a PFS group.
 */
const settings = acceptanceSettings(process.env);

/** Real tasks take minutes. */
const STEP_MS = 20 * 60_000;

/** The attributes the suite changes, as a declaration: what it records and restores. */
function touched(observed: ObservedConnection, disruptive: boolean): Record<string, unknown> {
    const tunnel2 = observed.tunnelOptionsSpecification?.find((t) => t.tunnelIndex === 2);
    return {
        ...(observed.name !== undefined && { name: observed.name }),
        ...(observed.mode === "single" && {
            ...(observed.enableDpd !== undefined && { enableDpd: observed.enableDpd }),
            ikeConfig: {
                ikeLifetime: observed.ikeConfig?.ikeLifetime,
                ...(disruptive && { ikePfs: observed.ikeConfig?.ikePfs }),
            },
            ipsecConfig: { ipsecLifetime: observed.ipsecConfig?.ipsecLifetime },
        }),
        ...(tunnel2 && {
            tunnelOptionsSpecification: [
                {
                    tunnelIndex: 2,
                    ...(tunnel2.enableDpd !== undefined && { enableDpd: tunnel2.enableDpd }),
                    tunnelIpsecConfig: {
                        ipsecLifetime: tunnel2.tunnelIpsecConfig?.ipsecLifetime,
                        ...(disruptive && { ipsecPfs: tunnel2.tunnelIpsecConfig?.ipsecPfs }),
                    },
                },
            ],
        }),
    };
}

function otherLifetime(seconds: number | undefined): number {
    return seconds === 28800 ? 86400 : 28800;
}

function suffixed(name: string | undefined, suffix: string): string {
    return `${(name ?? "acceptance").slice(0, 100 - suffix.length)}${suffix}`;
}

/** The harmless changes (and, if allowed, a PFS group) the scenarios declare. */
function changed(observed: ObservedConnection, disruptive: boolean): Record<string, unknown> {
    if (observed.mode === "single") {
        return {
            name: suffixed(observed.name, "-acc"),
            ...(observed.enableDpd !== undefined && { enableDpd: !observed.enableDpd }),
            ikeConfig: {
                ikeLifetime: otherLifetime(observed.ikeConfig?.ikeLifetime),
                ...(disruptive && { ikePfs: observed.ikeConfig?.ikePfs === "group14" ? "group2" : "group14" }),
            },
            ipsecConfig: { ipsecLifetime: otherLifetime(observed.ipsecConfig?.ipsecLifetime) },
        };
    }
    return { name: suffixed(observed.name, "-acc") };
}

function withoutUndefined(value: Record<string, unknown>): Record<string, unknown> {
    return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}

describe("acceptance: end to end against Alibaba Cloud", function () {
    if ("skipped" in settings) {
        it.skip(settings.skipped);
        return;
    }
    const s: AcceptanceSettings = settings;
    this.timeout(STEP_MS);
    const savedEndpoint = process.env.ALICLOUD_VPC_ENDPOINT;
    const recorded: Record<string, ObservedConnection> = {};
    let project: PulumiProject | undefined;
    const base = (id: string) => ({
        regionId: s.region,
        vpnConnectionId: id,
        ...(s.endpoint && { endpoint: s.endpoint }),
    });

    async function describeConnection(id: string): Promise<ObservedConnection> {
        const api = createVpcApi({
            regionId: s.region,
            endpoint: s.endpoint,
            credentials: {
                accessKeyId: s.accessKeyId,
                accessKeySecret: s.accessKeySecret,
                securityToken: s.securityToken,
                source: "acceptance",
            },
        });
        const body = await api.describeVpnConnection(s.region, id);
        if (!body) {
            throw new Error(`connection ${id} not found in ${s.region}`);
        }
        return observeConnection(body);
    }

    /** Converges a connection through the provider, outside any stack (drift, restore). */
    async function applyDirectly(id: string, attributes: Record<string, unknown>): Promise<void> {
        const { inputs, failures } = checkInputs(withoutUndefined({ ...base(id), ...attributes }));
        expect(failures).to.deep.equal([]);
        await new VpnAttachmentAttributeProvider().create(inputs as unknown as CheckedInputs);
    }

    const declare = (single: Record<string, unknown>, dual: Record<string, unknown>): ResourceSpec[] => [
        {
            name: "single",
            args: withoutUndefined({ ...base(s.singleTunnelId), ...single }) as unknown as ResourceSpec["args"],
        },
        {
            name: "dual",
            args: withoutUndefined({ ...base(s.dualTunnelId), ...dual }) as unknown as ResourceSpec["args"],
        },
    ];

    before(async () => {
        delete process.env.ALICLOUD_VPC_ENDPOINT;
        for (const id of [s.singleTunnelId, s.dualTunnelId]) {
            recorded[id] = await describeConnection(id);
        }
        expect(recorded[s.singleTunnelId].mode, `${s.singleTunnelId} must be a single-tunnel connection`).to.equal(
            "single",
        );
        expect(recorded[s.dualTunnelId].mode, `${s.dualTunnelId} must be a dual-tunnel connection`).to.equal("dual");
        // Kept (without PSKs) so that the values can be put back by hand if the restore below fails too.
        const record = Object.fromEntries(Object.entries(recorded).map(([id, o]) => [id, touched(o, true)]));
        fs.mkdirSync(path.join(REPO_ROOT, ".e2e"), { recursive: true });
        fs.writeFileSync(path.join(REPO_ROOT, ".e2e", "acceptance-recorded.json"), JSON.stringify(record, null, 2));
        project = await PulumiProject.create(
            { accessKeyId: s.accessKeyId, accessKeySecret: s.accessKeySecret, securityToken: s.securityToken },
            "acceptance",
        );
    });

    after(async () => {
        const failures: string[] = [];
        for (const [id, observed] of Object.entries(recorded)) {
            try {
                await applyDirectly(id, touched(observed, s.allowDisruptive));
            } catch (err) {
                failures.push(
                    `${id}: ${(err as Error).message}; recorded values: ${JSON.stringify(touched(observed, s.allowDisruptive))}`,
                );
            }
        }
        if (savedEndpoint !== undefined) process.env.ALICLOUD_VPC_ENDPOINT = savedEndpoint;
        if (failures.length === 0) {
            project?.dispose();
        } else {
            throw new Error(
                `could not restore the connections (also in .e2e/acceptance-recorded.json):\n${failures.join("\n")}`,
            );
        }
    });

    const single = () => recorded[s.singleTunnelId];
    const dual = () => recorded[s.dualTunnelId];

    it("preview shows the adoption and changes nothing (steps in order from here)", async () => {
        const p = project as PulumiProject;
        p.setResources(declare(changed(single(), s.allowDisruptive), changed(dual(), s.allowDisruptive)));
        const result = await p.preview();
        // The stack and the two resources.
        expect(result.output).to.match(/\+ 3 to create/);
        expect((await describeConnection(s.singleTunnelId)).name).to.equal(single().name);
    });

    it("up makes the connections report the declared values", async () => {
        await (project as PulumiProject).up();
        const now = await describeConnection(s.singleTunnelId);
        const want = changed(single(), s.allowDisruptive);
        expect(now.name).to.equal(want.name);
        expect(now.ikeConfig?.ikeLifetime).to.equal((want.ikeConfig as { ikeLifetime: number }).ikeLifetime);
        expect((await describeConnection(s.dualTunnelId)).name).to.equal(changed(dual(), false).name);
    });

    it("refresh finds a change made outside the stack, and up restores the declared value", async () => {
        const p = project as PulumiProject;
        const drifted = suffixed(single().name, "-drift");
        await applyDirectly(s.singleTunnelId, { name: drifted });
        const refresh = await p.refresh();
        expect(refresh.output).to.include(drifted);
        await p.up();
        expect((await describeConnection(s.singleTunnelId)).name).to.equal(changed(single(), false).name);
    });

    it("a dual-tunnel change applies to the declared tunnel only", async () => {
        const p = project as PulumiProject;
        const before = await describeConnection(s.dualTunnelId);
        const tunnel2 = before.tunnelOptionsSpecification?.find((t) => t.tunnelIndex === 2);
        const lifetime = otherLifetime(tunnel2?.tunnelIpsecConfig?.ipsecLifetime);
        const tunnelChange = {
            ...changed(dual(), false),
            tunnelOptionsSpecification: [{ tunnelIndex: 2, tunnelIpsecConfig: { ipsecLifetime: lifetime } }],
        };
        p.setResources(declare(changed(single(), s.allowDisruptive), tunnelChange));
        await p.up();
        const after = await describeConnection(s.dualTunnelId);
        const tunnel = (index: number, o: ObservedConnection) =>
            o.tunnelOptionsSpecification?.find((t) => t.tunnelIndex === index);
        expect(tunnel(2, after)?.tunnelIpsecConfig?.ipsecLifetime).to.equal(lifetime);
        expect(tunnel(1, after)?.tunnelIpsecConfig).to.deep.equal(tunnel(1, before)?.tunnelIpsecConfig);
        expect(tunnel(1, after)?.tunnelIkeConfig).to.deep.equal(tunnel(1, before)?.tunnelIkeConfig);
    });

    it("destroy leaves the connections as they are", async () => {
        const before = await describeConnection(s.singleTunnelId);
        await (project as PulumiProject).destroy();
        const after = await describeConnection(s.singleTunnelId);
        expect(after.name).to.equal(before.name);
        expect(after.ikeConfig?.ikeLifetime).to.equal(before.ikeConfig?.ikeLifetime);
    });
});
