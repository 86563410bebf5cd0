/**
 * Everything the provider knows about the resource's own settings (where the
 * connection is, how it is reached, how an update runs), in one table, as
 * schema.ts has the API's attributes. Every other module derives its part:
 * - types.ts: `ResourceSettings`, `RolloutSettings` and `RESOURCE_SETTINGS`,
 *   the names state keeps (every setting is kept: diff compares the program's
 *   value with the one state holds);
 * - validation.ts: check's rule for each (`rule`), which a program must
 *   declare, and which the provider's config may fill in (`presence`);
 * - diffing.ts and previewPaths.ts: which replace the resource when they
 *   change and which only write new state (`onChange`);
 * - pulumi/resource.ts: the resource's input types (the type `rule` accepts,
 *   optional as `presence` says) and its `r.<setting>` outputs (`output`);
 * - rolloutPlan.ts and pulumi/operations.ts: the value an undeclared setting
 *   means (`defaultValue`).
 *
 * Adding a setting is adding an entry here (CONTRIBUTING.md, "Adding a
 * resource setting"). Every facet is required, so the compiler refuses an
 * entry that forgets one. The JSDoc on each entry is what a program's editor
 * shows for the input.
 */
import { AcceptedBy, entriesOf } from "./schema";
import { BOOLEAN, ENDPOINT, NON_EMPTY_STRING, oneOf, ROLE_ARN, Rule, TIMEOUT_SECONDS } from "./rules";

/**
 * Whether a program must declare a setting:
 * - `required`: check refuses a program without it;
 * - `optional`: it may be left out, and means its `defaultValue` then;
 * - `{ fromConfig }`: it may be left out of the program, and the provider's
 *   check fills it in from the configuration named (pulumi/handlers.ts), so
 *   every checked resource has it; check refuses it missing from both.
 */
export type Presence = "required" | "optional" | { readonly fromConfig: string };

/**
 * What a change of the setting does:
 * - `replace`: the setting names another connection, so a new resource;
 * - `update`: no API call, only new state (the next converge uses it).
 */
export type OnChange = "replace" | "update";

/** The facets every setting has, whatever its kind. */
interface SettingFacets {
    readonly presence: Presence;
    readonly onChange: OnChange;
    /** The resource class has `r.<setting>` for it (a Pulumi output, set when the program declares it). */
    readonly output: boolean;
}

/** A setting of one value. */
export interface ValueSetting<T = unknown> extends SettingFacets {
    readonly kind: "value";
    /** check's rule; its type parameter is the setting's type, in the program and in state. */
    readonly rule: Rule<T>;
    /**
     * What leaving it out means, where the provider has a value for it; undefined when nothing stands in.
     * Not named `default`: Pulumi's closure serializer takes an object with a `default` property for the
     * result of an `import *` and throws on a number or a boolean there (createClosure's isImportStarResult).
     */
    readonly defaultValue: T | undefined;
}

/** One field of an `options` setting: every field may be left out, and means its default then. */
export interface Option<T = unknown> {
    readonly rule: Rule<T>;
    /** Named as `ValueSetting`'s, for the same reason. */
    readonly defaultValue: T;
}

export type Options = Readonly<Record<string, Option>>;

/** A setting that is an object of options, each checked by its own rule (`rollout`). */
export interface OptionsSetting<F extends Options = Options> extends SettingFacets {
    readonly kind: "options";
    readonly fields: F;
}

export type Setting = ValueSetting | OptionsSetting;

/** A value setting's rule and default, the default of the rule's type. */
function value<T, const D extends T | undefined>(
    rule: Rule<T>,
    fallback: D,
): { kind: "value"; rule: Rule<T>; defaultValue: D } {
    return { kind: "value", rule, defaultValue: fallback };
}

/** An option's rule and default, the default of the rule's type. */
function option<T>(rule: Rule<T>, fallback: NoInfer<T>): Option<T> {
    return { rule, defaultValue: fallback };
}

// ---------------------------------------------------------------------------
// The table.

