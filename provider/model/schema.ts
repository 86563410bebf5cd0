/**
 * Everything the provider knows about each attribute ModifyVpnAttachmentAttribute
 * takes, in one table. Every other module derives its part from here:
 * - types.ts: `DesiredAttributes` and the config types (`DomainOf`);
 * - pulumi/resource.ts: the resource's input types (`rule`'s accepted type);
 * - validation.ts: check's rule for each field (`rule`);
 * - normalize.ts: where Describe reports a value and how to read it
 *   (`describedAs`, `reading`);
 * - diffing.ts: how a declared value is compared (`compare`);
 * - requests.ts: how a config object is sent (`encoding`) and the API's keys
 *   inside a JSON-encoded config (`api`). Leaves and tunnel fields go out
 *   under their program names through the SDK's request model, which maps
 *   them to the wire names; test/unit/schema.test.ts checks that those wire
 *   names are this table's `api`;
 * - pulumiState.ts: which fields are write-only (`writeOnly`) and the
 *   managed-field paths kept in state;
 * - the tunnel-mode rules (`mode`).
 *
 * Adding an API field is adding an entry here (see CONTRIBUTING.md). Each
 * kind of entry has every facet required, so the compiler refuses an entry
 * that forgets one. The emulator keeps its own rules on purpose: the property
 * tests compare the two.
 */
import {
    ASN,
    AUTHENTICATION_ALGORITHMS,
    BOOLEAN,
    DH_GROUPS,
    ENCRYPTION_ALGORITHMS,
    IKE_IDENTIFIER,
    integerFrom,
    IPSEC_PFS_VALUES,
    IPV4,
    NAME,
    NON_EMPTY_STRING,
    oneOf,
    POSITIVE_INTEGER,
    PSK,
    Rule,
    SUBNET_LIST,
    TUNNEL_CIDR,
    TUNNEL_INDEX,
} from "./rules";

/**
 * How the service writes a value and how it is read back. The service mixes
 * types (NOTES.md, "Describe's type traps"): per-tunnel lifetimes and ASNs are
 * strings, `EnableBgp` and per-tunnel `EnableDpd` are "true"/"false", so every
 * reading is lenient.
 * - `text`: a string ("" reads as absent);
 * - `number`: a number or a numeric string;
 * - `asn`: as `number`, also the two-segment form "123.456";
 * - `flag`: a boolean or "true"/"false";
 * - `subnets`: comma-separated CIDR blocks, spaces dropped, order kept.
 */
export type Reading = "text" | "number" | "asn" | "flag" | "subnets";

/** The canonical type each reading gives: what state holds and a checked program declares. */
interface ReadingTypes {
    text: string;
    number: number;
    asn: number;
    flag: boolean;
    subnets: string;
}

/**
 * How a declared value is compared with the observed one:
 * - `equal`: the same value (numbers, flags, names, enums);
 * - `cidrs`: the same set of networks, however listed and spelt;
 * - `secret`: the same value, and a difference never shows either value.
 */
export type Comparison = "equal" | "cidrs" | "secret";

/** Which connections take an attribute. */
export type Mode = "single" | "dual" | "both";

/** Where Describe may report a value: a key of the object, or the same value on every tunnel. */
export type DescribeSource = string | { readonly onEveryTunnel: string };

/** One value: a top-level parameter, a key of a config object, or a field of a tunnel. */
export interface Leaf {
    readonly kind: "leaf";
    /** The API's name for it: the request parameter, or the key inside its config. */
    readonly api: string;
    /** Where Describe reports it, tried in order. */
    readonly describedAs: readonly DescribeSource[];
    /** Modify takes it, Describe never reports it: state keeps the value last applied. */
    readonly writeOnly: boolean;
    readonly reading: Reading;
    /** check's rule; its type parameter is what a program may pass. */
    readonly rule: Rule;
    readonly compare: Comparison;
}

/**
 * How a config object is sent:
 * - `json`: a JSON string with the API's keys, values as their types, as the
 *   reference page's examples for IkeConfig and IpsecConfig write them
 *   (lifetimes as numbers);
 * - `jsonStrings`: a JSON string with every value a string, the shape the
 *   page documents for BgpConfig and HealthCheckConfig (`"EnableBgp":"true"`,
 *   `"LocalAsn":"45104"`, `"interval":"3"`);
 * - `object`: an object of the SDK's request model, which flattens it to
 *   `TunnelOptionsSpecification.N.<Api>.<Key>`.
 */
