import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import * as OpenApiClient from "@alicloud/openapi-client";
import * as OpenApiCore from "@alicloud/openapi-core";
import * as Vpc from "@alicloud/vpc20160428";
import { REPO_ROOT } from "../../support/pulumiWorkspace";

/**
 * client.ts subclasses the VPC client and overrides `callApi`, an internal
 * method of @alicloud/openapi-core, to keep the response body as the service
 * sent it. These tests fail when an SDK release changes that hook, before
 * any provider call silently goes around it; package.json pins the three
 * packages to patch releases of the versions tested here.
 */
const HOOK_CHANGED =
    "client.ts's rawBodyClient overrides callApi(params, request, runtime) of @alicloud/openapi-core; " +
    "this SDK version changed that hook: re-check client.ts before moving the pinned ranges in package.json";

type CallApi = Vpc.default["callApi"];

/** A VPC client whose callApi answers itself, recording the action of each call. */
class HookedClient extends Vpc.default {
    readonly actions: string[] = [];

    override callApi(...[params]: Parameters<CallApi>): ReturnType<CallApi> {
        this.actions.push(params.action ?? "");
        return Promise.resolve({ statusCode: 200, headers: { "x-acs-request-id": "req-hook" }, body: {} });
    }
}

describe("SDK: the callApi hook client.ts overrides", () => {
    it("is openapi-core's callApi(params, request, runtime), inherited by the VPC client", () => {
        // Compared as a function value, never called unbound.
        // eslint-disable-next-line @typescript-eslint/unbound-method
        const coreCallApi = OpenApiCore.default.prototype.callApi;
        expect(coreCallApi, HOOK_CHANGED).to.be.a("function");
        expect(coreCallApi.length, HOOK_CHANGED).to.equal(3);
        // eslint-disable-next-line @typescript-eslint/unbound-method
        expect(Vpc.default.prototype.callApi, HOOK_CHANGED).to.equal(coreCallApi);
        expect(Object.getPrototypeOf(Vpc.default.prototype), HOOK_CHANGED).to.equal(OpenApiCore.default.prototype);
    });

    it("sees every call the provider makes, and the response it returns is the one the SDK hands back", async () => {
        // A closed port: if a call went around the hook, it would fail instead of reaching anything.
        const config = new OpenApiClient.Config({
            accessKeyId: "AK",
            accessKeySecret: "SK",
            regionId: "cn-hangzhou",
            endpoint: "127.0.0.1:9",
            protocol: "http",
        });
        const client = new HookedClient(config);
        const described = await client.describeVpnConnection(
            new Vpc.DescribeVpnConnectionRequest({ regionId: "cn-hangzhou", vpnConnectionId: "vco-hook" }),
        );
        await client.describeVpnConnections(
            new Vpc.DescribeVpnConnectionsRequest({ regionId: "cn-hangzhou", pageNumber: 1, pageSize: 50 }),
        );
        await client.modifyVpnAttachmentAttribute(
            new Vpc.ModifyVpnAttachmentAttributeRequest({
                regionId: "cn-hangzhou",
                vpnConnectionId: "vco-hook",
                name: "x",
            }),
        );
        expect(client.actions, HOOK_CHANGED).to.deep.equal([
            "DescribeVpnConnection",
            "DescribeVpnConnections",
            "ModifyVpnAttachmentAttribute",
        ]);
        expect(described.statusCode, HOOK_CHANGED).to.equal(200);
        expect(described.headers?.["x-acs-request-id"], HOOK_CHANGED).to.equal("req-hook");
    });

    it("runs against versions inside the ranges package.json pins", () => {
        const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as {
            dependencies: Record<string, string>;
        };
        for (const name of ["@alicloud/vpc20160428", "@alicloud/openapi-client", "@alicloud/openapi-core"]) {
            const range = manifest.dependencies[name];
            const installed = (
                JSON.parse(fs.readFileSync(require.resolve(`${name}/package.json`), "utf8")) as { version: string }
            ).version;
            const [, tilde, major, minor, patch] = /^(~?)(\d+)\.(\d+)\.(\d+)$/.exec(range) ?? [];
            expect(major, `${name}: pin ${range} to a patch range (~x.y.z) or an exact version`).to.not.equal(
                undefined,
            );
            const [iMajor, iMinor, iPatch] = installed.split(".").map(Number);
            const within =
                iMajor === Number(major) &&
                iMinor === Number(minor) &&
                (tilde === "~" ? iPatch >= Number(patch) : iPatch === Number(patch));
            expect(within, `${name} ${installed} is outside ${range}`).to.equal(true);
        }
    });
});
