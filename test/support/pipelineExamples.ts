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

export const CI_FILES = ["github-actions.yml", "gitlab-ci.yml"] as const;
export type CiFile = (typeof CI_FILES)[number];

type GithubJobs = Record<string, { steps: Array<{ run?: string }> }>;
type GitlabFile = Record<string, { script?: string[]; before_script?: string[] }> & {
    default?: { before_script?: string[] };
};

/** The shell commands of one job of a CI file, in order (GitLab's default before_script first). */
export function jobCommands(file: CiFile, job: string): string[] {
    if (file === "github-actions.yml") {
        const jobs = readYaml(file).jobs as GithubJobs;
        return jobs[job].steps.flatMap((s) => (s.run === undefined ? [] : [s.run]));
    }
    const gitlab = readYaml(file) as GitlabFile;
    return [...(gitlab[job].before_script ?? gitlab.default?.before_script ?? []), ...(gitlab[job].script ?? [])];
}

/** The drift job's check, as the CI file writes it (a script that runs `pulumi preview` and reads its exit code). */
export function driftCheckScript(file: CiFile): string {
    const script = jobCommands(file, "drift").find((run) => run.includes("pulumi preview"));
    if (!script) {
        throw new Error(`no pulumi preview step in the drift job of ${file}`);
    }
    return script;
}

/** The command of a job that installs the policy pack's dependencies. */
export function policyPackInstall(file: CiFile, job: string): string {
    const command = jobCommands(file, job).find((run) => /^npm (install|ci)\b.*policy-pack/.test(run));
    if (!command) {
        throw new Error(`the ${job} job of ${file} does not install the policy pack's dependencies`);
    }
    return command;
}
