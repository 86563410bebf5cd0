/**
 * Builds the one ModifyVpnAttachmentAttribute request that moves a connection
 * from what it has to what the program declares. Only what the program
 * declares and the connection lacks changes; where the API page is silent
 * about what must go along, the request follows the vendor's Terraform
 * provider (docs/service-readings.md): both subnets go with every Modify, and
 * each tunnel entry sent goes whole. A tunnel that does not change is not
 * sent, since re-applying its settings can renegotiate it.
 */
import { createHash } from "node:crypto";
import { isRecord } from "../foundation/records";
import { compareAttributes, pathOf, Place, unappliableChanges } from "./diffing";
import { ATTRIBUTES, AttributeName, Config, entriesOf, Fields, TUNNEL_FIELDS } from "./schema";
import { matchTunnel } from "./tunnels";
import {
    DesiredAttributes,
    FieldDifference,
    IkeConfig,
    ObservedConnection,
    ObservedTunnel,
    ResourceSettings,
    TunnelBgpConfig,
    TunnelOptions,
} from "./types";

/** One entry of TunnelOptionsSpecification; the SDK flattens it to `TunnelOptionsSpecification.N.*`. */
export type ModifyTunnelOptions = Omit<TunnelOptions, "tunnelId" | "tunnelIndex"> & {
    tunnelId: string;
    tunnelIndex: number;
};

/** The attributes the API takes as JSON strings. */
type ConfigAttribute = {
    [K in AttributeName]: (typeof ATTRIBUTES)[K] extends Config ? K : never;
}[AttributeName];

/** The fields of the SDK's ModifyVpnAttachmentAttributeRequest this provider sets: one per attribute. */
export type ModifyRequest = Omit<DesiredAttributes, ConfigAttribute | "tunnelOptionsSpecification"> & {
    regionId: string;
    vpnConnectionId: string;
    clientToken?: string;
    tunnelOptionsSpecification?: ModifyTunnelOptions[];
} & {
    /** JSON with the API's key names, e.g. `{"Psk":"...","IkeVersion":"ikev2","IkeLifetime":86400}`. */
    [K in ConfigAttribute]?: string;
};

/**
 * A config object sent whole: the declared values, and for every key the
 * program does not declare the value the connection has now. The service
 * treats a missing key as "reset"; worst of all, an IkeConfig without Psk
 * makes it generate a new random key and the tunnel to the peer drops. So
 * the current PSK always goes along when the program declares none, and
 * `requirePsk` refuses to send an IKE config when there is none to keep.
 */
function merged(fields: Fields, actual: unknown, desired: unknown): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    for (const key of Object.keys(fields)) {
        const value =
            (desired as Record<string, unknown> | undefined)?.[key] ??
            (actual as Record<string, unknown> | undefined)?.[key];
        if (value !== undefined) {
            result[key] = value;
        }
    }
    return result;
}

/** The config as the API's JSON: its keys, and every value a string for `jsonStrings` configs. */
function toJson(spec: Config, config: Record<string, unknown>): string {
    const entries = entriesOf(spec.fields)
        .filter(([key]) => config[key] !== undefined)
        .map(([key, field]) => [field.api, spec.encoding === "jsonStrings" ? String(config[key]) : config[key]]);
    return JSON.stringify(Object.fromEntries(entries));
}

/**
 * The service treats an IkeConfig without Psk as "make a new key", which cuts
 * the tunnel until the peer is given it. When the connection reports no key
 * (an empty or unreadable IkeConfig) and the program declares none, there is
 * no key to keep: refuse rather than send.
 */
function requirePsk(config: IkeConfig | Record<string, unknown>, place: Place, where: string, input: string): void {
    if (typeof config.psk !== "string" || config.psk.length === 0) {
        throw new Error(
            `${pathOf(place)} changes, but ${where} reports no pre-shared key, and an IKE config sent without one makes the ` +
                `service generate a new key, which cuts the tunnel. Declare the current key in ${input} ` +
                `(or ${pathOf({ ...place, key: "psk" })}), ` +
                `then run the update again`,
        );
    }
}

