// One linter for every folder: typescript-eslint's type-checked rules on all
// TypeScript, with each file checked against the tsconfig.json that owns it
// (the root one, or examples/pipeline/policy-pack's own). Formatting is
// Prettier's job, so eslint-config-prettier comes last and turns off every
// stylistic rule.
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import prettier from "eslint-config-prettier";
import globals from "globals";
import tseslint from "typescript-eslint";

/**
 * The provider's floors, and what each may import (CONTRIBUTING.md, "Floors").
 * An import of a floor not listed, types included, is an error; the one
 * deliberate exception, pulumi/resource.ts requiring entry.ts, says so where
 * it is.
 */
const FLOORS = {
    foundation: [],
    model: ["foundation"],
    credentials: ["foundation"],
    service: ["foundation", "model", "credentials"],
    apply: ["foundation", "model", "service"],
    pulumi: ["foundation", "model", "credentials", "service", "apply"],
};
/** The package's entry points, above every floor. */
const ENTRY_POINTS = ["entry", "legacyEntry", "index"];

function floorRules(floor) {
    const forbidden = Object.keys(FLOORS).filter((other) => other !== floor && !FLOORS[floor].includes(other));
    return {
        files: [`provider/${floor}/**/*.ts`],
        rules: {
            "@typescript-eslint/no-restricted-imports": [
                "error",
                {
                    patterns: [
                        {
                            regex: `^\\.\\./(${[...forbidden, ...ENTRY_POINTS].join("|")})(/|$)`,
                            message: `provider/${floor}/ imports only from ${FLOORS[floor].map((f) => `${f}/`).join(", ") || "itself"} (CONTRIBUTING.md, "Floors").`,
                        },
                    ],
                },
            ],
        },
    };
}

export default defineConfig(
    {
        ignores: [
            "bin/",
            "node_modules/",
            ".tools/",
            ".pulumi-state/",
            ".e2e/",
            ".demo/",
            ".bench/",
            "tmp/",
            ".stryker-tmp/",
            "reports/",
        ],
    },
    js.configs.recommended,
    {
        files: ["**/*.ts"],
        extends: [tseslint.configs.recommendedTypeChecked],
        languageOptions: {
            parserOptions: {
                projectService: true,
                tsconfigRootDir: import.meta.dirname,
            },
        },
        rules: {
            // A leading underscore marks a parameter an interface requires but this implementation ignores,
            // and a rest sibling drops a key from a copy (`const { psk: _psk, ...rest } = config`).
            "@typescript-eslint/no-unused-vars": [
                "error",
                { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true },
            ],
        },
    },
    {
        // A program that loads the provider from a checkout stores the provider's code in state. `import * as` of a
        // Node module is TypeScript's copy of the module, which @pulumi/pulumi 3.216 (the oldest supported) does
        // not recognize as one: it serializes the copy by value, into Node's native code, and fails. A named
        // import binds the module itself, which Pulumi stores as require(). (test/unit/serializedProvider.test.ts)
        files: ["provider/**/*.ts"],
        rules: {
            "no-restricted-syntax": [
                "error",
                {
                    selector: "ImportDeclaration[importKind!='type'][source.value=/^node:/] > ImportNamespaceSpecifier",
                    message:
                        'Import the names the provider uses (import { join } from "node:path"): Pulumi 3.216 cannot serialize a namespace copy of a Node module.',
                },
            ],
        },
    },
    ...Object.keys(FLOORS).map(floorRules),
    {
        // Plain CommonJS run by node as it is (the e2e policy pack).
        files: ["**/*.js"],
        languageOptions: { sourceType: "commonjs", globals: globals.node },
    },
    {
        files: ["**/*.mjs"],
        languageOptions: { globals: globals.node },
    },
    {
        files: ["test/**/*.ts"],
        rules: {
            // chai's property assertions (`expect(x).to.be.true`, `.to.be.empty`) are expressions by design.
            "@typescript-eslint/no-unused-expressions": "off",
        },
    },
    prettier,
);
