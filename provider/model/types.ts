/**
 * The data model shared by every module of the provider.
 *
 * Three shapes of the same attributes travel through it:
 * - `Desired*`: what a program declares, after `check` has put it in canonical
 *   form (numbers as numbers, ASNs as plain numbers, subnets as one
 *   comma-separated string). Only declared fields are managed.
 * - `Observed*`: what DescribeVpnConnection reports, normalised from the
 *   service's mixed string/number/boolean types into the same canonical form.
 * - `AttributeOutputs`: what is kept in Pulumi state: the observed values, with
 *   every pre-shared key moved out of the config objects into the secret
 *   top-level outputs `psk` and `tunnelPsks`.
 *
 * The attribute types are derived from the table in schema.ts, the
 * resource's settings from the table in settings.ts.
 */
import {
    ATTRIBUTES,
    AttributeName,
    attributesFor,
    BGP_FIELDS,
    DomainOf,
    HEALTH_CHECK_FIELDS,
    IKE_FIELDS,
    IPSEC_FIELDS,
    TUNNEL_BGP_FIELDS,
    TUNNEL_FIELDS,
    WriteOnlyName,
} from "./schema";
import { OptionsOf, SETTING_NAMES, SETTINGS, SettingValues } from "./settings";

export type { AttributeName };

export type IkeConfig = DomainOf<typeof IKE_FIELDS>;
export type IpsecConfig = DomainOf<typeof IPSEC_FIELDS>;
export type BgpConfig = DomainOf<typeof BGP_FIELDS>;
export type HealthCheckConfig = DomainOf<typeof HEALTH_CHECK_FIELDS>;
export type TunnelBgpConfig = DomainOf<typeof TUNNEL_BGP_FIELDS>;
export type TunnelOptions = DomainOf<typeof TUNNEL_FIELDS>;

/** The attributes ModifyVpnAttachmentAttribute can change, in canonical form: one per entry of schema.ts's table. */
export type DesiredAttributes = DomainOf<typeof ATTRIBUTES>;

/** Settings of the resource itself: where the connection is, how it is reached and how an update runs (settings.ts's table). */
export type ResourceSettings = SettingValues;

/**
 * The `rollout` input as check leaves it: only what the program declares;
 * `rolloutOf` in rolloutPlan.ts fills in the defaults.
 */
export type RolloutSettings = OptionsOf<typeof SETTINGS.rollout.fields>;

/** The names of the resource's settings (`ResourceSettings`), in the order state lists them. */
export const RESOURCE_SETTINGS: readonly (keyof ResourceSettings)[] = SETTING_NAMES;

/** A tunnel's PSK as the program declares it: the tunnel named by id and/or index. */
export interface TunnelPskInput {
    tunnelId?: string;
    tunnelIndex?: number;
    psk: string;
}

/**
 * Where the resource class moves the program's PSKs: top-level inputs with
 * the same names as the secret outputs. Only these values are secret, so the
 * config objects stay readable in previews (a secret nested in an object makes
 * Pulumi hide the whole object, and the whole of a list).
 */
export interface PskInputs {
    psk?: string;
    tunnelPsks?: TunnelPskInput[];
}

/** The resource's inputs after `check`. */
export interface CheckedInputs extends ResourceSettings, DesiredAttributes, PskInputs {}

/** Attribute names that only single-tunnel connections accept. */
export const SINGLE_TUNNEL_FIELDS: readonly AttributeName[] = attributesFor("single");

/** Attribute names that only dual-tunnel connections accept. */
export const DUAL_TUNNEL_FIELDS: readonly AttributeName[] = attributesFor("dual");

/** The attributes state keeps as last applied (schema.ts's `WRITE_ONLY_ATTRIBUTES`). */
export type WriteOnlyAttributes = Pick<DesiredAttributes, WriteOnlyName>;

export type TunnelMode = "single" | "dual";

export interface ObservedBgpConfig extends BgpConfig {
    peerAsn?: number;
    peerBgpIp?: string;
    status?: string;
}

export interface ObservedHealthCheckConfig extends HealthCheckConfig {
    status?: string;
}

export interface ObservedTunnelBgpConfig extends TunnelBgpConfig {
    peerAsn?: number;
    peerBgpIp?: string;
    bgpStatus?: string;
}

export interface ObservedTunnel extends TunnelOptions {
    tunnelId: string;
    tunnelIndex: number;
    role?: string;
    state?: string;
    status?: string;
    internetIp?: string;
    zoneNo?: string;
    tunnelBgpConfig?: ObservedTunnelBgpConfig;
}

/** DescribeVpnConnection, normalised. */
export interface ObservedConnection extends DesiredAttributes {
    vpnConnectionId: string;
    mode: TunnelMode;
    state?: string;
    status?: string;
    vpnGatewayId?: string;
    attachType?: string;
    attachInstanceId?: string;
    spec?: string;
    createTime?: number;
    resourceGroupId?: string;
    description?: string;
    bgpConfig?: ObservedBgpConfig;
    healthCheckConfig?: ObservedHealthCheckConfig;
    tunnelOptionsSpecification?: ObservedTunnel[];
}

/** A PSK that lives in state only as a secret, keyed to its tunnel. */
export interface TunnelPsk {
    tunnelId: string;
    tunnelIndex: number;
    psk: string;
}

/** What the service says about one tunnel besides its settings. */
export type TunnelInfo = Pick<
    ObservedTunnel,
    "tunnelId" | "tunnelIndex" | "role" | "state" | "status" | "internetIp" | "zoneNo"
> &
    Pick<ObservedTunnelBgpConfig, "bgpStatus">;

/** The fields of a connection that describe it rather than configure it. */
export const CONNECTION_INFO_FIELDS = [
    "mode",
    "status",
    "vpnGatewayId",
    "attachType",
    "attachInstanceId",
    "spec",
    "createTime",
    "resourceGroupId",
    "description",
] as const;

/**
 * What the service says about a connection besides its settings, as one
 * output: every output name a resource registers costs each resource work in
 * every preview, so these travel together.
 */
export type ConnectionInfo = Pick<ObservedConnection, (typeof CONNECTION_INFO_FIELDS)[number]> & {
    tunnels?: TunnelInfo[];
};

/** What the provider keeps in Pulumi state. */
export interface AttributeOutputs
    extends ResourceSettings, Omit<ObservedConnection, "vpnConnectionId" | (typeof CONNECTION_INFO_FIELDS)[number]> {
    connection: ConnectionInfo;
    /** Dotted paths of the attributes the program declares, e.g. `ikeConfig.ikeVersion`. */
    managedFields: string[];
    /** The single-tunnel connection's PSK; a Pulumi secret. */
    psk?: string;
    /** Each tunnel's PSK; a Pulumi secret. */
    tunnelPsks?: TunnelPsk[];
    /** How long the last Modify task ran, to shape the next wait. */
    lastTaskSeconds?: number;
}

/** One attribute whose observed value differs from the declared one. */
export interface FieldDifference {
    attribute: AttributeName;
    /** The tunnel's position in the program's tunnelOptionsSpecification. */
    tunnel?: number;
    /** The key inside the attribute's config, or the tunnel's field. */
    field?: string;
    /** The key inside the tunnel's config. */
    key?: string;
    /** For messages only, e.g. `tunnelOptionsSpecification[1].tunnelIkeConfig.ikePfs`; never parsed. */
    path: string;
    /** True when the value is a pre-shared key: never print `desired` or `actual`. */
    secret: boolean;
    desired: unknown;
    actual: unknown;
}

/** A validation failure, as Pulumi's `check` reports it. */
export interface CheckFailure {
    property: string;
    reason: string;
}
