/**
 * Drives the real `pulumi` CLI against an in-process emulator, fully offline.
 *
 * Each `PulumiProject` is a throw-away Pulumi project under `<repo>/.e2e/`
 * (git-ignored) with its own local file backend, PULUMI_HOME and stack. The
 * project must live inside the repository: the dynamic-provider plugin and
 * the provider code Pulumi stored in state `require` their modules
 * (`@pulumi/pulumi`, `@alicloud/*`) from the project directory, and only the
 * repository's node_modules has them.
 *
 * Its Pulumi.yaml runs the compiled test program (bin/test/e2e/program), which
 * declares whatever the stack config `vpn-e2e:resources` lists, so scenarios
 * change config, not code.
 *
 * Where the program takes the provider from (`providerFrom`):
 * - "package" (default): a copy of the package as npm installs it (package.json
 *   and bin/provider, the package's `files`) in `<project>/node_modules/`.
 *   Pulumi's closure serializer then stores `require("<package>/bin/provider/...")`
 *   references in each resource's `__provider` (~10 KB): what users get.
 * - "repo": the repository's bin/provider, which is not under node_modules, so
 *   Pulumi serializes the provider's code by value (~150 KB per `__provider`,
 *   stored in inputs and outputs of every resource): what examples/demo does.
 *
 * The CLI runs as an asynchronous child process: the emulator answers from
 * this very process, so nothing here may block the event loop (no spawnSync).
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { CallRecord, EmulatorHandle } from "../../emulator";
import type { ResourceSpec } from "./program";

export type { ResourceSpec };

/** The repository root (this file is compiled to bin/test/e2e/harness.js). */
export const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");
export const PROJECT_NAME = "vpn-e2e";
export const STACK = "e2e";
const PROGRAM = path.join(REPO_ROOT, "bin", "test", "e2e", "program", "index.js");
const WORK_ROOT = path.join(REPO_ROOT, ".e2e");
const PASSPHRASE = "e2e-passphrase";

/** The `pulumi` binary: the project's own build (scripts/install-pulumi.sh), else the one on PATH. */
export function findPulumi(): string {
    const local = path.join(REPO_ROOT, ".tools", "pulumi", "bin", "pulumi");
    if (fs.existsSync(local)) {
        return local;
    }
    for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
        const candidate = path.join(dir, "pulumi");
        if (dir && fs.existsSync(candidate)) {
            return candidate;
        }
    }
    throw new Error("The Pulumi CLI was not found in .tools/pulumi/bin or on PATH: run `bash scripts/install-pulumi.sh` first");
}

export interface CliResult {
    command: string;
    code: number | null;
    stdout: string;
    stderr: string;
    /** stdout and stderr as the terminal would show them (interleaved by arrival). */
    output: string;
    ms: number;
}

export interface RunOptions {
    /** Resolve with the result instead of rejecting when the command fails. */
    allowFailure?: boolean;
    /** Extra environment for this command only. */
    env?: Record<string, string>;
    /** Leave the output out of `transcript` and the logs (for `--show-secrets`). Default true. */
    record?: boolean;
    /** Kill the command (its whole process group) after this long. Default 240 s. */
    timeoutMs?: number;
}

const COMMAND_TIMEOUT_MS = 240_000;

/** One line per CLI command: what ran, how long it took. Printed by the suite at the end. */
export const timings: Array<{ scope: string; command: string; ms: number }> = [];

export class PulumiProject {
    /** Everything every command printed, for the secrets scenario. */
    readonly transcript: CliResult[] = [];

    private encryptionSalt = "";
    /** Stack config in plain text, by full key (`vpn-e2e:resources`, `alicloud:accessKey`). */
    private readonly plainConfig: Record<string, unknown> = {};
    /** Secret stack config: the ciphertext `pulumi config set --secret` produced, by full key. */
    private readonly secureConfig: Record<string, string> = {};

    private constructor(
        readonly dir: string,
        readonly scope: string,
        private readonly pulumi: string,
        private readonly env: NodeJS.ProcessEnv,
    ) {}

