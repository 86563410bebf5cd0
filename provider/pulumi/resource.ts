import * as pulumi from "@pulumi/pulumi";
// The one import up the floors, on purpose: the resource hands Pulumi the shared provider object that stored states
// require by its package path (entry.ts); Pulumi stores a module bound by require() as one require() of its path.
// eslint-disable-next-line @typescript-eslint/no-require-imports, @typescript-eslint/no-restricted-imports -- see above
import sharedProvider = require("../entry");
import { tunnelPsksOf, withoutPsk } from "../model/psks";
import { AcceptedBy, ATTRIBUTES, Config, Leaf, Tunnels, TUNNEL_FIELDS } from "../model/schema";
import {
    OptionsSetting,
    OUTPUT_SETTING_NAMES,
    OutputSettingName,
    RequiredSettingName,
    SETTINGS,
} from "../model/settings";
import { ConnectionInfo, DesiredAttributes, ObservedConnection, ResourceSettings, TunnelPsk } from "../model/types";

/** What a program may pass for a value; the entries of a list may each be an Input. */
type ValueInput<T> = T extends readonly (infer E)[] ? pulumi.Input<E>[] : T;

/** The program's inputs for a table of the schema: each value as its rule accepts it, each an Input. */
type InputsOf<F> = {
    [K in keyof F]?: F[K] extends Leaf
        ? pulumi.Input<ValueInput<AcceptedBy<F[K]>>>
        : F[K] extends Config<infer G>
          ? pulumi.Input<InputsOf<G>>
          : F[K] extends Tunnels<infer G>
            ? pulumi.Input<pulumi.Input<InputsOf<G>>[]>
            : never;
};

/** One entry of tunnelOptionsSpecification. */
export type TunnelOptionsArgs = InputsOf<typeof TUNNEL_FIELDS>;

/** The program's input for a setting: its value as its rule accepts it, an `options` setting's options each an Input. */
type SettingInput<S> = S extends OptionsSetting<infer F> ? InputsOfOptions<F> : AcceptedBy<S>;

/** Each option as its rule accepts it, each an Input; all may be left out. */
type InputsOfOptions<F> = { [K in keyof F]?: pulumi.Input<NonNullable<AcceptedBy<F[K]>>> };

type EverySettingInput = { [K in keyof typeof SETTINGS]: pulumi.Input<SettingInput<(typeof SETTINGS)[K]>> };

/** The program's inputs for the resource's settings (settings.ts): only the required ones must be declared. */
type SettingInputs = Pick<EverySettingInput, RequiredSettingName> &
    Partial<Omit<EverySettingInput, RequiredSettingName>>;

/**
 * The attributes an existing IPsec-VPN connection must have (one per entry of
 * the schema's table), and the resource's settings (one per entry of the
 * settings table). Only the attributes set here are managed.
 */
export interface VpnAttachmentAttributeArgs extends InputsOf<typeof ATTRIBUTES>, SettingInputs {}

/** The `rollout` input; see `RolloutSettings` for each field's meaning and default. */
export type RolloutArgs = InputsOfOptions<typeof SETTINGS.rollout.fields>;

/** Output names that hold pre-shared keys; Pulumi encrypts them in state. */
const SECRET_OUTPUTS = ["psk", "tunnelPsks"];

/**
 * What the service reports about a connection, registered as outputs of every
 * resource; an attribute's output is registered when the program declares
 * it. Each registered name costs every resource work in every preview (about
 * 0.4 ms each, measured with `npm run bench`), so the descriptive fields
 * travel as the one output `connection`, and undeclared attributes stay in
 * state without being registered here.
 */
const OBSERVED_OUTPUTS = ["state", "connection", ...SECRET_OUTPUTS];

/** Registered on every resource: the observed outputs, and each setting output even when config supplies it (regionId), as its type says. */
const ALWAYS_REGISTERED = [...OBSERVED_OUTPUTS, ...OUTPUT_SETTING_NAMES];

/**
 * Registered as `pulumi-nodejs:dynamic/alicloud:VpnAttachmentAttribute`, so
 * the CLI, `--target`, stack exports and policy packs can tell it from every
 * other dynamic resource.
 */
const MODULE = "alicloud";
const TYPE = "VpnAttachmentAttribute";

