/**
 * What differs between the attributes a program declares and those a
 * connection has. Only declared fields count: the resource manages exactly
 * what the program names and leaves everything else as the service has it.
 */
import {
    AttributeOutputs,
    CheckedInputs,
    DesiredAttributes,
    FieldDifference,
    ObservedConnection,
    ObservedTunnel,
    TunnelOptions,
} from "./types";
import { bgpAddressConflict } from "./bgpAddresses";
import { desiredFromInputs, managedFieldPaths, outputsToObserved } from "./state";
import { containsUnknown, isUnknown } from "./unknowns";

export { managedFieldPaths };

/** How each attribute is compared; the Record type makes the compiler demand an entry for every attribute. */
type Comparison = "value" | "subnets" | "config" | "tunnels";

const ATTRIBUTES: Record<keyof DesiredAttributes, Comparison> = {
    name: "value",
    localSubnet: "subnets",
    remoteSubnet: "subnets",
    effectImmediately: "value",
    autoConfigRoute: "value",
    networkType: "value",
    remoteCaCert: "value",
    customerGatewayId: "value",
    enableDpd: "value",
    enableNatTraversal: "value",
    ikeConfig: "config",
    ipsecConfig: "config",
    bgpConfig: "config",
    healthCheckConfig: "config",
    tunnelOptionsSpecification: "tunnels",
    enableTunnelsBgp: "value",
};

const TUNNEL_FIELDS: Record<keyof TunnelOptions, Comparison> = {
    tunnelId: "value",
    tunnelIndex: "value",
    customerGatewayId: "value",
    enableDpd: "value",
    enableNatTraversal: "value",
    tunnelBgpConfig: "config",
    tunnelIkeConfig: "config",
    tunnelIpsecConfig: "config",
};

