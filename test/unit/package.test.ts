import { expect } from "chai";
import { execFile, execFileSync, spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import { dualTunnelConnection, singleTunnelConnection, type DeepPartial, type SeedConnection } from "../../emulator";
import { packageName, packPackage, REPO_ROOT } from "../../support/pulumiWorkspace";

/**
 * The package as `npm pack` makes it: what it ships, its manifest, and that
 * the provider it stores in state names nothing but its stable entry point.
 * The tarball is unpacked into `<tmp>/node_modules/<name>`, like npm would;
 * scripts run there with the repository's node_modules on NODE_PATH for the
 * dependencies (@pulumi/pulumi, @alicloud/*).
 */

const ENTRY_POINT = "pulumi-alicloud-vpn-attachment-attribute/provider-entry";
/** The provider 0.1.0 stored in every resource's state, as Pulumi serialized it (test/fixtures). */
const PROVIDER_0_1_0 = fs.readFileSync(path.join(REPO_ROOT, "test", "fixtures", "provider-0.1.0.txt"), "utf8");

type Props = Record<string, unknown>;
/** A stack 0.2.0 made (test/fixtures/README.md): its resources, the connections they manage, the clear values of their secrets. */
const STACK_0_2_0 = JSON.parse(
    fs.readFileSync(path.join(REPO_ROOT, "test", "fixtures", "stack-0.2.0.json"), "utf8"),
) as {
    connections: Array<{ shape: "single" | "dual"; id: string; overrides: DeepPartial<SeedConnection> }>;
    deployment: {
        deployment: { resources: Array<{ urn: string; id?: string; type: string; inputs?: Props; outputs?: Props }> };
    };
    secretValues: Record<string, { inputs: Props; outputs: Props }>;
};

interface Manifest {
    name: string;
    license: string;
    keywords?: string[];
    homepage?: string;
    repository?: { url?: string };
    bugs?: { url?: string };
    bin?: Record<string, string>;
    exports: Record<string, string | Record<string, string>>;
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
    peerDependencies: Record<string, string>;
}

function requiredModules(code: string): string[] {
    return [...code.matchAll(/require\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]);
}

function walk(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const full = path.join(dir, e.name);
        return e.isDirectory() ? walk(full) : [full];
    });
}

