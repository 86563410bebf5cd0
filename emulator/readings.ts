import { missingParameter } from "./errors";
import { formatIpv4, parseCidr } from "./net";
import type { ConnectionPatch, DeepPartial, SeedConnection, TunnelOptions } from "./types";

/**
 * Readings of the service: where the API page is silent, the real service may
 * behave in more than one plausible way. The emulator's default is one
 * reading; each of these is another, switched on through the admin API or
 * the `--readings` flag, so the provider can be tested against all of them
 * (docs/service-readings.md, docs/fidelity.md):
 * - `subnetsWithConfig`: a Modify that carries a config object or a tunnel
 *   entry without both LocalSubnet and RemoteSubnet is refused (inferred from
 *   the vendor's Terraform, which sends both on every Modify);
 * - `resetOmitted`: a config object or tunnel entry resets the keys it omits
 *   to their defaults (DPD and NAT traversal off);
 * - `lateReads`: once a task ends, Describe shows the old values for a few
 *   more reads;
 * - `canonical`: Describe reports values in the service's own canonical
 *   form: algorithm names in lower case, subnets as network addresses,
 *   numbers and booleans as strings.
 */
export const READINGS = ["subnetsWithConfig", "resetOmitted", "lateReads", "canonical"] as const;

export type ReadingName = (typeof READINGS)[number];

/** How many reads after a task still show the old values under `lateReads`. */
export const LATE_READS = 2;

/** The names, checked: a comma-separated list from a flag, or an array from the admin API. */
export function parseReadings(value: unknown): ReadingName[] {
    const names = typeof value === "string" ? value.split(",").map((name) => name.trim()) : value;
    if (!Array.isArray(names) || names.some((name) => typeof name !== "string")) {
        throw new Error(`readings must be a list of names from ${READINGS.join(", ")}.`);
    }
    const wanted = names.filter((name: string) => name !== "");
    const unknown = wanted.filter((name: string) => !(READINGS as readonly string[]).includes(name));
    if (unknown.length > 0) {
        throw new Error(`Unknown reading ${unknown.join(", ")}: readings are ${READINGS.join(", ")}.`);
    }
    return [...new Set(wanted as ReadingName[])];
}

/** Which readings are on; `reset` goes back to those the emulator was started with. */
export class Readings {
    private on: Set<ReadingName>;

    constructor(private readonly initial: readonly ReadingName[] = []) {
        this.on = new Set(initial);
    }

    set(names: readonly ReadingName[]): void {
        this.on = new Set(names);
    }

    list(): ReadingName[] {
        return READINGS.filter((name) => this.on.has(name));
    }

    has(name: ReadingName): boolean {
        return this.on.has(name);
    }

    reset(): void {
        this.on = new Set(this.initial);
    }
}

/* ---- subnetsWithConfig ---- */

const CONFIG_PARAMS = ["IkeConfig", "IpsecConfig", "BgpConfig", "HealthCheckConfig"];

/** Refuses, as the reading has it, a config or tunnel entry sent without both subnets. */
export function requireSubnetsWithConfig(params: Record<string, string>): void {
    const carriesConfig =
        CONFIG_PARAMS.some((name) => name in params) ||
        Object.keys(params).some((key) => key.startsWith("TunnelOptionsSpecification."));
    if (!carriesConfig) return;
    for (const name of ["LocalSubnet", "RemoteSubnet"]) {
        if (params[name] === undefined || params[name] === "") throw missingParameter(name);
    }
}

/* ---- resetOmitted ---- */

type Defaults = Record<string, string | number | null>;

/**
 * What CreateVpnConnection uses when a key is not given (the page's defaults);
 * a key without a default (identifiers, BGP addresses) is cleared.
 */
const IKE_DEFAULTS: Defaults = {
    IkeVersion: "ikev1",
    IkeMode: "main",
    IkeEncAlg: "aes",
    IkeAuthAlg: "md5",
    IkePfs: "group2",
    IkeLifetime: 86400,
    LocalId: null,
    RemoteId: null,
};
const IPSEC_DEFAULTS: Defaults = { IpsecEncAlg: "aes", IpsecAuthAlg: "md5", IpsecPfs: "group2", IpsecLifetime: 86400 };
const BGP_DEFAULTS: Defaults = { EnableBgp: "false", LocalAsn: null, TunnelCidr: null, LocalBgpIp: null };
const HEALTH_DEFAULTS: Defaults = {
    Enable: "false",
    Dip: null,
    Sip: null,
    Interval: null,
    Retry: null,
    Policy: "revoke_route",
};
const TUNNEL_BGP_DEFAULTS: Defaults = { LocalAsn: null, TunnelCidr: null, LocalBgpIp: null };

