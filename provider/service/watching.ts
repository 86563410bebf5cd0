/**
 * The one way a connection is waited on: settle, confirm and the negotiation
 * gate each pass an acceptor (what a reading means for them) and what the
 * wait is for; the watcher owns the rest. That is the poll schedule
 * (pollSchedule.ts, or the one a harness injects), the fleet's shared grid
 * (connections waited on at once poll together, so their reads coalesce into
 * one listing, batching.ts), learning how long tasks take (the connection's
 * own last task from state, else the fleet's typical one, sizes the wait for
 * a Modify's task, whose length then goes to the fleet), progress lines, and
 * the deadline.
 */
import { Clock } from "../foundation/clock";
import { keyedTable } from "../foundation/processWide";
import { redact } from "../foundation/redaction";
import { readsInCompany } from "./batching";
import { injectedPollSchedule, onSharedTicks, pollDelays } from "./pollSchedule";
import { Acceptor, describeConnection, waitFor } from "./waiting";
import { ObservedConnection } from "../model/types";

/** One connection's place among the others waited on beside it (see `fleetOf`). */
export interface Fleet {
    /** Whether other connections are being waited on beside this one, so that its polls keep to the shared grid. */
    hasCompany(): boolean;
    /**
     * The median duration of the fleet's recent tasks, while other
     * connections are being waited on beside this one: a connection with no
     * learned duration of its own then sleeps through most of its task
     * instead of polling from 0.6 s on, like every other update of the fleet.
     */
    typicalTaskMs(): number | undefined;
    recordTaskMs(ms: number): void;
}

/** Tasks that ended this long ago say nothing about the fleet being updated now. */
const TASK_MEMORY_MS = 60_000;
const TASKS_KEPT = 15;
/** A typical duration needs this many tasks of the fleet behind it. */
const TASKS_FOR_TYPICAL = 3;

/** Durations of each fleet's latest tasks, and when each ended. */
const fleetTasks = keyedTable<{ tasks: Array<{ ms: number; at: number }> }>("fleet-tasks", 1, () => ({
    // Stryker disable next-line ArrayDeclaration: an entry with no time is never recent, so it is never counted, and it is the first dropped when the list is full
    tasks: [],
}));

/**
 * The fleet of `vpnConnectionId`: the connections whose reads coalesce with
 * its own, under the same `groupKey` as `coalescingDescribes` (endpoint,
 * region and access key), whose tasks are alike.
 */
export function fleetOf(groupKey: string, vpnConnectionId: string, clock: Clock): Fleet {
    const hasCompany = () => readsInCompany(groupKey, vpnConnectionId, clock.now());
    return {
        hasCompany,
        typicalTaskMs() {
            const now = clock.now();
            const recent = fleetTasks
                .of(groupKey)
                .tasks.filter((t) => now - t.at <= TASK_MEMORY_MS)
                .map((t) => t.ms);
            if (recent.length < TASKS_FOR_TYPICAL || !hasCompany()) {
                return undefined;
            }
            return recent.sort((a, b) => a - b)[Math.floor(recent.length / 2)];
        },
        recordTaskMs(ms) {
            const { tasks } = fleetTasks.of(groupKey);
            tasks.push({ ms, at: clock.now() });
            if (tasks.length > TASKS_KEPT) tasks.shift();
        },
    };
}

/** What the watcher needs of the operation it waits in. */
export interface WatchContext {
    clock: Clock;
    /** Epoch milliseconds after which the operation gives up. */
    deadline: number;
    /** Where progress lines go; the watcher redacts them first. */
    log: (line: string) => void;
    /** Values that must never appear in a line (PSKs). */
    secrets: string[];
    /** The connection's fleet, when it is updated among others (operations.ts); alone without. */
    fleet?: Fleet;
    /** How long the previous task on this connection ran (`lastTaskSeconds` from state), if known. */
    lastTaskSeconds?: number;
}

/** What one wait is for. */
export interface Watch {
    read: () => Promise<ObservedConnection>;
    /** What is waited for, for the progress line, e.g. "vco-1: the task this update started". */
    waitingFor: string;
    /** Names a reading in messages; `describeConnection` unless given. */
    describe?: (observed: ObservedConnection) => string;
    /**
     * When the wait is for the task of a Modify: when the service accepted
     * it (epoch ms). The first poll then comes after the first delay (a task
     * that has only just started cannot be done), sized by the connection's
     * own last task, else the fleet's; and the task's length goes to the
     * fleet. Without it, another task may be running whose length is
     * unknown: the first poll is at once, and nothing is learned.
     */
    taskStartedAt?: number;
    /** At most this long from now (ms), and never past the operation's deadline. */
    timeoutMs?: number;
}

export interface Watched {
    observed: ObservedConnection;
    /** From `taskStartedAt` (else from the wait's start) to the reading accepted. */
    elapsedMs: number;
}

/**
 * Polls the connection until `acceptor` says success (returns the reading),
 * failure (throws), or the deadline passes (throws `WaitTimeoutError`), as
 * `waitFor` does, on the schedule and grid above.
 */
export async function watchConnection(
    ctx: WatchContext,
    acceptor: Acceptor<ObservedConnection>,
    watch: Watch,
): Promise<Watched> {
    const { clock, fleet } = ctx;
    const started = clock.now();
    const task = watch.taskStartedAt;
    const schedule = injectedPollSchedule();
    const delays = pollDelays(task === undefined ? schedule : { ...schedule, expectedMs: expectedTaskMs(ctx) });
    const done = await waitFor({
        poll: watch.read,
        acceptor,
        deadline: watch.timeoutMs === undefined ? ctx.deadline : Math.min(ctx.deadline, started + watch.timeoutMs),
        clock,
        // While other connections are waited on, their polls go out together.
        delays: onSharedTicks(
            delays,
            () => clock.now(),
            () => fleet?.hasCompany() === true,
        ),
        describe: watch.describe ?? describeConnection,
        progress: (line) => ctx.log(redact(line, ctx.secrets)),
        waitingFor: watch.waitingFor,
        pollFirst: task === undefined,
    });
    const elapsedMs = clock.now() - (task ?? started);
    if (task !== undefined) {
        fleet?.recordTaskMs(elapsedMs);
    }
    return { observed: done.value, elapsedMs };
}

/** The connection's own last task, else the fleet's typical one, asked once the Modify is accepted. */
function expectedTaskMs(ctx: WatchContext): number | undefined {
    return ctx.lastTaskSeconds === undefined ? ctx.fleet?.typicalTaskMs() : ctx.lastTaskSeconds * 1000;
}
