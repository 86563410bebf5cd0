import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { commandsOf, documentedCommands, REPO_ROOT, RUN_BY } from "../support/documentedCommands";

/**
 * Every command README.md and docs/ tell users to type is run by a test or
 * by a script the suites run (test/support/documentedCommands.ts lists which),
 * or says why it cannot be. A new command fails here until a test runs it.
 */
describe("commands in README.md and docs/", () => {
    const commands = documentedCommands();
    const source = (file: string) => fs.readFileSync(path.join(REPO_ROOT, file), "utf8");

    it("reads a block as a shell does: continuation lines joined, comments dropped, && chains split", () => {
        expect(
            commandsOf(
                "# a comment\nexport A=1 B=2   # trailing\ncurl -s -X PATCH $EP \\\n     -d '{\"a\":1}'\n\nnpm ci && npm test\n",
            ),
        ).to.deep.equal(["export A=1 B=2", "curl -s -X PATCH $EP -d '{\"a\":1}'", "npm ci", "npm test"]);
    });

    it("are found on README.md and the docs pages", () => {
        const pages = new Set(commands.map((c) => c.page));
        expect([...pages]).to.include.members(["README.md", "docs/emulator.md", "docs/testing.md"]);
    });

    it("are each run by a test or a script, or say why they cannot be", () => {
        const unknown = commands.filter((c) => !RUN_BY.some((r) => r.page === c.page && r.match.test(c.command)));
        expect(
            unknown.map((c) => `${c.page}:${c.line}: ${c.command}`),
            "add the test that runs each to RUN_BY in test/support/documentedCommands.ts",
        ).to.deep.equal([]);
    });

    it("name tests that read the block from the page, and files that hold the command", () => {
        for (const entry of RUN_BY) {
            if ("runs" in entry) {
                const test = source(entry.runs);
                expect(test, `${entry.runs} has a test "${entry.test}"`).to.match(
                    new RegExp(`it\\(\\s*"[^"]*${entry.test.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`),
                );
                expect(test, `${entry.runs} runs a block of ${entry.page}`).to.include(
                    `documentedBlock("${entry.page}"`,
                );
            } else if ("same" in entry) {
                expect(source(entry.same), `${entry.same} for ${String(entry.match)}`).to.include(entry.needle);
            } else {
                expect(entry.notRun.length, `the reason ${String(entry.match)} cannot run`).to.be.above(40);
            }
        }
    });

    it("has no entry for a command no page writes any more", () => {
        const unused = RUN_BY.filter((r) => !commands.some((c) => c.page === r.page && r.match.test(c.command)));
        expect(unused.map((r) => `${r.page}: ${String(r.match)}`)).to.deep.equal([]);
    });
});