/** The type 0.1.0 registered resources with; the alias moves them to the new type without a replacement. */
const GENERIC_DYNAMIC_TYPE = "pulumi-nodejs:dynamic:Resource";

/**
 * The attributes of an existing Alibaba Cloud IPsec-VPN connection, converged
 * with ModifyVpnAttachmentAttribute. Deleting the resource leaves the
 * connection as it is.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- the interface of the same name below adds an output per attribute; Pulumi sets them, as it does the declared ones.
export class VpnAttachmentAttribute extends pulumi.dynamic.Resource {
    /** @internal */
    public static readonly __pulumiType = `pulumi-nodejs:dynamic/${MODULE}:${TYPE}`;

    /**
     * Whether `obj` is a VpnAttachmentAttribute, also when it was made by
     * another copy of this package loaded into the same program (where
     * `instanceof` says no).
     */
    public static isInstance(obj: unknown): obj is VpnAttachmentAttribute {
        if (obj === undefined || obj === null) {
            return false;
        }
        return (obj as { __pulumiType?: unknown }).__pulumiType === VpnAttachmentAttribute.__pulumiType;
    }

    // The attribute and setting outputs are declared by the interface of the same name below.
    /** `updating`, `attached`, `active`, ... as the service reports it. */
    declare public readonly state: pulumi.Output<string>;
    /** Mode (`single`/`dual`), negotiation status, gateway, attachment, spec, creation time, and each tunnel's role, state, status, address and BGP status. */
    declare public readonly connection: pulumi.Output<ConnectionInfo>;
    /** The single-tunnel connection's pre-shared key, set or generated (secret). */
    declare public readonly psk: pulumi.Output<string | undefined>;
    /** Each tunnel's pre-shared key, set or generated (secret). */
    declare public readonly tunnelPsks: pulumi.Output<TunnelPsk[] | undefined>;

    constructor(name: string, args: VpnAttachmentAttributeArgs, opts?: pulumi.CustomResourceOptions) {
        if (opts?.import !== undefined) {
            throw new pulumi.RunError(importRefused(name, args));
        }
        const props = splitPsks(args);
        for (const output of ALWAYS_REGISTERED) {
            if (!(output in props)) {
                props[output] = undefined;
            }
        }
        // Registering, the SDK makes four promises per registered property (64 for this resource, 48 for a
        // do-nothing one with the same inputs), and captures and formats a stack trace for each, through
        // source-map-support in a program: most of the program's CPU time in a preview (a CPU profile of
        // 500 resources, docs/benchmarks.md). Those traces only serve Pulumi's report of promises leaked at
        // exit; registration runs without them, and an error it throws gets the caller's stack.
        const stackTraceLimit = Error.stackTraceLimit;
        Error.stackTraceLimit = 0;
        try {
            super(
                sharedProvider,
                name,
                props,
                {
                    ...opts,
                    aliases: [...(opts?.aliases ?? []), { type: GENERIC_DYNAMIC_TYPE }],
                    additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), ...SECRET_OUTPUTS],
                },
                MODULE,
                TYPE,
            );
        } catch (err) {
            Error.stackTraceLimit = stackTraceLimit;
            if (err instanceof Error) {
                Error.captureStackTrace(err, VpnAttachmentAttribute);
            }
            throw err;
        } finally {
            Error.stackTraceLimit = stackTraceLimit;
        }
    }
}

/**
 * Why the `import` option cannot work, and what to run instead. Pulumi reads
 * an imported resource through the Node.js dynamic-provider host with no
 * state, and the host finds a dynamic resource's provider code only in its
 * state (`__provider`): it fails with "code must be a string, not undefined"
 * before any code of this package runs (docs/adoption.md).
 */
function importRefused(name: string, args: VpnAttachmentAttributeArgs): string {
    const id = typeof args.vpnConnectionId === "string" ? args.vpnConnectionId : "<vpnConnectionId>";
    const region = typeof args.regionId === "string" ? args.regionId : "<regionId>";
    return (
        `VpnAttachmentAttribute ${name}: the import option cannot adopt a connection, because Pulumi's dynamic ` +
        `providers cannot be imported (the read has no provider code to run). Remove the import option; to see ` +
        `the connection's values before the first up, run \`npx pulumi-alicloud-vpn-attachment-attribute adopt ` +
        `${id} --region ${region}\`, which prints a declaration that matches it, so that the first up sends nothing`
    );
}

