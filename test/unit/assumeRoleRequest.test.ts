import { expect } from "chai";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { EmulatorHandle, startEmulator } from "../../emulator";
import type { RoleSettings } from "../../provider/credentials/settings";
import { assumeRole, type StsCredentials, stsEndpoint } from "../../provider/credentials/sts";
import { errorKind } from "../../provider/foundation/errors";
import { WITHHELD } from "../../provider/foundation/redaction";
import { VirtualClock } from "./virtualClock";
import { processWideKey } from "../../provider/foundation/processWide";

const ACCOUNT_ROLE = "acs:ram::1234567890123456:role/";
const CHECK_ROLE =
    "Check that the role exists, that its trust policy lets this caller assume it, and that the caller may call sts:AssumeRole.";
let roles = 0;

/** A role of its own for each test: the provider process shares STS sessions by endpoint, keys and role. */
function role(settings: Partial<RoleSettings> = {}): RoleSettings {
    return { roleArn: `${ACCOUNT_ROLE}request-${++roles}`, source: "alicloud:assumeRole", ...settings };
}

async function failure(promise: Promise<unknown>): Promise<Error> {
    return promise.then(
        () => expect.fail("AssumeRole succeeded"),
        (e: Error) => e,
    );
}

/**
 * AssumeRole as it goes over the wire: through the SDK's signer and real HTTP
 * to the emulator's STS (which checks the signature) or to a hand-written
 * STS on 127.0.0.1 that answers what a test asks for.
 */
