/**
 * The resource's settings are declared once, in settings.ts's table; these
 * tests hold every piece derived from it to the table: the resource's input
 * and output types (at compile time), check, diff, the preview's paths, and
 * what state keeps and gives back.
 */
import { expect } from "chai";
import * as fc from "fast-check";
import type * as pulumi from "@pulumi/pulumi";
import type { RolloutArgs, VpnAttachmentAttribute, VpnAttachmentAttributeArgs } from "../../provider";
import { diffResource } from "../../provider/model/diffing";
import { previewChanges } from "../../provider/model/previewPaths";
import {
    desiredFromInputs,
    inputsFromOutputs,
    observedToOutputs,
    outputsToObserved,
    settingsOf,
} from "../../provider/model/pulumiState";
import { ROLLOUT_DEFAULTS } from "../../provider/model/rolloutPlan";
import { AttributeName, entriesOf } from "../../provider/model/schema";
import {
    OptionalSettingName,
    OutputSettingName,
    RequiredSettingName,
    Setting,
    SETTING_NAMES,
    SettingName,
    SETTINGS,
} from "../../provider/model/settings";
import { NON_EMPTY_STRING } from "../../provider/model/rules";
import { CheckedInputs, RESOURCE_SETTINGS, ResourceSettings } from "../../provider/model/types";
import { checkInputs } from "../../provider/model/validation";
import { DEFAULT_TIMEOUT_SECONDS } from "../../provider/pulumi/operations";
import { single } from "./fixtures";

// ---------------------------------------------------------------------------
// At compile time: each assertion below fails the build when a derived type drifts from the table.

/** True when A and B are the same type, modifiers included. */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type AllTrue<T> = T[keyof T] extends true ? true : false;
type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];
type ValueSettingName = { [K in SettingName]: (typeof SETTINGS)[K] extends { kind: "value" } ? K : never }[SettingName];

/** Each member is `true` only when the derived type agrees with the table; TYPES_AGREE below sets each to true. */
interface TypesAgree {
    "the args have an input per setting, and no other besides the attributes": Same<
        Exclude<keyof VpnAttachmentAttributeArgs, AttributeName>,
        SettingName
    >;
    "the args require exactly the required settings": Same<
        RequiredKeys<VpnAttachmentAttributeArgs>,
        RequiredSettingName
    >;
    "each value setting's input is an Input of its type in ResourceSettings": AllTrue<{
        [K in ValueSettingName]: Same<
            Exclude<VpnAttachmentAttributeArgs[K], undefined>,
            pulumi.Input<NonNullable<ResourceSettings[K]>>
        >;
    }>;
    "ResourceSettings has every setting, and lacks only the optional ones when checked": Same<
        Exclude<SettingName, RequiredKeys<ResourceSettings>>,
        OptionalSettingName
    >;
    "RESOURCE_SETTINGS names every key of ResourceSettings": Same<
        (typeof RESOURCE_SETTINGS)[number],
        keyof ResourceSettings
    >;
    "RolloutArgs has an input per rollout option": Same<keyof RolloutArgs, keyof typeof SETTINGS.rollout.fields>;
    "the resource class has an output per output setting, of its type": AllTrue<{
        [K in OutputSettingName]: Same<VpnAttachmentAttribute[K], pulumi.Output<NonNullable<ResourceSettings[K]>>>;
    }>;
    "and none for another setting": Same<
        Extract<keyof VpnAttachmentAttribute, Exclude<SettingName, OutputSettingName>>,
        never
    >;
}

const TYPES_AGREE: TypesAgree = {
    "the args have an input per setting, and no other besides the attributes": true,
    "the args require exactly the required settings": true,
    "each value setting's input is an Input of its type in ResourceSettings": true,
    "ResourceSettings has every setting, and lacks only the optional ones when checked": true,
    "RESOURCE_SETTINGS names every key of ResourceSettings": true,
    "RolloutArgs has an input per rollout option": true,
    "the resource class has an output per output setting, of its type": true,
    "and none for another setting": true,
};