    /**
     * Creates the project directory, its backend and the stack `e2e`, with the
     * emulator's endpoint in the environment of every command and its keys
     * either in the environment (ALICLOUD_ACCESS_KEY / ALICLOUD_SECRET_KEY) or
     * in stack config (`alicloud:accessKey`, `alicloud:secretKey` as a secret).
     */
    static async create(
        emulator: EmulatorHandle,
        scope: string,
        opts: { credentials?: "environment" | "config"; providerFrom?: ProviderFrom } = {},
    ): Promise<PulumiProject> {
        const pulumi = findPulumi();
        if (!fs.existsSync(PROGRAM)) {
            throw new Error(`${PROGRAM} is missing: run \`npm run build\``);
        }
        fs.mkdirSync(WORK_ROOT, { recursive: true });
        const dir = fs.mkdtempSync(path.join(WORK_ROOT, `${scope.replace(/[^a-z0-9]+/gi, "-")}-`));
        fs.mkdirSync(path.join(dir, "backend"));
        fs.mkdirSync(path.join(dir, "home"));
        fs.writeFileSync(
            path.join(dir, "Pulumi.yaml"),
            [
                `name: ${PROJECT_NAME}`,
                "description: end-to-end test project (generated by test/e2e/harness.ts)",
                "runtime:",
                "  name: nodejs",
                "  options:",
                "    typescript: false",
                "main: index.js",
                "",
            ].join("\n"),
        );
        // The entry point lives in the project directory because Pulumi runs the program and its plugins
        // (the dynamic provider among them) in the directory of `main`, and modules, the package in
        // <project>/node_modules included, are resolved from there.
        fs.writeFileSync(
            path.join(dir, "index.js"),
            `// Generated by test/e2e/harness.ts\nmodule.exports = require(${JSON.stringify(path.relative(dir, PROGRAM))});\n`,
        );
        const providerFrom = opts.providerFrom ?? "package";
        if (providerFrom === "package") {
            installPackage(dir);
        }
        const inConfig = opts.credentials === "config";
        const project = new PulumiProject(dir, scope, pulumi, childEnv(dir, emulator, !inConfig));
        await project.run(["stack", "init", STACK]);
        const stackFile = fs.readFileSync(project.stackConfigFile, "utf8");
        const salt = /^encryptionsalt: (.+)$/m.exec(stackFile)?.[1];
        if (!salt) {
            throw new Error(`no encryptionsalt in ${project.stackConfigFile}:\n${stackFile}`);
        }
        project.encryptionSalt = salt;
        project.plainConfig[`${PROJECT_NAME}:providerFrom`] = providerFrom;
        if (inConfig) {
            project.plainConfig["alicloud:accessKey"] = emulator.accessKeyId;
            await project.setSecretConfig("alicloud:secretKey", emulator.accessKeySecret);
        }
        return project;
    }

    get stackConfigFile(): string {
        return path.join(this.dir, `Pulumi.${STACK}.yaml`);
    }

    /**
     * Sets the resources the program declares (stack config
     * `vpn-e2e:resources`). A string `"$psk:NAME"` anywhere in the args stands
     * for the secret PSK set with `setPsks`, which the program passes to the
     * resource as a plain (not secret) value.
     */
    setResources(resources: ResourceSpec[]): void {
        this.plainConfig[`${PROJECT_NAME}:resources`] = resources;
        this.writeConfig();
    }

    /** Stores PSKs as one secret config value (`vpn-e2e:psks`) for `"$psk:NAME"` references. */
    setPsks(psks: Record<string, string>): Promise<void> {
        return this.setSecretConfig(`${PROJECT_NAME}:psks`, JSON.stringify(psks));
    }

    /** Encrypts a value with `pulumi config set --secret` and keeps its ciphertext. */
    async setSecretConfig(key: string, value: string): Promise<void> {
        await this.run(["config", "set", "--secret", key, value]);
        const text = fs.readFileSync(this.stackConfigFile, "utf8");
        const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        const ciphertext = new RegExp(`^  ${escaped}:\\n    secure: (\\S+)$`, "m").exec(text)?.[1];
        if (!ciphertext) {
            throw new Error(`no ciphertext for ${key} in ${this.stackConfigFile}:\n${text}`);
        }
        this.secureConfig[key] = ciphertext;
        this.writeConfig();
    }

    /**
     * Writes Pulumi.e2e.yaml directly (plain values as JSON, which is YAML)
     * instead of running `pulumi config set`, which costs a CLI start per change.
     */
    private writeConfig(): void {
        const lines = [`encryptionsalt: ${this.encryptionSalt}`, "config:"];
        for (const [key, value] of Object.entries(this.plainConfig)) {
            lines.push(`  ${key}: ${JSON.stringify(value)}`);
        }
        for (const [key, ciphertext] of Object.entries(this.secureConfig)) {
            lines.push(`  ${key}:`, `    secure: ${ciphertext}`);
        }
        fs.writeFileSync(this.stackConfigFile, `${lines.join("\n")}\n`);
    }

    preview(...args: string[]): Promise<CliResult> {
        return this.run(["preview", "--diff", ...args]);
    }

