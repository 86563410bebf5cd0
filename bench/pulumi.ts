/**
 * A small driver of the real `pulumi` CLI for the benchmarks. The project
 * directory, the package install, the offline environment and running a
 * command come from support/, as for test/e2e/harness.ts; the benchmarks add
 * two programs, the CLI's process id for memory sampling, and killing the
 * whole process tree of a command.
 *
 * Each `BenchProject` is a throw-away project under `<repo>/.bench/` with its
 * own file backend and PULUMI_HOME. Every command runs in its own process
 * group, so a timeout or an interrupted run kills the CLI together with its
 * language host and provider plugins.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { CommandResult, encryptionSalt, runPulumi } from "../support/pulumiCommand";
import { createProjectDir, findPulumi, projectEnv, REPO_ROOT } from "../support/pulumiWorkspace";
import { descendantsOf } from "./procmem";
import { PROJECT, StackSettings } from "./program/specs";

export { findPulumi, REPO_ROOT };
export const WORK_ROOT = path.join(REPO_ROOT, ".bench");
const STACK = "bench";
const PASSPHRASE = "bench-passphrase";

export type ProgramKind = "vpn" | "noop";

export type CliResult = CommandResult;

export interface RunOptions {
    timeoutMs: number;
    /** Called with the CLI's pid right after it starts. */
    onStart?: (pid: number) => void;
    allowFailure?: boolean;
    /** Extra environment for this command. */
    env?: Record<string, string>;
}

/**
 * For the untimed `up`s that only set a stack up: the DIY backend then writes
 * state once at the end instead of after every step, which with this
 * provider's large serialized `__provider` per resource is most of an up's time.
 */
export const SETUP_ENV = { PULUMI_SKIP_CHECKPOINTS: "true" };

/**
 * Kills the command's process group and every process below the CLI: the CLI
 * starts its language host (and that the program) in process groups of their
 * own, so the group alone would leave them running. The tree is read before
 * anything is killed, as orphans are re-parented out of it.
 */
function killTree(pid: number): void {
    let tree: number[] = [];
    try {
        tree = descendantsOf(pid);
    } catch {
        // no /proc: the group is all we can reach
    }
    for (const target of [-pid, ...tree]) {
        try {
            process.kill(target, "SIGKILL");
        } catch {
            // already gone
        }
    }
}

export interface EmulatorAccess {
    endpoint: string;
    accessKeyId: string;
    accessKeySecret: string;
}

export class BenchProject {
    private salt = "";

    private constructor(
        readonly dir: string,
        readonly kind: ProgramKind,
        private readonly pulumi: string,
        private readonly env: NodeJS.ProcessEnv,
    ) {}

    static async create(kind: ProgramKind, scope: string, emulator: EmulatorAccess): Promise<BenchProject> {
        // The shim in the project directory makes it the working directory of the program (and the plugin),
        // from which they resolve the installed package in .bench/node_modules (bench/package.ts).
        const dir = createProjectDir({
            workRoot: WORK_ROOT,
            scope,
            name: PROJECT,
            description: "benchmark project",
            generatedBy: "bench/pulumi.ts",
            program: path.join(REPO_ROOT, "bin", "bench", "program", `${kind}.js`),
        });
        const project = new BenchProject(dir, kind, findPulumi(), childEnv(dir, emulator));
        await project.run(["stack", "init", STACK], { timeoutMs: 60_000 });
        project.salt = encryptionSalt(project.stackConfigFile);
        return project;
    }

    get stackConfigFile(): string {
        return path.join(this.dir, `Pulumi.${STACK}.yaml`);
    }

    /** Writes the stack config directly (a `pulumi config set` would cost a CLI start each). */
    configure(settings: StackSettings, extra: Record<string, string> = {}): void {
        const lines = [
            `encryptionsalt: ${this.salt}`,
            "config:",
            `  ${PROJECT}:count: "${settings.count}"`,
            `  ${PROJECT}:prefix: ${settings.prefix}`,
            `  ${PROJECT}:gen: "${settings.gen}"`,
            ...Object.entries(extra).map(([key, value]) => `  ${PROJECT}:${key}: ${JSON.stringify(value)}`),
            "",
        ];
        fs.writeFileSync(this.stackConfigFile, lines.join("\n"));
    }

    preview(opts: RunOptions): Promise<CliResult> {
        return this.run(["preview"], opts);
    }

    up(parallel: number | undefined, opts: RunOptions): Promise<CliResult> {
        return this.run(["up", "--yes", "--skip-preview", ...(parallel ? ["--parallel", String(parallel)] : [])], opts);
    }

    /** Runs `pulumi <args>`; rejects with the output when it fails or times out (unless allowFailure). */
    async run(args: string[], opts: RunOptions): Promise<CliResult> {
        const result = await runPulumi(this.pulumi, args, {
            cwd: this.dir,
            env: { ...this.env, ...opts.env },
            timeoutMs: opts.timeoutMs,
            onStart: opts.onStart,
            kill: killTree,
        });
        const command = result.command;
        if ((result.code !== 0 || result.timedOut) && !opts.allowFailure) {
            throw new Error(
                `\`${command}\` ${result.timedOut ? `timed out after ${opts.timeoutMs / 1000} s` : `exited with ${result.code}`} in ${this.dir}:\n${tail(result.output, 4000)}`,
            );
        }
        return result;
    }

    dispose(keep: boolean): void {
        if (!keep) {
            fs.rmSync(this.dir, { recursive: true, force: true });
        }
    }
}

function tail(text: string, chars: number): string {
    return text.length <= chars ? text : `...${text.slice(-chars)}`;
}

/** Offline (see `projectEnv`), with the emulator's endpoint and key. */
function childEnv(dir: string, emulator: EmulatorAccess): NodeJS.ProcessEnv {
    return projectEnv(dir, PASSPHRASE, {
        ALICLOUD_VPC_ENDPOINT: emulator.endpoint,
        ALICLOUD_ACCESS_KEY: emulator.accessKeyId,
        ALICLOUD_SECRET_KEY: emulator.accessKeySecret,
    });
}