// An entry that forgets a facet does not compile.
const FORGETFUL = {
    // @ts-expect-error `output` is missing
    noOutput: {
        kind: "value",
        rule: NON_EMPTY_STRING,
        defaultValue: undefined,
        presence: "optional",
        onChange: "update",
    },
    // @ts-expect-error `defaultValue` is missing
    noDefault: { kind: "value", rule: NON_EMPTY_STRING, presence: "optional", onChange: "update", output: false },
} satisfies Record<string, Setting>;

// ---------------------------------------------------------------------------
// At run time.

/** Two valid values of each setting: the compiler asks for them when a setting is added. */
const SAMPLES: { [K in SettingName]-?: readonly [NonNullable<ResourceSettings[K]>, NonNullable<ResourceSettings[K]>] } =
    {
        regionId: ["cn-hangzhou", "cn-shanghai"],
        vpnConnectionId: ["vco-1", "vco-2"],
        endpoint: ["https://vpc.cn-shanghai.aliyuncs.com", "vpc.cn-hangzhou.aliyuncs.com"],
        timeoutSeconds: [600, 3600],
        profile: ["branch-account", "audit-account"],
        assumeRoleArn: ["acs:ram::1234567890123456:role/vpn-admin", "acs:ram::1234567890123456:role/vpn-operator"],
        verifyOnPreview: [true, false],
        rollout: [
            {
                tunnels: "oneAtATime",
                waitForNegotiation: true,
                negotiationTimeoutSeconds: 120,
                onNegotiationFailure: "revert",
            },
            { tunnels: "together" },
        ],
    };

const FIRST = Object.fromEntries(SETTING_NAMES.map((name) => [name, SAMPLES[name][0]])) as unknown as ResourceSettings;

function withSetting(name: SettingName, value: unknown): CheckedInputs {
    return { ...FIRST, [name]: value };
}

