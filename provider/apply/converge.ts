import { randomUUID } from "node:crypto";
import { onSharedTicks } from "../service/batching";
import { Clock } from "../service/clock";
import { VpcApi } from "../service/client";
import { compareAttributes } from "../model/diffing";
import { formatServiceError, isServiceError, ProviderError, redact } from "../service/errors";
import { withLock } from "../service/locking";
import { observeConnection } from "../model/normalize";
import { buildModifyRequest, clientToken, ModifyRequest } from "../model/requests";
import { retry } from "../service/retrying";
import { modeConflicts } from "../model/validation";
import {
    Acceptor,
    connectionSettled,
    describeConnection,
    pollDelays,
    waitFor,
    WaitTimeoutError,
} from "../service/waiting";
import {
    DesiredAttributes,
    FieldDifference,
    ObservedConnection,
    ResourceSettings,
    WRITE_ONLY_FIELDS,
    WriteOnlyAttributes,
} from "../model/types";

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
    /** Where the credentials came from (a setting's name, never a value), for errors about them. */
    credentialSource?: string;
    random?: () => number;
    /** Whether other connections are being waited on, so polls should keep to the shared grid. */
    sharedPolls?: () => boolean;
}

export interface ConvergeResult {
    observed: ObservedConnection;
    /** The Modify request that was sent, or undefined when nothing differed. */
    request?: ModifyRequest;
    /** How long the service's task took, from sending to settled. */
    taskMs?: number;
    describeCalls: number;
}

/**
 * After a Modify, a settled connection that does not yet show the new values
 * may simply not have entered `updating` yet; give it this long before
 * calling the values unconverged.
 */
export const CONVERGENCE_GRACE_MS = 15_000;

export class ConnectionNotFoundError extends ProviderError {
    constructor(settings: ResourceSettings) {
        super(
            `IPsec-VPN connection ${settings.vpnConnectionId} was not found in region ${settings.regionId}: ` +
                `check vpnConnectionId and regionId (this resource manages an existing connection; it does not create one)`,
            "ConnectionNotFoundError",
        );
    }
}

export class NotConvergedError extends ProviderError {
    constructor(vpnConnectionId: string, differences: FieldDifference[]) {
        super(
            `IPsec-VPN connection ${vpnConnectionId} finished its task but does not report the declared values for: ` +
                differences.map(describeDifference).join("; "),
            "NotConvergedError",
        );
    }
}

function describeDifference(d: FieldDifference): string {
    if (d.secret) {
        return `${d.path} (a pre-shared key; value not shown)`;
    }
    return `${d.path} (declared ${JSON.stringify(d.desired)}, service reports ${JSON.stringify(d.actual)})`;
}

/** Reads the connection once, retrying transient faults; undefined when it does not exist. */
export async function describe(
    settings: ResourceSettings,
    ctx: ConvergeContext,
): Promise<ObservedConnection | undefined> {
    const body = await retry(() => ctx.api.describeVpnConnection(settings.regionId, settings.vpnConnectionId), {
        // A wait takes its last look at the deadline, to say what it saw; a read then changes nothing, so it gets one attempt.
        deadline: Math.max(ctx.deadline, ctx.clock.now() + 1),
        clock: ctx.clock,
        random: ctx.random,
        onRetry: (err, delayMs) => ctx.log(retryLine("DescribeVpnConnection", settings, err, delayMs, ctx.secrets)),
    }).catch((err: unknown) => {
        throw explain(err, "DescribeVpnConnection", settings, ctx.secrets, ctx.credentialSource);
    });
    return body === undefined ? undefined : observeConnection(body);
}

/**
 * Makes the connection report the declared attributes: wait for any running
 * task, send one Modify with only what differs, wait for its task, and check
 * the result. Holds a per-connection lock throughout, so one provider process
 * never races itself into VpnTask.CONFLICT.
 */
