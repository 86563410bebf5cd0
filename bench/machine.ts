/** Where and with what the benchmark ran: for the results' header. */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { findPulumi, REPO_ROOT } from "./pulumi";

export interface MachineInfo {
    date: string;
    nproc: number;
    cpuModel: string;
    memoryGiB: number;
    loadAverage: string;
    /** Filled in when the run ends. */
    loadAverageEnd?: string;
    os: string;
    node: string;
    pulumiCli: string;
    pulumiSdk: string;
    vpcSdk: string;
    openapiClient: string;
    gitCommit: string;
}

function output(command: string, args: string[]): Promise<string> {
    return new Promise((resolve) => {
        const child = spawn(command, args, { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "ignore"] });
        let text = "";
        child.stdout.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
        child.on("error", () => resolve(""));
        child.on("close", () => resolve(text.trim()));
    });
}

function packageVersion(name: string): string {
    try {
        const file = path.join(REPO_ROOT, "node_modules", ...name.split("/"), "package.json");
        return (JSON.parse(fs.readFileSync(file, "utf8")) as { version: string }).version;
    } catch {
        return "not installed";
    }
}

export async function machineInfo(): Promise<MachineInfo> {
    const cpus = os.cpus();
    let pulumiCli = "unknown";
    try {
        pulumiCli = (await output(findPulumi(), ["version"])) || "unknown";
    } catch {
        // no CLI: the Pulumi parts will fail and say so
    }
    const commit = await output("git", ["rev-parse", "--short", "HEAD"]);
    const dirty = await output("git", ["status", "--porcelain", "--untracked-files=no"]);
    return {
        date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
        nproc: typeof os.availableParallelism === "function" ? os.availableParallelism() : cpus.length,
        cpuModel: cpus[0]?.model.trim() ?? "unknown",
        memoryGiB: os.totalmem() / 1024 ** 3,
        loadAverage: loadAverage(),
        os: `${os.type()} ${os.release()} ${os.arch()}`,
        node: process.version,
        pulumiCli,
        pulumiSdk: packageVersion("@pulumi/pulumi"),
        vpcSdk: packageVersion("@alicloud/vpc20160428"),
        openapiClient: packageVersion("@alicloud/openapi-client"),
        gitCommit: commit ? `${commit}${dirty ? " + uncommitted changes" : ""}` : "unknown",
    };
}

export function loadAverage(): string {
    return os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(" ");
}
