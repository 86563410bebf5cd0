import { expect } from "chai";
import { redact } from "../../provider/errors";
import { exclusionReport } from "./support/known8";

// A root hook: after every suite of the run, how many generated cases each open exclusion skipped.
after(() => {
    console.log(`\nOpen exclusions (test/property/support/known8.ts), cases skipped in this run:\n${exclusionReport()}`);
});

/**
 * Counterexamples the properties found, as plain tests. Those for defects not
 * yet fixed are skipped with the finding's name (support/known8.ts): un-skip
 * a test with its fix, and retire the exclusion of the same name.
 */
describe("regressions found by the properties", () => {
    // FINDING_1 (redaction property, seed 20261128, shrunk): a service message that echoes the
    // connection's PSK form-encoded keeps it: `~` written as %7E is none of the forms redact() knows.
    it.skip("FINDING_1: a PSK echoed form-encoded (~ as %7E) is redacted", () => {
        const psk = "aaaaaa~aaaaaa%";
        const message = `The specified value (${new URLSearchParams({ k: psk }).toString().slice(2)}) is invalid.`;
        expect(message).to.include("aaaaaa%7Eaaaaaa%25");
        expect(redact(message, [psk])).to.not.include("aaaaaa%7Eaaaaaa%25");
    });

    // FINDING_1 (same property, form jsonHtmlSafe): Java services' HTML-safe JSON (Gson's default)
    // writes `=` as \u003d, `'` as \u0027, `&` as \u0026, `<` `>` as \u003c \u003e.
    it.skip("FINDING_1: a PSK echoed as HTML-safe JSON (= as \\u003d) is redacted", () => {
        const psk = "aaaaaa=aaaaaa'";
        const message = "The specified value (aaaaaa\\u003daaaaaa\\u0027) is invalid.";
        expect(redact(message, [psk])).to.not.include("aaaaaa\\u003daaaaaa\\u0027");
    });
});
