import { expect } from "chai";
import * as fc from "fast-check";
import { singleTunnelConnection } from "../../emulator/fixtures";
import { VpnAttachmentAttributeProvider } from "../../provider";
import { CheckedInputs } from "../../provider/model/types";
import { checkInputs } from "../../provider/model/validation";
import { redact, WITHHELD } from "../../provider/foundation/redaction";
import { REGION } from "./arbitraries/declarations";
import { SINGLE_ID } from "./arbitraries/observed";
import { distinctivePsk } from "./arbitraries/values";
import { capturingLog, shortRetryWaits, startSession } from "./support/emulatorSession";
import { check } from "./support/fcSettings";
import { leakForms } from "./support/leaks";

/** Where a service message may echo a value: under its parameter's name, or bare. */
const CONTEXTS = ["json", "query", "bare"] as const;
type Context = (typeof CONTEXTS)[number];

function echoing(value: string, context: Context): string {
    switch (context) {
        case "json":
            return `The specified IkeConfig {"Psk":"${value}"} is invalid.`;
        case "query":
            return `The specified parameter Psk=${value} is invalid.`;
        case "bare":
            return `The specified value (${value}) is invalid.`;
    }
}

/** The secret key and STS token alphabets: base64 and URL-safe characters. */
const credential = fc.stringMatching(/^[A-Za-z0-9+/=_-]{24,40}$/).filter((s) => /[+/=]/.test(s));

const FORMS = ["raw", "json", "jsonHtmlSafe", "uriComponent", "formEncoded"];

/**
 * Property 4: a PSK (the connection's or the declared one), the secret key
 * and the STS token never appear in an error or a log line, in any of the
 * forms above, even when the service's own messages echo them.
 */
describe("property: redaction of PSKs, secret key and STS token", function () {
    this.timeout(180_000);
    let restoreRandom: () => void;
    before(() => {
        restoreRandom = shortRetryWaits();
    });
    after(() => restoreRandom?.());

    it("no secret appears in errors or log lines, raw, JSON-escaped (also HTML-safe) or URL- or form-encoded", async () => {
        const secrets = fc.record({
            currentPsk: distinctivePsk,
            declaredPsk: distinctivePsk,
            secretKey: credential,
            stsToken: credential,
            form: fc.constantFrom(...FORMS),
            context: fc.constantFrom(...CONTEXTS),
        });
        await check(
            fc.asyncProperty(secrets, async ({ currentPsk, declaredPsk, secretKey, stsToken, form, context }) => {
                fc.pre(currentPsk !== declaredPsk);
                const session = await startSession({
                    accessKeySecret: secretKey,
                    securityToken: stsToken,
                    taskDurationMs: 20,
                });
                try {
                    await session.admin.seed(singleTunnelConnection(SINGLE_ID, { IkeConfig: { Psk: currentPsk } }));
                    const all = [currentPsk, declaredPsk, secretKey, stsToken].map(leakForms);
                    const names = ["current PSK", "declared PSK", "secret key", "STS token"];
                    const action = "ModifyVpnAttachmentAttribute";
                    // A retried failure (logged), then one that ends the update (the error); both echo `known`.
                    const failTwice = async (known: Array<Record<string, string>>) => {
                        const message = known.map((forms) => echoing(forms[form], context)).join(" ");
                        await session.admin.fault({
                            kind: "fail",
                            code: "ServiceUnavailable",
                            httpStatus: 503,
                            message,
                            count: 1,
                            action,
                        });
                        await session.admin.fault({
                            kind: "fail",
                            code: "InvalidParameter.Psk",
                            httpStatus: 400,
                            message,
                            count: 1,
                            action,
                        });
                    };
                    // Only the lifetime declared: the connection's PSK goes along in the IkeConfig.
                    await failTwice([all[0], all[2], all[3]]);
                    const { inputs } = checkInputs({
                        regionId: REGION,
                        vpnConnectionId: SINGLE_ID,
                        ikeConfig: { ikeLifetime: 3600 },
                    });
                    const first = await capturingLog(() =>
                        new VpnAttachmentAttributeProvider().create(inputs as unknown as CheckedInputs),
                    );
                    await failTwice(all);
                    const withPsk = checkInputs({
                        regionId: REGION,
                        vpnConnectionId: SINGLE_ID,
                        psk: declaredPsk,
                        ikeConfig: { ikeLifetime: 7200 },
                    });
                    const second = await capturingLog(() =>
                        new VpnAttachmentAttributeProvider().create(withPsk.inputs as unknown as CheckedInputs),
                    );

                    expect(first.error, "the injected failure ends the first update").to.be.instanceOf(Error);
                    expect(second.error, "the injected failure ends the second update").to.be.instanceOf(Error);
                    const texts = [first, second].flatMap((run) => [
                        ...run.lines,
                        String((run.error as Error).message),
                        String((run.error as Error).stack),
                    ]);
                    for (const [i, forms] of all.entries()) {
                        for (const [kind, text] of Object.entries(forms)) {
                            const leaking = texts.filter((t) => t.includes(text));
                            expect(leaking, `${names[i]} (${kind}) in a message`).to.deep.equal([]);
                        }
                    }
                } finally {
                    await session.stop();
                }
            }),
            40,
        );
    });
});

