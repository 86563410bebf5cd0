/**
 * Mapping between what DescribeVpnConnection reports and what Pulumi keeps in
 * state.
 *
 * Pre-shared keys leave the config objects for the top-level outputs `psk` and
 * `tunnelPsks`, because Pulumi can mark only top-level outputs secret
 * (`additionalSecretOutputs`); a key left inside `ikeConfig` would be stored in
 * plain text whenever the program did not itself pass it as a secret (for
 * example a key the service generated).
 */
import { tunnelPsksOf, withoutPsk } from "./psks";
import { ATTRIBUTES, WRITE_ONLY_ATTRIBUTES } from "./schema";
import { matchTunnel, namesTunnel } from "./tunnels";
import {
    AttributeOutputs,
    CheckedInputs,
    CONNECTION_INFO_FIELDS,
    ConnectionInfo,
    DesiredAttributes,
    IkeConfig,
    ObservedConnection,
    ObservedTunnel,
    RESOURCE_SETTINGS,
    ResourceSettings,
    TunnelOptions,
    TunnelPsk,
    TunnelPskInput,
    WriteOnlyAttributes,
} from "./types";
import { isUnknown } from "./unknowns";
import { isRecord } from "../foundation/records";

/** The resource's settings that `source` holds, undefined ones left out. */
export function settingsOf(source: ResourceSettings): ResourceSettings {
    return withoutUndefined(
        Object.fromEntries(RESOURCE_SETTINGS.map((name) => [name, source[name]])) as unknown as ResourceSettings,
    );
}

function isSetting(key: string): boolean {
    return (RESOURCE_SETTINGS as readonly string[]).includes(key);
}

/** Drops undefined values at every depth: Pulumi refuses them in outputs. */
function withoutUndefined<T>(value: T): T {
    if (Array.isArray(value)) {
        return value.map(withoutUndefined) as T;
    }
    if (isRecord(value)) {
        return Object.fromEntries(
            Object.entries(value)
                .filter(([, v]) => v !== undefined)
                .map(([k, v]) => [k, withoutUndefined(v)]),
        ) as T;
    }
    return value;
}

/**
 * One attribute the program declares, as state's `managedFields` records it:
 * the attribute, the tunnel it configures, and the keys below. A tunnel is
 * named by the identity the program matches it with (its id when declared,
 * else its index), not by its position in the program's list, so that
 * `managedAttributes` can find the tunnel again and reordering the list
 * changes nothing; an entry that is not an object keeps its position.
 */
export interface ManagedField {
    attribute: string;
    tunnel?: { by: "tunnelId" | "tunnelIndex"; value: string } | { position: number };
    keys: string[];
}

/**
 * The state's dialect, kept since 0.1.0 so that stored states read the same:
 * `ikeConfig.ikeVersion`, `tunnelOptionsSpecification[tunnelIndex=2].tunnelIkeConfig.ikePfs`.
 */
function renderManagedField({ attribute, tunnel, keys }: ManagedField): string {
    const selector =
        tunnel === undefined ? "" : "position" in tunnel ? `[${tunnel.position}]` : `[${tunnel.by}=${tunnel.value}]`;
    return [`${attribute}${selector}`, ...keys].join(".");
}

const STORED_TUNNEL_FIELD = /^(\w+)\[(tunnelId|tunnelIndex)=([^\]]*)\]\.(.+)$/;

/** A managed path read back from state: an attribute, or a tunnel named by its identity, and the keys below. */
interface StoredField {
    attribute: string;
    tunnel?: { by: "tunnelId" | "tunnelIndex"; value: string };
    keys: string[];
}

/**
 * The inverse of `renderManagedField`, for paths read back from state. A
 * positional path (`tunnelOptionsSpecification[0]`, an entry that was not an
 * object) reads as an attribute of that name, which no connection has: it
 * configured no tunnel, and carries nothing over.
 */
function parseManagedField(path: string): StoredField {
    const tunnelField = STORED_TUNNEL_FIELD.exec(path);
    if (tunnelField) {
        const [, attribute, by, value, rest] = tunnelField;
        return { attribute, tunnel: { by: by as "tunnelId" | "tunnelIndex", value }, keys: rest.split(".") };
    }
    const [attribute, ...keys] = path.split(".");
    return { attribute, keys };
}

