/**
 * Runs one `pulumi` command of a project made by pulumiWorkspace.ts, for the
 * e2e harness (test/e2e/harness.ts) and the benchmarks (bench/pulumi.ts).
 *
 * The command runs as an asynchronous child process (the emulator it talks to
 * may answer from the calling process, so nothing here blocks the event loop),
 * in a process group of its own: a command past its timeout, or one still
 * running when its caller gives up, is ended together with the language host
 * and provider plugins it started, and only those.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

export interface CommandResult {
    /** What ran, as logs may show it. */
    command: string;
    code: number | null;
    stdout: string;
    stderr: string;
    /** stdout and stderr as the terminal would show them (interleaved by arrival). */
    output: string;
    ms: number;
    timedOut: boolean;
}

export interface CommandOptions {
    cwd: string;
    env: NodeJS.ProcessEnv;
    timeoutMs: number;
    /** Shown in `command` instead of the arguments (to keep a secret value out of logs). */
    shownArgs?: string[];
    /** Called with the command's pid right after it starts. */
    onStart?: (pid: number) => void;
    /**
     * Ends the command's processes; by default its process group. (The CLI
     * starts its language host in a group of its own, which a caller that must
     * leave nothing behind ends too.)
     */
    kill?: (pid: number) => void;
}

/** The commands still running, by pid, with how each is ended. */
const running = new Map<number, (pid: number) => void>();

/** Ends every command still running (a suite's `after` hook, an interrupted benchmark). */
export function killRunningCommands(): void {
    for (const [pid, kill] of running) {
        kill(pid);
    }
    running.clear();
}

/** SIGKILL to the process group of `pid`, if anything of it is left. */
export function killGroup(pid: number): void {
    try {
        process.kill(-pid, "SIGKILL");
    } catch {
        // already gone
    }
}

/** Runs `pulumi <args>` without prompts or colours; resolves however the command ends. */
export function runPulumi(pulumi: string, args: string[], opts: CommandOptions): Promise<CommandResult> {
    const command = `pulumi ${(opts.shownArgs ?? args).join(" ")}`;
    return runProcess(pulumi, [...args, "--non-interactive", "--color", "never"], command, opts);
}

/**
 * Runs a bash script as documentation or a CI file writes it, with `pulumi`
 * first on PATH, stopping at the first command that fails (as CI runners
 * do); resolves however it ends. The CLI sees no terminal, so it
 * runs non-interactively; `PULUMI_SKIP_CONFIRMATIONS=true` in `opts.env`
 * answers its confirmation prompts as a user at a terminal would.
 */
export function runShell(pulumi: string, script: string, opts: CommandOptions): Promise<CommandResult> {
    const env = { ...opts.env, PATH: [path.dirname(pulumi), opts.env.PATH ?? ""].join(path.delimiter) };
    return runProcess("bash", ["-e", "-c", script], script.trim().split("\n").join("; "), { ...opts, env });
}

function runProcess(file: string, argv: string[], command: string, opts: CommandOptions): Promise<CommandResult> {
    const kill = opts.kill ?? killGroup;
    const started = performance.now();
    return new Promise<CommandResult>((resolve, reject) => {
        const child = spawn(file, argv, {
            cwd: opts.cwd,
            env: opts.env,
            stdio: ["ignore", "pipe", "pipe"],
            detached: true,
        });
        const pid = child.pid;
        if (pid === undefined) {
            child.once("error", reject);
            return;
        }
        running.set(pid, kill);
        opts.onStart?.(pid);
        let stdout = "";
        let stderr = "";
        let output = "";
        let timedOut = false;
        child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
            stdout += chunk;
            output += chunk;
        });
        child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
            stderr += chunk;
            output += chunk;
        });
        const timer = setTimeout(() => {
            timedOut = true;
            // No grace period: a command past its timeout is broken, and its project directory is thrown away.
            kill(pid);
        }, opts.timeoutMs);
        child.on("error", (err) => {
            clearTimeout(timer);
            running.delete(pid);
            reject(err);
        });
        child.on("close", (code) => {
            clearTimeout(timer);
            running.delete(pid);
            // Anything the CLI left behind in its group (it normally stops its plugins itself).
            killGroup(pid);
            resolve({ command, code, stdout, stderr, output, ms: performance.now() - started, timedOut });
        });
    });
}

/** The stack's encryption salt, which a stack config written by hand must keep. */
export function encryptionSalt(stackConfigFile: string): string {
    const text = fs.readFileSync(stackConfigFile, "utf8");
    const salt = /^encryptionsalt: (.+)$/m.exec(text)?.[1];
    if (!salt) {
        throw new Error(`no encryptionsalt in ${stackConfigFile}:\n${text}`);
    }
    return salt;
}
