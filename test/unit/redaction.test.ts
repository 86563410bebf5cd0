import { ClientError } from "@alicloud/openapi-core";
import { expect } from "chai";
import { CallFailedError } from "../../provider/foundation/errors";
import { redact, WITHHELD } from "../../provider/foundation/redaction";
import { userMessage } from "../../provider/foundation/userMessage";

/** Every character a leak of issue 20 needed: < & ' (XML), - (%2D), / (JSON's \/). */
const PSK = "Zq7<Kx&y'9-a/b";

function numericReferences(text: string, radix: 10 | 16): string {
    return text.replace(/[^A-Za-z0-9]/g, (c) => `&#${radix === 16 ? "x" : ""}${c.charCodeAt(0).toString(radix)};`);
}

function xmlEscaped(text: string): string {
    const names: Record<string, string> = { "<": "&lt;", ">": "&gt;", "&": "&amp;", "'": "&apos;", '"': "&quot;" };
    return text.replace(/[<>&'"]/g, (c) => names[c]);
}

describe("redaction: the encodings issue 20 found leaking a whole PSK", () => {
    const leaks: Array<[string, string]> = [
        ["XML escapes (&lt; &amp; &apos;)", xmlEscaped(PSK)],
        ["HTML decimal references (&#60;)", numericReferences(PSK, 10)],
        ["HTML hex references (&#x3c;)", numericReferences(PSK, 16)],
        ["double percent-encoding (%253C)", encodeURIComponent(encodeURIComponent(PSK))],
        ["%2D for -", encodeURIComponent(PSK).replace(/-/g, "%2D")],
        ["JSON's \\/", JSON.stringify(PSK).slice(1, -1).replace(/\//g, "\\/")],
        ["XML inside a percent-encoded query", encodeURIComponent(xmlEscaped(PSK))],
        ["JSON inside JSON, with \\/", JSON.stringify(JSON.stringify(PSK).replace(/\//g, "\\/")).slice(3, -3)],
    ];
    for (const [title, form] of leaks) {
        it(`withholds a service message that echoes a PSK as ${title}`, () => {
            const message = `The specified IkeConfig ${form} is invalid.`;
            expect(message, "the form is an encoding, not the PSK itself").to.not.include(PSK);
            const shown = redact(message, [PSK]);
            expect(shown).to.not.include(form);
            expect(shown).to.equal(WITHHELD);
        });
    }
});

describe("redaction: bounds", () => {
    it("withholds a text encoded deeper than it searches, when a secret is known", () => {
        let deep = PSK;
        for (let i = 0; i < 12; i++) {
            deep = encodeURIComponent(deep);
        }
        expect(redact(`value ${deep}`, [PSK])).to.equal(WITHHELD);
        expect(redact(`value ${deep}`, []), "nothing to look for").to.equal(`value ${deep}`);
    });

    it("stays fast on a long text full of escapes", () => {
        const long = "%41&amp;\\u0041+".repeat(5_000);
        const started = Date.now();
        redact(long, [PSK]);
        expect(Date.now() - started).to.be.lessThan(3000);
    });
});

describe("redaction: partial leaks", () => {
    it("withholds a truncated echo that shows the start of a PSK", () => {
        expect(redact('The specified IkeConfig {"Psk":"Zq7<Kx... is invalid.', [PSK])).to.equal(WITHHELD);
        expect(redact("The specified value Zq7<Kx… is too long.", [PSK])).to.equal(WITHHELD);
        expect(redact("…9-a/b) is too long.", [PSK]), "cut at its start").to.equal(WITHHELD);
        expect(redact("The request was cut at Zq7<", [PSK]), "cut at the end of the text").to.equal(WITHHELD);
    });

    it("masks a secret-named field's value to the end when its echo is cut short, known or not", () => {
        expect(redact('The specified IkeConfig {"Psk":"Zq7<Kx... is invalid.', [])).to.equal(
            'The specified IkeConfig {"Psk":"***',
        );
    });

    it("masks secret-named fields' values behind entities and percent-encoding, where they lie", () => {
        expect(redact("{&quot;Psk&quot;:&quot;ab&lt;c&quot;,&quot;IkeMode&quot;:&quot;main&quot;}", [])).to.equal(
            "{&quot;Psk&quot;:&quot;***&quot;,&quot;IkeMode&quot;:&quot;main&quot;}",
        );
        expect(redact("IkeConfig=%257B%2522Psk%2522%253A%2522ab%2521%2522%257D", [])).to.equal(
            "IkeConfig=%257B%2522Psk%2522%253A%2522***%2522%257D",
        );
    });

    it("does not let the place of a mask spell out a PSK that is a common word", () => {
        const echoed = new ClientError({
            statusCode: 400,
            code: "InvalidParameter",
            message: "code: 400, The specified connection is invalid. request id: REQ-1",
            data: { Code: "InvalidParameter", Message: "The specified connection is invalid.", RequestId: "REQ-1" },
            requestId: "REQ-1",
        });
        const context = { vpnConnectionId: "vco-a", regionId: "cn-hangzhou", secrets: ["connection"] };
        const text = userMessage(new CallFailedError("ModifyVpnAttachmentAttribute", 1, echoed), context);
        expect(text).to.equal(
            "ModifyVpnAttachmentAttribute failed for IPsec-VPN connection vco-a in cn-hangzhou: " +
                `InvalidParameter (HTTP 400): ${WITHHELD}. RequestId: REQ-1.`,
        );
        expect(text).to.not.include("***");
    });
});