export type ConfigEncoding = "json" | "jsonStrings" | "object";

/**
 * An object of keys sent whole: a declared key changes, every key the
 * program leaves out keeps the connection's value (see requests.ts's `merged`).
 */
export interface Config<F extends Fields = Fields> {
    readonly kind: "config";
    readonly api: string;
    readonly describedAs: readonly string[];
    readonly encoding: ConfigEncoding;
    readonly fields: F;
}

/** The per-tunnel settings of a dual-tunnel connection: a list the SDK flattens to `TunnelOptionsSpecification.N.*`. */
export interface Tunnels<F extends Fields = Fields> {
    readonly kind: "tunnels";
    readonly api: string;
    readonly describedAs: readonly string[];
    /** The fields that say which tunnel an entry configures; they are matched, never sent as changes. */
    readonly identity: readonly ["tunnelId", "tunnelIndex"];
    readonly minItems: number;
    readonly maxItems: number;
    readonly fields: F;
}

export type Fields = Readonly<Record<string, Leaf | Config>>;

/** A top-level entry: any kind, and the connections that take it. */
export type Attribute = (Leaf | Config | Tunnels) & { readonly mode: Mode };

// ---------------------------------------------------------------------------
// The table.

/**
 * A key reported under the name it is sent with. `compare` has no default so
 * that every entry says how it is compared: a forgotten "secret" would print
 * a PSK. Entries that Describe reports under another name, or never, override
 * `describedAs` or `writeOnly` after the spread.
 */
function key<R extends Reading, A>(
    api: string,
    reading: R,
    rule: Rule<A>,
    compare: Comparison,
): Leaf & { reading: R; rule: Rule<A> } {
    return { kind: "leaf", api, describedAs: [api], writeOnly: false, reading, rule, compare };
}

/** IkeConfig, and each tunnel's TunnelIkeConfig. */
export const IKE_FIELDS = {
    psk: key("Psk", "text", PSK, "secret"),
    ikeVersion: key("IkeVersion", "text", oneOf(["ikev1", "ikev2"]), "equal"),
    ikeMode: key("IkeMode", "text", oneOf(["main", "aggressive"]), "equal"),
    ikeEncAlg: key("IkeEncAlg", "text", oneOf(ENCRYPTION_ALGORITHMS), "equal"),
    ikeAuthAlg: key("IkeAuthAlg", "text", oneOf(AUTHENTICATION_ALGORITHMS), "equal"),
    ikePfs: key("IkePfs", "text", oneOf(DH_GROUPS), "equal"),
    ikeLifetime: key("IkeLifetime", "number", integerFrom(0, 86400), "equal"),
    localId: key("LocalId", "text", IKE_IDENTIFIER, "equal"),
    remoteId: key("RemoteId", "text", IKE_IDENTIFIER, "equal"),
} satisfies Fields;

/** IpsecConfig, and each tunnel's TunnelIpsecConfig. */
export const IPSEC_FIELDS = {
    ipsecEncAlg: key("IpsecEncAlg", "text", oneOf(ENCRYPTION_ALGORITHMS), "equal"),
    ipsecAuthAlg: key("IpsecAuthAlg", "text", oneOf(AUTHENTICATION_ALGORITHMS), "equal"),
    ipsecPfs: key("IpsecPfs", "text", oneOf(IPSEC_PFS_VALUES), "equal"),
    ipsecLifetime: key("IpsecLifetime", "number", integerFrom(0, 86400), "equal"),
} satisfies Fields;

/** Each tunnel's TunnelBgpConfig; BgpConfig adds EnableBgp. LocalBgpIp must lie in TunnelCidr (validation.ts). */
export const TUNNEL_BGP_FIELDS = {
    localAsn: key("LocalAsn", "asn", ASN, "equal"),
    tunnelCidr: key("TunnelCidr", "text", TUNNEL_CIDR, "equal"),
    localBgpIp: key("LocalBgpIp", "text", IPV4, "equal"),
} satisfies Fields;