/** The settings, in the order state lists them. */
export const SETTINGS = {
    /** Default: stack config alicloud:region, then env ALICLOUD_REGION, then ALIBABA_CLOUD_REGION_ID; fixed in state when the resource is created. */
    regionId: {
        ...value(NON_EMPTY_STRING, undefined),
        presence: { fromConfig: "alicloud:region, ALICLOUD_REGION or ALIBABA_CLOUD_REGION_ID" },
        onChange: "replace",
        output: true,
    },
    /** The existing IPsec-VPN connection (vco-...) whose attributes the resource manages; another ID replaces the resource. */
    vpnConnectionId: {
        ...value(NON_EMPTY_STRING, undefined),
        presence: "required",
        onChange: "replace",
        output: true,
    },
    /** Overrides the regional endpoint (and env ALICLOUD_VPC_ENDPOINT), e.g. `https://vpc.cn-shanghai.aliyuncs.com`. */
    endpoint: { ...value(ENDPOINT, undefined), presence: "optional", onChange: "update", output: false },
    /** Deadline for one create or update, retries and waiting for the service's task included. Default 1800. */
    timeoutSeconds: { ...value(TIMEOUT_SECONDS, 30 * 60), presence: "optional", onChange: "update", output: false },
    /** A profile of the shared credentials file (alicloud:sharedCredentialsFile, default ~/.aliyun/config.json) that replaces the provider's credentials, for a connection in another account. Names only: no secret goes into state. */
    profile: { ...value(NON_EMPTY_STRING, undefined), presence: "optional", onChange: "update", output: false },
    /** A RAM role (acs:ram::<account>:role/<name>) to assume instead of alicloud:assumeRole's, with the provider's credentials or this resource's profile. */
    assumeRoleArn: { ...value(ROLE_ARN, undefined), presence: "optional", onChange: "update", output: false },
    /** Opt-in (default false): preview reads the connection (read-only calls, so it needs credentials) and fails when it does not exist in the region or its tunnel mode does not accept the declared settings. */
    verifyOnPreview: { ...value(BOOLEAN, false), presence: "optional", onChange: "update", output: false },
    /** Opt-in gated rollout (docs/rollout.md): `tunnels: "oneAtATime"` changes tunnel 1, waits until it negotiates, then tunnel 2; `waitForNegotiation` makes the update wait for the changed tunnels to negotiate. Defaults: "together", false, 300, "stop". */
    rollout: {
        kind: "options",
        fields: {
            /** "oneAtATime": a change to both tunnels goes tunnel by tunnel, each after the one before negotiates. Default "together". */
            tunnels: option(oneOf(["oneAtATime", "together"]), "together"),
            /** Wait after the task until each changed tunnel (or the single-tunnel connection) reports ipsec_sa_established. Default false. */
            waitForNegotiation: option(BOOLEAN, false),
            /** How long a changed tunnel may take to negotiate. Default 300. */
            negotiationTimeoutSeconds: option(TIMEOUT_SECONDS, 300),
            /** What to do with a tunnel that does not negotiate in time: "stop" the update, or "revert" its settings first. Default "stop". */
            onNegotiationFailure: option(oneOf(["stop", "revert"]), "stop"),
        },
        presence: "optional",
        onChange: "update",
        output: false,
    },
} satisfies Record<string, Setting>;

export type SettingName = keyof typeof SETTINGS;

// ---------------------------------------------------------------------------
// Types and lists derived from the table.

type Table = typeof SETTINGS;

/** The names of the settings whose facet `F` is `V`. */
type NamesWhere<F extends keyof Setting, V> = {
    [K in SettingName]: Table[K][F] extends V ? K : never;
}[SettingName];

/** Settings a program must declare. */
export type RequiredSettingName = NamesWhere<"presence", "required">;

/** Settings a checked resource may lack. */
export type OptionalSettingName = NamesWhere<"presence", "optional">;

/** Settings the resource class has as outputs. */
export type OutputSettingName = NamesWhere<"output", true>;

/** An `options` setting's value: only what the program declares, each option as its rule accepts it. */
export type OptionsOf<F> = { -readonly [K in keyof F]?: AcceptedBy<F[K]> };

/** An `options` setting's fields with their defaults filled in. */
type FilledOptionsOf<F> = Required<OptionsOf<F>>;

/** A setting's type, in the program and in state. */
type SettingType<S> = S extends OptionsSetting<infer F> ? OptionsOf<F> : AcceptedBy<S>;

type EverySetting = { -readonly [K in keyof Table]: SettingType<Table[K]> };

/** The settings a checked resource has: every one but the optional ones is there. */
export type SettingValues = Omit<EverySetting, OptionalSettingName> & Partial<Pick<EverySetting, OptionalSettingName>>;

/** The settings' names, in table order. */
export const SETTING_NAMES = Object.keys(SETTINGS) as readonly SettingName[];

/** The settings the resource class has as outputs (`output: true`), in table order. */
export const OUTPUT_SETTING_NAMES = entriesOf(SETTINGS)
    .filter(([, setting]) => setting.output)
    .map(([name]) => name) as readonly OutputSettingName[];

/** The names of the settings whose `onChange` is `change`, in table order. */
export function settingsChanging(change: OnChange): SettingName[] {
    return entriesOf(SETTINGS)
        .filter(([, setting]) => setting.onChange === change)
        .map(([name]) => name);
}

/** Each option of an `options` setting at its default. The `option` helper keeps each default of its rule's type. */
export function defaultsOf<F extends Options>(fields: F): FilledOptionsOf<F> {
    return Object.fromEntries(entriesOf(fields).map(([name, spec]) => [name, spec.defaultValue])) as FilledOptionsOf<F>;
}