/** How one character may be written: raw, or in one of the encodings a service may echo it in. */
const CHARACTER_FORMS = [
    "raw",
    "percent",
    "percentLower",
    "xml",
    "decimal",
    "hex",
    "jsonUnicode",
    "jsonShort",
] as const;
type CharacterForm = (typeof CHARACTER_FORMS)[number];

function encodeCharacter(c: string, form: CharacterForm): string {
    const code = c.charCodeAt(0);
    const xml: Record<string, string> = { "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" };
    const short: Record<string, string> = { '"': '\\"', "\\": "\\\\", "/": "\\/" };
    switch (form) {
        case "raw":
            return c;
        case "percent":
        case "percentLower": {
            const escaped = [...Buffer.from(c, "utf8")]
                .map((b) => `%${b.toString(16).padStart(2, "0").toUpperCase()}`)
                .join("");
            return form === "percent" ? escaped : escaped.toLowerCase();
        }
        case "xml":
            return xml[c] ?? c;
        case "decimal":
            return `&#${code};`;
        case "hex":
            return `&#x${code.toString(16)};`;
        case "jsonUnicode":
            return `\\u${code.toString(16).padStart(4, "0")}`;
        case "jsonShort":
            return short[c] ?? c;
    }
}

/**
 * An encoder that escapes some characters escapes its own escape character
 * too: `\` in JSON, `%` and `+` in a query, `&` in XML. So once a text mixes
 * encodings, those characters are never left as they are (a lone `\` before
 * `\u0020` would read as another text altogether).
 */
function formOf(c: string, form: CharacterForm, forms: readonly CharacterForm[]): CharacterForm {
    const mixes = forms.some((f) => f !== "raw");
    const leftAsItIs = encodeCharacter(c, form) === c;
    return mixes && leftAsItIs && "\\%&+".includes(c) ? "percent" : form;
}

/** Whole-text layers put on top: what JSON, a query string, a form or an XML body does to the text again. */
const LAYERS: Record<string, (text: string) => string> = {
    json: (t) => JSON.stringify(t).slice(1, -1),
    jsonSlashes: (t) => JSON.stringify(t).slice(1, -1).replace(/\//g, "\\/"),
    uriComponent: encodeURIComponent,
    formEncoded: (t) => new URLSearchParams({ k: t }).toString().slice(2),
    xml: (t) => t.replace(/[<>&'"]/g, (c) => encodeCharacter(c, "xml")),
};

const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i));
const anySecret = fc.oneof(
    distinctivePsk,
    credential,
    fc.string({ unit: fc.constantFrom(...PRINTABLE), minLength: 1, maxLength: 40 }),
);

/** Where a service's message may put the echo. */
const SURROUNDINGS: Array<[string, string]> = [
    ["The specified value (", ") is invalid."],
    ['The specified IkeConfig {"Psk":"', '"} is invalid.'],
    ["Psk=", "&RegionId=cn-hangzhou"],
    ["<Message>Bad key ", "</Message>"],
    ["", ""],
];

describe("property: redaction over every mix of encodings", () => {
    it("never lets a secret through, however its characters and the whole text are encoded", async () => {
        const cases = fc.record({
            secret: anySecret,
            forms: fc.array(fc.constantFrom(...CHARACTER_FORMS), { minLength: 1, maxLength: 120 }),
            layers: fc.array(fc.constantFrom(...Object.keys(LAYERS)), { maxLength: 3 }),
            surrounding: fc.constantFrom(...SURROUNDINGS),
        });
        await check(
            fc.property(cases, ({ secret, forms, layers, surrounding }) => {
                const mixed = [...secret]
                    .map((c, i) => encodeCharacter(c, formOf(c, forms[i % forms.length], forms)))
                    .join("");
                const echoed = layers.reduce((text, layer) => LAYERS[layer](text), mixed);
                const shown = redact(`${surrounding[0]}${echoed}${surrounding[1]}`, [secret]);
                // The fixed text, whatever the secret: neither the secret nor where it was can be read from it.
                expect(shown, `${surrounding[0]}${echoed}${surrounding[1]}`).to.equal(WITHHELD);
            }),
            2000,
        );
    });
});
