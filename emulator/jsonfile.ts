import { readFileSync } from "node:fs";

/**
 * Reads a seed or state file. A syntax error names the file but does not quote
 * it, as JSON.parse's message would: the file holds pre-shared keys.
 */
export function readJsonFile(path: string): unknown {
    const text = readFileSync(path, "utf8");
    try {
        return JSON.parse(text);
    } catch (error) {
        const position = /at position (\d+)/.exec((error as Error).message)?.[1];
        // eslint-disable-next-line preserve-caught-error -- JSON.parse's error can quote the file, which holds pre-shared keys
        throw new Error(`${path} is not valid JSON${position === undefined ? "" : ` (at character ${position})`}.`);
    }
}
