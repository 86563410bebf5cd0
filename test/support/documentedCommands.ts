/**
 * The shell commands README.md and docs/ tell users to type: every fenced
 * `sh` or `bash` block, split into commands. Tests that run a block read it
 * from here (`documentedBlock`), so they run what the page says;
 * test/unit/documentedCommands.test.ts checks that every command is run by
 * a test named in `RUN_BY`, and fails on one that none runs.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** The repository root (this file is compiled to bin/test/support/). */
export const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");

export interface ShellBlock {
    /** Repository-relative path of the page. */
    file: string;
    /** 1-based line of the opening fence. */
    line: number;
    text: string;
}

/** README.md and every page under docs/. */
export function documentedPages(): string[] {
    const docs = fs
        .readdirSync(path.join(REPO_ROOT, "docs"))
        .filter((f) => f.endsWith(".md"))
        .sort()
        .map((f) => `docs/${f}`);
    return ["README.md", ...docs];
}

/** The fenced `sh`/`bash`/`shell` blocks of one page. */
export function shellBlocks(file: string): ShellBlock[] {
    const lines = fs.readFileSync(path.join(REPO_ROOT, file), "utf8").split("\n");
    const blocks: ShellBlock[] = [];
    let open: { line: number; shell: boolean; body: string[] } | undefined;
    lines.forEach((text, i) => {
        const fence = /^\s*```\s*(\S*)/.exec(text);
        if (open && fence && fence[1] === "") {
            if (open.shell) {
                blocks.push({ file, line: open.line, text: open.body.join("\n") });
            }
            open = undefined;
        } else if (open) {
            open.body.push(text);
        } else if (fence) {
            open = { line: i + 1, shell: /^(sh|bash|shell|console)$/.test(fence[1]), body: [] };
        }
    });
    return blocks;
}

/**
 * The commands of a block: continuation lines joined, comments and blank
 * lines dropped (a `#` starts a comment at the start of a line or after a
 * space), `&&` chains split.
 */
export function commandsOf(block: string): string[] {
    return block
        .replace(/\\\n\s*/g, "")
        .split("\n")
        .map((line) => line.replace(/(^|\s)#.*$/, "").trim())
        .filter((line) => line !== "")
        .flatMap((line) => line.split(/\s+&&\s+/));
}

/** Every documented command, with the page and line of its block. */
export function documentedCommands(): Array<{ command: string; page: string; line: number }> {
    return documentedPages().flatMap((page) =>
        shellBlocks(page).flatMap((block) =>
            commandsOf(block.text).map((command) => ({ command, page, line: block.line })),
        ),
    );
}

/** The one block of `file` whose first command starts with `start`: what a test runs. */
export function documentedBlock(file: string, start: string): string {
    const found = shellBlocks(file).filter((b) => commandsOf(b.text)[0]?.startsWith(start));
    if (found.length !== 1) {
        throw new Error(`${file} has ${found.length} shell blocks starting with \`${start}\`, expected 1`);
    }
    return found[0].text;
}

/**
 * How a documented command of `page` is run by the suites:
 * - `runs`: the test titled `test` in that file reads the block from the page
 *   (`documentedBlock`) and runs it;
 * - `same`: that file runs the same command; `needle` is in its source;
 * - `notRun`: it cannot run here, for the reason given.
 */
export type RunBy = { page: string; match: RegExp } & (
    { runs: string; test: string } | { same: string; needle: string } | { notRun: string }
);

const README = "README.md";
const EMULATOR = "docs/emulator.md";
const TESTING = "docs/testing.md";
const PACKAGE_E2E = "test/e2e/package.test.ts";
const FIRST_PROGRAM = "runs the first program";
const EMULATOR_COMMAND = "the package's emulator command";

export const RUN_BY: RunBy[] = [
    // Install
    { page: README, match: /^npm ci$/, same: "scripts/test.sh", needle: "npm ci" },
    { page: README, match: /^npm pack$/, same: "support/pulumiWorkspace.ts", needle: '"pack"' },
    { page: README, match: /^npm install \/path\/to\/\S+\.tgz$/, runs: PACKAGE_E2E, test: "installs from the tarball" },
    { page: README, match: /^npm install git\+https:/, runs: "test/e2e/gitInstall.test.ts", test: "installs from git" },
    // A first program, against the emulator the package ships
    { page: README, match: /^pulumi config set /, runs: PACKAGE_E2E, test: FIRST_PROGRAM },
    { page: README, match: /^pulumi (preview --diff|up)$/, runs: PACKAGE_E2E, test: FIRST_PROGRAM },
    { page: README, match: /^npx \S+ emulator --port 0 --seed seed\.json$/, runs: PACKAGE_E2E, test: EMULATOR_COMMAND },
    // Pipelines
    { page: README, match: /^npm run build$/, same: "package.json", needle: '"test:e2e": "npm run build --silent' },
    {
        page: README,
        match: /^node bin\/examples\/pipeline\/automation\/deploy\.js --cwd \S+ --stack \S+$/,
        same: "test/e2e/automation.test.ts",
        needle: '"bin", "examples", "pipeline", "automation", "deploy.js"',
    },
    // The emulator's reference
    {
        page: EMULATOR,
        match: /^npx \S+ emulator --port 0 --seed seed\.json$/,
        runs: PACKAGE_E2E,
        test: EMULATOR_COMMAND,
    },
    {
        page: EMULATOR,
        match: /^npm run emulator -- --port 0$/,
        same: "test/emulator/cli.test.ts",
        needle: "emulator/main.js",
    },
    { page: EMULATOR, match: /^(export \w+=|pulumi up$)/, runs: PACKAGE_E2E, test: FIRST_PROGRAM },
    { page: EMULATOR, match: /^node -e .*> seed\.json$/, runs: PACKAGE_E2E, test: EMULATOR_COMMAND },
    { page: EMULATOR, match: /^(EP|J)=|^curl /, runs: "test/emulator/documented.test.ts", test: "admin HTTP API" },
    // Adoption
    {
        page: "docs/adoption.md",
        match: /^npx \S+ adopt vco-\S+ --region \S+( \[--name \S+\])?$/,
        same: "test/e2e/adopt.test.ts",
        needle: '"adopt", id, "--region"',
    },
    // Mutation testing
    {
        page: "docs/mutation.md",
        match: /^(MUTATION_SUITES=unit )?npm run mutation$|^npx stryker run --mutate |^node scripts\/mutation-summary\.mjs$/,
        notRun:
            "a mutation run takes from minutes to most of an hour on two cores, beyond CI's time; " +
            "it is run by hand before a change to the modules it covers (CONTRIBUTING.md), and its report is docs/mutation.md",
    },
    // Testing
    { page: TESTING, match: /^bash scripts\/demo\.sh$/, runs: "test/e2e/demo.test.ts", test: "scripts/demo.sh" },
    { page: TESTING, match: /^bash scripts\/test\.sh$/, same: ".ci/run", needle: "bash scripts/test.sh" },
    {
        page: TESTING,
        match: /^FC_SEED=\d+ FC_RUNS=\d+ npm run test:property$/,
        same: "test/property/support/fcSettings.ts",
        needle: '"FC_RUNS"',
    },
    { page: TESTING, match: /^npm run build$/, same: "package.json", needle: '"test": "npm run build --silent' },
    {
        page: TESTING,
        match: /^bash scripts\/install-pulumi\.sh$/,
        same: "scripts/test.sh",
        needle: "bash scripts/install-pulumi.sh",
    },
    {
        page: TESTING,
        match: /^export ALICLOUD_|^npx mocha --config \.mocharc\.json bin\/test\/acceptance\/alicloud\.test\.js$/,
        notRun:
            "the acceptance suite needs an Alibaba Cloud account and two of its connections; " +
            "test/acceptance/settings.test.ts tests how it reads these settings",
    },
];
