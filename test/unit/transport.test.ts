import { expect } from "chai";
import { createVpcApi } from "../../provider/service/client";
import { ENDPOINT_ENV } from "../../provider/foundation/endpoint";
import { VpnAttachmentAttributeProvider } from "../../provider/pulumi/provider";
import { withEnv } from "../support/environment";

/** The documented switch that lets the provider send to a remote endpoint over plain http. */
const INSECURE_HTTP_ENV = "ALICLOUD_VPC_ALLOW_INSECURE_HTTP";

const BASE = { regionId: "cn-hangzhou", vpnConnectionId: "vco-123" };
const CREDENTIALS = { accessKeyId: "AK", accessKeySecret: "SK", source: "test" };

const LOOPBACK = [
    "http://127.0.0.1:9000",
    "http://127.9.8.7",
    "http://127.1:9000",
    "http://localhost:8080/",
    "http://LOCALHOST",
    "http://[::1]:9000",
    "http://[0:0:0:0:0:0:0:1]",
];
const REMOTE = [
    "http://10.0.0.5:9000",
    "http://vpc.cn-hangzhou.aliyuncs.com",
    "http://127.0.0.1.attacker.example",
    "http://localhost.attacker.example",
    "http://0.0.0.0:9000",
    "http://[::2]",
    "http://[::ffff:127.0.0.1]",
    "http://128.0.0.1",
];

/** What `body` prints with console.log. */
async function printed(body: () => unknown): Promise<string[]> {
    const lines: string[] = [];
    const original = console.log;
    console.log = (...args: unknown[]) => lines.push(args.join(" "));
    try {
        await body();
    } finally {
        console.log = original;
    }
    return lines;
}

async function endpointFailures(endpoint: string): Promise<Array<{ property: string; reason: string }>> {
    const result = await new VpnAttachmentAttributeProvider().check({}, { ...BASE, endpoint });
    return result.failures ?? [];
}

describe("transport: plain http only to this machine", () => {
    describe("the endpoint input, in check", () => {
        it("accepts http to loopback addresses and https to anything", () =>
            withEnv({ [INSECURE_HTTP_ENV]: undefined }, async () => {
                for (const endpoint of [...LOOPBACK, "https://vpc.cn-hangzhou.aliyuncs.com", "https://10.0.0.5:8443"]) {
                    expect(await endpointFailures(endpoint), endpoint).to.deep.equal([]);
                }
            }));

        it("refuses http to any other host, naming the property, the rule and the opt-out", () =>
            withEnv({ [INSECURE_HTTP_ENV]: undefined }, async () => {
                for (const endpoint of REMOTE) {
                    const failures = await endpointFailures(endpoint);
                    expect(failures, endpoint).to.have.length(1);
                    expect(failures[0].property).to.equal("endpoint");
                    expect(failures[0].reason).to.match(/plain http:\/\/ .* not a loopback address/);
                    expect(failures[0].reason).to.include("https://").and.include(`${INSECURE_HTTP_ENV}=true`);
                }
            }));

        it("accepts it with the opt-out, and warns on every check", () =>
            withEnv({ [INSECURE_HTTP_ENV]: "true" }, async () => {
                const provider = new VpnAttachmentAttributeProvider();
                const lines = await printed(async () => {
                    for (let run = 0; run < 2; run++) {
                        const result = await provider.check({}, { ...BASE, endpoint: "http://10.0.0.5:9000" });
                        expect(result.failures ?? []).to.deep.equal([]);
                    }
                });
                expect(lines).to.have.length(2);
                expect(lines[0]).to.match(
                    /^warning: ALICLOUD_VPC_ALLOW_INSECURE_HTTP=true: the endpoint input .*10\.0\.0\.5:9000.* plain http/,
                );
                expect(
                    await printed(() => provider.check({}, { ...BASE, endpoint: "http://127.0.0.1:9000" })),
                ).to.deep.equal([]);
            }));

        it("takes nothing but true as the opt-out", () =>
            withEnv({ [INSECURE_HTTP_ENV]: "1" }, async () => {
                expect(await endpointFailures("http://10.0.0.5:9000")).to.have.length(1);
            }));
    });

    describe("ALICLOUD_VPC_ENDPOINT, when the client is made for a call", () => {
        it("refuses http to a remote host, naming the variable", () =>
            withEnv({ [INSECURE_HTTP_ENV]: undefined }, async () => {
                for (const endpoint of REMOTE) {
                    await withEnv({ [ENDPOINT_ENV]: endpoint }, () => {
                        expect(() => createVpcApi({ regionId: "cn-hangzhou", credentials: CREDENTIALS }), endpoint)
                            .to.throw(Error)
                            .with.property("message")
                            .that.matches(new RegExp(`^${ENDPOINT_ENV} ".*" uses plain http://`))
                            .and.includes(`${INSECURE_HTTP_ENV}=true`);
                    });
                }
            }));

        it("refuses the same from the endpoint input", () =>
            withEnv({ [INSECURE_HTTP_ENV]: undefined, [ENDPOINT_ENV]: "http://127.0.0.1:9000" }, () => {
                expect(() =>
                    createVpcApi({ regionId: "cn-hangzhou", endpoint: "http://10.0.0.5", credentials: CREDENTIALS }),
                ).to.throw(/^the endpoint input "http:\/\/10\.0\.0\.5" uses plain http:\/\//);
            }));

        it("accepts loopback http, and remote http with the opt-out and a warning each time", () =>
            withEnv({ [ENDPOINT_ENV]: "http://10.0.0.5:9000", [INSECURE_HTTP_ENV]: "TRUE" }, async () => {
                const lines = await printed(() => {
                    createVpcApi({ regionId: "cn-hangzhou", credentials: CREDENTIALS });
                    createVpcApi({ regionId: "cn-hangzhou", credentials: CREDENTIALS });
                });
                expect(lines).to.have.length(2);
                expect(lines[1]).to.match(
                    /^warning: ALICLOUD_VPC_ALLOW_INSECURE_HTTP=true: ALICLOUD_VPC_ENDPOINT sends requests to 10\.0\.0\.5:9000/,
                );
                await withEnv({ [ENDPOINT_ENV]: "http://localhost:9000", [INSECURE_HTTP_ENV]: undefined }, async () => {
                    expect(
                        await printed(() => createVpcApi({ regionId: "cn-hangzhou", credentials: CREDENTIALS })),
                    ).to.deep.equal([]);
                });
            }));
    });
});
