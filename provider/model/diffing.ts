/**
 * What differs between the attributes a program declares and those a
 * connection has. Only declared fields count: the resource manages exactly
 * what the program names and leaves everything else as the service has it.
 */
import {
    AttributeName,
    AttributeOutputs,
    CheckedInputs,
    DesiredAttributes,
    FieldDifference,
    ObservedConnection,
    RESOURCE_SETTINGS,
} from "./types";
import { bgpAddressConflict } from "./bgpAddresses";
import { sameSubnets, subnetNetworks } from "./ipv4";
import { desiredFromInputs, managedFieldPaths, outputsToObserved } from "./pulumiState";
import { ATTRIBUTES, Comparison, entriesOf, Fields, Leaf, TUNNEL_FIELDS } from "./schema";
import { settingsChanging } from "./settings";
import { matchTunnel, namesTunnel } from "./tunnels";
import { containsUnknown, isUnknown } from "./unknowns";
import { isRecord } from "../foundation/records";

/** Where a difference is: the attribute, and inside it the tunnel (its position in the program's list), field and key. */
export type Place = Pick<FieldDifference, "attribute" | "tunnel" | "field" | "key">;

/** The place as messages show it, e.g. `tunnelOptionsSpecification[1].tunnelIkeConfig.ikePfs`: the one path dialect of messages. */
export function pathOf(place: Place): string {
    const tunnel = place.tunnel === undefined ? "" : `[${place.tunnel}]`;
    return [`${place.attribute}${tunnel}`, place.field, place.key].filter((part) => part !== undefined).join(".");
}

/** True when a value is, or holds, a pre-shared key: such a difference must never be printed. */
function mentionsPsk(value: unknown): boolean {
    if (Array.isArray(value)) {
        return value.some(mentionsPsk);
    }
    return isRecord(value) && Object.entries(value).some(([key, v]) => key === "psk" || mentionsPsk(v));
}

function difference(place: Place, desired: unknown, actual: unknown, secret = false): FieldDifference {
    return {
        ...place,
        path: pathOf(place),
        secret: secret || mentionsPsk(desired) || mentionsPsk(actual),
        desired,
        actual,
    };
}

function compareLeaf(
    comparison: Comparison,
    place: Place,
    desired: unknown,
    actual: unknown,
    out: FieldDifference[],
): void {
    // The text reading takes a reported "" for none, so a declared "" (an IKE identifier may be empty) is met by none.
    const same = desired === actual || (desired === "" && actual === undefined);
    const differs = comparison === "cidrs" ? containsUnknown(desired) || !sameSubnets(desired, actual) : !same;
    if (differs) {
        out.push(difference(place, desired, actual, comparison === "secret"));
    }
}

/** A declared config object compares only the keys the program declares. */
function compareConfig(
    fields: Fields,
    place: Place,
    inner: (key: string) => Place,
    desired: unknown,
    actual: unknown,
    out: FieldDifference[],
): void {
    if (!isRecord(desired)) {
        out.push(difference(place, desired, actual));
        return;
    }
    for (const [key, value] of Object.entries(desired)) {
        if (value !== undefined) {
            // Every field of a config is a leaf.
            const spec = Object.prototype.hasOwnProperty.call(fields, key) ? (fields[key] as Leaf) : undefined;
            const current = isRecord(actual) ? actual[key] : undefined;
            // Stryker disable next-line OptionalChaining,StringLiteral: a key outside the schema never passes check
            compareLeaf(spec?.compare ?? "equal", inner(key), value, current, out);
        }
    }
}

