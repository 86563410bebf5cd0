import { expect } from "chai";
import { execFileSync } from "node:child_process";
import * as http from "node:http";
import * as net from "node:net";
import type { AddressInfo } from "node:net";
import { createVpcApi, VpcApi } from "../../provider/service/client";
import { CallFailedError, errorKind, ServiceError, TransportError } from "../../provider/foundation/errors";
import { userMessage } from "../../provider/foundation/userMessage";
import { ModifyRequest } from "../../provider/model/requests";
import { isRetryable } from "../../provider/service/retrying";

describe("client: lazy loading", function () {
    this.timeout(30_000);

    it("loads no Alibaba SDK module on import, nor when the API object is made", () => {
        const modules = [
            "service/client",
            "credentials/resolution",
            "foundation/endpoint",
            "foundation/errors",
            "foundation/userMessage",
            "service/retrying",
            "service/waiting",
            "service/pollSchedule",
            "service/watching",
            "service/locking",
            "foundation/clock",
        ].map((name) => require.resolve(`../../provider/${name}`));
        const script = `
            for (const m of ${JSON.stringify(modules)}) require(m);
            require(${JSON.stringify(modules[0])}).createVpcApi({
                regionId: "cn-hangzhou",
                credentials: { accessKeyId: "AK", accessKeySecret: "SK", source: "test" },
            });
            const loaded = Object.keys(require.cache).filter((k) => /[\\\\/]node_modules[\\\\/]@(alicloud|darabonba)[\\\\/]/.test(k));
            process.stdout.write(JSON.stringify(loaded));
        `;
        const loaded = JSON.parse(
            execFileSync(process.execPath, ["-e", script], { encoding: "utf8", timeout: 20_000 }),
        ) as string[];
        expect(loaded).to.deep.equal([]);
    });
});

interface Exchange {
    action: string;
    query: URLSearchParams;
    form: URLSearchParams;
    headers: http.IncomingHttpHeaders;
}

interface Reply {
    status: number;
    body: unknown;
    headers?: Record<string, string>;
}

/** An HTTP server that records each request and answers from a queue. */
class FakeVpc {
    readonly exchanges: Exchange[] = [];
    readonly replies: Reply[] = [];
    private server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (chunk: Buffer) => chunks.push(chunk));
        req.on("end", () => {
            const url = new URL(req.url ?? "/", "http://fake");
            this.exchanges.push({
                action: String(req.headers["x-acs-action"]),
                query: url.searchParams,
                form: new URLSearchParams(Buffer.concat(chunks).toString("utf8")),
                headers: req.headers,
            });
            const reply = this.replies.shift() ?? { status: 500, body: { Code: "NoReply", RequestId: "none" } };
            const text = typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body);
            res.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
            res.end(text);
        });
    });

    async start(): Promise<string> {
        await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
        return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    }

    stop(): Promise<void> {
        this.server.closeAllConnections();
        return new Promise((resolve) => this.server.close(() => resolve()));
    }
}

