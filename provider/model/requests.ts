/**
 * Builds the one ModifyVpnAttachmentAttribute request that moves a connection
 * from what it has to what the program declares, sending as little as
 * possible: every parameter sent is a setting the service re-applies, and a
 * tunnel's settings being re-applied can renegotiate it.
 */
import { createHash } from "node:crypto";
import { compareAttributes, matchTunnel, unappliableChanges } from "./diffing";
import {
    BgpConfig,
    DesiredAttributes,
    HealthCheckConfig,
    IkeConfig,
    IpsecConfig,
    ObservedConnection,
    ObservedTunnel,
    ResourceSettings,
    TunnelBgpConfig,
    TunnelOptions,
} from "./types";

/** One entry of TunnelOptionsSpecification; the SDK flattens it to `TunnelOptionsSpecification.N.*`. */
export interface ModifyTunnelOptions extends Omit<TunnelOptions, "tunnelId" | "tunnelIndex"> {
    tunnelId: string;
    tunnelIndex: number;
}

/** The attributes the API takes as JSON strings. */
type JsonAttributes = "ikeConfig" | "ipsecConfig" | "bgpConfig" | "healthCheckConfig";

/** The fields of the SDK's ModifyVpnAttachmentAttributeRequest this provider sets. */
export interface ModifyRequest extends Omit<DesiredAttributes, JsonAttributes | "tunnelOptionsSpecification"> {
    regionId: string;
    vpnConnectionId: string;
    clientToken?: string;
    /** JSON with the API's key names, e.g. `{"Psk":"...","IkeVersion":"ikev2","IkeLifetime":86400}`. */
    ikeConfig?: string;
    ipsecConfig?: string;
    bgpConfig?: string;
    healthCheckConfig?: string;
    tunnelOptionsSpecification?: ModifyTunnelOptions[];
}

/** Top-level parameters sent as they are, each only when it differs. */
const PLAIN_PARAMETERS = [
    "name",
    "localSubnet",
    "remoteSubnet",
    "effectImmediately",
    "autoConfigRoute",
    "networkType",
    "remoteCaCert",
    "customerGatewayId",
    "enableDpd",
    "enableNatTraversal",
    "enableTunnelsBgp",
] as const satisfies readonly (keyof DesiredAttributes & keyof ModifyRequest)[];

/**
 * The JSON-string parameters: the API's key for each of our keys, and how
 * values are written. IkeConfig and IpsecConfig follow the reference page's
 * examples (lifetimes as numbers). For BgpConfig and HealthCheckConfig the
 * page's examples write every value as a string (`"EnableBgp":"true"`,
 * `"LocalAsn":"45104"`, `"interval":"3"`) and use lowercase keys for the
 * health check except `Policy`; we send exactly that shape, the one the
 * reference documents.
 */
interface JsonParameter<T> {
    keys: Record<keyof T, string>;
    allStrings: boolean;
}

const IKE_CONFIG: JsonParameter<IkeConfig> = {
    keys: {
        psk: "Psk",
        ikeVersion: "IkeVersion",
        ikeMode: "IkeMode",
        ikeEncAlg: "IkeEncAlg",
        ikeAuthAlg: "IkeAuthAlg",
        ikePfs: "IkePfs",
        ikeLifetime: "IkeLifetime",
        localId: "LocalId",
        remoteId: "RemoteId",
    },
    allStrings: false,
};

const IPSEC_CONFIG: JsonParameter<IpsecConfig> = {
    keys: {
        ipsecEncAlg: "IpsecEncAlg",
        ipsecAuthAlg: "IpsecAuthAlg",
        ipsecPfs: "IpsecPfs",
        ipsecLifetime: "IpsecLifetime",
    },
    allStrings: false,
};

const BGP_CONFIG: JsonParameter<BgpConfig> = {
    keys: { enableBgp: "EnableBgp", localAsn: "LocalAsn", tunnelCidr: "TunnelCidr", localBgpIp: "LocalBgpIp" },
    allStrings: true,
};

const HEALTH_CHECK_CONFIG: JsonParameter<HealthCheckConfig> = {
    keys: { enable: "enable", dip: "dip", sip: "sip", interval: "interval", retry: "retry", policy: "Policy" },
    allStrings: true,
};

const TUNNEL_BGP_KEYS: Record<keyof TunnelBgpConfig, true> = { localAsn: true, localBgpIp: true, tunnelCidr: true };

/**
 * A config object sent whole: the declared values, and for every key the
 * program does not declare the value the connection has now. The service
 * treats a missing key as "reset"; worst of all, an IkeConfig without Psk
 * makes it generate a new random key and the tunnel to the peer drops. So
 * the current PSK always goes along when the program declares none, and
 * `requirePsk` refuses to send an IKE config when there is none to keep.
 */
