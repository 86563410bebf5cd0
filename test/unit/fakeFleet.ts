import { Fleet } from "../../provider/service/watching";

/** A fleet as a test sets it: alone, with no typical task and nowhere to record, unless `parts` says otherwise. */
export function fakeFleet(parts: Partial<Fleet>): Fleet {
    return { hasCompany: () => false, typicalTaskMs: () => undefined, recordTaskMs: () => undefined, ...parts };
}
