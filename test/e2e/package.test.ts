import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createInterface } from "node:readline";
import { dualTunnelConnection, singleTunnelConnection, type DeepPartial, type SeedConnection } from "../../emulator";
import { packageName, packPackage, projectEnv, REPO_ROOT } from "../../support/pulumiWorkspace";
import { commandsOf, documentedBlock } from "../support/documentedCommands";
import { isSecretEnvelope, pskInClear, PulumiProject } from "./harness";

/**
 * The package as a user gets it. Its `npm pack` tarball is installed with npm
 * into a fresh Pulumi TypeScript project outside this repository (nothing
 * resolves from the repository's node_modules), next to @pulumi/pulumi and
 * TypeScript of the versions this repository tests. The project runs the
 * README's first program with the real CLI against the emulator the package
 * ships as its command (`npx <package> emulator`).
 *
 * npm installs from its cache when it can (`--prefer-offline`), else from the
 * registry: the one step of the suites that may need it.
 *
 * A second stack there is the one 0.1.0 left (test/fixtures/stack-0.1.0.json):
 * generic type, a stored provider that requires four internal files. It must
 * refresh, move to the new type without a replacement, and leave the
 * connection alone.
 *
 * A third is the one 0.2.0 left (test/fixtures/stack-0.2.0.json, made by
 * test/fixtures/make-stack-0.2.0.sh from a checkout of 0.2.0 with the real
 * CLI): the new type, a stored provider that requires only the entry point,
 * one single-tunnel and one dual-tunnel resource with secret PSKs. Its program
 * (from the fixture) lives in a folder of the project directory, so it uses
 * the same installed package. It must refresh without drift, then take a
 * change of one attribute in each resource with one Modify each.
 */

const PROJECT = "vpn-package-e2e";
const RESOURCE_TYPE = "pulumi-nodejs:dynamic/alicloud:VpnAttachmentAttribute";
const ENTRY_POINT = "pulumi-alicloud-vpn-attachment-attribute/provider-entry";
const FIRST_PROGRAM_HEADING = "## A first program";

interface StackFixture {
    passphrase: string;
    stackConfig: string;
    deployment: { deployment: { resources: Array<{ urn: string; id?: string; type: string }> } };
}
const FIXTURE = JSON.parse(
    fs.readFileSync(path.join(REPO_ROOT, "test", "fixtures", "stack-0.1.0.json"), "utf8"),
) as StackFixture;
const LEGACY_ID = "vco-upgrade-0001";

interface StackFixture020 {
    passphrase: string;
    stack: string;
    program: string;
    stackConfig: string;
    connections: Array<{ shape: "single" | "dual"; id: string; overrides: DeepPartial<SeedConnection> }>;
    deployment: { deployment: { resources: Array<{ urn: string; type: string }> } };
    secretValues: Record<string, { inputs: Record<string, unknown>; outputs: Record<string, unknown> }>;
}
const FIXTURE_020 = JSON.parse(
    fs.readFileSync(path.join(REPO_ROOT, "test", "fixtures", "stack-0.2.0.json"), "utf8"),
) as StackFixture020;
/** The connections as the stack 0.2.0 made left them. */
const SEEDS_020 = FIXTURE_020.connections.map((c) =>
    (c.shape === "single" ? singleTunnelConnection : dualTunnelConnection)(c.id, c.overrides),
);
const [SINGLE_020, DUAL_020] = SEEDS_020.map((c) => c.VpnConnectionId);
const FRESH_ID = "vco-fresh-0001";

/** The first ```ts block after the README's "A first program" heading: the test runs what users copy. */
function firstProgram(): string {
    const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
    const from = readme.indexOf(FIRST_PROGRAM_HEADING);
    const block = from < 0 ? null : /```ts\n([\s\S]*?)```/.exec(readme.slice(from));
    if (!block) {
        throw new Error(`README.md has no \`\`\`ts block under "${FIRST_PROGRAM_HEADING}"`);
    }
    return block[1];
}

function installedVersion(name: string): string {
    return (
        JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "node_modules", name, "package.json"), "utf8")) as {
            version: string;
        }
    ).version;
}