function merged<T extends object>(keys: Record<keyof T, unknown>, actual: T | undefined, desired: T | undefined): T {
    const result: Record<string, unknown> = {};
    for (const key of Object.keys(keys) as Array<keyof T & string>) {
        const value = desired?.[key] ?? actual?.[key];
        if (value !== undefined) {
            result[key] = value;
        }
    }
    return result as T;
}

function toJson<T extends object>(parameter: JsonParameter<T>, config: T): string {
    const entries = (Object.keys(parameter.keys) as Array<keyof T>)
        .filter((key) => config[key] !== undefined)
        .map((key) => [parameter.keys[key], parameter.allStrings ? String(config[key]) : config[key]]);
    return JSON.stringify(Object.fromEntries(entries));
}

/**
 * The service treats an IkeConfig without Psk as "make a new key", which cuts
 * the tunnel until the peer is given it. When the connection reports no key
 * (an empty or unreadable IkeConfig) and the program declares none, there is
 * no key to keep: refuse rather than send.
 */
function requirePsk(config: IkeConfig, path: string, where: string, declareIn: string): void {
    if (typeof config.psk !== "string" || config.psk.length === 0) {
        throw new Error(
            `${path} changes, but ${where} reports no pre-shared key, and an IKE config sent without one makes the ` +
                `service generate a new key, which cuts the tunnel. Declare the current key in ${declareIn}, ` +
                `then run the update again`,
        );
    }
}

/** The service answers MissingParameter.TunnelCidr otherwise; failing here names the field in the program's terms. */
function requireTunnelCidr(config: TunnelBgpConfig, bgpEnabled: boolean, path: string): void {
    if (bgpEnabled && config.tunnelCidr === undefined) {
        throw new Error(`${path}.tunnelCidr is required when BGP is enabled, and the connection has none to keep`);
    }
}

/** Splits `tunnelOptionsSpecification[1].tunnelIkeConfig.ikePfs` into the program's position and field. */
function tunnelChange(path: string): { position: number; field: string } | undefined {
    const match = /^tunnelOptionsSpecification\[(\d+)\](?:\.([^.]+))?/.exec(path);
    return match ? { position: Number(match[1]), field: match[2] ?? "" } : undefined;
}

function tunnelOptions(
    desired: TunnelOptions,
    observed: ObservedTunnel,
    changed: Set<string>,
    bgpEnabled: boolean,
    path: string,
): ModifyTunnelOptions {
    // The service identifies a tunnel by both; take them from the connection, not the program, which may name only one.
    const options: ModifyTunnelOptions = { tunnelId: observed.tunnelId, tunnelIndex: observed.tunnelIndex };
    if (changed.has("customerGatewayId")) options.customerGatewayId = desired.customerGatewayId;
    if (changed.has("enableDpd")) options.enableDpd = desired.enableDpd;
    if (changed.has("enableNatTraversal")) options.enableNatTraversal = desired.enableNatTraversal;
    if (changed.has("tunnelIkeConfig")) {
        options.tunnelIkeConfig = merged(IKE_CONFIG.keys, observed.tunnelIkeConfig, desired.tunnelIkeConfig);
        requirePsk(
            options.tunnelIkeConfig,
            `${path}.tunnelIkeConfig`,
            `tunnel ${observed.tunnelId}`,
            `tunnelPsks (or ${path}.tunnelIkeConfig.psk)`,
        );
    }
    if (changed.has("tunnelIpsecConfig")) {
        options.tunnelIpsecConfig = merged(IPSEC_CONFIG.keys, observed.tunnelIpsecConfig, desired.tunnelIpsecConfig);
    }
    if (changed.has("tunnelBgpConfig")) {
        options.tunnelBgpConfig = merged(TUNNEL_BGP_KEYS, observed.tunnelBgpConfig, desired.tunnelBgpConfig);
        requireTunnelCidr(options.tunnelBgpConfig, bgpEnabled, `${path}.tunnelBgpConfig`);
    }
    return options;
}

/**
 * Dual-tunnel connections: only the tunnels whose settings differ, each with
 * only its differing scalars and sub-objects, so the other tunnel keeps
 * carrying traffic while this one is re-applied.
 */