function leafKeys(value: unknown): string[][] {
    if (!isRecord(value)) {
        return [[]];
    }
    return Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .flatMap(([key, v]) => leafKeys(v).map((keys) => [key, ...keys]));
}

function tunnelSelector(tunnel: unknown, position: number): ManagedField["tunnel"] {
    if (!isRecord(tunnel)) {
        return { position };
    }
    const { tunnelId, tunnelIndex } = tunnel as TunnelOptions;
    return tunnelId !== undefined
        ? { by: "tunnelId", value: tunnelId }
        : { by: "tunnelIndex", value: `${tunnelIndex}` };
}

/** Every attribute the program declares, down to each key of its configs and tunnels. */
export function managedFields(desired: DesiredAttributes): ManagedField[] {
    const fields: ManagedField[] = [];
    for (const [attribute, value] of Object.entries(desired)) {
        if (value === undefined || !Object.prototype.hasOwnProperty.call(ATTRIBUTES, attribute)) {
            continue;
        }
        if (ATTRIBUTES[attribute as keyof typeof ATTRIBUTES].kind === "tunnels" && Array.isArray(value)) {
            value.forEach((tunnel: unknown, position) => {
                const selector = tunnelSelector(tunnel, position);
                fields.push(...leafKeys(tunnel).map((keys) => ({ attribute, tunnel: selector, keys })));
            });
        } else {
            fields.push(...leafKeys(value).map((keys) => ({ attribute, keys })));
        }
    }
    return fields;
}

/**
 * `managedFields` as state keeps them, e.g. `ikeConfig.ikeVersion` or
 * `tunnelOptionsSpecification[tunnelIndex=2].tunnelIkeConfig.ikePfs`.
 */
export function managedFieldPaths(desired: DesiredAttributes): string[] {
    return managedFields(desired).map(renderManagedField);
}

/**
 * The managed paths `read` found again, in the order state already lists
 * them: rebuilt from the connection, a tunnel's identity comes first, and a
 * new order would show as a change on every refresh.
 */
export function inStoredOrder(found: readonly string[], stored: readonly string[]): string[] {
    const kept = stored.filter((path) => found.includes(path));
    return [...kept, ...found.filter((path) => !kept.includes(path))];
}

/** A config with its PSK moved out; undefined when the key was all it held. */
function configWithoutPsk(config: IkeConfig | undefined): IkeConfig | undefined {
    const rest = config && withoutPsk(config);
    return rest && Object.keys(rest).length > 0 ? rest : undefined;
}

export function observedToOutputs(
    observed: ObservedConnection,
    settings: ResourceSettings,
    desired: DesiredAttributes,
    lastTaskSeconds?: number,
): AttributeOutputs {
    const { vpnConnectionId, ikeConfig, tunnelOptionsSpecification: tunnels, ...rest } = observed;
    const tunnelPsks: TunnelPsk[] = tunnelPsksOf(tunnels);
    const attributes: Record<string, unknown> = { ...rest };
    const connection: Record<string, unknown> = {};
    for (const field of CONNECTION_INFO_FIELDS) {
        connection[field] = attributes[field];
        delete attributes[field];
    }
    connection.tunnels = tunnels?.map(
        ({ tunnelId, tunnelIndex, role, state, status, internetIp, zoneNo, tunnelBgpConfig }) => ({
            tunnelId,
            tunnelIndex,
            role,
            state,
            status,
            internetIp,
            zoneNo,
            bgpStatus: tunnelBgpConfig?.bgpStatus,
        }),
    );
    return withoutUndefined<AttributeOutputs>({
        ...attributes,
        connection: connection as ConnectionInfo,
        ...settingsOf(settings),
        ikeConfig: configWithoutPsk(ikeConfig),
        tunnelOptionsSpecification: tunnels?.map((t) => ({
            ...t,
            tunnelIkeConfig: configWithoutPsk(t.tunnelIkeConfig),
        })),
        managedFields: managedFieldPaths(desired),
        psk: ikeConfig?.psk,
        tunnelPsks: tunnelPsks.length > 0 ? tunnelPsks : undefined,
        lastTaskSeconds,
    });
}

