/**
 * `check`: turns a program's inputs into the canonical shape of `CheckedInputs`
 * and reports every rule of the ModifyVpnAttachmentAttribute reference that the
 * inputs break, before any API call is made.
 *
 * Every field's rule lives in one table entry (see `TUNNEL_CIDR`, `PSK`, the
 * `*_FIELDS` tables and `INPUTS` below). Rules that relate two fields are the
 * `relations` of the object or list that holds both.
 */
import { isRecord } from "../foundation/records";
import { pathOf, Place } from "./diffing";
import { Cidr, formatIpv4, parseCidr, parseIpv4 } from "./ipv4";
import { kindOf, NON_EMPTY_STRING, PSK, Rule, TUNNEL_INDEX, tunnelCidrProblem } from "./rules";
import { ATTRIBUTES, Attribute, Config, entriesOf, Leaf, TUNNEL_FIELDS } from "./schema";
import { SettingName, SETTINGS } from "./settings";
import {
    CheckedInputs,
    CheckFailure,
    DesiredAttributes,
    DUAL_TUNNEL_FIELDS,
    SINGLE_TUNNEL_FIELDS,
    TunnelBgpConfig,
    TunnelMode,
    TunnelOptions,
    TunnelPskInput,
} from "./types";
import { isUnknown } from "./unknowns";

// ---------------------------------------------------------------------------
// The walker's specs. Rules for single values are in rules.ts; which rule each
// attribute follows is in schema.ts, each setting's in settings.ts.

/**
 * Relates fields of one object or entries of one list; the failures' properties
 * are relative to it. Typed `never` so that each relation can name the shape it
 * reads (it receives the canonical value, unknowns and invalid values included).
 */
type Relation = (value: never) => CheckFailure[];

interface ObjectSpec {
    kind: "object";
    fields: Record<string, Spec>;
    required?: readonly string[];
    relations?: Relation;
}

interface ListSpec {
    kind: "list";
    item: Spec;
    minItems: number;
    maxItems: number;
    relations?: Relation;
}

type Spec = Rule | ObjectSpec | ListSpec;

// ---------------------------------------------------------------------------
// Rules that relate several fields.

/** LocalBgpIp must be a usable host of its own TunnelCidr (not the network or broadcast address). */
function localBgpIpInsideTunnelCidr(config: TunnelBgpConfig): CheckFailure[] {
    // A value that is missing or not text parses as nothing: its own rule reports it.
    const localBgpIp = String(config.localBgpIp);
    const tunnelCidr = String(config.tunnelCidr);
    if (tunnelCidrProblem(tunnelCidr)) {
        return [];
    }
    const block = parseCidr(tunnelCidr) as Cidr;
    // NaN, for an address that does not parse, fails every comparison below.
    const ip = parseIpv4(localBgpIp) ?? NaN;
    const usable = `${formatIpv4(block.network + 1)} or ${formatIpv4(block.broadcast - 1)}`;
    if (ip < block.network || ip > block.broadcast) {
        const reason = `must be inside tunnelCidr ${tunnelCidr} (${usable}), got ${localBgpIp}`;
        return [{ property: "localBgpIp", reason }];
    }
    if (ip === block.network || ip === block.broadcast) {
        const which = ip === block.network ? "network" : "broadcast";
        const reason = `must be a usable host of tunnelCidr ${tunnelCidr} (${usable}), got its ${which} address ${localBgpIp}`;
        return [{ property: "localBgpIp", reason }];
    }
    return [];
}

function identifiesTunnel(tunnel: TunnelOptions): CheckFailure[] {
    return tunnel.tunnelId === undefined && tunnel.tunnelIndex === undefined
        ? [{ property: "", reason: "must set tunnelId or tunnelIndex to say which tunnel it configures" }]
        : [];
}

/** Each entry configures a different tunnel, and the two tunnels use different TunnelCidrs. */
function distinctTunnels(tunnels: unknown[]): CheckFailure[] {
    const failures: CheckFailure[] = [];
    const keys: Array<[Pick<Place, "field" | "key">, (t: TunnelOptions) => string | number | undefined, string]> = [
        [{ field: "tunnelId" }, (t) => t.tunnelId, "each entry must configure a different tunnel"],
        [{ field: "tunnelIndex" }, (t) => t.tunnelIndex, "each entry must configure a different tunnel"],
        [
            { field: "tunnelBgpConfig", key: "tunnelCidr" },
            (t) => t.tunnelBgpConfig?.tunnelCidr,
            "the two tunnels must use different CIDR blocks",
        ],
    ];
    const attribute = "tunnelOptionsSpecification";
    for (const [place, get, rule] of keys) {
        const firstAt = new Map<unknown, number>();
        tunnels.forEach((tunnel, index) => {
            const value = isRecord(tunnel) ? get(tunnel) : undefined;
            if (value === undefined || isUnknown(value)) {
                return;
            }
            const first = firstAt.get(value);
            if (first === undefined) {
                firstAt.set(value, index);
            } else {
                failures.push({
                    // Relative to the list, whose path runRelations puts in front.
                    property: pathOf({ attribute, tunnel: index, ...place }).slice(attribute.length),
                    reason: `repeats ${pathOf({ attribute, tunnel: first, ...place })} (${value}); ${rule}`,
                });
            }
        });
    }
    return failures;
}

