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
import { desiredFromInputs, managedFieldPaths, outputsToObserved } from "./pulumiState";
import { containsUnknown, isUnknown } from "./unknowns";
import { subnetNetworks } from "./validation";
import { isRecord } from "../shared/records";

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

/**
 * The service may reorder or re-space subnets, and may keep or drop host bits
 * and repeated entries; what matters is the set of networks.
 */
export function sameSubnets(a: unknown, b: unknown): boolean {
    const left = subnetNetworks(a);
    const right = subnetNetworks(b);
    return (
        left !== undefined && right !== undefined && left.size === right.size && [...left].every((s) => right.has(s))
    );
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
 * A connection's network type is fixed once it exists: the emulator, modelled
 * on the Terraform provider (which recreates the connection for this change),
 * answers IllegalParam.NetworkType. This resource adopts a connection and
 * cannot recreate it.
 */
function networkTypeChange(desired: DesiredAttributes, actual: ObservedConnection): string | undefined {
    const { networkType } = desired;
    if (networkType === undefined || isUnknown(networkType) || actual.networkType === undefined) {
        return undefined;
    }
    if (networkType === actual.networkType) {
        return undefined;
    }
    return (
        `networkType cannot change from ${actual.networkType} to ${networkType} on existing connection ` +
        `${actual.vpnConnectionId}: the service fixes it when the connection is created (IllegalParam.NetworkType). ` +
        `Declare networkType "${actual.networkType}" or remove it, or create a ${networkType} connection and set ` +
        `vpnConnectionId to it`
    );
}

/** IKE versions by tunnel (one entry, "", for a single-tunnel connection), declared values over observed ones. */
function ikeVersions(desired: DesiredAttributes, actual: ObservedConnection): Map<string, unknown> {
    if (actual.mode === "single") {
        return new Map([["", desired.ikeConfig?.ikeVersion ?? actual.ikeConfig?.ikeVersion]]);
    }
    const declared = Array.isArray(desired.tunnelOptionsSpecification) ? desired.tunnelOptionsSpecification : [];
    const versions = new Map<string, unknown>();
    for (const tunnel of actual.tunnelOptionsSpecification ?? []) {
        const mine = declared.find((t) => isRecord(t) && matchTunnel(t, [tunnel]) !== undefined);
        versions.set(tunnel.tunnelId, mine?.tunnelIkeConfig?.ikeVersion ?? tunnel.tunnelIkeConfig?.ikeVersion);
    }
    return versions;
}

/**
 * ModifyIkeV1WithMultiRoutes.Invalid: IKEv1 negotiates one network per side.
 * Judged on the connection as the change would leave it, and only when the
 * change touches the IKE version or the subnets, as the service does: a
 * Name-only change to a connection that already has both goes through.
 */
function ikeV1MultiNetworkChange(desired: DesiredAttributes, actual: ObservedConnection): string | undefined {
    const target = ikeVersions(desired, actual);
    const before = ikeVersions({}, actual);
    const subnets = (["localSubnet", "remoteSubnet"] as const).map((field) => ({
        field,
        value: desired[field] ?? actual[field],
    }));
    if ([...target.values(), ...subnets.map((s) => s.value)].some(containsUnknown)) {
        return undefined;
    }
    const versionChanged = [...target].some(([tunnel, version]) => before.get(tunnel) !== version);
    const subnetsChanged = subnets.some(({ field, value }) => !sameSubnets(value, actual[field]));
    const multi = subnets.filter(({ value }) => (subnetNetworks(value)?.size ?? 0) > 1).map(({ field }) => field);
    if (!(versionChanged || subnetsChanged) || ![...target.values()].includes("ikev1") || multi.length === 0) {
        return undefined;
    }
    return (
        `${multi.join(" and ")} would list more than one network on connection ${actual.vpnConnectionId} while IKE ` +
        `is ikev1; the service refuses this (ModifyIkeV1WithMultiRoutes.Invalid). Declare ikeVersion "ikev2", ` +
        `or one CIDR block in each of localSubnet and remoteSubnet`
    );
}

/**
 * Why the declared attributes cannot be applied to the connection in place:
 * empty when they can. Both diff (at preview) and the request builder (before
 * any call) ask, so such a change never reaches the service.
 */
export function unappliableChanges(desired: DesiredAttributes, actual: ObservedConnection): string[] {
    return [
        networkTypeChange(desired, actual),
        ikeV1MultiNetworkChange(desired, actual),
        ...bgpAddressConflicts(desired, actual),
    ].filter((reason): reason is string => reason !== undefined);
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
    const tunnels: unknown[] = Array.isArray(desired.tunnelOptionsSpecification)
        ? desired.tunnelOptionsSpecification
        : [];
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
 * - A declared change the service cannot apply in place (`unappliableChanges`)
 *   fails the preview with the reason and the way out.
 * - Otherwise an update when a declared attribute differs from the state or
 *   is unknown; when endpoint, timeoutSeconds, profile or assumeRoleArn change (these need no API
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
    const settingsChanged = (
        ["endpoint", "timeoutSeconds", "profile", "assumeRoleArn", "verifyOnPreview"] as const
    ).some((key) => news[key] !== olds[key]);
    const desired = desiredFromInputs(news);
    const observed = outputsToObserved(olds);
    // Preview must say so rather than leave it to `up`: diff is the first step that sees the connection's value.
    const refusals = unappliableChanges(desired, observed);
    if (refusals.length > 0) {
        throw new Error(
            `${refusals.join("; ")}. (Judged from the values state holds; if the connection was changed outside ` +
                `Pulumi, run pulumi refresh first.)`,
        );
    }
    const attributesDiffer = compareAttributes(desired, observed).length > 0;
    const managedChanged = !sameStrings(olds.managedFields ?? [], managedFieldPaths(desired));
    return { changes: settingsChanged || attributesDiffer || managedChanged, replaces: [], deleteBeforeReplace: false };
}