describe("client: calls over the SDK", function () {
    this.timeout(30_000);
    let fake: FakeVpc;
    let api: VpcApi;

    beforeEach(async () => {
        fake = new FakeVpc();
        const endpoint = await fake.start();
        api = createVpcApi({
            regionId: "cn-hangzhou",
            endpoint,
            credentials: {
                accessKeyId: "AK-test",
                accessKeySecret: "SK-test",
                securityToken: "STS-test",
                source: "test",
            },
        });
    });

    afterEach(() => fake.stop());

    it("describes a connection and returns the body exactly as the service sent it", async () => {
        const body = {
            RequestId: "REQ-D",
            VpnConnectionId: "vco-1",
            State: "updating",
            Description: "a field the SDK's model does not have",
            EnableDpd: true,
            VpnBgpConfig: { EnableBgp: "true", LocalAsn: "not a number" },
            TunnelOptionsSpecification: {
                TunnelOptions: [
                    {
                        TunnelId: "tun-1",
                        State: "updating",
                        EnableDpd: "true",
                        TunnelIkeConfig: { IkeLifetime: 86400 },
                    },
                ],
            },
        };
        fake.replies.push({ status: 200, body });
        expect(await api.describeVpnConnection("cn-hangzhou", "vco-1")).to.deep.equal(body);
        const [call] = fake.exchanges;
        expect(call.action).to.equal("DescribeVpnConnection");
        expect(call.query.get("RegionId")).to.equal("cn-hangzhou");
        expect(call.query.get("VpnConnectionId")).to.equal("vco-1");
        expect(String(call.headers.authorization)).to.match(/^ACS3-HMAC-SHA256 Credential=AK-test,/);
        expect(call.headers["x-acs-security-token"]).to.equal("STS-test");
        expect(call.headers["user-agent"]).to.include("pulumi-alicloud-vpn-attachment-attribute");
    });

    it("returns undefined for a connection that does not exist", async () => {
        fake.replies.push({
            status: 404,
            body: { Code: "InvalidVpnConnectionInstanceId.NotFound", Message: "does not exist", RequestId: "REQ-N" },
        });
        expect(await api.describeVpnConnection("cn-hangzhou", "vco-gone")).to.equal(undefined);
    });

    it("sends Modify with plain fields in the query and the tunnels flattened into the form body", async () => {
        const request: ModifyRequest = {
            regionId: "cn-hangzhou",
            vpnConnectionId: "vco-2",
            clientToken: "token-1",
            name: "office",
            ikeConfig: JSON.stringify({ Psk: "single-psk", IkeVersion: "ikev2", IkeLifetime: 86400 }),
            enableTunnelsBgp: true,
            tunnelOptionsSpecification: [
                {
                    tunnelId: "tun-1",
                    tunnelIndex: 1,
                    enableDpd: false,
                    tunnelIkeConfig: { psk: "tunnel-psk", ikeLifetime: 3600 },
                    tunnelBgpConfig: { localAsn: 65530, tunnelCidr: "169.254.10.0/30" },
                },
                { tunnelId: "tun-2", tunnelIndex: 2, tunnelIpsecConfig: { ipsecPfs: "disabled" } },
            ],
        };
        const answer = { RequestId: "REQ-M", VpnConnectionId: "vco-2", Name: "office", TunnelOptionsSpecification: [] };
        fake.replies.push({ status: 200, body: answer });

        expect(await api.modifyVpnAttachmentAttribute(request)).to.deep.equal({ requestId: "REQ-M", body: answer });

        const [call] = fake.exchanges;
        expect(call.action).to.equal("ModifyVpnAttachmentAttribute");
        expect(Object.fromEntries(call.query)).to.deep.equal({
            RegionId: "cn-hangzhou",
            VpnConnectionId: "vco-2",
            ClientToken: "token-1",
            Name: "office",
            IkeConfig: '{"Psk":"single-psk","IkeVersion":"ikev2","IkeLifetime":86400}',
            EnableTunnelsBgp: "true",
        });
        expect(Object.fromEntries(call.form)).to.deep.equal({
            "TunnelOptionsSpecification.1.TunnelId": "tun-1",
            "TunnelOptionsSpecification.1.TunnelIndex": "1",
            "TunnelOptionsSpecification.1.EnableDpd": "false",
            "TunnelOptionsSpecification.1.TunnelIkeConfig.Psk": "tunnel-psk",
            "TunnelOptionsSpecification.1.TunnelIkeConfig.IkeLifetime": "3600",
            "TunnelOptionsSpecification.1.TunnelBgpConfig.LocalAsn": "65530",
            "TunnelOptionsSpecification.1.TunnelBgpConfig.TunnelCidr": "169.254.10.0/30",
            "TunnelOptionsSpecification.2.TunnelId": "tun-2",
            "TunnelOptionsSpecification.2.TunnelIndex": "2",
            "TunnelOptionsSpecification.2.TunnelIpsecConfig.IpsecPfs": "disabled",
        });
        expect(call.headers["content-type"]).to.equal("application/x-www-form-urlencoded");
    });

    it("takes the RequestId from the header when the body has none", async () => {
        fake.replies.push({ status: 200, body: {}, headers: { "x-acs-request-id": "REQ-H" } });
        const result = await api.modifyVpnAttachmentAttribute({
            regionId: "cn-hangzhou",
            vpnConnectionId: "vco-2",
            name: "n",
        });
        expect(result.requestId).to.equal("REQ-H");
    });

    it("refuses a field the SDK's model would silently drop, before calling", async () => {
        const request = {
            regionId: "cn-hangzhou",
            vpnConnectionId: "vco-2",
            tunnelOptionsSpecification: [{ tunnelId: "tun-1", tunnelIndex: 1, tunnelIkeConfig: { preSharedKey: "x" } }],
        } as unknown as ModifyRequest;
        let caught: unknown;
        try {
            await api.modifyVpnAttachmentAttribute(request);
        } catch (err) {
            caught = err;
        }
        expect((caught as Error).message).to.equal(
            "ModifyVpnAttachmentAttribute has no parameter tunnelOptionsSpecification[0].tunnelIkeConfig.preSharedKey",
        );
        expect(fake.exchanges).to.have.length(0);
        expect(errorKind(caught)).to.equal("refused");
        const shown = userMessage(new CallFailedError("ModifyVpnAttachmentAttribute", 1, caught), {
            vpnConnectionId: "vco-2",
            regionId: "cn-hangzhou",
        });
        expect(shown).to.match(/^ModifyVpnAttachmentAttribute was not sent for IPsec-VPN connection vco-2/);
        expect(shown).to.not.include("failed");
    });

    it("maps service errors, throttles and unreadable answers", async () => {
        fake.replies.push(
            { status: 400, body: { Code: "VpnTask.CONFLICT", Message: "Vpn task has conflict.", RequestId: "REQ-C" } },
            {
                status: 400,
                body: {
                    Code: "Throttling.User",
                    Message: "Request was denied due to user flow control.",
                    RequestId: "REQ-T",
                },
                headers: { "x-acs-retry-after": "1500" },
            },
            { status: 503, body: { Code: "ServiceUnavailable", Message: "try later", RequestId: "REQ-U" } },
            { status: 502, body: "<html>Bad Gateway</html>" },
        );
        const errors: unknown[] = [];
        for (let i = 0; i < 4; i++) {
            try {
                await api.describeVpnConnection("cn-hangzhou", "vco-3");
            } catch (err) {
                errors.push(err);
            }
        }
        const [conflict, throttled, unavailable, html] = errors as [
            ServiceError,
            ServiceError,
            ServiceError,
            TransportError,
        ];
        expect([conflict.code, conflict.statusCode, conflict.requestId, conflict.serviceMessage]).to.deep.equal([
            "VpnTask.CONFLICT",
            400,
            "REQ-C",
            "Vpn task has conflict.",
        ]);
        expect([throttled.code, throttled.retryAfterMs]).to.deep.equal(["Throttling.User", 1500]);
        expect([unavailable.code, unavailable.statusCode]).to.deep.equal(["ServiceUnavailable", 503]);
        expect(html).to.be.instanceOf(TransportError);
        expect([html.code, html.transient]).to.deep.equal(["InvalidResponse", true]);
    });

    it("describes a body that is not JSON by its status, type and length only, and retries only a 5xx", async () => {
        const body = '<html>Bad request: {"Psk":"Zq7<Kx&y"}</html>';
        const html = { "content-type": "text/html", "content-length": String(Buffer.byteLength(body)) };
        fake.replies.push({ status: 400, body, headers: html }, { status: 502, body, headers: html });
        const errors: unknown[] = [];
        for (let i = 0; i < 2; i++) {
            await api.describeVpnConnection("cn-hangzhou", "vco-5").catch((err: unknown) => errors.push(err));
        }
        const [refused, gateway] = errors as [TransportError, TransportError];
        expect(refused.message).to.equal(
            `InvalidResponse: the endpoint answered with a body that is not JSON (HTTP 400, content type text/html, ${body.length} bytes)`,
        );
        expect([refused.statusCode, isRetryable(refused)]).to.deep.equal([400, false]);
        expect([gateway.statusCode, isRetryable(gateway)]).to.deep.equal([502, true]);
    });

    it("reports a refused connection as a transient transport error", async () => {
        await fake.stop();
        let caught: unknown;
        try {
            await api.describeVpnConnection("cn-hangzhou", "vco-4");
        } catch (err) {
            caught = err;
        }
        expect(caught).to.be.instanceOf(TransportError);
        expect((caught as TransportError).transient).to.equal(true);
        fake = new FakeVpc();
    });
});