function isRecord(value: unknown): value is Record<string, unknown> {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** True when a value is, or holds, a pre-shared key: such a difference must never be printed. */
function mentionsPsk(value: unknown): boolean {
    if (Array.isArray(value)) {
        return value.some(mentionsPsk);
    }
    return isRecord(value) && Object.entries(value).some(([key, v]) => key === "psk" || mentionsPsk(v));
}

function difference(path: string, desired: unknown, actual: unknown): FieldDifference {
    const secret = /(^|\.)psk$/.test(path) || mentionsPsk(desired) || mentionsPsk(actual);
    return { path, secret, desired, actual };
}

function subnetSet(value: unknown): Set<string> | undefined {
    const entries = typeof value === "string" ? value.split(",") : Array.isArray(value) ? value : undefined;
    return entries && new Set(entries.map((entry) => String(entry).trim()).filter((entry) => entry !== ""));
}

/** The service may reorder or re-space subnets; what matters is the set of blocks. */
export function sameSubnets(a: unknown, b: unknown): boolean {
    const left = subnetSet(a);
    const right = subnetSet(b);
    return left !== undefined && right !== undefined && left.size === right.size && [...left].every((s) => right.has(s));
}

/** The observed tunnel a declared one configures: by TunnelId when declared, else by TunnelIndex. */
export function matchTunnel(
    desired: TunnelOptions,
    observed: readonly ObservedTunnel[] | undefined,
): ObservedTunnel | undefined {
    return desired.tunnelId !== undefined
        ? observed?.find((t) => t.tunnelId === desired.tunnelId)
        : observed?.find((t) => t.tunnelIndex === desired.tunnelIndex);
}

function compareValue(
    comparison: Comparison,
    path: string,
    desired: unknown,
    actual: unknown,
    out: FieldDifference[],
): void {
    switch (comparison) {
        case "value":
            if (desired !== actual) {
                out.push(difference(path, desired, actual));
            }
            return;
        case "subnets":
            if (containsUnknown(desired) || !sameSubnets(desired, actual)) {
                out.push(difference(path, desired, actual));
            }
            return;
        case "config":
            compareConfig(path, desired, actual, out);
            return;
        case "tunnels":
            compareTunnels(path, desired, actual, out);
            return;
    }
}

/** A declared config object compares only the keys the program declares. */
function compareConfig(path: string, desired: unknown, actual: unknown, out: FieldDifference[]): void {
    if (!isRecord(desired)) {
        out.push(difference(path, desired, actual));
        return;
    }
    for (const [key, value] of Object.entries(desired)) {
        if (value !== undefined) {
            compareValue("value", `${path}.${key}`, value, isRecord(actual) ? actual[key] : undefined, out);
        }
    }
}

function compareTunnels(path: string, desired: unknown, actual: unknown, out: FieldDifference[]): void {
    if (!Array.isArray(desired)) {
        out.push(difference(path, desired, actual));
        return;
    }
    const observed = Array.isArray(actual) ? (actual as ObservedTunnel[]) : undefined;
    desired.forEach((tunnel: unknown, position) => {
        const tunnelPath = `${path}[${position}]`;
        const match = isRecord(tunnel) ? matchTunnel(tunnel, observed) : undefined;
        if (!isRecord(tunnel) || !match) {
            // Name only the tunnel sought, not its settings, which may hold a PSK.
            const sought = isRecord(tunnel) ? { tunnelId: tunnel.tunnelId, tunnelIndex: tunnel.tunnelIndex } : tunnel;
            out.push(difference(tunnelPath, sought, undefined));
            return;
        }
        for (const [key, comparison] of Object.entries(TUNNEL_FIELDS)) {
            const value = tunnel[key];
            if (value !== undefined) {
                const current = (match as unknown as Record<string, unknown>)[key];
                compareValue(comparison, `${tunnelPath}.${key}`, value, current, out);
            }
        }
    });
}

/**
 * Every declared attribute whose observed value differs, in the program's
 * terms: `ikeConfig.ikePfs`, `tunnelOptionsSpecification[0].tunnelIkeConfig.psk`
 * (the index is the position in the program's list). A declared tunnel the
 * connection does not have is one difference at `tunnelOptionsSpecification[i]`.
 * Unknown (preview) values always differ.
 */
export function compareAttributes(desired: DesiredAttributes, actual: ObservedConnection): FieldDifference[] {
    const differences: FieldDifference[] = [];
    for (const [name, comparison] of Object.entries(ATTRIBUTES) as Array<[keyof DesiredAttributes, Comparison]>) {
        if (desired[name] !== undefined) {
            compareValue(comparison, name, desired[name], actual[name], differences);
        }
    }
    return differences;
}

/**
 * Where the BGP configs a Modify would carry (declared keys plus the
 * connection's values for the rest) break the rule that LocalBgpIp lies in
 * TunnelCidr: one message per config, naming the property to declare. Only
 * configs that differ count, since only those are sent.
 */
export function bgpAddressConflicts(desired: DesiredAttributes, actual: ObservedConnection): string[] {
    const changed = compareAttributes(desired, actual).map((d) => d.path);
    const differs = (path: string) => changed.some((p) => p === path || p.startsWith(`${path}.`));
    const conflicts: Array<string | undefined> = [];
    if (isRecord(desired.bgpConfig) && differs("bgpConfig")) {
        conflicts.push(bgpAddressConflict("bgpConfig", desired.bgpConfig, actual.bgpConfig));
    }
    const tunnels: unknown[] = Array.isArray(desired.tunnelOptionsSpecification) ? desired.tunnelOptionsSpecification : [];
    tunnels.forEach((tunnel, position) => {
        const path = `tunnelOptionsSpecification[${position}].tunnelBgpConfig`;
        const observed = isRecord(tunnel) ? matchTunnel(tunnel, actual.tunnelOptionsSpecification) : undefined;
        if (observed && isRecord(tunnel) && isRecord(tunnel.tunnelBgpConfig) && differs(path)) {
            conflicts.push(bgpAddressConflict(path, tunnel.tunnelBgpConfig, observed.tunnelBgpConfig));
        }
    });
    return conflicts.filter((c): c is string => c !== undefined);
}

export interface DiffOutcome {
    changes: boolean;
    replaces: string[];
    deleteBeforeReplace: boolean;
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
    const left = new Set(a);
    return left.size === new Set(b).size && b.every((s) => left.has(s));
}

/**
 * Pulumi `diff`, from state alone (no API call: preview must stay offline and
 * fast; `pulumi refresh` is what brings state up to date with the service).
 *
 * - Another regionId or vpnConnectionId names another connection: replace.
 *   deleteBeforeReplace is false: delete never touches the connection, so the
 *   order is free, and creating first means that a failed create leaves the
 *   old resource in state instead of nothing.
 * - Otherwise an update when a declared attribute differs from the state or
 *   is unknown; when endpoint or timeoutSeconds change (these need no API
 *   call, only new state); and when the set of managed fields changes, for
 *   example a field the program stopped declaring: the service is left as it
 *   is, but state's `managedFields` must follow.
 * - It throws, failing the preview, when the update could not be sent
 *   without a value the program must choose (see `bgpAddressConflicts`).
 */
export function diffResource(olds: AttributeOutputs, news: CheckedInputs): DiffOutcome {
    const replaces = (["regionId", "vpnConnectionId"] as const).filter(
        (key) => isUnknown(news[key]) || news[key] !== olds[key],
    );
    if (replaces.length > 0) {
        return { changes: true, replaces, deleteBeforeReplace: false };
    }
    const settingsChanged = (["endpoint", "timeoutSeconds"] as const).some((key) => news[key] !== olds[key]);
    const desired = desiredFromInputs(news);
    const observed = outputsToObserved(olds);
    // Preview is the place to learn that `up` could not send this change.
    const conflicts = bgpAddressConflicts(desired, observed);
    if (conflicts.length > 0) {
        throw new Error(
            `${conflicts.join("; ")}. (Judged from the values state holds; if the connection was changed outside ` +
                `Pulumi, run pulumi refresh first.)`,
        );
    }
    const attributesDiffer = compareAttributes(desired, observed).length > 0;
    const managedChanged = !sameStrings(olds.managedFields ?? [], managedFieldPaths(desired));
    return { changes: settingsChanged || attributesDiffer || managedChanged, replaces: [], deleteBeforeReplace: false };
}
