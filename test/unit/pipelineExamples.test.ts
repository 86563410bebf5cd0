import { expect } from "chai";
import { CI_FILES, driftCheckScript, jobCommands, policyActions, readYaml } from "../support/pipelineExamples";

type Step = { run?: string; uses?: string; env?: Record<string, string> };
type GithubJob = { if?: string; env?: Record<string, string>; steps: Step[] };
type GitlabJob = { rules?: Array<{ if: string }>; variables?: Record<string, string>; script: string[] };

/** Every ALICLOUD_* variable a job or its steps set. */
function credentialVariables(vars: Array<Record<string, string> | undefined>): string[] {
    return vars.flatMap((v) => Object.keys(v ?? {})).filter((name) => name.startsWith("ALICLOUD_"));
}

describe("examples/pipeline", () => {
    describe("RAM policies", () => {
        it("allow exactly the three actions the provider calls; the read-only one only the two reads", () => {
            expect(policyActions("ram-policy.json").sort()).to.deep.equal([
                "vpc:DescribeVpnConnection",
                "vpc:DescribeVpnConnections",
                "vpc:ModifyVpnAttachmentAttribute",
            ]);
            expect(policyActions("ram-policy-readonly.json").sort()).to.deep.equal([
                "vpc:DescribeVpnConnection",
                "vpc:DescribeVpnConnections",
            ]);
        });
    });

    describe("GitHub Actions workflow", () => {
        const workflow = readYaml("github-actions.yml");
        const jobs = workflow.jobs as Record<string, GithubJob>;
        const runs = (job: GithubJob) => job.steps.map((s) => s.run ?? "").join("\n");

        it("previews pull requests without any Alibaba Cloud credential", () => {
            expect(Object.keys(workflow.on as object)).to.include.members(["pull_request", "push", "schedule"]);
            expect(jobs.preview.if).to.equal("github.event_name == 'pull_request'");
            expect(
                credentialVariables([
                    workflow.env as Record<string, string>,
                    jobs.preview.env,
                    ...jobs.preview.steps.map((s) => s.env),
                ]),
            ).to.deep.equal([]);
            expect(JSON.stringify(jobs.preview)).to.not.include("secrets.ALICLOUD");
            expect(runs(jobs.preview))
                .to.match(/pulumi preview .*--diff/)
                .and.match(/--policy-pack policy-pack/);
        });

        it("runs up only on main, with the deploying key pair from secrets", () => {
            expect(jobs.up.if).to.include("refs/heads/main");
            const step = jobs.up.steps.find((s) => s.run?.startsWith("pulumi up"));
            expect(step?.run).to.include("--yes");
            expect(step?.env).to.deep.equal({
                ALICLOUD_ACCESS_KEY: "${{ secrets.ALICLOUD_ACCESS_KEY }}",
                ALICLOUD_SECRET_KEY: "${{ secrets.ALICLOUD_SECRET_KEY }}",
            });
        });

        it("checks for drift on a schedule with read-only keys, failing on any change", () => {
            expect(jobs.drift.if).to.equal("github.event_name == 'schedule'");
            expect(runs(jobs.drift)).to.include("pulumi preview --refresh --expect-no-changes");
            const step = jobs.drift.steps.find((s) => s.run?.includes("pulumi preview"));
            expect(step?.env?.ALICLOUD_ACCESS_KEY).to.include("READONLY");
        });

        it("keeps every runner away from the ECS metadata service", () => {
            expect((workflow.env as Record<string, string>).ALIBABA_CLOUD_ECS_METADATA_DISABLED).to.equal("true");
        });
    });

    describe("GitLab CI file", () => {
        const file = readYaml("gitlab-ci.yml");
        const job = (name: string) => file[name] as GitlabJob;

        it("previews merge requests without credentials, runs up on the default branch, checks drift on a schedule", () => {
            expect(job("preview").rules?.[0].if).to.include("merge_request_event");
            expect(
                credentialVariables([file.variables as Record<string, string>, job("preview").variables]),
            ).to.deep.equal([]);
            expect(job("up").rules?.[0].if).to.include("$CI_DEFAULT_BRANCH");
            expect(job("up").variables).to.deep.equal({
                ALICLOUD_ACCESS_KEY: "$DEPLOY_ACCESS_KEY",
                ALICLOUD_SECRET_KEY: "$DEPLOY_SECRET_KEY",
            });
            expect(job("up").script.join("\n")).to.match(/pulumi up .*--yes/);
            expect(job("drift").rules?.[0].if).to.include("schedule");
            expect(job("drift").script.join("\n")).to.include("pulumi preview --refresh --expect-no-changes");
            expect(job("drift").variables?.ALICLOUD_ACCESS_KEY).to.equal("$READONLY_ACCESS_KEY");
        });
    });

    for (const file of CI_FILES) {
        describe(file, () => {
            it("installs the policy pack's dependencies before each job that runs it", () => {
                for (const job of ["preview", "up"]) {
                    const commands = jobCommands(file, job);
                    const install = commands.findIndex((c) => /^npm install --prefix policy-pack$/.test(c));
                    const use = commands.findIndex((c) => c.includes("--policy-pack policy-pack"));
                    expect(use, `${job} runs the pack`).to.be.at.least(0);
                    expect(install, `${job} installs the pack first`).to.be.within(0, use - 1);
                }
            });

            it("reads exit code 7 of the drift check as drift (the CLI's code for --expect-no-changes)", () => {
                const script = driftCheckScript(file);
                expect(script).to.match(/pulumi preview --refresh --expect-no-changes .*\|\| status=\$\?/);
                expect(script).to.match(/if \[ "\$status" -eq 7 \]; then echo "[^"]*drift: /);
                expect(script.trim().split("\n").pop()).to.equal('exit "$status"');
            });
        });
    }
});
