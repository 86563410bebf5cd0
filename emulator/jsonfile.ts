import { randomBytes } from "node:crypto";
import { closeSync, constants, openSync, readFileSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";

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

/**
 * Replaces `path` with `text` in one step (a reader sees the old file or the
 * new one), readable by this user only: the state file holds every PSK. The
 * temporary file has an unpredictable name in the same directory (so the
 * rename stays on one file system) and is created exclusively, never through
 * a link: a file or symlink planted at that name makes the write fail rather
 * than send the PSKs elsewhere. The rename replaces `path` itself, even when
 * `path` is a symlink, and never writes through it.
 */
export function writeFileAtomically(path: string, text: string): void {
    const temp = join(dirname(path), `.${basename(path)}.${randomBytes(12).toString("hex")}.tmp`);
    // O_NOFOLLOW is absent on Windows, where O_EXCL alone already refuses an existing name.
    const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);
    const fd = openSync(temp, flags, 0o600);
    try {
        try {
            writeSync(fd, text);
        } finally {
            closeSync(fd);
        }
        renameSync(temp, path);
    } catch (error) {
        unlinkSync(temp);
        throw error;
    }
}