export function converge(
    settings: ResourceSettings,
    desired: DesiredAttributes,
    ctx: ConvergeContext,
): Promise<ConvergeResult> {
    const queuedAt = ctx.clock.now();
    return withLock(`${settings.regionId}/${settings.vpnConnectionId}`, async () => {
        // The deadline was set before this update queued behind others on the lock.
        if (ctx.clock.now() >= ctx.deadline) {
            throw new WaitTimeoutError(
                `IPsec-VPN connection ${settings.vpnConnectionId}: the deadline passed after ` +
                    `${Math.round((ctx.clock.now() - queuedAt) / 1000)} s waiting for another update of the same ` +
                    `connection in this process; nothing was sent. Raise timeoutSeconds or run the update again`,
                0,
                ctx.clock.now() - queuedAt,
            );
        }
        const shared = ctx.sharedPolls ?? (() => false);
        let describeCalls = 0;
        let applied: WriteOnlyAttributes = { ...ctx.writeOnly };
        const poll = async (): Promise<ObservedConnection> => {
            describeCalls++;
            const observed = await describe(settings, ctx);
            if (!observed) {
                throw new ConnectionNotFoundError(settings);
            }
            return withWriteOnly(observed, applied);
        };

        // Another task may be running (a console change, another pipeline):
        // its length is unknown, so this wait does not use the learned duration.
        const before = await waitFor({
            poll,
            acceptor: connectionSettled,
            deadline: ctx.deadline,
            clock: ctx.clock,
            delays: onSharedTicks(pollDelays({}, ctx.random), () => ctx.clock.now(), shared),
            describe: describeConnection,
            progress: (line) => ctx.log(redact(line, ctx.secrets)),
            waitingFor: `${settings.vpnConnectionId}: a task already running, before sending ModifyVpnAttachmentAttribute`,
        });
        const current = before.value;
        // The Modify carries the connection's current PSK whenever the program
        // declares none (see requests.ts's `merged`), and the service may
        // echo what it was sent: scrub those keys from messages too.
        ctx.secrets.push(...observedPsks(current));

        const wrongMode = modeConflicts(desired, current.mode);
        if (wrongMode.length > 0) {
            throw new Error(
                `IPsec-VPN connection ${settings.vpnConnectionId} is a ${current.mode}-tunnel connection, which does not accept: ` +
                    `${wrongMode.join(", ")}. ${
                        current.mode === "dual"
                            ? "Declare these settings per tunnel in tunnelOptionsSpecification instead."
                            : "Declare these settings at the top level (ikeConfig, ipsecConfig, bgpConfig, ...) instead."
                    }`,
            );
        }

        const unsigned = buildModifyRequest(settings, desired, current);
        if (!unsigned) {
            return { observed: current, describeCalls };
        }
        // One token per attempt to converge, shared by its retries only (see clientToken).
        const request: ModifyRequest = { ...unsigned, clientToken: clientToken(unsigned, randomUUID()) };

        await retry(() => ctx.api.modifyVpnAttachmentAttribute(request), {
            deadline: ctx.deadline,
            clock: ctx.clock,
            random: ctx.random,
            onRetry: (err, delayMs) =>
                ctx.log(retryLine("ModifyVpnAttachmentAttribute", settings, err, delayMs, ctx.secrets)),
        }).catch((err: unknown) => {
            throw explain(err, "ModifyVpnAttachmentAttribute", settings, ctx.secrets, ctx.credentialSource);
        });
        // Timed from the accepted Modify: retry waits are not part of the task.
        const sentAt = ctx.clock.now();
        applied = { ...applied, ...pickWriteOnly(desired) };

        const converged: Acceptor<ObservedConnection> = (observed) => {
            const settled = connectionSettled(observed);
            if (settled.state !== "success") {
                return settled;
            }
            const differences = compareAttributes(desired, observed);
            if (differences.length === 0) {
                return settled;
            }
            if (ctx.clock.now() - sentAt < CONVERGENCE_GRACE_MS) {
                return { state: "retry", reason: "task not started yet" };
            }
            throw new NotConvergedError(settings.vpnConnectionId, differences);
        };
        const after = await waitFor({
            poll,
            acceptor: converged,
            deadline: ctx.deadline,
            clock: ctx.clock,
            delays: onSharedTicks(
                pollDelays({ expectedMs: ctx.expectedTaskMs ?? ctx.fleetTasks?.typicalMs() }, ctx.random),
                () => ctx.clock.now(),
                shared,
            ),
            describe: describeConnection,
            progress: (line) => ctx.log(redact(line, ctx.secrets)),
            waitingFor: `${settings.vpnConnectionId}: the task ModifyVpnAttachmentAttribute started`,
            // The task has only just started: a Describe now cannot succeed.
            pollFirst: false,
        });
        const taskMs = ctx.clock.now() - sentAt;
        ctx.fleetTasks?.record(taskMs);
        return { observed: after.value, request, taskMs, describeCalls };
    });
}

