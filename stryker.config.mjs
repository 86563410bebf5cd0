// StrykerJS over the modules that decide what is sent to the service, and when
// (docs/mutation.md). `npm run mutation`; not part of scripts/test.sh.
//
// The TypeScript sources are mutated, then the sandbox is compiled with the
// project's own `tsc` build and mocha runs the compiled suites from bin/, as
// `npm test` does. Stryker marks the mutated files `@ts-nocheck`, so a mutant
// that does not type-check is still compiled and tested rather than lost.
/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
    testRunner: "mocha",
    // Emit only: the mutated tables widen the types derived from them, which the
    // test files would then fail to type-check against; `npm run build` checks types.
    buildCommand: "tsc -p tsconfig.json --noCheck",
    mochaOptions: {
        // The unit and integration suites (MUTATION_SUITES=unit for the unit suite
        // alone, docs/mutation.md); the emulator, property and e2e suites test the
        // emulator or take far too long per mutant.
        spec: (process.env.MUTATION_SUITES ?? "unit,integration").split(",").map((s) => `bin/test/${s}/**/*.test.js`),
        // Tests of a child process of their own, which reach no mutated module: the package's install (which
        // needs the real node_modules beside it, absent from the sandbox of a checkout whose node_modules is
        // a link) and V8's young generation (its sizes differ under Stryker's instrumented sources).
        ignore: ["bin/test/unit/package.test.js", "bin/test/unit/youngGeneration.test.js"],
    },
    mutate: [
        "provider/model/**/*.ts",
        "provider/apply/**/*.ts",
        "provider/service/{retrying,waiting,watching,pollSchedule,pacing,batching,locking,signedPerCall}.ts",
        "provider/credentials/**/*.ts",
    ],
    disableTypeChecks: "provider/**/*.ts",
    // Each mutant runs only the tests that reached it.
    coverageAnalysis: "perTest",
    // A static mutant (a module-level table, evaluated once at load) would run
    // every test for itself; they are counted as ignored, not as survivors.
    ignoreStatic: true,
    // The results of the last run are kept (committed) and reused for every
    // mutant whose code and covering tests did not change, so a re-run after a
    // small change takes minutes instead of hours.
    incremental: true,
    incrementalFile: "reports/stryker-incremental.json",
    // The machines this runs on are shared and small; a loaded core makes a
    // normal test look slow, so the timeout is generous.
    concurrency: 2,
    timeoutMS: 15000,
    timeoutFactor: 3,
    // bin/ stays in: incremental mode compares the compiled test files with the
    // last run's to tell which tests changed (`npm run mutation` builds first).
    ignorePatterns: [".tools", ".pulumi-state", ".e2e", ".demo", ".bench", "tmp", "reports"],
    reporters: ["clear-text", "progress-append-only", "html", "json"],
    htmlReporter: { fileName: "reports/mutation/mutation.html" },
    jsonReporter: { fileName: "reports/mutation/mutation.json" },
    tempDirName: ".stryker-tmp",
    cleanTempDir: "always",
};