function changedTunnels(
    desired: DesiredAttributes,
    actual: ObservedConnection,
    changedPaths: string[],
): ModifyTunnelOptions[] | undefined {
    const fieldsByPosition = new Map<number, Set<string>>();
    for (const path of changedPaths) {
        const change = tunnelChange(path);
        if (change) {
            fieldsByPosition.set(
                change.position,
                (fieldsByPosition.get(change.position) ?? new Set()).add(change.field),
            );
        }
    }
    const bgpEnabled = (desired.enableTunnelsBgp ?? actual.enableTunnelsBgp) === true;
    const options: ModifyTunnelOptions[] = [];
    for (const [position, fields] of fieldsByPosition) {
        const path = `tunnelOptionsSpecification[${position}]`;
        const declared = (desired.tunnelOptionsSpecification ?? [])[position];
        const observed = matchTunnel(declared, actual.tunnelOptionsSpecification);
        // No request can create a tunnel or renumber one: these are errors in the program.
        if (!observed) {
            throw new Error(`${path} names a tunnel that connection ${actual.vpnConnectionId} does not have`);
        }
        if (fields.has("tunnelId") || fields.has("tunnelIndex")) {
            throw new Error(
                `${path} declares tunnelId ${declared.tunnelId} with tunnelIndex ${declared.tunnelIndex}, ` +
                    `but that tunnel has tunnelIndex ${observed.tunnelIndex}`,
            );
        }
        options.push(tunnelOptions(declared, observed, fields, bgpEnabled, path));
    }
    return options.length > 0 ? options.sort((a, b) => a.tunnelIndex - b.tunnelIndex) : undefined;
}

/**
 * The request that makes `actual` match `desired`, or undefined when nothing
 * differs. Only parameters that differ are sent; a config object that differs
 * is sent whole (see `merged`). The caller checks `modeConflicts` first and
 * adds the client token.
 */
export function buildModifyRequest(
    settings: ResourceSettings,
    desired: DesiredAttributes,
    actual: ObservedConnection,
): ModifyRequest | undefined {
    const changedPaths = compareAttributes(desired, actual).map((d) => d.path);
    if (changedPaths.length === 0) {
        return undefined;
    }
    const refusals = unappliableChanges(desired, actual);
    if (refusals.length > 0) {
        throw new Error(refusals.join("; "));
    }
    const changed = new Set(changedPaths.map((path) => path.split(/[.[]/)[0]));
    const request: ModifyRequest = { regionId: settings.regionId, vpnConnectionId: settings.vpnConnectionId };
    const plain = request as unknown as Record<string, unknown>;
    for (const name of PLAIN_PARAMETERS) {
        if (changed.has(name)) {
            plain[name] = desired[name];
        }
    }
    if (changed.has("ikeConfig")) {
        const ike = merged(IKE_CONFIG.keys, actual.ikeConfig, desired.ikeConfig);
        requirePsk(ike, "ikeConfig", `connection ${actual.vpnConnectionId}`, "psk (or ikeConfig.psk)");
        request.ikeConfig = toJson(IKE_CONFIG, ike);
    }
    if (changed.has("ipsecConfig")) {
        request.ipsecConfig = toJson(IPSEC_CONFIG, merged(IPSEC_CONFIG.keys, actual.ipsecConfig, desired.ipsecConfig));
    }
    if (changed.has("bgpConfig")) {
        const bgp = merged(BGP_CONFIG.keys, actual.bgpConfig, desired.bgpConfig);
        requireTunnelCidr(bgp, bgp.enableBgp === true, "bgpConfig");
        request.bgpConfig = toJson(BGP_CONFIG, bgp);
    }
    if (changed.has("healthCheckConfig")) {
        request.healthCheckConfig = toJson(
            HEALTH_CHECK_CONFIG,
            merged(HEALTH_CHECK_CONFIG.keys, actual.healthCheckConfig, desired.healthCheckConfig),
        );
    }
    if (changed.has("tunnelOptionsSpecification")) {
        request.tunnelOptionsSpecification = changedTunnels(desired, actual, changedPaths);
    }
    return request;
}

/** JSON with object keys sorted at every depth, so equal content always gives equal text. */
function canonicalJson(value: unknown): string {
    if (Array.isArray(value)) {
        return `[${value.map(canonicalJson).join(",")}]`;
    }
    if (value !== null && typeof value === "object") {
        const entries = Object.entries(value)
            .filter(([, v]) => v !== undefined)
            .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
    }
    return JSON.stringify(value);
}

function sha256Hex(text: string): string {
    return createHash("sha256").update(text, "utf8").digest("hex");
}

/**
 * The ClientToken: 64 hex characters (the API wants ASCII), derived from the
 * connection id, the request's content and `attempt`, an id drawn once per
 * attempt to converge.
 *
 * The retries of one attempt carry the same token, so the service applies the
 * request once even if the first answer was lost. Two attempts never share
 * one, even when they send the same content against the same observed
 * connection (A to B, back to A, then B again; or B again after someone
 * reverted it by hand): the service would answer the later one as a replay of
 * the earlier and apply nothing. A new attempt after a crash cannot apply a
 * change twice either: it reads the connection before it sends, and waits
 * while the first attempt's task runs or finds the values already there.
 */
export function clientToken(request: ModifyRequest, attempt: string): string {
    const { clientToken: _previous, ...content } = request;
    return sha256Hex(canonicalJson([request.vpnConnectionId, content, attempt]));
}
