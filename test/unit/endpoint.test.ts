import { expect } from "chai";
import { checkInputs } from "../../provider/model/validation";
import { ENDPOINT_ENV, resolveEndpoint } from "../../provider/foundation/endpoint";

describe("endpoint: resolveEndpoint", () => {
    it("uses the resource's input first", () => {
        expect(
            resolveEndpoint("cn-hangzhou", "http://127.0.0.1:9000", { [ENDPOINT_ENV]: "https://other.example" }),
        ).to.deep.equal({
            endpoint: "127.0.0.1:9000",
            protocol: "http",
            source: "input",
        });
    });

    it("then ALICLOUD_VPC_ENDPOINT", () => {
        expect(
            resolveEndpoint("cn-shanghai", undefined, { [ENDPOINT_ENV]: "https://vpc.cn-shanghai.aliyuncs.com" }),
        ).to.deep.equal({
            endpoint: "vpc.cn-shanghai.aliyuncs.com",
            protocol: "https",
            source: "environment",
        });
        expect(resolveEndpoint("cn-shanghai", "  ", { [ENDPOINT_ENV]: "http://127.0.0.1:9000/" }).endpoint).to.equal(
            "127.0.0.1:9000",
        );
    });

    it("then leaves the regional default to the SDK", () => {
        expect(resolveEndpoint("cn-hangzhou", undefined, {})).to.deep.equal({
            protocol: "https",
            source: "regional default",
        });
        expect(resolveEndpoint("ap-southeast-1", "", { [ENDPOINT_ENV]: "" }).endpoint).to.equal(undefined);
    });

    it("reads a bare host as https", () => {
        expect(resolveEndpoint("cn-hangzhou", "vpc.aliyuncs.com", {})).to.deep.equal({
            endpoint: "vpc.aliyuncs.com",
            protocol: "https",
            source: "input",
        });
        expect(resolveEndpoint("cn-hangzhou", "localhost:8443", {}).endpoint).to.equal("localhost:8443");
        expect(resolveEndpoint("cn-hangzhou", "HTTP://[::1]:9000", {})).to.deep.include({
            endpoint: "[::1]:9000",
            protocol: "http",
        });
    });

    it("refuses what the SDK could not call", () => {
        const bad: Array<[string, RegExp]> = [
            ["ftp://vpc.aliyuncs.com", /must use http or https/],
            ["https://vpc.aliyuncs.com/path", /just a scheme, host and port/],
            ["https://vpc.aliyuncs.com/?a=b", /must not carry a query string or fragment/],
            ["http://[::1", /must be a URL or host\[:port\]/],
        ];
        for (const [endpoint, message] of bad) {
            expect(() => resolveEndpoint("cn-hangzhou", endpoint, {}), endpoint).to.throw(message);
        }
    });

    it("does not echo a password in the URL", () => {
        expect(() => resolveEndpoint("cn-hangzhou", "https://user:hunter2@vpc.aliyuncs.com", {}))
            .to.throw(/user name or password/)
            .with.property("message")
            .that.does.not.include("hunter2");
    });

    it("never echoes user-info, whichever check refuses the endpoint", () => {
        const malformed = [
            "ftp://u:secret@h",
            "http://u:secret@h:99999",
            "http://u:secret@h:port",
            "https://u:secret@vpc.aliyuncs.com/path",
            "u:secret@[::1",
            "http://u:se/cret@h",
            "http://u:secret@10.0.0.1:9000",
        ];
        for (const endpoint of malformed) {
            for (const env of [{}, { [ENDPOINT_ENV]: endpoint }]) {
                const input = Object.keys(env).length > 0 ? undefined : endpoint;
                expect(() => resolveEndpoint("cn-hangzhou", input, env), endpoint)
                    .to.throw()
                    .with.property("message")
                    .that.does.not.match(/secret|se\/cret/);
            }
        }
    });

    it("needs a plausible region for the regional default", () => {
        expect(() => resolveEndpoint("evil.example/", undefined, {})).to.throw(/not a region ID/);
        expect(() => resolveEndpoint("", undefined, {})).to.throw(/not a region ID/);
        expect(() => resolveEndpoint("", "http://127.0.0.1:9000", {})).to.not.throw();
    });
});

describe("endpoint: what check refuses, and what it quotes", () => {
    const BASE = { regionId: "cn-hangzhou", vpnConnectionId: "vco-1" };
    const endpointFailures = (endpoint: string) =>
        (checkInputs({ ...BASE, endpoint }).failures ?? []).filter((f) => f.property === "endpoint");

    it("refuses user-info and a query string or fragment at check, quoting neither", () => {
        const refused = [
            "https://u:SeCrEt@vpc.aliyuncs.com",
            "https://SeCrEt@vpc.aliyuncs.com",
            "https://vpc.aliyuncs.com/?token=SeCrEt",
            "https://vpc.aliyuncs.com?SeCrEt",
            "https://vpc.aliyuncs.com/#SeCrEt",
            "vpc.aliyuncs.com?token=SeCrEt",
        ];
        for (const endpoint of refused) {
            const failures = endpointFailures(endpoint);
            expect(failures, endpoint).to.have.length(1);
            expect(failures[0].reason, endpoint).to.not.include("SeCrEt");
        }
    });

    it("never quotes a query string or fragment when the call-time parser refuses an endpoint", () => {
        const refused = [
            "https://sts.aliyuncs.com/?x=SeCrEt",
            "https://h/p?x=SeCrEt",
            "http://h:99999/?x=SeCrEt",
            "ftp://h/?x=SeCrEt",
            "http://10.0.0.1/#SeCrEt",
            "[::1?x=SeCrEt",
        ];
        for (const endpoint of refused) {
            expect(() => resolveEndpoint("cn-hangzhou", undefined, { [ENDPOINT_ENV]: endpoint }), endpoint)
                .to.throw()
                .with.property("message")
                .that.does.not.include("SeCrEt");
        }
    });

    it("accepts a bare host[:port] at check, as the call does", () => {
        for (const endpoint of ["127.0.0.1:9000", "localhost:8443", "vpc.cn-shanghai.aliyuncs.com"]) {
            expect(endpointFailures(endpoint), endpoint).to.deep.equal([]);
            expect(resolveEndpoint("cn-hangzhou", endpoint, {}).protocol).to.equal("https");
        }
    });
});
