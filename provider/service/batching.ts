/**
 * Coalesces Describe calls. Under `pulumi up --parallel`, one provider
 * process waits on many connections at once, and the account's API rate
 * limit, not the service's tasks, becomes what bounds a fleet update. Reads of
 * several connections in one region that arrive together are answered by one
 * DescribeVpnConnections listing (50 a page) instead of one call each.
 */
import type { VpcApi } from "./client";
import { type Clock, systemClock } from "../foundation/clock";
import { keyedTable } from "../foundation/processWide";
import { isRetryable } from "./retrying";

/** How long a Describe waits for others to join it; small beside any poll delay. */
const GATHER_MS = 15;
const PAGE_SIZE = 50;
/**
 * While several connections are waited on, a flush that made N calls is
 * followed by the next no sooner than N x the read spacing, and each flush
 * answers every connection that asked in the meantime. Once the service has
 * throttled the access key (see pacing.ts), reads may spend a quarter of the
 * rate it allows, leaving the rest to the Modify calls; until then, at most
 * 10 calls a second.
 */
const READ_SHARE_OF_RATE = 0.25;
/**
 * Among company, a flush waits until it answers this many reads per call it
 * makes, or until its first reader has waited HOLD_PER_CALL_MS per call: when
 * Pulumi hands the provider updates slowly, reads then still cost a fraction
 * of a call each, and a small stack's polls are held back a few hundred ms.
 */
const READS_PER_CALL = 6;
const HOLD_PER_CALL_MS = 400;
const UNTHROTTLED_READ_SPACING_MS = 100;

/** Milliseconds per call between flushes among company, given the rate the service allows, if known. */
export function readSpacingMs(ratePerSecond: number | undefined): number {
    const rate = ratePerSecond ?? 0;
    return rate > 0
        ? Math.max(UNTHROTTLED_READ_SPACING_MS, 1000 / (READ_SHARE_OF_RATE * rate))
        : UNTHROTTLED_READ_SPACING_MS;
}

type Body = Record<string, unknown>;

interface Waiter {
    id: string;
    /** When it asked (epoch ms). */
    at: number;
    /** Its operation's deadline: no call made for it starts later (epoch ms). */
    deadline: number;
    /** Its operation's API (paced with its deadline): the calls made for it go through this. */
    api: VpcApi;
    resolve: (body: Body | undefined) => void;
    reject: (err: unknown) => void;
}

interface Group {
    waiters: Waiter[];
    /** When each connection of the group was last read: who else is being waited on right now. */
    lastRead: Map<string, number>;
    /** The flush timer armed last; an earlier one that wakes finds another here and does nothing. */
    timer?: object;
    /** When the timer fires (epoch ms). */
    timerAt?: number;
    /** Pages the region's listing took last time; a listing is worth it only when it costs fewer calls than it saves. */
    pages?: number;
    /** The listing failed in a way a retry cannot fix (e.g. not permitted): read one by one from then on. */
    listingRefused?: boolean;
    /** No flush among company starts before this (epoch ms; see readSpacingMs). */
    nextFlushAt: number;
    /** The page of the listing on which each connection was last seen. */
    pageOf: Map<string, number>;
}

/** Reads of other connections this recent mean they are being waited on too. */
const COMPANY_WINDOW_MS = 3_000;

// Shape 2: the fleet's task durations moved out to watching.ts.
const groups = keyedTable<Group>("describe-groups", 2, () => ({
    waiters: [],
    lastRead: new Map(),
    nextFlushAt: 0,
    pageOf: new Map(),
}));

/** Whether connections other than this one were read in the group lately, so that gathering can pay. */
function hasCompany(group: Group, vpnConnectionId: string, now: number): boolean {
    for (const [id, at] of group.lastRead) {
        // Stryker disable next-line BlockStatement: a stale read is passed over whether or not it is dropped; dropping it only frees memory
        if (now - at > COMPANY_WINDOW_MS) {
            // Stryker disable next-line CallExpression: as above
            group.lastRead.delete(id);
        } else if (id !== vpnConnectionId) {
            return true;
        }
    }
    return false;
}

/**
 * Whether connections other than this one were read lately among the callers
 * of `groupKey` (see `coalescingDescribes`): whether they are being waited on
 * beside it, so that its polls keep to their grid (watching.ts).
 */
export function readsInCompany(groupKey: string, vpnConnectionId: string, now: number): boolean {
    return hasCompany(groups.of(groupKey), vpnConnectionId, now);
}

export interface CoalescingApi extends VpcApi {
    /**
     * This connection's create, update or read is over: its reads stop
     * counting as company. Resources updated one after another (a stack
     * without --parallel, a refresh) then have none, and no read of theirs
     * is held back for company that is not coming.
     */
    done(vpnConnectionId: string): void;
}

