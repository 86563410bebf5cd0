/**
 * Preview, show the changed attributes, and apply on approval, with the
 * Automation API, for a Pulumi project that uses VpnAttachmentAttribute.
 *
 *   node deploy.js --cwd <project dir> --stack <stack> [--yes]
 *
 * Without --yes it asks on the terminal; without a terminal (CI) and without
 * --yes it stops after the preview with exit code 2, so that a pipeline can
 * show the changes and wait for a manual approval job. Credentials and
 * endpoints come from the environment, as for the CLI.
 */
import * as readline from "node:readline/promises";
import { EngineEvent, LocalWorkspace } from "@pulumi/pulumi/automation";
import { changesFromEvents, formatChanges, ResourceChange } from "./changes";

export interface DeployOptions {
    workDir: string;
    stackName: string;
    /** Asked with the changes when there are any; true applies them. */
    approve: (changes: ResourceChange[]) => Promise<boolean>;
    log: (line: string) => void;
}

export interface DeployResult {
    changes: ResourceChange[];
    applied: boolean;
}

export async function deploy(opts: DeployOptions): Promise<DeployResult> {
    const stack = await LocalWorkspace.selectStack({ stackName: opts.stackName, workDir: opts.workDir });
    const events: EngineEvent[] = [];
    await stack.preview({ onEvent: (event) => events.push(event) });
    const changes = changesFromEvents(events);
    opts.log(formatChanges(changes));
    if (changes.length === 0 || !(await opts.approve(changes))) {
        return { changes, applied: false };
    }
    const result = await stack.up({ onOutput: (text) => opts.log(text.trimEnd()) });
    opts.log(`update ${result.summary.result}`);
    return { changes, applied: result.summary.result === "succeeded" };
}

function flag(name: string): string | undefined {
    const i = process.argv.indexOf(name);
    return i === -1 ? undefined : process.argv[i + 1];
}

async function askOnTerminal(): Promise<boolean> {
    if (!process.stdin.isTTY) {
        return false;
    }
    const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
    try {
        return /^y(es)?$/i.test((await rl.question("Apply these changes? (yes/no) ")).trim());
    } finally {
        rl.close();
    }
}

async function main(): Promise<void> {
    const workDir = flag("--cwd") ?? process.cwd();
    const stackName = flag("--stack");
    if (!stackName) {
        throw new Error("--stack is required");
    }
    const autoApprove = process.argv.includes("--yes");
    let asked = false;
    const result = await deploy({
        workDir,
        stackName,
        approve: async () => {
            asked = true;
            return autoApprove || askOnTerminal();
        },
        log: (line) => console.log(line),
    });
    if (asked && !result.applied) {
        console.log("not applied: run again with --yes, or answer yes on a terminal");
        process.exitCode = 2;
    }
}

if (require.main === module) {
    main().catch((err: unknown) => {
        console.error(err instanceof Error ? err.message : err);
        process.exitCode = 1;
    });
}