function compareTunnels(attribute: AttributeName, desired: unknown, actual: unknown, out: FieldDifference[]): void {
    if (!Array.isArray(desired)) {
        out.push(difference({ attribute }, desired, actual));
        return;
    }
    // Stryker disable next-line MethodExpression: the tunnel lists of state and Describe hold only objects; the filter is for the type checker
    const observed = Array.isArray(actual) ? (actual as unknown[]).filter(isRecord) : undefined;
    desired.forEach((tunnel: unknown, position) => {
        const place: Place = { attribute, tunnel: position };
        const match = isRecord(tunnel) ? matchTunnel(tunnel, observed) : undefined;
        if (!isRecord(tunnel) || !match) {
            // Name only the tunnel sought, not its settings, which may hold a PSK.
            const sought = isRecord(tunnel) ? { tunnelId: tunnel.tunnelId, tunnelIndex: tunnel.tunnelIndex } : tunnel;
            out.push(difference(place, sought, undefined));
            return;
        }
        for (const [field, spec] of entriesOf(TUNNEL_FIELDS)) {
            const value = tunnel[field];
            if (value === undefined) {
                continue;
            }
            const at: Place = { ...place, field };
            if (spec.kind === "leaf") {
                compareLeaf(spec.compare, at, value, match[field], out);
            } else {
                compareConfig(spec.fields, at, (key) => ({ ...at, key }), value, match[field], out);
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
    for (const [attribute, spec] of entriesOf(ATTRIBUTES)) {
        const value: unknown = desired[attribute];
        if (value === undefined) {
            continue;
        }
        const current: unknown = actual[attribute];
        if (spec.kind === "leaf") {
            compareLeaf(spec.compare, { attribute }, value, current, differences);
        } else if (spec.kind === "config") {
            compareConfig(spec.fields, { attribute }, (field) => ({ attribute, field }), value, current, differences);
        } else {
            compareTunnels(attribute, value, current, differences);
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
        // Stryker disable next-line StringLiteral: the key only pairs this version with the one before, both keyed here
        return new Map([["", desired.ikeConfig?.ikeVersion ?? actual.ikeConfig?.ikeVersion]]);
    }
    // Stryker disable next-line ArrayDeclaration: a text entry is not a record, so it names no tunnel
    const declared = Array.isArray(desired.tunnelOptionsSpecification) ? desired.tunnelOptionsSpecification : [];
    const versions = new Map<string, unknown>();
    // Stryker disable next-line ArrayDeclaration: a dual-tunnel connection reports its tunnels (its mode is read from them)
    for (const tunnel of actual.tunnelOptionsSpecification ?? []) {
        const mine = declared.find((t) => isRecord(t) && namesTunnel(t, tunnel));
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
function bgpAddressConflicts(desired: DesiredAttributes, actual: ObservedConnection): Array<string | undefined> {
    const changed = compareAttributes(desired, actual);
    const conflicts: Array<string | undefined> = [];
    if (isRecord(desired.bgpConfig) && changed.some((d) => d.attribute === "bgpConfig")) {
        conflicts.push(bgpAddressConflict("bgpConfig", desired.bgpConfig, actual.bgpConfig));
    }
    // Stryker disable next-line ArrayDeclaration: a text entry has no BGP config difference
    const tunnels = Array.isArray(desired.tunnelOptionsSpecification) ? desired.tunnelOptionsSpecification : [];
    tunnels.forEach((tunnel, position) => {
        // Only tunnel differences have a position; one in the BGP config means the entry matched a tunnel.
        const differs = changed.some((d) => d.tunnel === position && d.field === "tunnelBgpConfig");
        if (differs && isRecord(tunnel.tunnelBgpConfig)) {
            const path = pathOf({
                attribute: "tunnelOptionsSpecification",
                tunnel: position,
                field: "tunnelBgpConfig",
            });
            const observed = matchTunnel(tunnel, actual.tunnelOptionsSpecification);
            // Stryker disable next-line OptionalChaining: a difference in the BGP config means the tunnel was found
            conflicts.push(bgpAddressConflict(path, tunnel.tunnelBgpConfig, observed?.tunnelBgpConfig));
        }
    });
    return conflicts;
}

export interface DiffOutcome {
    changes: boolean;
    replaces: string[];
    deleteBeforeReplace: boolean;
}

/** The settings that name the connection (regionId, vpnConnectionId): another value is another connection. */
const REPLACING_SETTINGS = settingsChanging("replace");

/** Settings are plain values or, like `rollout`, flat objects of them, compared key by key. */
export function sameSetting(a: unknown, b: unknown): boolean {
    if (isRecord(a) && isRecord(b)) {
        const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
        return [...keys].every((key) => a[key] === b[key]);
    }
    return a === b;
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
 *   is unknown; when another setting changes (endpoint, timeoutSeconds,
 *   profile, assumeRoleArn, verifyOnPreview: these need no API call, only
 *   new state); and when the set of managed fields changes, for
 *   example a field the program stopped declaring: the service is left as it
 *   is, but state's `managedFields` must follow.
 * - It throws, failing the preview, when the update could not be sent
 *   without a value the program must choose (see `bgpAddressConflicts`).
 */
export function diffResource(olds: AttributeOutputs, news: CheckedInputs): DiffOutcome {
    const replaces = REPLACING_SETTINGS.filter((key) => isUnknown(news[key]) || news[key] !== olds[key]);
    if (replaces.length > 0) {
        return { changes: true, replaces, deleteBeforeReplace: false };
    }
    // The settings that name the connection are equal here: a change replaced above.
    const settingsChanged = RESOURCE_SETTINGS.some((key) => !sameSetting(news[key], olds[key]));
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