/** Runs a command to its end without blocking the event loop; rejects with its output when it fails. */
function exec(command: string, args: string[], cwd: string): Promise<string> {
    return new Promise((resolve, reject) => {
        const child = spawn(command, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
        let output = "";
        child.stdout.setEncoding("utf8").on("data", (c: string) => (output += c));
        child.stderr.setEncoding("utf8").on("data", (c: string) => (output += c));
        child.on("error", reject);
        child.on("close", (code) =>
            code === 0
                ? resolve(output)
                : reject(new Error(`\`${command} ${args.join(" ")}\` exited with ${code}:\n${output}`)),
        );
    });
}

function requiredModules(code: string): string[] {
    return [...code.matchAll(/require\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]);
}

describe("the npm pack tarball in a fresh Pulumi TypeScript project (steps in order)", function () {
    this.timeout(600_000);
    this.slow(60_000);
    let dir: string;
    let emulator: ChildProcess | undefined;
    let endpoint: string;
    let started: { endpoint: string; accessKeyId: string; accessKeySecret: string };
    let project: PulumiProject;
    let project020: PulumiProject;

    const admin = async <T>(route: string): Promise<T> => {
        const res = await fetch(`${endpoint}/__admin/${route}`, { headers: { connection: "close" } });
        expect(res.status, route).to.equal(200);
        return (await res.json()) as T;
    };
    const modifyCalls = async (id: string): Promise<Array<{ params: Record<string, string> }>> =>
        (await admin<Array<{ action: string; params: Record<string, string> }>>("calls")).filter(
            (c) => c.action === "ModifyVpnAttachmentAttribute" && c.params.VpnConnectionId === id,
        );

    before(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "vpn-fresh-project-"));
        fs.writeFileSync(
            path.join(dir, "package.json"),
            `${JSON.stringify({ name: PROJECT, private: true }, null, 2)}\n`,
        );
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${PROJECT}\nruntime: nodejs\n`);
        fs.writeFileSync(
            path.join(dir, "tsconfig.json"),
            `${JSON.stringify({ compilerOptions: { strict: true, target: "es2020", module: "commonjs", moduleResolution: "node", skipLibCheck: true }, files: ["index.ts"] }, null, 2)}\n`,
        );
        fs.writeFileSync(path.join(dir, "index.ts"), firstProgram());
        fs.writeFileSync(
            path.join(dir, "seed.json"),
            JSON.stringify([
                singleTunnelConnection(FRESH_ID, { Name: "branch" }),
                // As 0.1.0 left it for the stack in the fixture.
                singleTunnelConnection(LEGACY_ID, {
                    Name: "office",
                    LocalSubnet: "10.0.0.0/16",
                    RemoteSubnet: "192.168.0.0/24",
                    IpsecConfig: { IpsecPfs: "group14" },
                }),
                ...SEEDS_020,
            ]),
        );
        // README's install command, with the tarball's path, and the versions of the peers this repository tests.
        const install = documentedBlock("README.md", "npm install /path/to/").trim();
        expect(install, "the tarball README names").to.equal(`npm install /path/to/${path.basename(packPackage())}`);
        await exec(
            "bash",
            [
                "-c",
                [
                    install.replace(/\/path\/to\/\S+/, packPackage()),
                    "--no-audit --no-fund --prefer-offline",
                    `@pulumi/pulumi@${installedVersion("@pulumi/pulumi")}`,
                    `typescript@${installedVersion("typescript")}`,
                    `@types/node@${installedVersion("@types/node").split(".")[0]}`,
                ].join(" "),
            ],
            dir,
        );

        // README's emulator command (tasks shortened), in its own process group so that `after` ends npx and the emulator together.
        const child = spawn(
            "bash",
            ["-c", `exec ${documentedBlock("README.md", "npx ").trim()} --task-duration-ms 200`],
            {
                cwd: dir,
                stdio: ["ignore", "pipe", "inherit"],
                detached: true,
            },
        );
        emulator = child;
        const banner = await new Promise<string>((resolve, reject) => {
            const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
            lines.once("line", (l) => {
                lines.close();
                resolve(l);
            });
            child.once("exit", (code) => reject(new Error(`\`npx ${packageName()} emulator\` exited with ${code}`)));
        });
        started = JSON.parse(banner) as { endpoint: string; accessKeyId: string; accessKeySecret: string };
        endpoint = started.endpoint;
        fs.mkdirSync(path.join(dir, "backend"));
        fs.mkdirSync(path.join(dir, "home"));
        const target = {
            ALICLOUD_VPC_ENDPOINT: endpoint,
            ALICLOUD_ACCESS_KEY: started.accessKeyId,
            ALICLOUD_SECRET_KEY: started.accessKeySecret,
        };
        project = PulumiProject.open(dir, "fresh-project", projectEnv(dir, FIXTURE.passphrase, target));

        // The program of the stack 0.2.0 made, beside the first program, with the same backend and node_modules.
        const dir020 = path.join(dir, "stack-0.2.0");
        fs.mkdirSync(dir020);
        fs.writeFileSync(path.join(dir020, "Pulumi.yaml"), `name: ${PROJECT}\nruntime: nodejs\n`);
        fs.copyFileSync(path.join(dir, "tsconfig.json"), path.join(dir020, "tsconfig.json"));
        // The one edit the program needs: the closed lists became literal unions, so a config string is narrowed.
        const untyped = 'config.get("tunnel2IpsecPfs")';
        expect(FIXTURE_020.program).to.include(untyped);
        const program = FIXTURE_020.program.replace(untyped, 'config.get<"group5" | "group14">("tunnel2IpsecPfs")');
        fs.writeFileSync(path.join(dir020, "index.ts"), program);
        fs.writeFileSync(path.join(dir020, `Pulumi.${FIXTURE_020.stack}.yaml`), FIXTURE_020.stackConfig);
        project020 = PulumiProject.open(dir020, "stack-0.2.0", projectEnv(dir, FIXTURE_020.passphrase, target));
    });

    after(async () => {
        if (emulator?.pid !== undefined && emulator.exitCode === null) {
            const exited = new Promise((resolve) => emulator?.once("exit", resolve));
            try {
                process.kill(-emulator.pid, "SIGTERM");
            } catch {
                // already gone
            }
            await exited;
        }
        if (dir && !process.env.E2E_KEEP) {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("installs from the tarball with npm, and the README's first program type-checks against the shipped types", async () => {
        const installed = JSON.parse(
            fs.readFileSync(path.join(dir, "node_modules", packageName(), "package.json"), "utf8"),
        ) as { name: string };
        expect(installed.name).to.equal(packageName());
        expect(fs.existsSync(path.join(dir, "node_modules", ".bin", packageName())), "the command npm links").to.equal(
            true,
        );
        await exec(path.join(dir, "node_modules", ".bin", "tsc"), ["--noEmit", "-p", "."], dir);
    });

    it("the package's emulator command and its fixtures, as README and docs/emulator.md write them", async () => {
        expect(started.endpoint).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
        const [readmeCommand] = commandsOf(documentedBlock("README.md", "npx "));
        expect(commandsOf(documentedBlock("docs/emulator.md", "npx "))[0]).to.equal(readmeCommand);
        // The fixtures command writes seed.json where it runs: a folder of the project, so the project's is kept.
        const folder = path.join(dir, "fixtures");
        fs.mkdirSync(folder);
        await exec("bash", ["-c", documentedBlock("docs/emulator.md", "node -e ")], folder);
        const seed = JSON.parse(fs.readFileSync(path.join(folder, "seed.json"), "utf8")) as SeedConnection[];
        expect(seed.map((c) => c.VpnConnectionId)).to.deep.equal(["vco-demo"]);
        expect(seed[0].TunnelOptionsSpecification?.TunnelOptions).to.have.length(2);
    });

    it("runs the first program: up converges the connection; state has the new type and names only the entry point", async () => {
        await project.run(["stack", "init", "dev"]);
        // Without a terminal, `pulumi up` asks for --yes instead of a confirmation, and says so with exit code 2.
        const unconfirmed = await project.shell("pulumi up", { allowFailure: true });
        expect(unconfirmed.code, unconfirmed.output).to.equal(2);
        expect(unconfirmed.output).to.include("--yes");
        // README's commands, with the emulator's connection and keys for the placeholders;
        // PULUMI_SKIP_CONFIRMATIONS answers `pulumi up`'s prompt as the user at a terminal would.
        const commands = documentedBlock("README.md", "pulumi config set vpnConnectionId")
            .replace("vco-bp1xxxxxxxxxxxxxxxx", FRESH_ID)
            .replace("alicloud:accessKey LTAI...", `alicloud:accessKey ${started.accessKeyId}`)
            .replace("alicloud:secretKey ...", `alicloud:secretKey ${started.accessKeySecret}`);
        const confirmed = { env: { PULUMI_SKIP_CONFIRMATIONS: "true" } };
        const up = await project.shell(commands, { ...confirmed, record: false });
        expect(up.output).to.match(/\+ 2 created/);
        expect(up.output).to.not.include(started.accessKeySecret);
        expect((await admin<{ Name: string }>(`connections/${FRESH_ID}`)).Name).to.equal("office");

        const state = await project.resourceState("office");
        expect(state.type).to.equal(RESOURCE_TYPE);
        for (const where of ["inputs", "outputs"] as const) {
            const stored = state[where]?.__provider as string;
            expect(requiredModules(stored), `modules the provider in ${where} requires`).to.deep.equal([ENTRY_POINT]);
            expect(stored).to.not.include(dir);
        }
        // docs/emulator.md's way of pointing a program at the emulator: the same stack, nothing left to change.
        const pointed = await project.shell(
            documentedBlock("docs/emulator.md", "export ALICLOUD_VPC_ENDPOINT").replace(
                "http://127.0.0.1:41234",
                started.endpoint,
            ),
            confirmed,
        );
        expect(pointed.output).to.match(/2 unchanged/);
        await project.preview("--expect-no-changes");
    });

    it("refreshes a stack 0.1.0 made, with the provider 0.1.0 stored in it", async () => {
        fs.writeFileSync(path.join(dir, "Pulumi.legacy.yaml"), FIXTURE.stackConfig);
        await project.run(["stack", "init", "legacy"]);
        const file = path.join(dir, "stack-0.1.0.json");
        fs.writeFileSync(file, JSON.stringify(FIXTURE.deployment));
        await project.run(["stack", "import", "--file", file]);
        const before = await project.resourceState("office");
        expect(before.type).to.equal("pulumi-nodejs:dynamic:Resource");
        expect(
            requiredModules(before.outputs?.__provider as string).filter((m) => m.includes("/bin/provider/")),
        ).to.have.length(4);

        const refresh = await project.refresh();
        expect(refresh.output).to.match(/2 unchanged/);
    });

    it("moves that stack's resource to the new type without a replacement and without touching the connection", async () => {
        const connectionBefore = await admin<Record<string, unknown>>(`connections/${LEGACY_ID}`);
        const preview = await project.preview();
        expect(preview.output).to.not.match(/replace/);
        expect(preview.output).to.match(/2 unchanged/);

        const up = await project.up();
        expect(up.output).to.not.match(/replace|created|deleted/);
        const after = await project.resourceState("office");
        expect(after.type).to.equal(RESOURCE_TYPE);
        expect(after.urn).to.equal(`urn:pulumi:legacy::${PROJECT}::${RESOURCE_TYPE}::office`);
        expect(after.id).to.equal(LEGACY_ID);
        expect(requiredModules(after.inputs?.__provider as string)).to.deep.equal([ENTRY_POINT]);
        expect(await modifyCalls(LEGACY_ID), "Modify calls on the moved connection").to.deep.equal([]);
        expect(await admin<Record<string, unknown>>(`connections/${LEGACY_ID}`)).to.deep.equal(connectionBefore);
        await project.preview("--expect-no-changes");
    });

    it("refreshes a stack 0.2.0 made, single- and dual-tunnel with secret PSKs, and finds no drift", async () => {
        await project020.run(["stack", "init", FIXTURE_020.stack]);
        const file = path.join(project020.dir, "stack-0.2.0.json");
        fs.writeFileSync(file, JSON.stringify(FIXTURE_020.deployment));
        await project020.run(["stack", "import", "--file", file]);
        for (const name of ["single", "dual"]) {
            const state = await project020.resourceState(name);
            expect(state.type).to.equal(RESOURCE_TYPE);
            expect(requiredModules(state.outputs?.__provider as string), `${name}: modules 0.2.0 stored`).to.deep.equal(
                [ENTRY_POINT],
            );
        }

        const refresh = await project020.refresh("--expect-no-changes");
        expect(refresh.output).to.match(/3 unchanged/);
        await project020.preview("--expect-no-changes");
        for (const id of [SINGLE_020, DUAL_020]) {
            expect(await modifyCalls(id), `Modify calls on ${id}`).to.deep.equal([]);
        }
    });

    it("updates that stack: one Modify per connection with just the changed attribute, PSKs still secret in state", async () => {
        const [singleBefore, dualBefore] = [
            await admin<SeedConnection>(`connections/${SINGLE_020}`),
            await admin<SeedConnection>(`connections/${DUAL_020}`),
        ];
        await project020.run(["config", "set", "singleEnableDpd", "false"]);
        await project020.run(["config", "set", "tunnel2IpsecPfs", "group5"]);
        const up = await project020.up();
        expect(up.output).to.match(/2 updated/);
        expect(up.output).to.not.match(/replace|created|deleted/);

        // Everything but the request's envelope and the connection it names is what changed.
        const attributes = (params: Record<string, string>): Record<string, string> =>
            Object.fromEntries(
                Object.entries(params).filter(
                    ([k]) =>
                        !/^(Action|Version|Format|Timestamp|AccessKeyId|Signature\w*|SecurityToken|RegionId|VpnConnectionId|ClientToken)$/.test(
                            k,
                        ),
                ),
            );
        const single = await modifyCalls(SINGLE_020);
        expect(
            single.map((c) => attributes(c.params)),
            "the single-tunnel Modify",
        ).to.deep.equal([
            // Both subnets go with every Modify (docs/service-readings.md), as the connection has them.
            { EnableDpd: "false", LocalSubnet: singleBefore.LocalSubnet, RemoteSubnet: singleBefore.RemoteSubnet },
        ]);
        const dual = await modifyCalls(DUAL_020);
        expect(dual, "the dual-tunnel Modify").to.have.length(1);
        const { LocalSubnet, RemoteSubnet, ...dualSent } = attributes(dual[0].params);
        expect({ LocalSubnet, RemoteSubnet }).to.deep.equal({
            LocalSubnet: dualBefore.LocalSubnet,
            RemoteSubnet: dualBefore.RemoteSubnet,
        });
        expect(
            Object.keys(dualSent).every((k) => k.startsWith("TunnelOptionsSpecification.1.")),
            JSON.stringify(Object.keys(dualSent)),
        ).to.equal(true);
        expect(["tun-v020-dual-2", "2"]).to.include(
            dualSent["TunnelOptionsSpecification.1.TunnelId"] ?? dualSent["TunnelOptionsSpecification.1.TunnelIndex"],
        );
        expect(dualSent["TunnelOptionsSpecification.1.TunnelIpsecConfig.IpsecPfs"]).to.equal("group5");
        // The tunnel entry goes whole, its IKE config with the tunnel's current key (masked in the call log).
        expect(dualSent["TunnelOptionsSpecification.1.TunnelIkeConfig.Psk"]).to.equal("***");

        expect(await admin(`connections/${SINGLE_020}`)).to.deep.equal({ ...singleBefore, EnableDpd: false });
        const [tunnel1, tunnel2] =
            (await admin<SeedConnection>(`connections/${DUAL_020}`)).TunnelOptionsSpecification?.TunnelOptions ?? [];
        const [tunnel1Before, tunnel2Before] = dualBefore.TunnelOptionsSpecification?.TunnelOptions ?? [];
        expect(tunnel1, "tunnel 1 untouched").to.deep.equal(tunnel1Before);
        expect(tunnel2).to.deep.equal({
            ...tunnel2Before,
            TunnelIpsecConfig: { ...tunnel2Before.TunnelIpsecConfig, IpsecPfs: "group5" },
        });

        const singleState = await project020.resourceState("single");
        const dualState = await project020.resourceState("dual");
        expect(singleState.outputs?.enableDpd).to.equal(false);
        const tunnels = dualState.outputs?.tunnelOptionsSpecification as Array<{
            tunnelIndex: number;
            tunnelIpsecConfig?: { ipsecPfs?: string };
        }>;
        expect(tunnels.find((t) => t.tunnelIndex === 2)?.tunnelIpsecConfig?.ipsecPfs).to.equal("group5");
        for (const [name, state, secret] of [
            ["single", singleState, "psk"],
            ["dual", dualState, "tunnelPsks"],
        ] as const) {
            expect(state.urn).to.equal(`urn:pulumi:${FIXTURE_020.stack}::${PROJECT}::${RESOURCE_TYPE}::${name}`);
            for (const where of ["inputs", "outputs"] as const) {
                expect(isSecretEnvelope(state[where]?.[secret]), `${name}: ${where}.${secret} encrypted`).to.equal(
                    true,
                );
                expect(
                    requiredModules(state[where]?.__provider as string),
                    `${name}: modules the provider in ${where} requires`,
                ).to.deep.equal([ENTRY_POINT]);
            }
            expect(
                pskInClear({ inputs: state.inputs, outputs: state.outputs }),
                `${name}: PSKs in clear`,
            ).to.deep.equal([]);
        }
        // The PSKs in state are still the ones 0.2.0 stored (the export shows a secret as its JSON in `plaintext`).
        type Clear = Record<string, { plaintext?: string } | undefined>;
        const clear = await project020.run(["stack", "export", "--show-secrets"], { record: false });
        const resources = (
            JSON.parse(clear.stdout) as {
                deployment: { resources: Array<{ urn: string; inputs: Clear; outputs: Clear }> };
            }
        ).deployment.resources;
        for (const [name, values] of Object.entries(FIXTURE_020.secretValues)) {
            const resource = resources.find((r) => r.urn.endsWith(`::${name}`));
            for (const where of ["inputs", "outputs"] as const) {
                for (const [key, value] of Object.entries(values[where])) {
                    expect(
                        JSON.parse(resource?.[where][key]?.plaintext ?? "null"),
                        `${name}: ${where}.${key}`,
                    ).to.deep.equal(value);
                }
            }
        }
        await project020.preview("--expect-no-changes");
    });

    it("refresh needs the package installed (README, What stays in state): without it, it fails naming the module", async () => {
        const installed = path.join(dir, "node_modules", packageName());
        const aside = path.join(dir, "package-aside");
        fs.renameSync(installed, aside);
        try {
            const refresh = await project.run(["refresh", "--yes", "--stack", "dev"], { allowFailure: true });
            expect(refresh.code, refresh.output).to.equal(1);
            expect(refresh.output).to.include(`Cannot find module '${ENTRY_POINT}'`);
        } finally {
            fs.renameSync(aside, installed);
        }
        await project.run(["refresh", "--yes", "--stack", "dev", "--expect-no-changes"]);
    });

    it("destroys the stack 0.2.0 made and leaves its connections as they are", async () => {
        const connections = [await admin(`connections/${SINGLE_020}`), await admin(`connections/${DUAL_020}`)];
        await project020.destroy();
        expect([await admin(`connections/${SINGLE_020}`), await admin(`connections/${DUAL_020}`)]).to.deep.equal(
            connections,
        );
    });

    it("destroys both stacks and leaves both connections as they are", async () => {
        const connections = [await admin(`connections/${FRESH_ID}`), await admin(`connections/${LEGACY_ID}`)];
        await project.destroy("--stack", "legacy");
        await project.destroy("--stack", "dev");
        expect([await admin(`connections/${FRESH_ID}`), await admin(`connections/${LEGACY_ID}`)]).to.deep.equal(
            connections,
        );
    });
});
