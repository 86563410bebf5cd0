/** The forms in which a secret could reach a message, for the redaction checks. */

/** JSON as Java's HTML-safe encoders write it (Gson's default): `'`, `<`, `>`, `=`, `&` as \u escapes. */
function htmlSafeJson(text: string): string {
    return JSON.stringify(text)
        .slice(1, -1)
        .replace(/['<>=&]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Every form in which a secret could reach a message: raw, JSON-escaped, URL-encoded. */
export function leakForms(secret: string): Record<string, string> {
    return {
        raw: secret,
        json: JSON.stringify(secret).slice(1, -1),
        jsonHtmlSafe: htmlSafeJson(secret),
        uriComponent: encodeURIComponent(secret),
        formEncoded: new URLSearchParams({ k: secret }).toString().slice(2),
    };
}