export const BGP_FIELDS = {
    enableBgp: key("EnableBgp", "flag", BOOLEAN, "equal"),
    ...TUNNEL_BGP_FIELDS,
} satisfies Fields;

/** Sent with lowercase keys but `Policy`, as the reference page's example; Describe's VcoHealthCheck capitalises all. */
export const HEALTH_CHECK_FIELDS = {
    enable: { ...key("enable", "flag", BOOLEAN, "equal"), describedAs: ["Enable"] },
    dip: { ...key("dip", "text", IPV4, "equal"), describedAs: ["Dip"] },
    sip: { ...key("sip", "text", IPV4, "equal"), describedAs: ["Sip"] },
    interval: { ...key("interval", "number", POSITIVE_INTEGER, "equal"), describedAs: ["Interval"] },
    retry: { ...key("retry", "number", POSITIVE_INTEGER, "equal"), describedAs: ["Retry"] },
    policy: key("Policy", "text", oneOf(["revoke_route", "reserve_route"]), "equal"),
} satisfies Fields;

/** A config of a tunnel, sent as the SDK's nested model. */
function tunnelConfig<F extends Fields>(api: string, fields: F): Config<F> {
    return { kind: "config", api, describedAs: [api], encoding: "object", fields };
}

/** One entry of TunnelOptionsSpecification. */
export const TUNNEL_FIELDS = {
    /** The tunnel to change; give tunnelId, tunnelIndex, or both. */
    tunnelId: key("TunnelId", "text", NON_EMPTY_STRING, "equal"),
    tunnelIndex: key("TunnelIndex", "number", TUNNEL_INDEX, "equal"),
    customerGatewayId: key("CustomerGatewayId", "text", NON_EMPTY_STRING, "equal"),
    enableDpd: key("EnableDpd", "flag", BOOLEAN, "equal"),
    enableNatTraversal: key("EnableNatTraversal", "flag", BOOLEAN, "equal"),
    /** `localAsn` may be a number or the two-segment form "123.456". */
    tunnelBgpConfig: tunnelConfig("TunnelBgpConfig", TUNNEL_BGP_FIELDS),
    tunnelIkeConfig: tunnelConfig("TunnelIkeConfig", IKE_FIELDS),
    tunnelIpsecConfig: tunnelConfig("TunnelIpsecConfig", IPSEC_FIELDS),
} satisfies Fields;

/**
 * The attributes, in the order they are compared and reported. The JSDoc on
 * each entry is what a program's editor shows for the resource's input.
 */