    up(...args: string[]): Promise<CliResult> {
        return this.run(["up", "--yes", "--diff", "--skip-preview", ...args]);
    }

    refresh(...args: string[]): Promise<CliResult> {
        return this.run(["refresh", "--yes", "--diff", "--skip-preview", ...args]);
    }

    destroy(...args: string[]): Promise<CliResult> {
        return this.run(["destroy", "--yes", "--skip-preview", ...args]);
    }

    /** `pulumi stack export` (secrets stay encrypted), parsed. */
    async exportStack(): Promise<{ text: string; deployment: Deployment }> {
        const result = await this.run(["stack", "export"]);
        return { text: result.stdout, deployment: (JSON.parse(result.stdout) as { deployment: Deployment }).deployment };
    }

    /** The state of one of the program's resources, by its Pulumi name. */
    async resourceState(name: string): Promise<StateResource> {
        const { deployment } = await this.exportStack();
        const found = (deployment.resources ?? []).find((r) => r.urn.endsWith(`::${name}`));
        if (!found) {
            throw new Error(`no resource ${name} in state`);
        }
        return found;
    }

    /** Runs `pulumi <args>` in the project; rejects with the whole output when it fails (unless allowFailure). */
    async run(args: string[], opts: RunOptions = {}): Promise<CliResult> {
        const fullArgs = [...args, "--non-interactive", "--color", "never"];
        // What logs and timings show: never the value of a secret config setting.
        const shown = args.includes("--secret") ? [...args.slice(0, -1), "[secret]"] : args;
        const command = `pulumi ${shown.join(" ")}`;
        const started = Date.now();
        const timeoutMs = opts.timeoutMs ?? COMMAND_TIMEOUT_MS;
        const result = await new Promise<CliResult>((resolve, reject) => {
            // Its own process group, so that a hung command can be ended together with the language host
            // and provider plugins it started (and only those).
            const child = spawn(this.pulumi, fullArgs, {
                cwd: this.dir,
                env: { ...this.env, ...opts.env },
                stdio: ["ignore", "pipe", "pipe"],
                detached: true,
            });
            const timer = setTimeout(() => {
                output += `\n[harness: killed after ${timeoutMs} ms]\n`;
                try {
                    process.kill(-(child.pid as number), "SIGKILL");
                } catch {
                    // already gone
                }
            }, timeoutMs);
            let stdout = "";
            let stderr = "";
            let output = "";
            child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
                stdout += chunk;
                output += chunk;
            });
            child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
                stderr += chunk;
                output += chunk;
            });
            child.on("error", (err) => {
                clearTimeout(timer);
                reject(err);
            });
            child.on("close", (code) => {
                clearTimeout(timer);
                resolve({ command, code, stdout, stderr, output, ms: Date.now() - started });
            });
        });
        timings.push({ scope: this.scope, command, ms: result.ms });
        if (opts.record === false) {
            if (result.code !== 0 && !opts.allowFailure) {
                throw new Error(`\`${command}\` exited with ${result.code} in ${this.dir} (output not shown)`);
            }
            return result;
        }
        this.transcript.push(result);
        // Kept with the project (see E2E_KEEP) for reading after a failure.
        const log = path.join(this.dir, "logs", `${String(this.transcript.length).padStart(2, "0")}-${args.slice(0, 2).join("-")}.log`);
        fs.mkdirSync(path.dirname(log), { recursive: true });
        fs.writeFileSync(log, `$ ${command}\n# exit ${result.code} after ${result.ms} ms\n${result.output}`);
        if (result.code !== 0 && !opts.allowFailure) {
            throw new Error(`\`${command}\` exited with ${result.code} in ${this.dir}:\n${result.output}`);
        }
        return result;
    }

    /** The text of every file of the stack's backend: checkpoint, its backups and the update history. */
    backendFiles(): Record<string, string> {
        const files: Record<string, string> = {};
        const walk = (dir: string): void => {
            for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
                const full = path.join(dir, entry.name);
                if (entry.isDirectory()) {
                    walk(full);
                } else {
                    files[path.relative(this.dir, full)] = fs.readFileSync(full, "utf8");
                }
            }
        };
        walk(path.join(this.dir, "backend"));
        return files;
    }

    /** Removes the project directory unless E2E_KEEP is set (then it is left for inspection). */
    dispose(): void {
        if (!process.env.E2E_KEEP) {
            fs.rmSync(this.dir, { recursive: true, force: true });
        }
    }
}

export type ProviderFrom = "package" | "repo";

