/**
 * Drives the real `pulumi` CLI against an in-process emulator, fully offline.
 *
 * Each `PulumiProject` is a throw-away Pulumi project under `<repo>/.e2e/`
 * (git-ignored) with its own local file backend, PULUMI_HOME and stack, set up
 * by support/pulumiWorkspace.ts (which says why it lives in the repository);
 * its commands run through support/pulumiCommand.ts.
 *
 * Its Pulumi.yaml runs the compiled test program (bin/test/e2e/program), which
 * declares whatever the stack config `vpn-e2e:resources` lists, so scenarios
 * change config, not code.
 *
 * Where the program takes the provider from (`providerFrom`):
 * - "package" (default): the package's `npm pack` tarball unpacked into
 *   `<project>/node_modules/`. Each resource's `__provider` then names one
 *   module, `require("<package>/provider-entry")` (~0.3 KB): what users get.
 * - "repo": the repository's bin/provider, which is not under node_modules, so
 *   Pulumi serializes the provider's code by value (~150 KB per `__provider`,
 *   stored in inputs and outputs of every resource): what examples/demo does.
 */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { CallRecord, EmulatorHandle } from "../../emulator";
import { CommandResult, encryptionSalt, killRunningCommands, runPulumi, runShell } from "../../support/pulumiCommand";
import { createProjectDir, findPulumi, installPackage, projectEnv, REPO_ROOT } from "../../support/pulumiWorkspace";
import type { ResourceSpec } from "./program";

export type { ResourceSpec };
export { killRunningCommands, REPO_ROOT };
export type CliResult = CommandResult;

export const PROJECT_NAME = "vpn-e2e";
export const STACK = "e2e";
const PROGRAM = path.join(REPO_ROOT, "bin", "test", "e2e", "program", "index.js");
const WORK_ROOT = path.join(REPO_ROOT, ".e2e");
const PASSPHRASE = "e2e-passphrase";

