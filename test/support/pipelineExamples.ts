/**
 * Reads the CI files and RAM policies in examples/pipeline/, so the suites
 * test the very files users copy.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";

export const PIPELINE_DIR = path.resolve(__dirname, "..", "..", "..", "examples", "pipeline");

export function readYaml(file: string): Record<string, unknown> {
    return yaml.load(fs.readFileSync(path.join(PIPELINE_DIR, file), "utf8")) as Record<string, unknown>;
}

export function policyActions(file: string): string[] {
    const policy = JSON.parse(fs.readFileSync(path.join(PIPELINE_DIR, file), "utf8")) as {
        Version: string;
        Statement: Array<{ Effect: string; Action: string[] }>;
    };
    return policy.Statement.filter((s) => s.Effect === "Allow").flatMap((s) => s.Action);
}

/** The drift-check command of the GitHub workflow, as CLI arguments for `stack`. */
export function driftCheckArgs(stack: string): string[] {
    const jobs = readYaml("github-actions.yml").jobs as Record<string, { steps: Array<{ run?: string }> }>;
    const command = jobs.drift.steps.map((s) => s.run ?? "").find((run) => run.startsWith("pulumi preview"));
    if (!command) {
        throw new Error("no pulumi preview step in the drift job");
    }
    return command
        .replace(/"\$PULUMI_STACK"/g, stack)
        .split(/\s+/)
        .slice(1);
}
