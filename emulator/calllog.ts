import type { CallRecord } from "./types";

/** Every API call the emulator answered (or dropped), oldest first. */
export class CallLog {
    private entries: CallRecord[] = [];

    record(entry: CallRecord): void {
        this.entries.push(entry);
    }

    list(): CallRecord[] {
        return structuredClone(this.entries);
    }

    clear(): void {
        this.entries = [];
    }
}