/** The inverse of `observedToOutputs`: the connection as last observed, PSKs back in place. */
export function outputsToObserved(outputs: AttributeOutputs): ObservedConnection {
    const {
        managedFields,
        psk,
        tunnelPsks,
        lastTaskSeconds,
        ikeConfig,
        tunnelOptionsSpecification: tunnels,
        connection,
        ...rest
    } = outputs;
    // The settings are not the connection's, but for its ID, which it reports too.
    const attributes = Object.fromEntries(
        Object.entries(rest).filter(([key]) => key === "vpnConnectionId" || !isSetting(key)),
    ) as Omit<typeof rest, Exclude<keyof ResourceSettings, "vpnConnectionId">>;
    const withTunnelPsk = (tunnel: ObservedTunnel): ObservedTunnel => {
        const key = tunnelPsks?.find((p) => p.tunnelId === tunnel.tunnelId && p.tunnelIndex === tunnel.tunnelIndex);
        return key ? { ...tunnel, tunnelIkeConfig: { ...tunnel.tunnelIkeConfig, psk: key.psk } } : tunnel;
    };
    const { tunnels: _summaries, ...info } = connection ?? {};
    return withoutUndefined<ObservedConnection>({
        ...attributes,
        ...info,
        mode: info.mode ?? ((tunnels?.length ?? 0) > 0 ? "dual" : "single"),
        ikeConfig: psk === undefined ? ikeConfig : { ...ikeConfig, psk },
        tunnelOptionsSpecification: tunnels?.map(withTunnelPsk),
    });
}

function copyPath(source: unknown, target: Record<string, unknown>, segments: string[]): void {
    const [head, ...rest] = segments;
    const value = isRecord(source) ? source[head] : undefined;
    if (value === undefined) {
        return;
    }
    if (rest.length === 0) {
        target[head] = value;
        return;
    }
    const child = isRecord(target[head]) ? target[head] : {};
    target[head] = child;
    copyPath(value, child, rest);
}

/**
 * The attributes at the given managed paths (as `managedFieldPaths` writes
 * them), with the values `observed` holds: a `DesiredAttributes` that yields
 * the same managed paths again. `read` uses it to carry the managed fields
 * over to refreshed state. Tunnels that no longer exist are left out.
 */
export function managedAttributes(observed: ObservedConnection, managedFields: readonly string[]): DesiredAttributes {
    const attributes: Record<string, unknown> = {};
    const tunnelAttributes = new Map<string, Record<string, unknown>>();
    for (const field of managedFields.map(parseManagedField)) {
        const { attribute, tunnel: selector, keys } = field;
        if (selector === undefined) {
            copyPath(observed, attributes, [attribute, ...keys]);
            continue;
        }
        const named =
            selector.by === "tunnelId" ? { tunnelId: selector.value } : { tunnelIndex: Number(selector.value) };
        const tunnel = matchTunnel(named, observed.tunnelOptionsSpecification);
        if (!tunnel) {
            continue;
        }
        // Stryker disable next-line ArrayDeclaration: the key only groups the paths of one tunnel
        const key = renderManagedField({ attribute, tunnel: selector, keys: [] });
        const entry = tunnelAttributes.get(key) ?? { [selector.by]: tunnel[selector.by] };
        tunnelAttributes.set(key, entry);
        copyPath(tunnel, entry, keys);
    }
    if (tunnelAttributes.size > 0) {
        attributes.tunnelOptionsSpecification = [...tunnelAttributes.values()];
    }
    return attributes;
}

/**
 * The program-shaped inputs that match what the service reports, for the
 * managed fields only: what Pulumi `read` returns as `inputs` (refresh,
 * import), so that the next preview compares the program with the service.
 *
 * Declared PSKs are shaped as the resource class passes them: moved to the
 * top-level `psk` / `tunnelPsks`, leaving the config objects they came from
 * (`ikeConfig: {}` when the key was all it declared). Left out, they would
 * show as `+ psk` in the next preview although nothing changed. They stay
 * secret: the dynamic provider takes no secrets, so Pulumi marks an input
 * `read` returns secret when the previous inputs held that name as a secret,
 * and the resource class always passes these two as secrets. An import has
 * no previous inputs, but it has no managed fields either, so no key.
 */