/**
 * The same API, with `describeVpnConnection` coalesced among every caller
 * that passes the same `groupKey` (endpoint, region and access key: callers in
 * one group may read each other's connections). A flush serves its readers
 * until the latest of their deadlines (epoch ms), and no later.
 */
export function coalescingDescribes(
    api: VpcApi,
    groupKey: string,
    regionId: string,
    allowedRate: () => number | undefined = () => undefined,
    clock: Clock = systemClock,
    deadline = Infinity,
): CoalescingApi {
    return {
        ...api,
        done(vpnConnectionId) {
            groups.of(groupKey).lastRead.delete(vpnConnectionId);
        },
        describeVpnConnection(region, vpnConnectionId) {
            if (region !== regionId) {
                return api.describeVpnConnection(region, vpnConnectionId);
            }
            const group = groups.of(groupKey);
            const now = clock.now();
            const company = hasCompany(group, vpnConnectionId, now);
            group.lastRead.set(vpnConnectionId, now);
            return new Promise((resolve, reject) => {
                group.waiters.push({ id: vpnConnectionId, at: now, deadline, api, resolve, reject });
                // A connection read alone gathers only the reads made in the same turn of the event loop: waiting for company it does not have would delay every poll.
                arm(group, company ? flushAt(group) : now, clock, () => {
                    const waiters = group.waiters.splice(0);
                    void flush(regionId, group, waiters, readSpacingMs(allowedRate()), clock);
                });
            });
        },
    };
}

/** Sets the group's timer for `at`, unless it is set for sooner already. */
function arm(group: Group, at: number, clock: Clock, fire: () => void): void {
    if ((group.timerAt ?? Infinity) <= at) {
        return;
    }
    const timer = {};
    group.timer = timer;
    group.timerAt = at;
    void clock.sleep(Math.max(0, at - clock.now())).then(() => {
        if (group.timer !== timer) {
            return;
        }
        group.timer = undefined;
        group.timerAt = undefined;
        fire();
    });
}

/**
 * When the waiting readers of a group with company are worth a flush (see
 * READS_PER_CALL), but no later than the first of their deadlines: a wait
 * takes its last look at its deadline.
 */
function flushAt(group: Group): number {
    const first = group.waiters[0].at;
    const { ids, cost } = plan(group, group.waiters);
    // Stryker disable next-line ArithmeticOperator: the timer is set by the first reader's plan, always one call, so this is HOLD_PER_CALL_MS where it counts (a later, larger plan only sets a later time, which arm() ignores)
    const hold = HOLD_PER_CALL_MS * cost;
    const held = ids.length >= READS_PER_CALL * cost ? first : first + hold;
    const soonestDeadline = Math.min(...group.waiters.map((w) => w.deadline));
    return Math.max(first, Math.min(Math.max(first + GATHER_MS, group.nextFlushAt, held), soonestDeadline));
}

/** What a flush of these readers would do, and how many calls it would make. */
function plan(
    group: Group,
    waiters: Waiter[],
): { ids: string[]; pages: number[] | "all"; listing: boolean; cost: number } {
    const ids = [...new Set(waiters.map((w) => w.id))];
    const pages = pagesFor(group, ids);
    const listingCost = pages === "all" ? (group.pages ?? 1) : pages.length;
    // A listing costs a call at least, so it never pays for a single connection.
    const listing = !group.listingRefused && listingCost < ids.length;
    return { ids, pages, listing, cost: listing ? listingCost : ids.length };
}

async function flush(
    regionId: string,
    group: Group,
    waiters: Waiter[],
    spacingMs: number,
    clock: Clock,
): Promise<void> {
    const { ids, pages, listing, cost } = plan(group, waiters);
    const startedAt = clock.now();
    group.nextFlushAt = startedAt + spacingMs * cost;
    // Each connection is read with its own reader's API, and so within its deadline.
    const readOne = (id: string) => {
        // Stryker disable next-line OptionalChaining: every id read comes from a waiter, so one is always found
        const api = waiters.find((w) => w.id === id)?.api;
        // Stryker disable next-line ConditionalExpression: as above, the API is always there
        return api ? api.describeVpnConnection(regionId, id) : Promise.resolve(undefined);
    };
    if (!listing) {
        await Promise.all(ids.map((id) => settle(waiters, id, readOne(id))));
        return;
    }
    // The listing serves every reader: it goes through the API of the one with the most time left.
    const lister = waiters.reduce((a, b) => (b.deadline > a.deadline ? b : a));
    const { connections, calls, error } = await listPages(
        lister.api,
        regionId,
        group,
        pages,
        ids,
        clock,
        lister.deadline,
    );
    group.nextFlushAt = Math.max(group.nextFlushAt, startedAt + spacingMs * calls);
    if (error !== undefined && !isRetryable(error)) {
        // A RAM policy may allow DescribeVpnConnection but not the listing:
        // stop listing in this group and read one by one, as without batching.
        group.listingRefused = true;
    }
    // Stryker disable next-line ArrayDeclaration: Promise.all waits on the reads it holds; a non-promise in it waits on nothing
    const singleReads: Array<Promise<void>> = [];
    for (const id of ids) {
        const body = connections.get(id);
        if (body) {
            answer(waiters, id, { body });
        } else if (isRetryable(error)) {
            // A throttled or failing listing: each reader retries on its own,
            // rather than this flush adding one more call per reader.
            answer(waiters, id, { error });
        } else {
            // Absent from a listing is not proof of absence (it may have been
            // created between pages, or moved to another page); only the
            // single read may say "not found".
            singleReads.push(settle(waiters, id, readOne(id)));
        }
    }
    await Promise.all(singleReads);
}

