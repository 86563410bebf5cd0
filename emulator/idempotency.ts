import { createHash } from "node:crypto";
import { badRequest } from "./errors";

/**
 * ClientToken handling: a repeated token with the same parameters gets the
 * first answer again (same RequestId, nothing re-applied); with different
 * parameters it is rejected. Only accepted requests are remembered, so a
 * retry after a rejection is evaluated afresh. Parameters are kept as a hash
 * so no pre-shared key is held here.
 */
export class IdempotencyCache {
    private readonly answers = new Map<string, { fingerprint: string; body: object }>();

    static fingerprint(params: Record<string, string>): string {
        const entries = Object.entries(params)
            .filter(([key]) => key !== "ClientToken")
            .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        return createHash("sha256").update(JSON.stringify(entries)).digest("hex");
    }

    /** The remembered answer for this token, or undefined when the token is new. */
    lookup(key: string, fingerprint: string): object | undefined {
        const entry = this.answers.get(key);
        if (!entry) return undefined;
        if (entry.fingerprint !== fingerprint) {
            throw badRequest(
                "IdempotentParameterMismatch",
                "The request uses the same client token as a previous, but non-identical request.",
            );
        }
        return structuredClone(entry.body);
    }

    remember(key: string, fingerprint: string, body: object): void {
        this.answers.set(key, { fingerprint, body: structuredClone(body) });
    }

    clear(): void {
        this.answers.clear();
    }
}
