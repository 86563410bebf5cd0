/**
 * The two VPC API calls the provider makes, over the official SDK. This is
 * the only module that loads the VPC SDK (`@alicloud/vpc20160428`), and it
 * loads it on the first call, not on import: requiring it costs about 0.3 s,
 * which `check` and `diff` must not pay. The credential modules load
 * `@alicloud/credentials` and the OpenAPI client lazily too, on first use.
 *
 * No retries here (retrying.ts decides), and every SDK exception leaves as
 * `fromSdkError` maps it.
 */
import type * as OpenApiClient from "@alicloud/openapi-client";
import type * as Vpc from "@alicloud/vpc20160428";
import { traced } from "./connectionTrace";
import type { ResolvedCredentials } from "../credentials/resolution";
import { resolveEndpoint } from "../foundation/endpoint";
import { keepYoungGenerationSmall } from "./youngGeneration";
import { fromSdkError, isServiceError, RequestRefusedError } from "../foundation/errors";
import type { ModifyRequest } from "../model/requests";
import { isRecord } from "../foundation/records";

export interface VpcApi {
    /** The API-cased JSON body as the service sent it; undefined when the connection does not exist. */
    describeVpnConnection(regionId: string, vpnConnectionId: string): Promise<Record<string, unknown> | undefined>;
    /** One page of the region's connections, as the service sent it (`TotalCount`, `VpnConnections.VpnConnection`). */
    describeVpnConnections(regionId: string, pageNumber: number, pageSize: number): Promise<Record<string, unknown>>;
    modifyVpnAttachmentAttribute(request: ModifyRequest): Promise<{ requestId: string; body: Record<string, unknown> }>;
}

export interface ClientOptions {
    regionId: string;
    /** The resource's `endpoint` input, if any; see endpoint.ts for the rest of the rules. */
    endpoint?: string;
    credentials: ResolvedCredentials;
}

/** A Describe answers in well under a second; 10 s leaves room for a slow gateway without hanging a deployment. */
const CONNECT_TIMEOUT_MS = 5_000;
const READ_TIMEOUT_MS = 10_000;
const USER_AGENT = "pulumi-alicloud-vpn-attachment-attribute";
const NOT_FOUND = "InvalidVpnConnectionInstanceId.NotFound";

/**
 * Makes the API for one provider call. It holds the credentials until it is
 * dropped, so make one per call rather than keeping it. The endpoint is
 * resolved here, so a bad endpoint fails before any SDK is loaded.
 */
export function createVpcApi(opts: ClientOptions): VpcApi {
    const endpoint = resolveEndpoint(opts.regionId, opts.endpoint);
    const connect = (sdk: Sdk): RawBodyClient =>
        rawBodyClient(
            sdk.vpc,
            new sdk.openapi.Config({
                accessKeyId: opts.credentials.accessKeyId,
                accessKeySecret: opts.credentials.accessKeySecret,
                securityToken: opts.credentials.securityToken,
                regionId: opts.regionId,
                endpoint: endpoint.endpoint,
                protocol: endpoint.protocol,
                connectTimeout: CONNECT_TIMEOUT_MS,
                readTimeout: READ_TIMEOUT_MS,
                userAgent: USER_AGENT,
            }),
        );

    return {
        async describeVpnConnection(regionId, vpnConnectionId) {
            try {
                const sdk = await loadSdk();
                const client = connect(sdk);
                const request = new sdk.vpc.DescribeVpnConnectionRequest({ regionId, vpnConnectionId });
                await traced(READ_TIMEOUT_MS, () => client.describeVpnConnection(request));
                return client.lastBody();
            } catch (e) {
                const err = fromSdkError(e);
                if (isServiceError(err) && err.code === NOT_FOUND) {
                    return undefined;
                }
                throw err;
            }
        },

        async describeVpnConnections(regionId, pageNumber, pageSize) {
            try {
                const sdk = await loadSdk();
                const client = connect(sdk);
                const request = new sdk.vpc.DescribeVpnConnectionsRequest({ regionId, pageNumber, pageSize });
                await traced(READ_TIMEOUT_MS, () => client.describeVpnConnections(request));
                return client.lastBody();
            } catch (e) {
                throw fromSdkError(e);
            }
        },

        async modifyVpnAttachmentAttribute(request) {
            try {
                const sdk = await loadSdk();
                const client = connect(sdk);
                const model = modifyModel(sdk.vpc, request);
                await traced(READ_TIMEOUT_MS, () => client.modifyVpnAttachmentAttribute(model));
                const body = client.lastBody();
                const requestId = typeof body.RequestId === "string" ? body.RequestId : client.lastRequestId();
                return { requestId, body };
            } catch (e) {
                throw fromSdkError(e);
            }
        },
    };
}