/** A connection is either single-tunnel or dual-tunnel; the API accepts each field in one mode only. */
function oneTunnelMode(inputs: Record<string, unknown>): CheckFailure[] {
    const single = [...SINGLE_TUNNEL_FIELDS, "psk"].filter((field) => field in inputs);
    const dual = [...DUAL_TUNNEL_FIELDS, "tunnelPsks"].filter((field) => field in inputs);
    if (single.length === 0 || dual.length === 0) {
        return [];
    }
    return [
        {
            property: dual[0],
            reason:
                `cannot be combined with ${single.join(", ")}: ${dual.join(", ")} apply only to dual-tunnel ` +
                `connections and ${single.join(", ")} only to single-tunnel connections`,
        },
    ];
}

// ---------------------------------------------------------------------------
// The specs: the schema's rules, the relations of the objects and lists that
// hold related fields, and the rules of the resource's own settings (settings.ts).

type ConfigHolders = typeof ATTRIBUTES & typeof TUNNEL_FIELDS;

/** The attributes and tunnel fields that hold a config object. */
type ConfigHolder = {
    [K in keyof ConfigHolders]: ConfigHolders[K] extends Config ? K : never;
}[keyof ConfigHolders];

/** Relations of the config objects, by the name of the attribute or tunnel field that holds them. */
const CONFIG_RELATIONS: Readonly<Partial<Record<ConfigHolder, Relation>>> = {
    bgpConfig: localBgpIpInsideTunnelCidr,
    tunnelBgpConfig: localBgpIpInsideTunnelCidr,
};

function specOf(name: string, spec: Leaf | Config | Attribute): Spec {
    switch (spec.kind) {
        case "leaf":
            return spec.rule;
        case "config":
            return { kind: "object", fields: specsOf(spec.fields), relations: CONFIG_RELATIONS[name as ConfigHolder] };
        case "tunnels":
            return {
                kind: "list",
                item: { kind: "object", fields: specsOf(spec.fields), relations: identifiesTunnel },
                minItems: spec.minItems,
                maxItems: spec.maxItems,
                relations: distinctTunnels,
            };
    }
}

function specsOf<F extends Readonly<Record<string, Leaf | Config | Attribute>>>(
    fields: F,
): Record<keyof F & string, Spec> {
    return Object.fromEntries(entriesOf(fields).map(([name, spec]) => [name, specOf(name, spec)])) as Record<
        keyof F & string,
        Spec
    >;
}

/** The resource's settings: each value setting's rule, an `options` setting as an object of its options' rules. */
function settingSpecs(): Record<SettingName, Spec> {
    return Object.fromEntries(
        entriesOf(SETTINGS).map(([name, setting]): [string, Spec] => [
            name,
            setting.kind === "value"
                ? setting.rule
                : {
                      kind: "object",
                      fields: Object.fromEntries(entriesOf(setting.fields).map(([field, { rule }]) => [field, rule])),
                  },
        ]),
    ) as Record<SettingName, Spec>;
}

const TUNNELS = ATTRIBUTES.tunnelOptionsSpecification;

const TUNNEL_PSK: ObjectSpec = {
    kind: "object",
    fields: { tunnelId: NON_EMPTY_STRING, tunnelIndex: TUNNEL_INDEX, psk: PSK } satisfies Record<
        keyof TunnelPskInput,
        Rule
    >,
    required: ["psk"],
    relations: identifiesTunnel,
};

const INPUTS: ObjectSpec = {
    kind: "object",
    fields: {
        ...settingSpecs(),
        ...specsOf(ATTRIBUTES),
        psk: PSK,
        tunnelPsks: {
            kind: "list",
            item: TUNNEL_PSK,
            minItems: TUNNELS.minItems,
            maxItems: TUNNELS.maxItems,
            relations: distinctTunnels,
        },
    } satisfies Record<keyof CheckedInputs, Spec>,
    required: entriesOf(SETTINGS)
        .filter(([, setting]) => setting.presence === "required")
        .map(([name]) => name),
    relations: oneTunnelMode,
};

