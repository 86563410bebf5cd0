import { expect } from "chai";
import { ENDPOINT_ENV, resolveEndpoint } from "../../provider/service/endpoint";

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
            ["https://vpc.aliyuncs.com/?a=b", /just a scheme, host and port/],
            ["http://[::1", /is not a URL/],
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