describe("AssumeRole over HTTP", function () {
    this.timeout(20_000);

    describe("against the emulator's STS", () => {
        let emulator: EmulatorHandle;
        let env: NodeJS.ProcessEnv;
        let base: StsCredentials;

        beforeEach(async () => {
            emulator = await startEmulator({ port: 0 });
            env = { ALICLOUD_STS_ENDPOINT: emulator.endpoint };
            base = {
                accessKeyId: emulator.accessKeyId,
                accessKeySecret: emulator.accessKeySecret,
                source: "Pulumi config (alicloud:accessKey)",
            };
        });
        afterEach(() => emulator.close());

        it("sends the role, session name, duration, policy and external ID, signed with the base keys", async () => {
            const policy = JSON.stringify({ Version: "1", Statement: [] });
            const settings = role({ sessionName: "ci-deploy", durationSeconds: 900, policy, externalId: "ext-42" });
            const clock = new VirtualClock();
            const before = Date.now();
            const assumed = await assumeRole(base, settings, env, clock);

            const calls = emulator.admin.calls();
            expect(calls.map((c) => [c.action, c.accessKeyId, c.code])).to.deep.equal([
                ["AssumeRole", emulator.accessKeyId, "OK"],
            ]);
            expect(calls[0].params).to.deep.equal({
                RoleArn: settings.roleArn,
                RoleSessionName: "ci-deploy",
                DurationSeconds: "900",
                Policy: policy,
                ExternalId: "ext-42",
            });
            expect(assumed.accessKeyId).to.match(/^STS\./);
            expect(assumed.accessKeySecret).to.be.a("string").and.not.equal(base.accessKeySecret);
            expect(assumed.securityToken).to.be.a("string").and.not.equal("");
            expect(assumed.source).to.equal(
                `role ${settings.roleArn} (alicloud:assumeRole), assumed with the credentials from Pulumi config (alicloud:accessKey)`,
            );
            // The expiry STS states (whole seconds), not one from the virtual clock.
            expect(assumed.expiresAt).to.be.within(before + 899_000, Date.now() + 900_000);
        });

        it("asks for the default session name and an hour when the role sets neither", async () => {
            const settings = role();
            await assumeRole(base, settings, env);
            expect(emulator.admin.calls().map((c) => c.params)).to.deep.equal([
                { RoleArn: settings.roleArn, RoleSessionName: "pulumi-vpn-attachment", DurationSeconds: "3600" },
            ]);
        });

        it("sends the base credentials' STS token", async () => {
            await emulator.close();
            emulator = await startEmulator({ port: 0, securityToken: "base-token" });
            env = { ALICLOUD_STS_ENDPOINT: emulator.endpoint };
            const assumed = await assumeRole({ ...base, securityToken: "base-token" }, role(), env);
            expect(assumed.accessKeyId).to.match(/^STS\./);
            expect(emulator.admin.calls().map((c) => c.code)).to.deep.equal(["OK"]);
        });

        it("names the role, both sources, the service code, HTTP status and RequestId, and the generic remedy", async () => {
            emulator.admin.failNext({
                action: "AssumeRole",
                code: "NoPermission",
                httpStatus: 403,
                message: "You are not authorized to do this action.",
            });
            const settings = role();
            const err = await failure(assumeRole(base, settings, env));
            const [call] = emulator.admin.calls();
            expect(err.message).to.equal(
                `AssumeRole of ${settings.roleArn} (alicloud:assumeRole) with the credentials from Pulumi config (alicloud:accessKey) failed: ` +
                    `NoPermission (HTTP 403): You are not authorized to do this action. RequestId: ${call.requestId}. What to do: ${CHECK_ROLE}`,
            );
            expect(errorKind(err)).to.equal("credentials");
        });

        it("gives a known service code's own remedy", async () => {
            emulator.admin.failNext({ action: "AssumeRole", code: "InvalidTimeStamp.Expired", httpStatus: 400 });
            const err = await failure(assumeRole(base, role(), env));
            expect(err.message).to.match(
                /failed: InvalidTimeStamp\.Expired \(HTTP 400\): .* What to do: Synchronise this machine's clock \(NTP\)\.$/,
            );
        });

        it("names the STS endpoint and its variable when nothing answers there", async () => {
            const port = emulator.port;
            await emulator.close();
            emulator = await startEmulator({ port: 0 });
            const err = await failure(assumeRole(base, role(), { ALICLOUD_STS_ENDPOINT: `http://127.0.0.1:${port}` }));
            expect(err.message).to.match(
                new RegExp(
                    `failed: could not get an answer from the STS endpoint 127\\.0\\.0\\.1:${port} ` +
                        `\\(set ALICLOUD_STS_ENDPOINT to use another\\): .*ECONNREFUSED`,
                ),
            );
            expect(errorKind(err)).to.equal("credentials");
        });
    });

    describe("against a hand-written STS", () => {
        let server: http.Server;
        let answer: { status: number; body: string };
        let received: { method?: string; url?: string; headers: http.IncomingHttpHeaders }[];
        let env: NodeJS.ProcessEnv;
        const base: StsCredentials = { accessKeyId: "LTAI-base", accessKeySecret: "base-secret", source: "the test" };

        before(async () => {
            server = http.createServer((req, res) => {
                received.push({ method: req.method, url: req.url, headers: req.headers });
                req.resume();
                req.on("end", () => {
                    res.writeHead(answer.status, { "content-type": "application/json" });
                    res.end(answer.body);
                });
            });
            await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
            env = { ALICLOUD_STS_ENDPOINT: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
        });
        after(() => new Promise<void>((resolve) => server.close(() => resolve())));
        beforeEach(() => {
            received = [];
        });

        function answering(body: unknown): void {
            answer = { status: 200, body: typeof body === "string" ? body : JSON.stringify(body) };
        }

        const keys = { AccessKeyId: "STS.temp", AccessKeySecret: "temp-secret", SecurityToken: "temp-token" };

        it("posts AssumeRole of version 2015-04-01 to /, naming the provider in the User-Agent", async () => {
            answering({ RequestId: "r-1", Credentials: { ...keys, Expiration: "2030-01-02T03:04:05Z" } });
            const settings = role();
            const assumed = await assumeRole(base, settings, env, new VirtualClock());
            expect(received).to.have.length(1);
            const [request] = received;
            expect(request.method).to.equal("POST");
            expect(request.url).to.match(/^\/\?/);
            expect(request.headers).to.include({ "x-acs-action": "AssumeRole", "x-acs-version": "2015-04-01" });
            expect(request.headers["user-agent"]).to.include("pulumi-alicloud-vpn-attachment-attribute");
            expect(request.headers.authorization).to.match(/^ACS3-HMAC-SHA256 Credential=LTAI-base,/);
            expect(assumed).to.deep.equal({
                accessKeyId: "STS.temp",
                accessKeySecret: "temp-secret",
                securityToken: "temp-token",
                source: `role ${settings.roleArn} (alicloud:assumeRole), assumed with the credentials from the test`,
                expiresAt: Date.parse("2030-01-02T03:04:05Z"),
            });
        });

        it("counts the session from now when the answer states no usable expiry", async () => {
            const clock = new VirtualClock();
            for (const [expiration, duration, expected] of [
                [undefined, undefined, 3600_000],
                ["in an hour", 1200, 1200_000],
                [Date.parse("2030-01-01T00:00:00Z"), 900, 900_000],
                [2030, 900, 900_000],
            ] as const) {
                answering({ RequestId: "r-2", Credentials: { ...keys, Expiration: expiration } });
                const assumed = await assumeRole(base, role({ durationSeconds: duration }), env, clock);
                expect(assumed.expiresAt, String(expiration)).to.equal(clock.now() + expected);
            }
        });

        it("refuses an answer without all three temporary credentials, naming its RequestId", async () => {
            const settings = role();
            const what = `AssumeRole of ${settings.roleArn} (alicloud:assumeRole) with the credentials from the test failed`;
            const answers: [unknown, string][] = [
                [{ RequestId: "r-none" }, "r-none"],
                [{ RequestId: "r-text", Credentials: "STS.temp" }, "r-text"],
                [{ Credentials: { ...keys, AccessKeyId: undefined } }, "none"],
                [{ RequestId: 7, Credentials: { ...keys, AccessKeySecret: 7 } }, "none"],
                [{ RequestId: "r-token", Credentials: { ...keys, SecurityToken: undefined } }, "r-token"],
            ];
            for (const [body, requestId] of answers) {
                answering(body);
                const err = await failure(assumeRole(base, settings, env));
                expect(err.message, JSON.stringify(body)).to.equal(
                    `${what}: the answer carries no temporary credentials (RequestId: ${requestId})`,
                );
                expect(errorKind(err)).to.equal("credentials");
            }
        });

        it("says what went wrong when the answer is JSON but not an object, or not JSON", async () => {
            answering("null");
            let err = await failure(assumeRole(base, role(), env));
            expect(err.message).to.match(/ with the credentials from the test failed: \S/);
            expect(err.message).to.not.include("could not get an answer").and.not.include("What to do");
            answering("<html>gateway</html>");
            err = await failure(assumeRole(base, role(), env));
            expect(err.message).to.match(
                /failed: could not get an answer from the STS endpoint 127\.0\.0\.1:\d+ .*not JSON/,
            );
        });

        it("says so when a refusal carries no RequestId", async () => {
            answer = { status: 400, body: JSON.stringify({ Code: "InvalidParameter.RoleArn", Message: "Bad role." }) };
            const err = await failure(assumeRole(base, role(), env));
            expect(err.message).to.match(
                / failed: InvalidParameter\.RoleArn \(HTTP 400\): Bad role\. RequestId: none\. What to do: Check that the role exists/,
            );
        });

        it("withholds an error that quotes the base secret or STS token", async () => {
            const withToken = { ...base, accessKeySecret: "base-secret-long", securityToken: "base-token-long" };
            for (const secret of [withToken.accessKeySecret, withToken.securityToken]) {
                answer = {
                    status: 400,
                    body: JSON.stringify({
                        Code: "SignatureDoesNotMatch",
                        Message: `The string to sign was made with ${secret}`,
                        RequestId: "r-sig",
                    }),
                };
                const err = await failure(assumeRole(withToken, role(), env));
                expect(err.message).to.equal(WITHHELD);
                expect(errorKind(err)).to.equal("credentials");
            }
        });
    });

    describe("STS sessions", () => {
        const base: StsCredentials = { accessKeyId: "LTAI-base", accessKeySecret: "base-secret", source: "the test" };
        const endpoint = { ALICLOUD_STS_ENDPOINT: "http://127.0.0.1:1" };

        /** An AssumeRole that counts its calls and hands out keys good for `lifetimeMs`; no network. */
        function counting(clock: VirtualClock, lifetimeMs = 900_000) {
            const calls: { role: RoleSettings; endpoint: string; accessKeyId: string }[] = [];
            let fail = false;
            const call = async (b: StsCredentials, r: RoleSettings, e: { endpoint: string }) => {
                calls.push({ role: r, endpoint: e.endpoint, accessKeyId: b.accessKeyId });
                await Promise.resolve();
                if (fail) throw new Error("refused");
                return {
                    accessKeyId: `STS.${calls.length}`,
                    accessKeySecret: "s",
                    securityToken: "t",
                    source: "assumed",
                    expiresAt: clock.now() + lifetimeMs,
                };
            };
            return { call, calls, failNext: (value: boolean) => (fail = value) };
        }

        it("assumes a role once for many calls, and again only within five minutes of expiry", async () => {
            const clock = new VirtualClock();
            const { call, calls } = counting(clock);
            const settings = role();
            const first = await assumeRole(base, settings, endpoint, clock, call);
            clock.advance(900_000 - 300_001);
            expect(await assumeRole(base, settings, endpoint, clock, call)).to.equal(first);
            clock.advance(1);
            const renewed = await assumeRole(base, settings, endpoint, clock, call);
            expect(renewed.accessKeyId).to.equal("STS.2");
            expect(calls).to.have.length(2);
        });

        it("shares one call among callers that arrive together, fresh or renewing", async () => {
            const clock = new VirtualClock();
            const { call, calls } = counting(clock);
            const settings = role();
            const firsts = await Promise.all([1, 2, 3].map(() => assumeRole(base, settings, endpoint, clock, call)));
            expect(firsts.map((c) => c.accessKeyId)).to.deep.equal(["STS.1", "STS.1", "STS.1"]);
            clock.advance(900_000);
            const renewed = await Promise.all([1, 2, 3].map(() => assumeRole(base, settings, endpoint, clock, call)));
            expect(renewed.map((c) => c.accessKeyId)).to.deep.equal(["STS.2", "STS.2", "STS.2"]);
            expect(calls).to.have.length(2);
        });

        it("tries again after a failed AssumeRole", async () => {
            const clock = new VirtualClock();
            const { call, calls, failNext } = counting(clock);
            const settings = role();
            failNext(true);
            expect((await failure(assumeRole(base, settings, endpoint, clock, call))).message).to.equal("refused");
            failNext(false);
            expect((await assumeRole(base, settings, endpoint, clock, call)).accessKeyId).to.equal("STS.2");
            expect(calls).to.have.length(2);
        });

        it("keeps its sessions where every copy of the provider in the process finds them", async () => {
            // Pulumi may load several copies (versions) of the provider into one process; they share this table.
            const slot = processWideKey("sts-sessions", 1);
            const holder = globalThis as unknown as Record<symbol, unknown>;
            const saved = holder[slot];
            delete holder[slot];
            try {
                const clock = new VirtualClock();
                const { call, calls } = counting(clock);
                const settings = role();
                await assumeRole(base, settings, endpoint, clock, call);
                await assumeRole(base, settings, endpoint, clock, call);
                expect(calls).to.have.length(1);
                expect(holder[slot]).to.be.an.instanceOf(Map).with.property("size", 1);
            } finally {
                holder[slot] = saved;
            }
        });

        it("keeps a session apart for each endpoint, base key and role setting", async () => {
            const clock = new VirtualClock();
            const { call, calls } = counting(clock);
            const settings = role();
            const variants: [StsCredentials, RoleSettings, NodeJS.ProcessEnv][] = [
                [base, settings, endpoint],
                [base, settings, { ALICLOUD_STS_ENDPOINT: "http://127.0.0.1:2" }],
                [base, settings, { ALICLOUD_STS_ENDPOINT: "https://127.0.0.1:1" }],
                [{ ...base, accessKeyId: "LTAI-other" }, settings, endpoint],
                [base, { ...settings, roleArn: `${settings.roleArn}-b` }, endpoint],
                [base, { ...settings, sessionName: "s" }, endpoint],
                [base, { ...settings, durationSeconds: 900 }, endpoint],
                [base, { ...settings, policy: "{}" }, endpoint],
                [base, { ...settings, externalId: "ext" }, endpoint],
                // The same text run together: the settings are kept apart, not concatenated.
                [base, { ...settings, sessionName: "s", durationSeconds: 1900 }, endpoint],
                [base, { ...settings, sessionName: "s1", durationSeconds: 900 }, endpoint],
            ];
            for (const [b, r, e] of variants) {
                await assumeRole(b, r, e, clock, call);
            }
            expect(calls).to.have.length(variants.length);
            for (const [b, r, e] of variants) {
                await assumeRole(b, r, e, clock, call);
            }
            expect(calls).to.have.length(variants.length);
            expect(calls[1].endpoint).to.equal("127.0.0.1:2");
        });
    });

    describe("the STS endpoint", () => {
        const settings = role();

        it("is ALICLOUD_STS_ENDPOINT, else the profile's own, else sts.aliyuncs.com over https", () => {
            const own = { ...settings, stsEndpoint: "sts.cn-shanghai.aliyuncs.com", source: 'profile "ops"' };
            expect(stsEndpoint(own, { ALICLOUD_STS_ENDPOINT: "http://127.0.0.1:9" })).to.deep.equal({
                endpoint: "127.0.0.1:9",
                protocol: "http",
            });
            expect(stsEndpoint(own, { ALICLOUD_STS_ENDPOINT: "  " })).to.deep.equal({
                endpoint: "sts.cn-shanghai.aliyuncs.com",
                protocol: "https",
            });
            expect(stsEndpoint(settings, {})).to.deep.equal({ endpoint: "sts.aliyuncs.com", protocol: "https" });
        });

        it("names the setting a malformed endpoint came from", () => {
            const own = { ...settings, stsEndpoint: "https://sts.example.com/path", source: 'profile "ops"' };
            expect(() => stsEndpoint(own, {})).to.throw(/^the STS endpoint of profile "ops" /);
            expect(() => stsEndpoint(settings, { ALICLOUD_STS_ENDPOINT: "https://sts.example.com/path" })).to.throw(
                /^ALICLOUD_STS_ENDPOINT /,
            );
        });

        it("prints the warning for plain http to another machine", () => {
            const env = { ALICLOUD_STS_ENDPOINT: "http://sts.example.com", ALICLOUD_VPC_ALLOW_INSECURE_HTTP: "true" };
            const lines: string[] = [];
            const log = console.log;
            console.log = (line: string) => lines.push(line);
            try {
                expect(stsEndpoint(settings, env)).to.deep.equal({ endpoint: "sts.example.com", protocol: "http" });
            } finally {
                console.log = log;
            }
            expect(lines).to.have.length(1);
            expect(lines[0]).to.include("ALICLOUD_STS_ENDPOINT");
        });
    });
});