/** Every pre-shared key the connection reports. */
export function observedPsks(observed: ObservedConnection): string[] {
    return [
        observed.ikeConfig?.psk,
        ...(observed.tunnelOptionsSpecification ?? []).map((t) => t.tunnelIkeConfig?.psk),
    ].filter((psk): psk is string => typeof psk === "string" && psk.length > 0);
}

export function pickWriteOnly(source: DesiredAttributes): WriteOnlyAttributes {
    const picked: Record<string, unknown> = {};
    for (const field of WRITE_ONLY_FIELDS) {
        if (source[field] !== undefined) picked[field] = source[field];
    }
    return picked as WriteOnlyAttributes;
}

/** Fills in, where the service reports nothing, what was last applied. */
export function withWriteOnly(observed: ObservedConnection, applied: WriteOnlyAttributes): ObservedConnection {
    const filled: Record<string, unknown> = { ...observed };
    for (const field of WRITE_ONLY_FIELDS) {
        if (filled[field] === undefined && applied[field] !== undefined) filled[field] = applied[field];
    }
    return filled as unknown as ObservedConnection;
}

function retryLine(
    action: string,
    settings: ResourceSettings,
    err: unknown,
    delayMs: number,
    secrets: string[],
): string {
    const what = isServiceError(err)
        ? `${err.code}${err.requestId ? ` (RequestId ${err.requestId})` : ""}`
        : messageOf(err);
    return redact(
        `${settings.vpnConnectionId}: ${action} got ${what}; retrying in ${(delayMs / 1000).toFixed(1)} s`,
        secrets,
    );
}

function messageOf(err: unknown): string {
    return typeof err === "object" && err !== null && typeof (err as { message?: unknown }).message === "string"
        ? (err as { message: string }).message
        : String(err);
}

/**
 * Turns any failure into one error that says what to do, with no secret in
 * it. Errors are recognised by shape: the provider runs from the copy Pulumi
 * serialized into state, where `instanceof` across classes is unreliable.
 */
export function explain(
    err: unknown,
    action: string,
    settings: ResourceSettings,
    secrets: string[],
    credentialSource?: string,
): Error {
    const name = typeof err === "object" && err !== null ? String((err as { name?: unknown }).name) : "";
    if (name === EXPLAINED) {
        return err as Error;
    }
    if (SELF_EXPLAINING.includes(name)) {
        return new ProviderError(redact(messageOf(err), secrets), EXPLAINED);
    }
    return new ProviderError(
        formatServiceError(err, {
            action,
            vpnConnectionId: settings.vpnConnectionId,
            regionId: settings.regionId,
            secrets,
            credentialSource,
        }),
        EXPLAINED,
    );
}

const EXPLAINED = "VpnAttachmentAttributeError";
/** Errors whose message already names the connection and what to do. */
const SELF_EXPLAINING = ["ConnectionNotFoundError", "NotConvergedError", "WaitFailedError", "WaitTimeoutError"];
