/**
 * Turns a DescribeVpnConnection (or ModifyVpnAttachmentAttribute response)
 * body into an `ObservedConnection` in the canonical types of types.ts.
 *
 * The service is inconsistent about types: top-level lifetimes and ASNs are
 * numbers but per-tunnel ones are strings, `EnableBgp` and per-tunnel
 * `EnableDpd` are "true"/"false" strings while top-level `EnableDpd` is a
 * boolean. Every value is therefore read leniently and converted, or each
 * refresh would report a false difference. Missing or unreadable values are
 * omitted rather than set to undefined, because Pulumi refuses undefined in
 * outputs. Where each attribute is reported and how it is read is its
 * schema entry's `describedAs` and `reading`.
 */
import { isRecord } from "../foundation/records";
import { subnetEntries } from "./ipv4";
import { ATTRIBUTES, entriesOf, Fields, Leaf, Reading, TUNNEL_FIELDS } from "./schema";
import {
    BgpConfig,
    HealthCheckConfig,
    ObservedBgpConfig,
    ObservedConnection,
    ObservedHealthCheckConfig,
    ObservedTunnel,
    ObservedTunnelBgpConfig,
    TunnelBgpConfig,
} from "./types";

type Body = Record<string, unknown>;

function text(value: unknown): string | undefined {
    if (typeof value === "string") {
        return value === "" ? undefined : value;
    }
    return typeof value === "number" || typeof value === "boolean" ? String(value) : undefined;
}

function number(value: unknown): number | undefined {
    if (typeof value === "number") {
        return Number.isFinite(value) ? value : undefined;
    }
    if (typeof value === "string" && /^[+-]?\d+(\.\d+)?$/.test(value.trim())) {
        // Number() skips the same surrounding whitespace as trim().
        return Number(value);
    }
    return undefined;
}

/**
 * An ASN, also in the two-segment form "123.456" (123 * 65536 + 456) the
 * request side takes: read as a decimal it would be a fraction in state that
 * check then refuses when the program declares it back.
 */
function asn(value: unknown): number | undefined {
    const dotted = typeof value === "string" ? /^(\d+)\.(\d+)$/.exec(value.trim()) : null;
    return dotted ? Number(dotted[1]) * 65536 + Number(dotted[2]) : number(value);
}

function flag(value: unknown): boolean | undefined {
    if (typeof value === "boolean") {
        return value;
    }
    const lower = typeof value === "string" ? value.trim().toLowerCase() : undefined;
    return lower === "true" ? true : lower === "false" ? false : undefined;
}

/** The service separates subnets with commas and sometimes spaces; keep its order, drop the spaces. */
function subnets(value: unknown): string | undefined {
    const list = subnetEntries(text(value));
    return list && list.length > 0 ? list.join(",") : undefined;
}

const READERS: Record<Reading, (value: unknown) => unknown> = { text, number, asn, flag, subnets };

/** Drops undefined-valued keys; returns undefined for an object left empty. */
function compact<T extends object>(value: T): T | undefined {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return entries.length > 0 ? (Object.fromEntries(entries) as T) : undefined;
}

/**
 * A leaf from the first of its Describe keys that is present; failing that, the
 * value every tunnel reports alike, for a value the schema says Describe may
 * report only per tunnel.
 */
function readLeaf(spec: Leaf, body: Body, tunnels: readonly Body[]): unknown {
    const read = READERS[spec.reading];
    // Stryker disable next-line ArrayDeclaration: an entry the list would start with names a key no body has, so it reads nothing
    const keys: string[] = [];
    const everyTunnel: string[] = [];
    for (const source of spec.describedAs) {
        if (typeof source === "string") {
            keys.push(source);
        } else {
            everyTunnel.push(source.onEveryTunnel);
        }
    }
    const own = read(keys.map((key) => body[key]).find((value) => value !== undefined && value !== null));
    if (own !== undefined) {
        return own;
    }
    for (const key of everyTunnel) {
        const perTunnel = new Set(tunnels.map((tunnel) => read(tunnel[key])));
        // One value: at least one tunnel, and every tunnel reports it.
        if (perTunnel.size === 1) {
            return [...perTunnel][0];
        }
    }
    return undefined;
}

