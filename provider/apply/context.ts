import { Clock } from "../foundation/clock";
import { VpcApi } from "../service/client";
import type { PollScheduleOptions } from "../service/waiting";
import type { Standing } from "./standing";
import { WriteOnlyAttributes } from "../model/types";

/** Everything one create or update needs from its surroundings. */
export interface ConvergeContext {
    api: VpcApi;
    clock: Clock;
    /** Epoch milliseconds after which the operation gives up. */
    deadline: number;
    /** How long the previous task on this connection ran, if known. */
    expectedTaskMs?: number;
    /**
     * Without that: how long the tasks of the other connections being updated
     * beside this one took (a fleet's tasks are alike), asked once the Modify
     * is accepted; and where this task's duration goes to inform theirs.
     */
    fleetTasks?: { typicalMs(): number | undefined; record(ms: number): void };
    /** Where progress lines go; every line is redacted before it gets here. */
    log: (line: string) => void;
    /** What was last applied of the attributes Describe does not report, from state. */
    writeOnly?: WriteOnlyAttributes;
    /** Values that must never appear in a message (PSKs). */
    secrets: string[];
    /** Whether other connections are being waited on, so polls should keep to the shared grid. */
    sharedPolls?: () => boolean;
    /** Changes to the poll schedule (waiting.ts), injected by a harness; none in production. */
    pollSchedule?: Partial<PollScheduleOptions>;
    /** Where the update got to (the Modify, the last read), for the message if it ends at its deadline. */
    standing?: Standing;
}