describe("resource settings: declared once", () => {
    it("derive types that agree with the table (checked when the tests compile)", () => {
        expect(Object.entries(TYPES_AGREE).filter(([, agree]) => !agree)).to.deep.equal([]);
        expect(Object.keys(FORGETFUL)).to.deep.equal(["noOutput", "noDefault"]);
    });

    it("are listed in table order, which is the order state keeps them in", () => {
        expect(RESOURCE_SETTINGS).to.deep.equal(Object.keys(SETTINGS));
        expect(RESOURCE_SETTINGS).to.deep.equal([
            "regionId",
            "vpnConnectionId",
            "endpoint",
            "timeoutSeconds",
            "profile",
            "assumeRoleArn",
            "verifyOnPreview",
            "rollout",
        ]);
    });

    it("are each accepted by check, as declared", () => {
        for (const name of SETTING_NAMES) {
            for (const value of SAMPLES[name]) {
                const { inputs, failures } = checkInputs(
                    withSetting(name, value) as unknown as Record<string, unknown>,
                );
                expect(failures, name).to.deep.equal([]);
                expect(inputs[name], name).to.deep.equal(value);
            }
        }
    });

    it("are refused by check when a program leaves out one it must declare, naming where else it may come from", () => {
        const failuresWithout = (name: SettingName) => {
            const { [name]: _left, ...rest } = FIRST;
            return checkInputs(rest).failures.filter((f) => f.property === name);
        };
        for (const [name, { presence }] of entriesOf(SETTINGS)) {
            const expected =
                presence === "optional"
                    ? []
                    : presence === "required"
                      ? [{ property: name, reason: "is required" }]
                      : [
                            {
                                property: name,
                                reason: `is required: set it on the resource, or set ${presence.fromConfig}`,
                            },
                        ];
            expect(failuresWithout(name), name).to.deep.equal(expected);
        }
        expect(failuresWithout("regionId")[0].reason).to.equal(
            "is required: set it on the resource, or set alicloud:region, ALICLOUD_REGION or ALIBABA_CLOUD_REGION_ID",
        );
    });

    it("replace the resource when one that names the connection changes, and update its state for any other", () => {
        const olds = observedToOutputs(single(), FIRST, {});
        expect(diffResource(olds, FIRST)).to.deep.include({ changes: false, replaces: [] });
        for (const [name, { onChange }] of entriesOf(SETTINGS)) {
            const news = withSetting(name, SAMPLES[name][1]);
            const outcome = diffResource(olds, news);
            expect(outcome.changes, name).to.equal(true);
            expect(outcome.replaces, name).to.deep.equal(onChange === "replace" ? [name] : []);
            const paths = previewChanges(olds, news).map((c) => c.path);
            expect(paths, name).to.deep.equal(onChange === "update" ? [name] : []);
        }
        expect(
            entriesOf(SETTINGS)
                .filter(([, s]) => s.onChange === "replace")
                .map(([name]) => name),
        ).to.deep.equal(["regionId", "vpnConnectionId"]);
    });

    it("are named in the preview only when they change, an object setting declared as before included", () => {
        const rollout = { tunnels: "oneAtATime", waitForNegotiation: true } as const;
        const olds = observedToOutputs(single(), { ...FIRST, rollout }, { name: "office" });
        // The program's object is never state's copy: compared by reference, rollout showed as changed in every preview.
        const news = { ...FIRST, rollout: { ...rollout }, name: "branch" } as CheckedInputs;
        expect(previewChanges(olds, news).map((c) => c.path)).to.deep.equal(["name"]);
    });

    it("mean their defaults when left out, each a value its own rule accepts", () => {
        expect(DEFAULT_TIMEOUT_SECONDS).to.equal(1800);
        expect(ROLLOUT_DEFAULTS).to.deep.equal({
            tunnels: "together",
            waitForNegotiation: false,
            negotiationTimeoutSeconds: 300,
            onNegotiationFailure: "stop",
        });
        for (const [name, setting] of entriesOf(SETTINGS)) {
            const rules: Array<[string, (raw: unknown) => unknown, unknown]> =
                setting.kind === "value"
                    ? [[name, setting.rule, setting.defaultValue]]
                    : entriesOf(setting.fields).map(([option, spec]) => [
                          `${name}.${option}`,
                          spec.rule,
                          spec.defaultValue,
                      ]);
            for (const [path, rule, value] of rules.filter(([, , value]) => value !== undefined)) {
                expect(rule(value), path).to.deep.equal({ value });
            }
        }
    });

    it("round-trip through state whichever of them a program declares, and never count as attributes", () => {
        const optional = SETTING_NAMES.filter((name) => SETTINGS[name].presence === "optional");
        const declaration = fc.record(
            Object.fromEntries(SETTING_NAMES.map((name) => [name, fc.constantFrom(...SAMPLES[name])])),
            { requiredKeys: SETTING_NAMES.filter((name) => !optional.includes(name)) },
        );
        fc.assert(
            fc.property(declaration, (declared) => {
                const { inputs, failures } = checkInputs({ ...declared, name: "office" });
                expect(failures).to.deep.equal([]);
                const checked = inputs as unknown as CheckedInputs;
                expect(desiredFromInputs(checked)).to.deep.equal({ name: "office" });
                const outputs = observedToOutputs(single(), checked, desiredFromInputs(checked));
                expect(settingsOf(outputs)).to.deep.equal(declared);
                expect(inputsFromOutputs(outputs)).to.deep.include(declared);
                const settingsObserved = Object.keys(outputsToObserved(outputs)).filter((key) =>
                    (SETTING_NAMES as readonly string[]).includes(key),
                );
                expect(settingsObserved).to.deep.equal(["vpnConnectionId"]);
            }),
        );
    });
});