describe("client: timeouts", function () {
    this.timeout(30_000);
    let server: net.Server;
    let endpoint: string;
    const sockets = new Set<net.Socket>();

    beforeEach(async () => {
        // Accepts every connection, reads the request, never answers.
        server = net.createServer((socket) => {
            sockets.add(socket);
            socket.on("data", () => undefined);
            socket.on("close", () => sockets.delete(socket));
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });

    afterEach(async () => {
        for (const socket of sockets) socket.destroy();
        await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it("reports an endpoint that accepts the connection but answers slowly as a read timeout, after the read timeout", async () => {
        const api = createVpcApi({
            regionId: "cn-hangzhou",
            endpoint,
            credentials: { accessKeyId: "AK-test", accessKeySecret: "SK-test", source: "test" },
        });
        const started = Date.now();
        const caught = await api.describeVpnConnection("cn-hangzhou", "vco-slow").then(
            () => undefined,
            (err: unknown) => err,
        );
        expect(caught).to.be.instanceOf(TransportError);
        expect((caught as TransportError).code).to.equal("ReadTimeout");
        expect((caught as TransportError).transient).to.equal(true);
        expect((caught as TransportError).message).to.not.match(/ConnectTimeout|Connect /);
        // The client's connect timeout is 5 s, its read timeout 10 s.
        expect(Date.now() - started, "waited for the read timeout, not the connect timeout").to.be.at.least(9_500);
    });
});