/**
 * Installs this package into `<dir>/node_modules/<name>/` the way npm would:
 * package.json plus its `files` (bin/provider). Copied, not linked: Node
 * resolves a symlink to its real path, which is outside node_modules, and
 * Pulumi would serialize the code by value again. Its dependencies resolve
 * upwards, from the repository's node_modules.
 */
export function installPackage(dir: string): string {
    const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { name: string; files: string[] };
    const target = path.join(dir, "node_modules", manifest.name);
    fs.rmSync(target, { recursive: true, force: true });
    fs.mkdirSync(target, { recursive: true });
    fs.copyFileSync(path.join(REPO_ROOT, "package.json"), path.join(target, "package.json"));
    for (const entry of manifest.files) {
        const from = path.join(REPO_ROOT, entry);
        if (!fs.existsSync(from)) {
            throw new Error(`${from} (package.json "files") is missing: run \`npm run build\``);
        }
        fs.cpSync(from, path.join(target, entry), { recursive: true });
    }
    return target;
}

/**
 * The environment of every CLI command: the caller's, minus anything that
 * could send the CLI or the provider elsewhere (cloud credentials, a Pulumi
 * Cloud token, proxies), plus the offline settings and the emulator.
 */
function childEnv(dir: string, emulator: EmulatorHandle, keysInEnvironment: boolean): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env)) {
        if (!/^(ALICLOUD_|ALIBABA_CLOUD_|PULUMI_|HTTPS?_PROXY$|ALL_PROXY$|NO_PROXY$)/i.test(key)) {
            env[key] = value;
        }
    }
    const pulumiBin = path.dirname(findPulumi());
    return {
        ...env,
        PATH: [pulumiBin, path.join(REPO_ROOT, "node_modules", ".bin"), env.PATH ?? ""].join(path.delimiter),
        PULUMI_HOME: path.join(dir, "home"),
        PULUMI_BACKEND_URL: `file://${path.join(dir, "backend")}`,
        PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: "true",
        PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
        NO_PROXY: "127.0.0.1,localhost",
        ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true",
        ALICLOUD_VPC_ENDPOINT: emulator.endpoint,
        ...(keysInEnvironment && { ALICLOUD_ACCESS_KEY: emulator.accessKeyId, ALICLOUD_SECRET_KEY: emulator.accessKeySecret }),
    };
}

/** The parts of `pulumi stack export` the suite reads. */
export interface Deployment {
    resources?: StateResource[];
    [key: string]: unknown;
}

export interface StateResource {
    urn: string;
    id?: string;
    type: string;
    inputs?: Record<string, unknown>;
    outputs?: Record<string, unknown>;
}

/** Pulumi's marker of an encrypted value in exported state. */
export const SECRET_SIG = "4dabf18193072939515e22adb298388d";

export function isSecretEnvelope(value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as Record<string, unknown>)[SECRET_SIG] === "1b47061264138c4ac30d75fd1eb44270";
}

/**
 * Paths in exported state where a PSK-holding property (`psk`, `tunnelPsks`)
 * is stored in clear; values inside a secret envelope do not count.
 */
export function pskInClear(value: unknown, path = ""): string[] {
    if (isSecretEnvelope(value) || typeof value !== "object" || value === null) {
        return [];
    }
    const found: string[] = [];
    for (const [key, child] of Object.entries(value)) {
        const childPath = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
        if ((key === "psk" || key === "tunnelPsks") && child !== undefined && child !== null && !isSecretEnvelope(child)) {
            found.push(childPath);
        } else {
            found.push(...pskInClear(child, childPath));
        }
    }
    return found;
}

/** A random id for connections, so that describes never share one. */
export function connectionId(prefix: string): string {
    return `vco-${prefix}-${randomBytes(3).toString("hex")}`;
}

/** Every API call after the first `since`, of any connection. */
export function callsSince(emulator: EmulatorHandle, since: number): CallRecord[] {
    return emulator.admin.calls().slice(since);
}

/** API calls about one connection, optionally of one action. */
export function callsFor(emulator: EmulatorHandle, vpnConnectionId: string, action?: string, since = 0): CallRecord[] {
    return emulator.admin
        .calls()
        .slice(since)
        .filter((c) => c.params.VpnConnectionId === vpnConnectionId && (action === undefined || c.action === action));
}

/** The top-level parameter names of a Modify call, ClientToken and the identifying ones left out. */
export function changedParams(call: CallRecord): string[] {
    const fixed = new Set(["ClientToken", "RegionId", "VpnConnectionId"]);
    return [...new Set(Object.keys(call.params).map((k) => k.split(".")[0]))].filter((k) => !fixed.has(k)).sort();
}