interface Sdk {
    vpc: typeof Vpc;
    openapi: typeof OpenApiClient;
}

/** Node caches the modules, so only the first call pays for loading them. */
async function loadSdk(): Promise<Sdk> {
    keepYoungGenerationSmall();
    return { vpc: await import("@alicloud/vpc20160428"), openapi: await import("@alicloud/openapi-client") };
}

interface RawBodyClient extends InstanceType<typeof Vpc.default> {
    lastBody(): Record<string, unknown>;
    lastRequestId(): string;
}

/**
 * The SDK client, except that the response body reaches us as the service
 * sent it. The SDK would cast it to its typed model, which drops fields the
 * model lacks, rewrites mixed string/number values, and throws on values it
 * cannot coerce (normalize.ts handles the service's types instead). So the
 * cast gets an empty body and we keep the real one. One client per call:
 * `lastBody` belongs to exactly one request.
 */
function rawBodyClient(vpc: typeof Vpc, config: OpenApiClient.Config): RawBodyClient {
    class Client extends vpc.default {
        private body: Record<string, unknown> = {};
        private requestId = "";

        override async callApi(...args: Parameters<Vpc.default["callApi"]>): ReturnType<Vpc.default["callApi"]> {
            const response = await super.callApi(...args);
            this.body = isRecord(response.body) ? response.body : {};
            const headers = isRecord(response.headers) ? response.headers : {};
            this.requestId = typeof headers["x-acs-request-id"] === "string" ? headers["x-acs-request-id"] : "";
            return { ...response, body: {} };
        }

        lastBody(): Record<string, unknown> {
            return this.body;
        }

        lastRequestId(): string {
            return this.requestId;
        }
    }
    return new Client(config);
}

/**
 * The SDK's request model, with nested models for the tunnels (the model's
 * constructor builds them from its declared types). A field the model does
 * not know would be dropped without a word, so it is refused instead, unsent.
 */
function modifyModel(vpc: typeof Vpc, request: ModifyRequest): Vpc.ModifyVpnAttachmentAttributeRequest {
    const unknown = unknownFields(vpc.ModifyVpnAttachmentAttributeRequest, request, "");
    if (unknown.length > 0) {
        throw new RequestRefusedError(`ModifyVpnAttachmentAttribute has no parameter ${unknown.join(", ")}`);
    }
    return new vpc.ModifyVpnAttachmentAttributeRequest({ ...request });
}

interface ModelClass {
    names(): Record<string, string>;
    types(): Record<string, unknown>;
}

/** Paths in `value` that `model` (and its nested models) would silently drop. */
function unknownFields(model: ModelClass, value: unknown, path: string): string[] {
    if (!isRecord(value)) {
        return [];
    }
    const names = model.names();
    const types = model.types();
    const unknown: string[] = [];
    for (const [key, field] of Object.entries(value)) {
        if (field === undefined) {
            continue;
        }
        if (!Object.prototype.hasOwnProperty.call(names, key)) {
            unknown.push(`${path}${key}`);
            continue;
        }
        const type = types[key];
        if (isModelClass(type)) {
            unknown.push(...unknownFields(type, field, `${path}${key}.`));
        } else if (isRecord(type) && isModelClass(type.itemType) && Array.isArray(field)) {
            const itemType = type.itemType;
            field.forEach((item, i) => unknown.push(...unknownFields(itemType, item, `${path}${key}[${i}].`)));
        }
    }
    return unknown;
}

function isModelClass(t: unknown): t is ModelClass {
    return typeof t === "function" && typeof (t as Partial<ModelClass>).names === "function";
}
