import { expect } from "chai";
import { redact, WITHHELD } from "../../provider/foundation/redaction";

/** Counterexamples the properties found, as plain tests, each kept with the fix it needed. */
describe("regressions found by the properties", () => {
    // FINDING_1 (redaction property, seed 20261128, shrunk): a service message that echoes the
    // connection's PSK form-encoded kept it: `~` written as %7E was none of the forms redact() knew.
    it("FINDING_1: a PSK echoed form-encoded (~ as %7E, space as +) is redacted", () => {
        const psk = "aaaaaa~aaaaaa% b";
        const message = `The specified value (${new URLSearchParams({ k: psk }).toString().slice(2)}) is invalid.`;
        expect(message).to.include("aaaaaa%7Eaaaaaa%25+b");
        expect(redact(message, [psk])).to.equal(WITHHELD);
        expect(redact("The specified value (aaaaaa%7eaaaaaa%25+b) is invalid.", [psk])).to.equal(WITHHELD);
    });

    // FINDING_1 (same property, form jsonHtmlSafe): Java services' HTML-safe JSON (Gson's default)
    // writes `=` as \u003d, `'` as \u0027, `&` as \u0026, `<` `>` as \u003c \u003e.
    it("FINDING_1: a PSK echoed as HTML-safe JSON (= as \\u003d) is redacted", () => {
        const psk = "aaaaaa=aaaaaa'";
        const message = "The specified value (aaaaaa\\u003daaaaaa\\u0027) is invalid.";
        expect(redact(message, [psk])).to.equal(WITHHELD);
        expect(redact("Psk: a\\u003Cb\\u003E\\u0026c\\u003D", ["a<b>&c="])).to.equal(WITHHELD);
    });
});