export const ATTRIBUTES = {
    name: { mode: "both", ...key("Name", "text", NAME, "equal") },
    /** CIDR blocks, as an array or one comma-separated string. */
    localSubnet: { mode: "both", ...key("LocalSubnet", "subnets", SUBNET_LIST, "cidrs") },
    /** CIDR blocks, as an array or one comma-separated string. */
    remoteSubnet: { mode: "both", ...key("RemoteSubnet", "subnets", SUBNET_LIST, "cidrs") },
    effectImmediately: { mode: "both", ...key("EffectImmediately", "flag", BOOLEAN, "equal") },
    /** Write-only: Describe never reports it, so state keeps the value last applied. */
    autoConfigRoute: { mode: "both", ...key("AutoConfigRoute", "flag", BOOLEAN, "equal"), writeOnly: true },
    /** Fixed when the connection is created: a change is refused at preview. */
    networkType: {
        mode: "both",
        ...key("NetworkType", "text", oneOf(["public", "private"]), "equal"),
    },
    /**
     * The peer CA certificate. Describe names it RemoteCaCertificate; a
     * dual-tunnel connection may report it only on its tunnels, the same on each.
     */
    remoteCaCert: {
        mode: "both",
        ...key("RemoteCaCert", "text", NON_EMPTY_STRING, "equal"),
        describedAs: ["RemoteCaCertificate", "RemoteCaCert", { onEveryTunnel: "RemoteCaCertificate" }],
    },
    /** Single-tunnel connections only. */
    customerGatewayId: { mode: "single", ...key("CustomerGatewayId", "text", NON_EMPTY_STRING, "equal") },
    /** Single-tunnel connections only. */
    enableDpd: { mode: "single", ...key("EnableDpd", "flag", BOOLEAN, "equal") },
    /** Single-tunnel connections only. */
    enableNatTraversal: { mode: "single", ...key("EnableNatTraversal", "flag", BOOLEAN, "equal") },
    /** Single-tunnel connections only. The `psk` travels as the secret input `psk`. */
    ikeConfig: {
        mode: "single",
        kind: "config",
        api: "IkeConfig",
        describedAs: ["IkeConfig"],
        encoding: "json",
        fields: IKE_FIELDS,
    },
    /** Single-tunnel connections only. */
    ipsecConfig: {
        mode: "single",
        kind: "config",
        api: "IpsecConfig",
        describedAs: ["IpsecConfig"],
        encoding: "json",
        fields: IPSEC_FIELDS,
    },
    /** Single-tunnel connections only. `localAsn` may be a number or the two-segment form "123.456". */
    bgpConfig: {
        mode: "single",
        kind: "config",
        api: "BgpConfig",
        describedAs: ["VpnBgpConfig"],
        encoding: "jsonStrings",
        fields: BGP_FIELDS,
    },
    /** Single-tunnel connections only. */
    healthCheckConfig: {
        mode: "single",
        kind: "config",
        api: "HealthCheckConfig",
        describedAs: ["VcoHealthCheck"],
        encoding: "jsonStrings",
        fields: HEALTH_CHECK_FIELDS,
    },
    /** Dual-tunnel connections only. */
    tunnelOptionsSpecification: {
        mode: "dual",
        kind: "tunnels",
        api: "TunnelOptionsSpecification",
        describedAs: ["TunnelOptionsSpecification"],
        identity: ["tunnelId", "tunnelIndex"],
        minItems: 1,
        maxItems: 2,
        fields: TUNNEL_FIELDS,
    },
    /** Dual-tunnel connections only. */
    enableTunnelsBgp: { mode: "dual", ...key("EnableTunnelsBgp", "flag", BOOLEAN, "equal") },
} satisfies Record<string, Attribute>;

export type AttributeName = keyof typeof ATTRIBUTES;

// ---------------------------------------------------------------------------
// Types derived from the table.

/** The canonical shape of a table's values: what state holds and what check produces. */
export type DomainOf<F> = {
    -readonly [K in keyof F]?: F[K] extends Leaf
        ? ReadingTypes[F[K]["reading"]]
        : F[K] extends Config<infer G>
          ? DomainOf<G>
          : F[K] extends Tunnels<infer G>
            ? DomainOf<G>[]
            : never;
};

/** What a program may pass for a leaf: the type its rule accepts. */
export type AcceptedBy<L> = L extends { rule: Rule<infer A> } ? A : never;

/** Entries of a table, with their names typed. */
export function entriesOf<F extends object>(fields: F): Array<[keyof F & string, F[keyof F]]> {
    return Object.entries(fields) as Array<[keyof F & string, F[keyof F]]>;
}

/**
 * The attribute names whose entry has the given mode: config objects first,
 * then the rest, each in table order, as messages list them.
 */
export function attributesFor(mode: Mode): AttributeName[] {
    const named = entriesOf(ATTRIBUTES).filter(([, spec]) => spec.mode === mode);
    return [
        ...named.filter(([, spec]) => spec.kind === "config"),
        ...named.filter(([, spec]) => spec.kind !== "config"),
    ].map(([name]) => name);
}

/** The names of the attributes whose entry is `writeOnly: true`. */
export type WriteOnlyName = {
    [K in AttributeName]: (typeof ATTRIBUTES)[K] extends { writeOnly: true } ? K : never;
}[AttributeName];

/**
 * Attributes Modify accepts but Describe never reports. Their observed value
 * is the one last applied, kept in state; without that, a declared value
 * would look unapplied forever and be sent on every update. The filter and
 * `WriteOnlyName` read the same facet, so the cast holds.
 */
export const WRITE_ONLY_ATTRIBUTES = entriesOf(ATTRIBUTES)
    .filter(([, spec]) => spec.kind === "leaf" && spec.writeOnly)
    .map(([name]) => name) as readonly WriteOnlyName[];
