/**
 * Peak memory of the processes a `pulumi` command starts, sampled from
 * /proc: the dynamic-provider plugin (`pulumi-resource-pulumi-nodejs`, a
 * shell script that runs `node .../@pulumi/pulumi/cmd/dynamic-provider`),
 * and for context the program's node process and the CLI itself. VmHWM is
 * the kernel's own high-water mark of resident memory, so a sample taken any
 * time before the process exits sees its peak so far; sampling every 100 ms
 * misses at most the growth of the last 100 ms.
 */
import * as fs from "node:fs";

export type ProcessRole = "provider" | "program" | "cli" | "other";

export interface ProcessPeak {
    pid: number;
    role: ProcessRole;
    /** Peak resident set (VmHWM), bytes. */
    hwmBytes: number;
    /** User + system CPU time, seconds, as last sampled. */
    cpuSeconds: number;
    command: string;
}

function readText(file: string): string | undefined {
    try {
        return fs.readFileSync(file, "utf8");
    } catch {
        return undefined;
    }
}

/** Fields of /proc/<pid>/stat from field 3 (state) on; the command name (field 2) may hold spaces and parentheses. */
function statFields(pid: number): string[] | undefined {
    const stat = readText(`/proc/${pid}/stat`);
    return stat ? stat.slice(stat.lastIndexOf(")") + 2).split(" ") : undefined;
}

function parentOf(pid: number): number | undefined {
    const fields = statFields(pid);
    return fields ? Number(fields[1]) : undefined;
}

/** Clock ticks per second of utime/stime: 100 on Linux (USER_HZ) everywhere that matters here. */
const TICKS_PER_SECOND = 100;

function cpuSecondsOf(pid: number): number | undefined {
    const fields = statFields(pid);
    // utime and stime are fields 14 and 15, i.e. indexes 11 and 12 from field 3.
    return fields ? (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND : undefined;
}

/** `root` and every process below it, parents first. */
export function descendantsOf(root: number): number[] {
    const children = new Map<number, number[]>();
    for (const entry of fs.readdirSync("/proc")) {
        if (!/^\d+$/.test(entry)) {
            continue;
        }
        const pid = Number(entry);
        const ppid = parentOf(pid);
        if (ppid !== undefined) {
            children.set(ppid, [...(children.get(ppid) ?? []), pid]);
        }
    }
    const found: number[] = [];
    const queue = [root];
    while (queue.length > 0) {
        const pid = queue.shift() as number;
        found.push(pid);
        queue.push(...(children.get(pid) ?? []));
    }
    return found;
}

function roleOf(command: string, pid: number, root: number): ProcessRole {
    if (pid === root) {
        return "cli";
    }
    // The plugin scripts first run `node -e "console.log(require.resolve(...))"` to find their entry point: not counted.
    if (command.includes(" -e ")) {
        return "other";
    }
    if (command.includes("cmd/dynamic-provider")) {
        return "provider";
    }
    if (command.includes("@pulumi/pulumi/cmd/run")) {
        return "program";
    }
    return "other";
}

export class MemorySampler {
    private readonly peaks = new Map<number, ProcessPeak>();
    private timer: NodeJS.Timeout | undefined;
    private root = 0;

    /** Starts sampling the process tree under `root` every `intervalMs`. */
    start(root: number, intervalMs = 100): void {
        this.root = root;
        this.sample();
        this.timer = setInterval(() => this.sample(), intervalMs);
    }

    stop(): ProcessPeak[] {
        if (this.timer) {
            clearInterval(this.timer);
            this.timer = undefined;
        }
        return [...this.peaks.values()];
    }

    /** The largest VmHWM among processes of this role; NaN when none was seen. */
    peakOf(role: ProcessRole): number {
        const values = [...this.peaks.values()].filter((p) => p.role === role).map((p) => p.hwmBytes);
        return values.length === 0 ? NaN : Math.max(...values);
    }

    /** CPU seconds used by the processes of this role (as last sampled). */
    cpuOf(role: ProcessRole): number {
        return [...this.peaks.values()].filter((p) => p.role === role).reduce((sum, p) => sum + p.cpuSeconds, 0);
    }

    countOf(role: ProcessRole): number {
        return [...this.peaks.values()].filter((p) => p.role === role).length;
    }

    private sample(): void {
        if (!this.root) {
            return;
        }
        for (const pid of descendantsOf(this.root)) {
            const status = readText(`/proc/${pid}/status`);
            const hwm = status ? /^VmHWM:\s+(\d+) kB/m.exec(status) : null;
            if (!hwm) {
                continue;
            }
            const bytes = Number(hwm[1]) * 1024;
            const cpu = cpuSecondsOf(pid);
            const known = this.peaks.get(pid);
            if (known) {
                known.hwmBytes = Math.max(known.hwmBytes, bytes);
                known.cpuSeconds = Math.max(known.cpuSeconds, cpu ?? 0);
                continue;
            }
            const command = (readText(`/proc/${pid}/cmdline`) ?? "").split("\0").join(" ").trim();
            this.peaks.set(pid, {
                pid,
                role: roleOf(command, pid, this.root),
                hwmBytes: bytes,
                cpuSeconds: cpu ?? 0,
                command,
            });
        }
    }
}