/** The service answers MissingParameter.TunnelCidr otherwise; failing here names the field in the program's terms. */
function requireTunnelCidr(config: TunnelBgpConfig | Record<string, unknown>, bgpEnabled: boolean, place: Place): void {
    if (bgpEnabled && config.tunnelCidr === undefined) {
        throw new Error(
            `${pathOf({ ...place, key: "tunnelCidr" })} is required when BGP is enabled, and the connection has none to keep`,
        );
    }
}

/**
 * A tunnel entry as sent: whole, as the vendor's Terraform sends it. Every
 * scalar the tunnel has and every sub-config, merged with the declared
 * values as `merged` does, so a service that resets what an entry omits
 * (turning DPD or NAT traversal off) finds nothing omitted.
 */
function tunnelOptions(
    desired: TunnelOptions,
    observed: ObservedTunnel,
    bgpEnabled: boolean,
    position: number,
): ModifyTunnelOptions {
    const tunnel = { attribute: "tunnelOptionsSpecification", tunnel: position } as const;
    // The service identifies a tunnel by both; take them from the connection, not the program, which may name only one.
    const options: Record<string, unknown> = { tunnelId: observed.tunnelId, tunnelIndex: observed.tunnelIndex };
    const { tunnelId: _id, tunnelIndex: _index, ...settings } = TUNNEL_FIELDS;
    for (const [field, spec] of entriesOf(settings)) {
        const value =
            spec.kind === "leaf"
                ? (desired[field] ?? observed[field])
                : nonEmpty(merged(spec.fields, observed[field], desired[field]));
        if (value !== undefined) {
            options[field] = value;
        }
    }
    const sent = options as ModifyTunnelOptions;
    if (sent.tunnelIkeConfig) {
        requirePsk(
            sent.tunnelIkeConfig,
            { ...tunnel, field: "tunnelIkeConfig" },
            `tunnel ${observed.tunnelId}`,
            "tunnelPsks",
        );
    }
    if (sent.tunnelBgpConfig) {
        requireTunnelCidr(sent.tunnelBgpConfig, bgpEnabled, { ...tunnel, field: "tunnelBgpConfig" });
    }
    return sent;
}

function nonEmpty(config: Record<string, unknown>): Record<string, unknown> | undefined {
    return Object.keys(config).length > 0 ? config : undefined;
}

/**
 * Dual-tunnel connections: only the tunnels whose settings differ, each sent
 * whole (see `tunnelOptions`), so the other tunnel keeps carrying traffic
 * while this one is re-applied.
 */
function changedTunnels(
    desired: DesiredAttributes,
    actual: ObservedConnection,
    differences: FieldDifference[],
): ModifyTunnelOptions[] {
    const attribute = "tunnelOptionsSpecification";
    const fieldsByPosition = new Map<number, Set<string | undefined>>();
    for (const { tunnel, field } of differences) {
        // Only a tunnel difference has a position.
        if (tunnel !== undefined) {
            fieldsByPosition.set(tunnel, (fieldsByPosition.get(tunnel) ?? new Set()).add(field));
        }
    }
    const bgpEnabled = (desired.enableTunnelsBgp ?? actual.enableTunnelsBgp) === true;
    const options: ModifyTunnelOptions[] = [];
    for (const [position, fields] of fieldsByPosition) {
        const path = pathOf({ attribute, tunnel: position });
        // Stryker disable next-line ArrayDeclaration: a tunnel difference comes only from a declared list
        const declared = (desired[attribute] ?? [])[position];
        const observed = matchTunnel(declared, actual[attribute]);
        // No request can create a tunnel or renumber one: these are errors in the program.
        if (!observed) {
            throw new Error(`${path} names a tunnel that connection ${actual.vpnConnectionId} does not have`);
        }
        if (ATTRIBUTES[attribute].identity.some((field) => fields.has(field))) {
            throw new Error(
                `${path} declares tunnelId ${declared.tunnelId} with tunnelIndex ${declared.tunnelIndex}, ` +
                    `but that tunnel has tunnelIndex ${observed.tunnelIndex}`,
            );
        }
        options.push(tunnelOptions(declared, observed, bgpEnabled, position));
    }
    // Never empty: called only when the tunnels differ, and each such difference is at a position.
    return options.sort((a, b) => a.tunnelIndex - b.tunnelIndex);
}