/**
 * The pages that held these connections in the last listing, or "all" when
 * one of them has not been listed yet: a fleet's updates run in the order
 * its program declares them, so the connections waited on at one time tend
 * to share a page or two of a region of hundreds.
 */
function pagesFor(group: Group, ids: string[]): number[] | "all" {
    const pages = new Set<number>();
    for (const id of ids) {
        const page = group.pageOf.get(id);
        if (page === undefined) {
            return "all";
        }
        pages.add(page);
    }
    return [...pages].sort((a, b) => a - b);
}

async function settle(waiters: Waiter[], id: string, read: Promise<Body | undefined>): Promise<void> {
    try {
        answer(waiters, id, { body: await read });
    } catch (error) {
        answer(waiters, id, { error });
    }
}

function answer(waiters: Waiter[], id: string, outcome: { body: Body | undefined } | { error: unknown }): void {
    for (const w of waiters) {
        if (w.id !== id) continue;
        if ("error" in outcome) w.reject(outcome.error);
        else w.resolve(outcome.body);
    }
}

/**
 * A listing of every page stops after this many pages in one flush even when
 * the region's size is unknown: the connections not seen by then are read one
 * by one, which costs no more than a call each.
 */
const MAX_PAGES_PER_FLUSH = 10;

/**
 * Pages of the region's listing: the given ones, or as many as pay. A page
 * that fails ends the listing: the connections of the pages before it are
 * still good answers, and the error says what to do about the rest. The
 * listing stops as soon as every connection in `ids` has been seen, when the
 * pages left are at least as many as the connections not seen yet (single
 * reads of those are then cheaper), after MAX_PAGES_PER_FLUSH pages, and when
 * `deadline` has passed: a region of thousands of connections costs a page
 * or two, not all of them. Remembers on which page each connection was, and
 * how many pages the region has.
 */
async function listPages(
    api: VpcApi,
    regionId: string,
    group: Group,
    wanted: number[] | "all",
    ids: string[],
    clock: Clock,
    deadline: number,
): Promise<{ connections: Map<string, Body>; calls: number; error?: unknown }> {
    const connections = new Map<string, Body>();
    const pages = wanted === "all" ? undefined : wanted;
    let calls = 0;
    for (let i = 0; pages === undefined || i < pages.length; i++) {
        if (i > 0 && clock.now() > deadline) {
            break;
        }
        const page = pages === undefined ? i + 1 : pages[i];
        let body: Body;
        calls++;
        try {
            body = await api.describeVpnConnections(regionId, page, PAGE_SIZE);
        } catch (error) {
            return { connections, calls, error };
        }
        const items = listItems(body);
        for (const item of items) {
            if (typeof item.VpnConnectionId === "string") {
                connections.set(item.VpnConnectionId, item);
                group.pageOf.set(item.VpnConnectionId, page);
            }
        }
        const total = Number(body.TotalCount);
        if (Number.isFinite(total)) {
            group.pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
        }
        if (pages === undefined && (items.length < PAGE_SIZE || !Number.isFinite(total) || page * PAGE_SIZE >= total)) {
            group.pages = page;
            break;
        }
        const unseen = ids.filter((id) => !connections.has(id)).length;
        if (unseen === 0) {
            break;
        }
        if (pages === undefined && ((group.pages ?? Infinity) - page >= unseen || calls >= MAX_PAGES_PER_FLUSH)) {
            break;
        }
    }
    return { connections, calls };
}

function listItems(body: Body): Body[] {
    const wrapper = body.VpnConnections;
    const items =
        typeof wrapper === "object" && wrapper !== null
            ? (wrapper as { VpnConnection?: unknown }).VpnConnection
            : undefined;
    // Stryker disable next-line ArrayDeclaration: an entry that is not a connection counts for no reader, and one entry is as short a page as none
    return Array.isArray(items) ? items.filter((i): i is Body => typeof i === "object" && i !== null) : [];
}
