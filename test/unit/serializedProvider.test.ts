import { expect } from "chai";
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import type { SerializedProvider } from "../support/serializeProvider";
import { REPO_ROOT } from "../../support/pulumiWorkspace";

/** The program that serializes the provider, in a process without mocha's globals (see its comment). */
const SERIALIZE = path.join(__dirname, "..", "support", "serializeProvider.js");
/** Serializing the whole provider takes a few seconds; a walk that has not ended by then never will. */
const SERIALIZE_LIMIT_MS = 90_000;

/**
 * A program that loads the provider from a checkout stores the provider's code
 * in state, serialized by Pulumi's closure serializer from everything its
 * methods reach. What it reaches must be code and plain data: a live object is
 * copied without its behaviour, and the oldest @pulumi/pulumi this package
 * supports (3.216) cannot serialize a namespace copy of a Node module at all
 * (with check reaching the credential settings, preview then never registered
 * such a resource; docs/reliability.md, "Credential settings at preview").
 */
describe("provider: serialized by value", function () {
    this.timeout(SERIALIZE_LIMIT_MS + 10_000);
    let report: SerializedProvider;

    before(async () => {
        const { stdout } = await promisify(execFile)(process.execPath, [SERIALIZE], {
            cwd: REPO_ROOT,
            encoding: "utf8",
            timeout: SERIALIZE_LIMIT_MS,
            env: { ...process.env, NODE_NO_WARNINGS: "1" },
        });
        report = JSON.parse(stdout) as SerializedProvider;
    });

    it("reaches the credential settings from the provider's methods, check's included", () => {
        expect(report.functions).to.include.members(["checkWithConfig", "credentialPlan", "profilePlan", "percentAt"]);
    });

    it("captures no live object and no namespace copy of a module", () => {
        expect(report.liveObjects).to.deep.equal([]);
    });
});