/**
 * A changed config as sent: merged with the connection's values, then held
 * to the rules the service enforces only by breaking the tunnel or refusing.
 */
function configParameter(
    name: ConfigAttribute,
    spec: Config,
    desired: DesiredAttributes,
    actual: ObservedConnection,
): string {
    const config = merged(spec.fields, actual[name], desired[name]);
    if (name === "ikeConfig") {
        requirePsk(config, { attribute: name }, `connection ${actual.vpnConnectionId}`, "psk");
    }
    // Only bgpConfig has enableBgp, so for the other configs the rule never applies.
    requireTunnelCidr(config, config.enableBgp === true, { attribute: name });
    return toJson(spec, config);
}

/**
 * The vendor's Terraform sends LocalSubnet and RemoteSubnet on every Modify,
 * and its older connection resource began to after an IkeConfig change
 * without them failed (docs/service-readings.md): the declared subnets, else
 * the connection's own.
 */
const ALWAYS_SENT = ["localSubnet", "remoteSubnet"] as const;

/**
 * The request that makes `actual` match `desired`, or undefined when nothing
 * differs. Only parameters that differ are sent, and with them both subnets
 * (`ALWAYS_SENT`); a config object that differs is sent whole (see `merged`),
 * and so is a tunnel entry (see `tunnelOptions`). The caller checks
 * `modeConflicts` first and adds the client token.
 */
export function buildModifyRequest(
    settings: ResourceSettings,
    desired: DesiredAttributes,
    actual: ObservedConnection,
): ModifyRequest | undefined {
    const differences = compareAttributes(desired, actual);
    if (differences.length === 0) {
        return undefined;
    }
    const refusals = unappliableChanges(desired, actual);
    if (refusals.length > 0) {
        throw new Error(refusals.join("; "));
    }
    const changed = new Set(differences.map((d) => d.attribute));
    const request: ModifyRequest = { regionId: settings.regionId, vpnConnectionId: settings.vpnConnectionId };
    const parameters = request as Record<string, unknown>;
    for (const [name, spec] of entriesOf(ATTRIBUTES)) {
        if (!changed.has(name)) {
            continue;
        }
        if (spec.kind === "leaf") {
            parameters[name] = desired[name];
        } else if (spec.kind === "config") {
            parameters[name] = configParameter(name as ConfigAttribute, spec, desired, actual);
        } else {
            parameters[name] = changedTunnels(desired, actual, differences);
        }
    }
    for (const name of ALWAYS_SENT) {
        const value = desired[name] ?? actual[name];
        if (value !== undefined) {
            parameters[name] = value;
        }
    }
    return request;
}

/** JSON with object keys sorted at every depth, so equal content always gives equal text. */
function canonicalJson(value: unknown): string {
    if (Array.isArray(value)) {
        return `[${value.map(canonicalJson).join(",")}]`;
    }
    if (isRecord(value)) {
        const entries = Object.entries(value)
            .filter(([, v]) => v !== undefined)
            .sort(byKey);
        return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
    }
    return JSON.stringify(value);
}

/** Entries in the code-unit order of their keys. */
function byKey([a]: [string, unknown], [b]: [string, unknown]): number {
    return a < b ? -1 : 1;
}

function sha256Hex(text: string): string {
    return createHash("sha256").update(text).digest("hex");
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
