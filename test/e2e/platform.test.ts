import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { EmulatorHandle, singleTunnelConnection, startEmulator } from "../../emulator";
import { callsFor, connectionId, PulumiProject, REPO_ROOT } from "./harness";

/**
 * What the project's own Pulumi plugins (scripts/pulumi-cli: the Node.js
 * language host and the dynamic-provider plugin) must do beyond running a
 * program: run a policy pack the way the upstream host does, and end when the
 * engine that started them is gone.
 */

const REGION = "cn-hangzhou";
const POLICY_PACK = path.join(REPO_ROOT, "test", "e2e", "policy-pack");
const MODIFY = "ModifyVpnAttachmentAttribute";

describe("pulumi CLI with the project's plugins (emulator)", function () {
    this.timeout(300_000);
    this.slow(20_000);
    let emulator: EmulatorHandle;

    before(async () => {
        emulator = await startEmulator({ port: 0, taskDurationMs: 200 });
    });
    after(async () => {
        await emulator?.close();
    });

    describe("a policy pack (steps in order, one stack)", () => {
        const id = connectionId("policy");
        let project: PulumiProject;

        before(async () => {
            emulator.admin.seed(singleTunnelConnection(id, { Name: "site-a" }));
            project = await PulumiProject.create(emulator, "policy-pack");
        });
        after(() => project?.dispose());

        it("runs from its own directory: its package.json names the version, and a compliant preview passes", async () => {
            project.setResources([{ name: "conn", args: { regionId: REGION, vpnConnectionId: id, name: "site-a" } }]);
            const preview = await project.preview("--policy-pack", POLICY_PACK);
            // The version is the pack's own (package.json), not the project's.
            expect(preview.output).to.match(
                /Policy Packs run:\s+Name\s+Version\s+vpn-e2e-policy\|local\|\S+\s+0\.3\.1\n/,
            );
            expect(preview.output).to.not.include("no-forbidden-connection-names");
        });

        it("stops a preview that violates its mandatory policy, naming the policy and the resource", async () => {
            project.setResources([
                { name: "conn", args: { regionId: REGION, vpnConnectionId: id, name: "forbidden-name" } },
            ]);
            const preview = await project.run(["preview", "--policy-pack", POLICY_PACK], { allowFailure: true });
            expect(preview.code).to.not.equal(0);
            expect(preview.output).to.match(
                /vpn-e2e-policy@v0\.3\.1 \(local: \S+\)\s+- \[mandatory\]\s+no-forbidden-connection-names/,
            );
            expect(preview.output).to.include(`${id} may not be named forbidden-name`);
        });
    });

    describe("kill -9 of `pulumi up` while the provider waits for a task", () => {
        const id = connectionId("orphans");
        let project: PulumiProject;
        /** Every process `pulumi up` had started, ended in `after` should any outlive the test. */
        let started: Process[] = [];

        before(async () => {
            emulator.admin.seed(singleTunnelConnection(id, { Name: "site-a" }));
            project = await PulumiProject.create(emulator, "engine-killed");
        });
        after(() => {
            for (const proc of started.filter(isRunning)) {
                process.kill(proc.pid, "SIGKILL");
            }
            emulator.admin.stuck(id, false);
            project?.dispose();
        });

        it("leaves no language host, program or dynamic provider running", async () => {
            project.setResources([{ name: "conn", args: { regionId: REGION, vpnConnectionId: id, name: "site-b" } }]);
            emulator.admin.stuck(id);
            const mark = emulator.admin.calls().length;
            const up = project.run(["up", "--yes", "--skip-preview"], { allowFailure: true });

            // The provider is inside `update`, waiting for the stuck task, once the Modify call has arrived.
            await pollUntil(
                () => callsFor(emulator, id, MODIFY, mark).length > 0,
                120_000,
                "the Modify call of `pulumi up`",
            );
            const pulumi = childrenOf(process.pid).find((pid) => commandOf(pid)[0]?.endsWith("/pulumi"));
            expect(pulumi, "the `pulumi up` process").to.be.a("number");
            started = descendantsOf(pulumi as number).map(processOf);
            // By the program file too: a plugin that is a script runs as `sh <script>`.
            const names = started.flatMap((proc) =>
                commandOf(proc.pid)
                    .slice(0, 2)
                    .map((arg) => path.basename(arg)),
            );
            expect(names).to.include.members(["pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs"]);

            process.kill(pulumi as number, "SIGKILL");
            const result = await up;
            expect(result.code, "exit code of the killed `pulumi up`").to.not.equal(0);
            await pollUntil(
                () => !started.some(isRunning),
                30_000,
                () =>
                    `these processes \`pulumi up\` had started to exit: ${started
                        .filter(isRunning)
                        .map((proc) => commandOf(proc.pid).join(" "))
                        .join("; ")}`,
            );
        });
    });
});

/** Polls `done` every 100 ms until it holds; fails naming `what` after `timeoutMs`. */
async function pollUntil(done: () => boolean, timeoutMs: number, what: string | (() => string)): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
        if (Date.now() > deadline) {
            throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === "string" ? what : what()}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
}

/** A process by pid and start time, so that a later process given the same pid is never mistaken for it. */
interface Process {
    pid: number;
    startTime: string;
}

/** Linux /proc: the parent pid, state and start time of a process, or undefined once it is gone. */
function statOf(pid: number): { ppid: number; state: string; startTime: string } | undefined {
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        // "pid (comm) state ppid ... starttime(22nd field) ...": comm may itself hold spaces and parentheses.
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        return { state: fields[0], ppid: Number(fields[1]), startTime: fields[19] };
    } catch {
        return undefined;
    }
}

function processOf(pid: number): Process {
    return { pid, startTime: statOf(pid)?.startTime ?? "" };
}

/** A zombie has exited; only its entry waits for a parent (or init) to collect it. */
function isRunning(proc: Process): boolean {
    const stat = statOf(proc.pid);
    return stat !== undefined && stat.startTime === proc.startTime && stat.state !== "Z";
}

function commandOf(pid: number): string[] {
    try {
        return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
    } catch {
        return [];
    }
}

function childrenOf(parent: number): number[] {
    return fs
        .readdirSync("/proc")
        .filter((entry) => /^\d+$/.test(entry))
        .map(Number)
        .filter((pid) => statOf(pid)?.ppid === parent);
}

function descendantsOf(root: number): number[] {
    const found: number[] = [];
    for (let queue = childrenOf(root); queue.length > 0;) {
        const pid = queue.shift() as number;
        found.push(pid);
        queue.push(...childrenOf(pid));
    }
    return found;
}