/** An output per attribute (what the service reports), registered when the program declares the attribute. */
type AttributeOutputProperties = {
    readonly [K in keyof DesiredAttributes]?: pulumi.Output<NonNullable<ObservedConnection[K]>>;
};

/** An output per setting whose entry says `output: true` (settings.ts), as declared or, undeclared, as check filled it in. */
type SettingOutputProperties = {
    readonly [K in keyof ResourceSettings as K extends OutputSettingName ? K : never]-?: pulumi.Output<
        NonNullable<ResourceSettings[K]>
    >;
};

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- declaration merging is how a class gets properties from a mapped type: a new attribute in the schema, or output setting in the settings table, gets its output.
export interface VpnAttachmentAttribute extends AttributeOutputProperties, SettingOutputProperties {}

/**
 * Moves every pre-shared key out of the config objects into the top-level
 * inputs `psk` and `tunnelPsks`, as secrets (even when the program passes a
 * plain string). Only those two are secret, so the config objects stay
 * readable in previews: Pulumi hides a whole object, or a whole list, that
 * holds a secret anywhere inside it.
 */
function splitPsks(args: VpnAttachmentAttributeArgs): Record<string, unknown> {
    const props: Record<string, unknown> = { ...args };
    if (args.ikeConfig !== undefined) {
        Object.assign(props, splitIkeConfig(args.ikeConfig));
    }
    if (args.tunnelOptionsSpecification !== undefined) {
        Object.assign(props, splitTunnels(args.tunnelOptionsSpecification));
    }
    return props;
}

/**
 * A value known now, not an Output or a promise. Most programs pass plain
 * objects, which are split on the spot: going through Outputs costs each
 * resource several promise chains, which adds up in a preview of many
 * resources.
 */
function isPlain<T>(value: pulumi.Input<T>): value is T {
    return !pulumi.Output.isInstance(value) && !(value instanceof Promise);
}

function splitIkeConfig(ikeConfig: NonNullable<VpnAttachmentAttributeArgs["ikeConfig"]>): Record<string, unknown> {
    if (isPlain(ikeConfig)) {
        const { psk } = ikeConfig;
        return { ikeConfig: withoutPsk(ikeConfig), psk: psk === undefined ? undefined : pulumi.secret(psk) };
    }
    const ike = pulumi.output(ikeConfig);
    return {
        ikeConfig: pulumi.unsecret(ike.apply((c) => c && withoutPsk(c))),
        psk: pulumi.secret(ike.apply((c) => c?.psk)),
    };
}

/** A tunnel whose IKE config is known now (see `isPlain`). */
type PlainTunnel = Omit<TunnelOptionsArgs, "tunnelIkeConfig"> & {
    tunnelIkeConfig?: InputsOf<typeof TUNNEL_FIELDS.tunnelIkeConfig.fields> | null;
};

function splitTunnels(
    tunnels: NonNullable<VpnAttachmentAttributeArgs["tunnelOptionsSpecification"]>,
): Record<string, unknown> {
    if (
        isPlain(tunnels) &&
        tunnels.every((t) => isPlain(t) && (t.tunnelIkeConfig === undefined || isPlain(t.tunnelIkeConfig)))
    ) {
        const plain = tunnels as PlainTunnel[];
        const psks = tunnelPsksOf(plain);
        return {
            tunnelOptionsSpecification: plain.map((t) =>
                t.tunnelIkeConfig === undefined || t.tunnelIkeConfig === null
                    ? t
                    : { ...t, tunnelIkeConfig: withoutPsk(t.tunnelIkeConfig) },
            ),
            tunnelPsks: psks.length > 0 ? pulumi.secret(psks) : undefined,
        };
    }
    const list = pulumi.output(tunnels);
    return {
        tunnelOptionsSpecification: pulumi.unsecret(
            list.apply((all) =>
                all.map((t) => ({ ...t, tunnelIkeConfig: t.tunnelIkeConfig && withoutPsk(t.tunnelIkeConfig) })),
            ),
        ),
        tunnelPsks: pulumi.secret(
            list.apply((all) => {
                const psks = tunnelPsksOf(all);
                return psks.length > 0 ? psks : undefined;
            }),
        ),
    };
}