describe("package: what npm pack ships", function () {
    this.timeout(60_000);
    let project: string;
    let installed: string;
    let manifest: Manifest;
    let files: string[];

    /** Runs a CommonJS script in the unpacked project, as the Pulumi program or provider process would; returns its stdout. */
    const runInProject = async (script: string, env: Record<string, string> = {}): Promise<string> => {
        const { stdout } = await promisify(execFile)(process.execPath, ["-e", script], {
            cwd: project,
            encoding: "utf8",
            env: {
                ...process.env,
                NODE_PATH: path.join(REPO_ROOT, "node_modules"),
                NODE_NO_WARNINGS: "1",
                ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true",
                ...env,
            },
        });
        return stdout;
    };

    before(() => {
        project = fs.mkdtempSync(path.join(os.tmpdir(), "vpn-package-"));
        installed = path.join(project, "node_modules", packageName());
        fs.mkdirSync(installed, { recursive: true });
        execFileSync("tar", ["-xzf", packPackage(), "-C", installed, "--strip-components=1"]);
        manifest = JSON.parse(fs.readFileSync(path.join(installed, "package.json"), "utf8")) as Manifest;
        files = walk(installed).map((f) => path.relative(installed, f));
    });
    after(() => {
        if (project) fs.rmSync(project, { recursive: true, force: true });
    });

    it("holds the compiled provider and emulator, the manifest, README and LICENSE, nothing else", () => {
        for (const required of [
            "package.json",
            "README.md",
            "LICENSE",
            "bin/provider/index.js",
            "bin/provider/entry.js",
            "bin/cli/command.js",
        ]) {
            expect(files, required).to.include(required);
        }
        const stray = files.filter(
            (f) => !/^(package\.json|README\.md|LICENSE|bin\/(provider|emulator|cli)\/([a-z]+\/)?[^/]+)$/.test(f),
        );
        expect(stray, "files outside the published set").to.deep.equal([]);
    });

    it("declares its license with the Apache-2.0 text, and where it lives", () => {
        expect(manifest.license).to.equal("Apache-2.0");
        const license = fs.readFileSync(path.join(installed, "LICENSE"), "utf8");
        expect(
            license
                .trim()
                .split("\n")
                .slice(0, 2)
                .map((l) => l.trim()),
        ).to.deep.equal(["Apache License", "Version 2.0, January 2004"]);
        expect(license).to.include("END OF TERMS AND CONDITIONS");
        expect(manifest.keywords).to.include.members(["pulumi", "alicloud"]);
        for (const url of [manifest.homepage, manifest.repository?.url, manifest.bugs?.url]) {
            expect(url).to.match(/^(git\+)?https:\/\/github\.com\/[\w.-]+\/pulumi-alicloud-vpn-attachment-attribute/);
        }
    });

    it("states a real range for every dependency, and pins the SDK whose internals client.ts hooks", () => {
        const all = { ...manifest.dependencies, ...manifest.devDependencies, ...manifest.peerDependencies };
        for (const [name, range] of Object.entries(all)) {
            expect(range, name).to.match(/^[~^]?\d+(\.\d+){0,2}$/);
        }
        // client.ts overrides openapi-core's callApi (test/unit/sdkHook.test.ts): patch releases only.
        for (const name of ["@alicloud/vpc20160428", "@alicloud/openapi-client", "@alicloud/openapi-core"]) {
            expect(manifest.dependencies[name], name).to.match(/^~?\d+\.\d+\.\d+$/);
        }
    });

    it("ships every file its exports and its command point at", () => {
        const targets = Object.values(manifest.exports).flatMap((t) =>
            typeof t === "string" ? [t] : Object.values(t),
        );
        for (const target of targets) {
            expect(files, `export target ${target}`).to.include(path.normalize(target));
        }
        for (const [command, target] of Object.entries(manifest.bin ?? {})) {
            expect(fs.readFileSync(path.join(installed, target), "utf8"), command).to.match(
                /^#!\/usr\/bin\/env node\n/,
            );
        }
        expect(Object.keys(manifest.bin ?? {})).to.deep.equal([manifest.name]);
    });

    it("has source maps that carry their sources, so stack traces resolve without the TypeScript files", () => {
        const maps = files.filter((f) => f.endsWith(".js.map"));
        expect(maps).to.not.be.empty;
        for (const map of maps) {
            const parsed = JSON.parse(fs.readFileSync(path.join(installed, map), "utf8")) as {
                sources: string[];
                sourcesContent?: unknown[];
            };
            expect(parsed.sourcesContent, map).to.have.length(parsed.sources.length);
            for (const content of parsed.sourcesContent ?? []) {
                expect(content, map).to.be.a("string").and.not.be.empty;
            }
            expect(fs.readFileSync(path.join(installed, map.replace(/\.map$/, "")), "utf8")).to.include(
                `//# sourceMappingURL=${path.basename(map)}`,
            );
        }
    });

    it("stores the resource class's shared provider as one require() of the entry point", async () => {
        const text = await runInProject(`
            const pulumi = require("@pulumi/pulumi");
            const shared = require(${JSON.stringify(ENTRY_POINT)});
            pulumi.runtime.serializeFunction(() => shared, { allowSecrets: true }).then((sf) => process.stdout.write(sf.text));
        `);
        // Pulumi names the export when it can read the package's exports from where @pulumi/pulumi is
        // installed (a user's project: test/e2e/package.test.ts), else the file, exported under its own path too.
        expect(
            [[ENTRY_POINT], ["pulumi-alicloud-vpn-attachment-attribute/bin/provider/entry.js"]],
            "modules the stored provider requires",
        ).to.deep.include(requiredModules(text));
        expect(text).to.not.include("ModifyVpnAttachmentAttribute");
        expect(text.length, "a reference, not the provider's code").to.be.below(1_000);
    });

    it("stores a hand-made provider object in state that requires nothing but the entry point", async () => {
        const text = await runInProject(`
            const pulumi = require("@pulumi/pulumi");
            const { VpnAttachmentAttributeProvider } = require(${JSON.stringify(packageName())});
            const provider = new VpnAttachmentAttributeProvider();
            pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true }).then((sf) => process.stdout.write(sf.text));
        `);
        expect(requiredModules(text), "modules the stored provider requires").to.deep.equal([ENTRY_POINT]);
        expect(text).to.not.include("bin/provider");
        expect(text).to.not.include(project);
    });

    it("runs the stored provider through the entry point, as the provider process does", async () => {
        const result = await runInProject(`
            const pulumi = require("@pulumi/pulumi");
            const requireFromString = require("require-from-string");
            const { VpnAttachmentAttributeProvider } = require(${JSON.stringify(packageName())});
            (async () => {
                const sf = await pulumi.runtime.serializeFunction(() => new VpnAttachmentAttributeProvider(), { allowSecrets: true });
                const provider = requireFromString(sf.text).handler();
                await provider.configure({ config: { get: () => undefined } });
                const checked = await provider.check({}, { regionId: "cn-hangzhou", vpnConnectionId: "vco-1", name: "office" });
                const diff = await provider.diff("vco-1", { regionId: "cn-hangzhou", vpnConnectionId: "vco-1", name: "old", managedFields: ["name"] }, checked.inputs);
                const entry = require.resolve(${JSON.stringify(ENTRY_POINT)});
                process.stdout.write(JSON.stringify({ failures: checked.failures, changes: diff.changes, entry }));
            })();
        `);
        const parsed = JSON.parse(result) as { failures: unknown[]; changes: boolean; entry: string };
        expect(parsed.failures).to.deep.equal([]);
        expect(parsed.changes).to.equal(true);
        expect(fs.realpathSync(parsed.entry)).to.equal(
            fs.realpathSync(path.join(installed, "bin", "provider", "entry.js")),
        );
    });

    describe("state written by 0.1.0 and 0.2.0, and the packed emulator command", () => {
        let emulator: ChildProcessWithoutNullStreams | undefined;
        let banner: { endpoint: string; accessKeyId: string; accessKeySecret: string };
        const id = "vco-packed-0001";

        before(async () => {
            const seed = path.join(project, "connections.json");
            const seeds020 = STACK_0_2_0.connections.map((c) =>
                (c.shape === "single" ? singleTunnelConnection : dualTunnelConnection)(c.id, c.overrides),
            );
            fs.writeFileSync(seed, JSON.stringify([singleTunnelConnection(id, { Name: "site-a" }), ...seeds020]));
            // Run the way npm links it: node_modules/.bin/<name> -> the package's bin target.
            emulator = spawn(
                process.execPath,
                [
                    path.join(installed, manifest.bin?.[manifest.name] ?? ""),
                    "emulator",
                    "--port",
                    "0",
                    "--seed",
                    seed,
                    "--task-duration-ms",
                    "0",
                ],
                {
                    cwd: project,
                },
            );
            const child = emulator;
            const line = await new Promise<string>((resolve, reject) => {
                const lines = createInterface({ input: child.stdout });
                lines.once("line", (l) => {
                    lines.close();
                    resolve(l);
                });
                child.once("exit", (code) => reject(new Error(`the packed emulator command exited with ${code}`)));
            });
            banner = JSON.parse(line) as typeof banner;
        });
        after(async () => {
            if (emulator && emulator.exitCode === null) {
                const exited = new Promise((resolve) => emulator?.once("exit", resolve));
                emulator.kill("SIGTERM");
                await exited;
            }
        });

        it("the packed command serves the seeded connections on loopback", async () => {
            expect(banner.endpoint).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
            const res = await fetch(`${banner.endpoint}/__admin/connections/${id}`);
            expect(res.status).to.equal(200);
            expect(((await res.json()) as { Name: string }).Name).to.equal("site-a");
        });

        it("the provider 0.1.0 stored in state still checks, diffs, updates and reads with this package", async () => {
            expect(requiredModules(PROVIDER_0_1_0).filter((m) => m.includes("/bin/provider/"))).to.have.length(4);
            const result = await runInProject(
                `
                const requireFromString = require("require-from-string");
                const provider = requireFromString(${JSON.stringify(PROVIDER_0_1_0)}).handler();
                (async () => {
                    await provider.configure({ config: { get: () => undefined } });
                    const news = { regionId: "cn-hangzhou", vpnConnectionId: ${JSON.stringify(id)}, name: "site-b" };
                    const checked = await provider.check({}, news);
                    const created = await provider.create({ ...checked.inputs, name: "site-a" });
                    const diff = await provider.diff(${JSON.stringify(id)}, created.outs, checked.inputs);
                    const updated = await provider.update(${JSON.stringify(id)}, created.outs, checked.inputs);
                    const read = await provider.read(${JSON.stringify(id)}, updated.outs);
                    process.stdout.write(JSON.stringify({ failures: checked.failures, changes: diff.changes, name: read.props.name }));
                })().catch((e) => { console.error(e); process.exit(1); });
            `,
                {
                    ALICLOUD_VPC_ENDPOINT: banner.endpoint,
                    ALICLOUD_ACCESS_KEY: banner.accessKeyId,
                    ALICLOUD_SECRET_KEY: banner.accessKeySecret,
                },
            );
            expect(JSON.parse(result)).to.deep.equal({ failures: [], changes: true, name: "site-b" });
            const res = await fetch(`${banner.endpoint}/__admin/connections/${id}`);
            expect(((await res.json()) as { Name: string }).Name).to.equal("site-b");
        });

        it("the state 0.2.0 stored names only the entry point, and checks, diffs and reads as unchanged with this package", async () => {
            // As the engine passes them to the provider: secrets decrypted.
            const resources = STACK_0_2_0.deployment.deployment.resources
                .filter((r) => r.type.endsWith(":VpnAttachmentAttribute"))
                .map((r) => {
                    const name = r.urn.split("::").pop() ?? "";
                    const secrets = STACK_0_2_0.secretValues[name];
                    return {
                        name,
                        id: r.id,
                        olds: { ...r.outputs, ...secrets.outputs },
                        news: { ...r.inputs, ...secrets.inputs },
                    };
                });
            expect(resources.map((r) => r.name)).to.have.members(["single", "dual"]);
            for (const { name, olds, news } of resources) {
                for (const [where, props] of [
                    ["inputs", news],
                    ["outputs", olds],
                ] as const) {
                    expect(
                        requiredModules(props.__provider as string),
                        `${name}: modules the provider in ${where} requires`,
                    ).to.deep.equal([ENTRY_POINT]);
                }
            }
            const result = await runInProject(
                `
                const requireFromString = require("require-from-string");
                const resources = ${JSON.stringify(resources)};
                (async () => {
                    const seen = {};
                    for (const { name, id, olds, news } of resources) {
                        const provider = requireFromString(olds.__provider).handler();
                        await provider.configure({ config: { get: () => undefined } });
                        const checked = await provider.check(olds, news);
                        const diff = await provider.diff(id, olds, checked.inputs);
                        const read = await provider.read(id, olds);
                        seen[name] = { failures: checked.failures, changes: diff.changes, replaces: diff.replaces ?? [], id: read.id, props: read.props };
                    }
                    process.stdout.write(JSON.stringify(seen));
                })().catch((e) => { console.error(e); process.exit(1); });
            `,
                {
                    ALICLOUD_VPC_ENDPOINT: banner.endpoint,
                    ALICLOUD_ACCESS_KEY: banner.accessKeyId,
                    ALICLOUD_SECRET_KEY: banner.accessKeySecret,
                },
            );
            const seen = JSON.parse(result) as Record<
                string,
                { failures: unknown[]; changes: boolean; replaces: string[]; id: string; props: Props }
            >;
            for (const { name, id, olds } of resources) {
                expect(seen[name].failures, `${name}: check failures`).to.deep.equal([]);
                expect(seen[name].changes, `${name}: diff against its own inputs`).to.equal(false);
                expect(seen[name].replaces, `${name}: replaces`).to.deep.equal([]);
                expect(seen[name].id).to.equal(id);
                // managedFields is a set: its order in state is not part of the contract.
                const sorted = (props: Props): Props => ({
                    ...props,
                    managedFields: [...((props.managedFields as string[] | undefined) ?? [])].sort(),
                });
                const { __provider: _provider, ...stored } = olds;
                expect(sorted(seen[name].props), `${name}: read of the unchanged connection`).to.deep.include(
                    sorted(stored),
                );
            }
        });
    });
});