// ---------------------------------------------------------------------------
// The walker.

function join(path: string, relative: string): string {
    if (relative === "") {
        return path;
    }
    if (path === "" || relative.startsWith("[")) {
        return path + relative;
    }
    return `${path}.${relative}`;
}

function editDistance(a: string, b: string): number {
    let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const current = [i];
        for (let j = 1; j <= b.length; j++) {
            current[j] = Math.min(
                previous[j] + 1,
                current[j - 1] + 1,
                previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
            );
        }
        previous = current;
    }
    return previous[b.length];
}

function unknownPropertyReason(name: string, known: string[]): string {
    const suggestion = known.find((k) => k.toLowerCase() === name.toLowerCase() || editDistance(k, name) <= 2);
    return suggestion
        ? `is not a known property; did you mean ${suggestion}?`
        : `is not a known property; known properties are ${known.join(", ")}`;
}

function runRelations(relations: Relation | undefined, value: unknown, path: string, failures: CheckFailure[]): void {
    for (const failure of relations ? relations(value as never) : []) {
        failures.push({ property: join(path, failure.property), reason: failure.reason });
    }
}

function validateObject(spec: ObjectSpec, raw: unknown, path: string, failures: CheckFailure[]): unknown {
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
        failures.push({ property: path, reason: `must be an object, got ${kindOf(raw)}` });
        return raw;
    }
    const result: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(raw)) {
        // Pulumi drops undefined values; a YAML null means the same: not declared.
        if (value === undefined || value === null) {
            continue;
        }
        const fieldSpec = Object.prototype.hasOwnProperty.call(spec.fields, key) ? spec.fields[key] : undefined;
        if (!fieldSpec) {
            failures.push({ property: join(path, key), reason: unknownPropertyReason(key, Object.keys(spec.fields)) });
            result[key] = value;
            continue;
        }
        result[key] = validate(fieldSpec, value, join(path, key), failures);
    }
    for (const key of spec.required ?? []) {
        if (!(key in result)) {
            failures.push({ property: join(path, key), reason: "is required" });
        }
    }
    runRelations(spec.relations, result, path, failures);
    return result;
}

function validateList(spec: ListSpec, raw: unknown, path: string, failures: CheckFailure[]): unknown {
    if (!Array.isArray(raw)) {
        failures.push({ property: path, reason: `must be a list, got ${kindOf(raw)}` });
        return raw;
    }
    if (raw.length < spec.minItems || raw.length > spec.maxItems) {
        const reason = `must have ${spec.minItems} to ${spec.maxItems} entries, got ${raw.length}`;
        failures.push({ property: path, reason });
    }
    const result = raw.map((item, index) => validate(spec.item, item, `${path}[${index}]`, failures));
    runRelations(spec.relations, result, path, failures);
    return result;
}

function validate(spec: Spec, raw: unknown, path: string, failures: CheckFailure[]): unknown {
    if (isUnknown(raw)) {
        return raw;
    }
    if (typeof spec === "function") {
        const outcome = spec(raw);
        if ("reason" in outcome) {
            failures.push({ property: path, reason: outcome.reason });
            return raw;
        }
        return outcome.value;
    }
    return spec.kind === "object" ? validateObject(spec, raw, path, failures) : validateList(spec, raw, path, failures);
}

/**
 * Canonicalises and validates a program's inputs. Unknown (preview) values are
 * left in place unvalidated; `__`-prefixed keys such as `__provider` belong to
 * the Pulumi runtime and pass through untouched.
 */
export function checkInputs(news: Record<string, unknown>): {
    inputs: Record<string, unknown>;
    failures: CheckFailure[];
} {
    const runtime: Record<string, unknown> = {};
    const program: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(news)) {
        (key.startsWith("__") ? runtime : program)[key] = value;
    }
    const failures: CheckFailure[] = [];
    const canonical = validateObject(INPUTS, program, "", failures) as Record<string, unknown>;
    for (const [name, { presence }] of entriesOf(SETTINGS)) {
        if (typeof presence === "object" && !(name in canonical)) {
            failures.push({
                property: name,
                reason: `is required: set it on the resource, or set ${presence.fromConfig}`,
            });
        }
    }
    return { inputs: { ...canonical, ...runtime }, failures };
}

/** The declared fields that a connection in `mode` does not accept (checked against the live connection). */
export function modeConflicts(desired: DesiredAttributes, mode: TunnelMode): string[] {
    const refused: readonly (keyof DesiredAttributes)[] = mode === "single" ? DUAL_TUNNEL_FIELDS : SINGLE_TUNNEL_FIELDS;
    return refused.filter((field) => desired[field] !== undefined);
}
