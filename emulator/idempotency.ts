import { createHash } from "node:crypto";
import { badRequest } from "./errors";
import { maskPsks } from "./params";

/** Long enough for any retry of one update: the provider's longest deadline (timeoutSeconds) is 24 hours. */
const MAX_AGE_MS = 24 * 60 * 60 * 1000;
/** Far more tokens than a demo or a test suite has in flight; the oldest go first. */
const MAX_ENTRIES = 1000;

interface Entry {
    fingerprint: string;
    /** The first answer with every pre-shared key masked. */
    answer: object;
    storedAt: number;
}

/**
 * ClientToken handling: a repeated token with the same parameters gets the
 * first answer again (same RequestId, nothing re-applied); with different
 * parameters it is rejected. Only accepted requests are remembered, so a
 * retry after a rejection is evaluated afresh. No pre-shared key is held:
 * the parameters are kept as a hash, and the answer with its keys masked, so
 * a replayed answer shows "***" where the first showed a key. Tokens are
 * forgotten after MAX_AGE_MS, and the oldest beyond MAX_ENTRIES.
 */
export class IdempotencyCache {
    private readonly answers = new Map<string, Entry>();

    constructor(
        private readonly now: () => number = Date.now,
        private readonly limits = { maxEntries: MAX_ENTRIES, maxAgeMs: MAX_AGE_MS },
    ) {}

    static fingerprint(params: Record<string, string>): string {
        const entries = Object.entries(params)
            .filter(([key]) => key !== "ClientToken")
            .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        return createHash("sha256").update(JSON.stringify(entries)).digest("hex");
    }

    /** The remembered answer for this token, or undefined when the token is new (or forgotten). */
    lookup(key: string, fingerprint: string): object | undefined {
        this.forgetExpired();
        const entry = this.answers.get(key);
        if (!entry) return undefined;
        if (entry.fingerprint !== fingerprint) {
            throw badRequest(
                "IdempotentParameterMismatch",
                "The request uses the same client token as a previous, but non-identical request.",
            );
        }
        return structuredClone(entry.answer);
    }

    remember(key: string, fingerprint: string, body: object): void {
        this.forgetExpired();
        this.answers.delete(key);
        this.answers.set(key, { fingerprint, answer: maskPsks(body).masked as object, storedAt: this.now() });
        for (const oldest of this.answers.keys()) {
            if (this.answers.size <= this.limits.maxEntries) break;
            this.answers.delete(oldest);
        }
    }

    clear(): void {
        this.answers.clear();
    }

    /** Entries are in the order they were stored, so the scan stops at the first one still young enough. */
    private forgetExpired(): void {
        const cutoff = this.now() - this.limits.maxAgeMs;
        for (const [key, entry] of this.answers) {
            if (entry.storedAt > cutoff) break;
            this.answers.delete(key);
        }
    }
}