/** The values of a table's leaves and configs (not its tunnel list) that `body` reports. */
// Stryker disable next-line ArrayDeclaration: only top-level attributes are read from every tunnel; configs and tunnels have no such leaf, so the default is never read
function readFields(fields: Fields, body: Body, tunnels: readonly Body[] = []): Record<string, unknown> {
    const values: Record<string, unknown> = {};
    for (const [name, spec] of entriesOf(fields)) {
        values[name] =
            spec.kind === "leaf"
                ? readLeaf(spec, body, tunnels)
                : readConfig(spec.fields, body[spec.describedAs[0]], spec.describedAs[0]);
    }
    return values;
}

/**
 * The Describe key and reader of each field `Observed` adds to the config
 * `Settings`: every such field of types.ts, and no other, or this fails to compile.
 */
type ReportedBy<Observed, Settings> = {
    readonly [K in Exclude<keyof Observed, keyof Settings>]-?: [string, (value: unknown) => Observed[K] | undefined];
};

/**
 * Values Describe reports that are not settings (peer addresses, status),
 * kept in state for the reader, by the config that holds them.
 */
const REPORTED: Readonly<Record<string, Readonly<Record<string, [string, (value: unknown) => unknown]>>>> = {
    VpnBgpConfig: {
        peerAsn: ["PeerAsn", asn],
        peerBgpIp: ["PeerBgpIp", text],
        status: ["Status", text],
    } satisfies ReportedBy<ObservedBgpConfig, BgpConfig>,
    VcoHealthCheck: { status: ["Status", text] } satisfies ReportedBy<ObservedHealthCheckConfig, HealthCheckConfig>,
    TunnelBgpConfig: {
        peerAsn: ["PeerAsn", asn],
        peerBgpIp: ["PeerBgpIp", text],
        bgpStatus: ["BgpStatus", text],
    } satisfies ReportedBy<ObservedTunnelBgpConfig, TunnelBgpConfig>,
};

function readReported(describedAs: string, body: Body): Record<string, unknown> {
    const reported = REPORTED[describedAs] ?? {};
    return Object.fromEntries(Object.entries(reported).map(([name, [key, read]]) => [name, read(body[key])]));
}

function readConfig(fields: Fields, raw: unknown, describedAs?: string): object | undefined {
    if (!isRecord(raw)) {
        return undefined;
    }
    return compact({ ...readFields(fields, raw), ...(describedAs ? readReported(describedAs, raw) : {}) });
}

/**
 * A tunnel without TunnelIndex takes its position in the list (1-based) and
 * one without TunnelId an empty id, so that it still shows in state rather
 * than vanish; the service is documented to always send both.
 */
function tunnel(raw: Body, position: number): ObservedTunnel {
    const { tunnelId: _id, tunnelIndex: _index, ...settings } = TUNNEL_FIELDS;
    const optional = compact({
        role: text(raw.Role),
        state: text(raw.State),
        status: text(raw.Status),
        internetIp: text(raw.InternetIp),
        zoneNo: text(raw.ZoneNo),
        ...readFields(settings, raw),
    });
    return {
        tunnelId: text(raw.TunnelId) ?? "",
        tunnelIndex: number(raw.TunnelIndex) ?? position + 1,
        ...optional,
    };
}

/** Describe wraps the list as `{TunnelOptions: [...]}`; the Modify response sends a plain array. */
function tunnelList(raw: unknown): Body[] {
    const wrapped = isRecord(raw) ? raw.TunnelOptions : undefined;
    const list: unknown = Array.isArray(raw) ? raw : isRecord(wrapped) ? [wrapped] : wrapped;
    return Array.isArray(list) ? list.filter(isRecord) : [];
}

export function observeConnection(body: Record<string, unknown>): ObservedConnection {
    const { tunnelOptionsSpecification: tunnelsSpec, ...attributes } = ATTRIBUTES;
    const rawTunnels = tunnelList(body[tunnelsSpec.describedAs[0]]);
    const tunnels = rawTunnels.map(tunnel).sort((a, b) => a.tunnelIndex - b.tunnelIndex);
    const optional = compact({
        state: text(body.State),
        status: text(body.Status),
        description: text(body.Description),
        vpnGatewayId: text(body.VpnGatewayId),
        attachType: text(body.AttachType),
        attachInstanceId: text(body.AttachInstanceId),
        spec: text(body.Spec),
        createTime: number(body.CreateTime),
        resourceGroupId: text(body.ResourceGroupId),
        ...readFields(attributes, body, rawTunnels),
        tunnelOptionsSpecification: tunnels.length > 0 ? tunnels : undefined,
    });
    return {
        vpnConnectionId: text(body.VpnConnectionId) ?? "",
        mode: tunnels.length > 0 ? "dual" : "single",
        ...optional,
    };
}