/** Per tunnel, the service writes numbers as strings. */
function asStrings(defaults: Defaults): Defaults {
    return Object.fromEntries(
        Object.entries(defaults).map(([key, value]) => [key, typeof value === "number" ? String(value) : value]),
    );
}

/** The config with every key it lacks set to its default (or cleared). */
function withDefaults<T extends object>(config: T | null | undefined, defaults: Defaults): T {
    const filled: Record<string, unknown> = { ...defaults };
    for (const [key, value] of Object.entries(config ?? {})) {
        if (value !== undefined) filled[key] = value;
    }
    return filled as T;
}

function resetTunnel(entry: DeepPartial<TunnelOptions>): DeepPartial<TunnelOptions> {
    return {
        ...entry,
        EnableDpd: entry.EnableDpd ?? "false",
        EnableNatTraversal: entry.EnableNatTraversal ?? "false",
        TunnelIkeConfig: withDefaults(entry.TunnelIkeConfig, asStrings(IKE_DEFAULTS)),
        TunnelIpsecConfig: withDefaults(entry.TunnelIpsecConfig, asStrings(IPSEC_DEFAULTS)),
        TunnelBgpConfig: withDefaults(entry.TunnelBgpConfig, TUNNEL_BGP_DEFAULTS),
    };
}

/**
 * The patch as this reading applies it: every config object sent, and every
 * tunnel entry, replaces what the connection has, so a key it omits goes
 * back to its default. A PSK omitted is made anew either way (modify.ts).
 */
export function resetOmittedKeys(patch: ConnectionPatch): ConnectionPatch {
    const reset: ConnectionPatch = { ...patch };
    if (patch.IkeConfig) reset.IkeConfig = withDefaults(patch.IkeConfig, IKE_DEFAULTS);
    if (patch.IpsecConfig) reset.IpsecConfig = withDefaults(patch.IpsecConfig, IPSEC_DEFAULTS);
    if (patch.VpnBgpConfig) reset.VpnBgpConfig = withDefaults(patch.VpnBgpConfig, BGP_DEFAULTS);
    if (patch.VcoHealthCheck) reset.VcoHealthCheck = withDefaults(patch.VcoHealthCheck, HEALTH_DEFAULTS);
    const tunnels = patch.TunnelOptionsSpecification?.TunnelOptions;
    if (tunnels) reset.TunnelOptionsSpecification = { TunnelOptions: tunnels.map(resetTunnel) };
    return reset;
}

/* ---- canonical ---- */

const ALGORITHM_KEYS = new Set(["IkeEncAlg", "IkeAuthAlg", "IkePfs", "IpsecEncAlg", "IpsecAuthAlg", "IpsecPfs"]);
const SUBNET_KEYS = new Set(["LocalSubnet", "RemoteSubnet"]);

function networkAddresses(list: string): string {
    return list
        .split(",")
        .map((block) => {
            const cidr = parseCidr(block.trim());
            return cidr ? `${formatIpv4(cidr.network)}/${cidr.prefix}` : block;
        })
        .join(",");
}

function canonicalValue(key: string, value: unknown): unknown {
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    if (typeof value === "string" && ALGORITHM_KEYS.has(key)) return value.toLowerCase();
    if (typeof value === "string" && SUBNET_KEYS.has(key)) return networkAddresses(value);
    if (Array.isArray(value)) return value.map((item) => canonicalValue(key, item));
    if (typeof value === "object" && value !== null) {
        return Object.fromEntries(Object.entries(value).map(([inner, v]) => [inner, canonicalValue(inner, v)]));
    }
    return value;
}

/** A Describe item as this reading reports it. */
export function canonicalItem(item: Record<string, unknown>): Record<string, unknown> {
    return canonicalValue("", item) as Record<string, unknown>;
}

/* ---- lateReads ---- */

/** Connections whose task ended, with the record Describe still shows and how many more times. */
export class LateReads {
    private readonly stale = new Map<string, { conn: SeedConnection; remaining: number }>();

    /** The task of `before`'s connection ended: show `before` (in its settled state) for the next reads. */
    remember(before: SeedConnection): void {
        this.stale.set(before.VpnConnectionId, { conn: before, remaining: LATE_READS });
    }

    /** What Describe shows of `conn`: its old record while reads remain. */
    read(conn: SeedConnection): SeedConnection {
        const entry = this.stale.get(conn.VpnConnectionId);
        if (!entry) return conn;
        entry.remaining -= 1;
        if (entry.remaining <= 0) this.stale.delete(conn.VpnConnectionId);
        return entry.conn;
    }

    forget(id?: string): void {
        if (id === undefined) this.stale.clear();
        else this.stale.delete(id);
    }
}