export interface RunOptions {
    /** Resolve with the result instead of rejecting when the command fails. */
    allowFailure?: boolean;
    /** Extra environment for this command only. */
    env?: Record<string, string>;
    /** Leave the output out of `transcript` and the logs (for `--show-secrets`). Default true. */
    record?: boolean;
    /** Kill the command (its whole process group) after this long. Default 240 s. */
    timeoutMs?: number;
    /** Called with the CLI's process id once it started (to signal it as a terminal would). */
    onStart?: (pid: number) => void;
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
        emulator: Target,
        scope: string,
        opts: { credentials?: "environment" | "config"; providerFrom?: ProviderFrom } = {},
    ): Promise<PulumiProject> {
        const pulumi = findPulumi();
        const dir = createProjectDir({
            workRoot: WORK_ROOT,
            scope,
            name: PROJECT_NAME,
            description: "end-to-end test project",
            generatedBy: "test/e2e/harness.ts",
            program: PROGRAM,
        });
        const providerFrom = opts.providerFrom ?? "package";
        if (providerFrom === "package") {
            installPackage(dir);
        }
        const inConfig = opts.credentials === "config";
        const project = new PulumiProject(dir, scope, pulumi, childEnv(dir, emulator, !inConfig));
        await project.run(["stack", "init", STACK]);
        project.encryptionSalt = encryptionSalt(project.stackConfigFile);
        project.plainConfig[`${PROJECT_NAME}:providerFrom`] = providerFrom;
        if (inConfig) {
            project.plainConfig["alicloud:accessKey"] = emulator.accessKeyId;
            await project.setSecretConfig("alicloud:secretKey", emulator.accessKeySecret);
        }
        return project;
    }

    /** The environment the CLI commands run in, for other programs that drive the CLI (the Automation API). */
    get environment(): NodeJS.ProcessEnv {
        return { ...this.env };
    }

    /**
     * A project set up elsewhere (its Pulumi.yaml, program and node_modules in
     * `dir`), whose commands run with `env` (see `projectEnv`).
     */
    static open(dir: string, scope: string, env: NodeJS.ProcessEnv): PulumiProject {
        return new PulumiProject(dir, scope, findPulumi(), env);
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

    /** Sets one plain stack config value (a string, or an object as `pulumi config set --path` would store it). */
    setConfig(key: string, value: unknown): void {
        this.plainConfig[key] = value;
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
        return {
            text: result.stdout,
            deployment: (JSON.parse(result.stdout) as { deployment: Deployment }).deployment,
        };
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
        const timeoutMs = opts.timeoutMs ?? COMMAND_TIMEOUT_MS;
        const result = await runPulumi(this.pulumi, args, {
            cwd: this.dir,
            env: { ...this.env, ...opts.env },
            timeoutMs,
            onStart: opts.onStart,
            // What logs and timings show: never the value of a secret config setting.
            shownArgs: args.includes("--secret") ? [...args.slice(0, -1), "[secret]"] : args,
        });
        return this.finish(result, opts, timeoutMs, args.slice(0, 2).join("-"));
    }

    /**
     * Runs a bash script in the project, `pulumi` first on PATH, with the
     * environment of the CLI commands: how the suites run what README.md,
     * docs/ and the CI files tell users to type. Rejects like `run`.
     */
    async shell(script: string, opts: RunOptions = {}): Promise<CliResult> {
        const timeoutMs = opts.timeoutMs ?? COMMAND_TIMEOUT_MS;
        const result = await runShell(this.pulumi, script, {
            cwd: this.dir,
            env: { ...this.env, ...opts.env },
            timeoutMs,
        });
        return this.finish(result, opts, timeoutMs, "shell");
    }

    private finish(result: CliResult, opts: RunOptions, timeoutMs: number, logName: string): CliResult {
        if (result.timedOut) {
            result.output += `\n[harness: killed after ${timeoutMs} ms]\n`;
        }
        result.ms = Math.round(result.ms);
        const command = result.command;
        timings.push({ scope: this.scope, command, ms: result.ms });
        if (opts.record === false) {
            if (result.code !== 0 && !opts.allowFailure) {
                throw new Error(`\`${command}\` exited with ${result.code} in ${this.dir} (output not shown)`);
            }
            return result;
        }
        this.transcript.push(result);
        // Kept with the project (see E2E_KEEP) for reading after a failure.
        const log = path.join(this.dir, "logs", `${String(this.transcript.length).padStart(2, "0")}-${logName}.log`);
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
 * What the projects' commands talk to: the emulator, or (the acceptance suite)
 * Alibaba Cloud itself, where no endpoint means the SDK's regional one.
 */
export interface Target {
    endpoint?: string;
    accessKeyId: string;
    accessKeySecret: string;
    securityToken?: string;
}

/** The environment of every CLI command: offline (see `projectEnv`), with the target's endpoints (VPC and STS) and, optionally, keys. */
function childEnv(dir: string, emulator: Target, keysInEnvironment: boolean): NodeJS.ProcessEnv {
    return projectEnv(dir, PASSPHRASE, {
        // The emulator answers STS AssumeRole too.
        ...(emulator.endpoint !== undefined && {
            ALICLOUD_VPC_ENDPOINT: emulator.endpoint,
            ALICLOUD_STS_ENDPOINT: emulator.endpoint,
        }),
        ...(keysInEnvironment && {
            ALICLOUD_ACCESS_KEY: emulator.accessKeyId,
            ALICLOUD_SECRET_KEY: emulator.accessKeySecret,
        }),
        ...(keysInEnvironment &&
            emulator.securityToken !== undefined && { ALICLOUD_SECURITY_TOKEN: emulator.securityToken }),
    });
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
    return (
        typeof value === "object" &&
        value !== null &&
        (value as Record<string, unknown>)[SECRET_SIG] === "1b47061264138c4ac30d75fd1eb44270"
    );
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
        if (
            (key === "psk" || key === "tunnelPsks") &&
            child !== undefined &&
            child !== null &&
            !isSecretEnvelope(child)
        ) {
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

/**
 * What a `preview --diff` names for one of the program's resources: the
 * top-level inputs of its property lines (`~ psk`, `~ tunnelOptionsSpecification`),
 * sorted, and every property line, trimmed.
 */
export function previewedProperties(preview: CliResult, resource: string): { keys: string[]; lines: string[] } {
    const blocks = preview.output.split(/\n(?=\s*\S+ [\w-]+:[\w/:-]+: \(|Resources:|Outputs:)/);
    const block = blocks.find((b) => b.includes(`VpnAttachmentAttribute::${resource}]`));
    const property = (block ?? "")
        .split("\n")
        .slice(1)
        .filter((l) => /^\s*[~+-] /.test(l));
    const indentOf = (line: string): number => line.length - line.trimStart().length;
    const top = Math.min(...property.map(indentOf));
    const keys = property.filter((l) => indentOf(l) === top).map((l) => /^\s*[~+-] (\w+)/.exec(l)?.[1] ?? l);
    return { keys: [...new Set(keys)].sort(), lines: property.map((l) => l.trim()) };
}