export function inputsFromOutputs(outputs: AttributeOutputs): Record<string, unknown> {
    // Stryker disable next-line ArrayDeclaration: a path that names no attribute carries nothing over
    const paths = outputs.managedFields ?? [];
    const {
        ikeConfig,
        tunnelOptionsSpecification: tunnels,
        ...managed
    } = managedAttributes(outputsToObserved(outputs), paths);
    const tunnelPsks = tunnelPsksOf(tunnels);
    return withoutUndefined({
        ...settingsOf(outputs),
        ...managed,
        ikeConfig: ikeConfig && withoutPsk(ikeConfig),
        tunnelOptionsSpecification: tunnels?.map((t) =>
            t.tunnelIkeConfig ? { ...t, tunnelIkeConfig: withoutPsk(t.tunnelIkeConfig) } : t,
        ),
        psk: ikeConfig?.psk,
        tunnelPsks: tunnelPsks.length > 0 ? tunnelPsks : undefined,
    });
}

/**
 * The attributes a program declares, from the checked inputs: settings and
 * runtime keys left out, and the PSKs the resource class moved to the
 * top-level `psk` / `tunnelPsks` inputs put back where the API takes them.
 * An unknown (preview) PSK list makes the tunnels unknown: some tunnel may change.
 */
export function desiredFromInputs(inputs: CheckedInputs): DesiredAttributes {
    const { psk, tunnelPsks, ...rest } = inputs;
    const desired: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(rest)) {
        // check drops undefined values (and nulls) already.
        if (!isSetting(key) && !key.startsWith("__")) {
            desired[key] = value;
        }
    }
    if (psk !== undefined) {
        desired.ikeConfig = withPsk(desired.ikeConfig, psk);
    }
    if (isUnknown(tunnelPsks)) {
        desired.tunnelOptionsSpecification = tunnelPsks;
    } else if (tunnelPsks !== undefined) {
        desired.tunnelOptionsSpecification = withTunnelPsks(desired.tunnelOptionsSpecification, tunnelPsks);
    }
    return desired;
}

/** The IKE config with the PSK put in; a config unknown at preview stays unknown (it may change anything). */
function withPsk(config: unknown, psk: string): unknown {
    return isUnknown(config) ? config : { ...(isRecord(config) ? config : {}), psk };
}

function withTunnelPsks(declared: unknown, psks: TunnelPskInput[]): unknown {
    if (isUnknown(declared)) {
        return declared;
    }
    // An entry unknown at preview stays as it is: spreading the placeholder string would make an object of its characters.
    const tunnels: unknown[] = Array.isArray(declared)
        ? declared.map((t: unknown) => (isRecord(t) ? { ...t } : t))
        : [];
    for (const { tunnelId, tunnelIndex, psk } of psks) {
        const sameTunnel = (t: unknown): t is TunnelOptions => isRecord(t) && namesTunnel({ tunnelId, tunnelIndex }, t);
        const tunnel = tunnels.find(sameTunnel);
        if (tunnel) {
            tunnel.tunnelIkeConfig = withPsk(tunnel.tunnelIkeConfig, psk) as IkeConfig;
        } else {
            tunnels.push(withoutUndefined<TunnelOptions>({ tunnelId, tunnelIndex, tunnelIkeConfig: { psk } }));
        }
    }
    return tunnels;
}

/** What state keeps of the attributes Describe does not report (`WRITE_ONLY_ATTRIBUTES`), from inputs or outputs. */
export function pickWriteOnly(source: DesiredAttributes): WriteOnlyAttributes {
    const picked: WriteOnlyAttributes = {};
    for (const field of WRITE_ONLY_ATTRIBUTES) {
        if (source[field] !== undefined) picked[field] = source[field];
    }
    return picked;
}

/** Fills in, where the service reports nothing, what was last applied. */
export function withWriteOnly(observed: ObservedConnection, applied: WriteOnlyAttributes): ObservedConnection {
    const filled: Record<string, unknown> = { ...observed };
    for (const field of WRITE_ONLY_ATTRIBUTES) {
        if (filled[field] === undefined && applied[field] !== undefined) filled[field] = applied[field];
    }
    return filled as unknown as ObservedConnection;
}
