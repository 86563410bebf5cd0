import { ConvergeContext } from "./context";
import { Acceptor, connectionSettled, WaitTimeoutError } from "../service/waiting";
import { watchConnection } from "../service/watching";
import { Negotiator } from "../model/rolloutPlan";
import { ObservedConnection, ResourceSettings } from "../model/types";

/** The Status of a tunnel, or of a single-tunnel connection, that carries traffic (phase 2 done). */
export const NEGOTIATED = "ipsec_sa_established";
/** The BGP status of a session that is up; the other value the API lists is "false". */
const BGP_UP = "success";

/** "tunnel 1 (tun-1)", or "the connection" for a single-tunnel connection. */
export function nameOf(negotiator: Negotiator): string {
    return negotiator.tunnelId === undefined
        ? "the connection"
        : `tunnel ${negotiator.tunnelIndex} (${negotiator.tunnelId})`;
}

/** A name at the start of a sentence: "Tunnel 1 (tun-1)". */
export function upper(text: string): string {
    return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Where its negotiation stands: Status and, when BGP runs over it, the BGP status. */
export interface NegotiationState {
    status?: string;
    /** Undefined when BGP is not enabled: then it does not count. */
    bgpStatus?: string;
}

/** Its state as `observed` reports it; undefined when the connection no longer has the tunnel. */
export function negotiationOf(observed: ObservedConnection, negotiator: Negotiator): NegotiationState | undefined {
    if (negotiator.tunnelId === undefined) {
        const bgp = observed.bgpConfig;
        return { status: observed.status, bgpStatus: bgp?.enableBgp === true ? (bgp.status ?? "") : undefined };
    }
    const tunnel = observed.tunnelOptionsSpecification?.find((t) => t.tunnelId === negotiator.tunnelId);
    if (!tunnel) {
        return undefined;
    }
    const bgpStatus = observed.enableTunnelsBgp === true ? (tunnel.tunnelBgpConfig?.bgpStatus ?? "") : undefined;
    return { status: tunnel.status, bgpStatus };
}

/** True when it carries traffic: phase 2 established, and BGP up where BGP is enabled. */
export function isNegotiated(state: NegotiationState | undefined): boolean {
    return state?.status === NEGOTIATED && (state.bgpStatus === undefined || state.bgpStatus === BGP_UP);
}

/** "ike_sa_not_established", "ipsec_sa_established with BGP false", for messages and progress lines. */
export function describeNegotiation(state: NegotiationState | undefined): string {
    if (state === undefined) {
        return "no longer reported by the connection";
    }
    const status = state.status || "no status";
    return state.bgpStatus === undefined ? status : `${status} with BGP ${state.bgpStatus || "not reported"}`;
}

export interface NegotiationOutcome {
    negotiated: boolean;
    /** The last reading: the connection as the wait last saw it (undefined if no poll answered). */
    observed?: ObservedConnection;
    /** Where the negotiator stood at that reading. */
    state?: NegotiationState;
    elapsedMs: number;
}

/**
 * Waits, once its task has finished, until the negotiator carries traffic
 * again, for at most `timeoutMs` (and never past the update's deadline).
 * A tunnel that does not negotiate is an outcome, not an error: the caller
 * decides whether to revert, and what to tell.
 */
export async function waitUntilNegotiated(
    settings: ResourceSettings,
    negotiator: Negotiator,
    ctx: ConvergeContext,
    read: () => Promise<ObservedConnection>,
    timeoutMs: number,
): Promise<NegotiationOutcome> {
    const start = ctx.clock.now();
    let last: ObservedConnection | undefined;
    const poll = async () => (last = await read());
    const name = nameOf(negotiator);
    const negotiated: Acceptor<ObservedConnection> = (observed) => {
        const settled = connectionSettled(observed);
        if (settled.state !== "success") {
            return settled;
        }
        const state = negotiationOf(observed, negotiator);
        if (isNegotiated(state)) {
            return settled;
        }
        return {
            // Stryker disable next-line StringLiteral: waitFor tells only "success" and "failure" apart: any other state is a retry
            state: "retry",
            reason: "it carries no traffic yet",
        };
    };
    try {
        const done = await watchConnection(ctx, negotiated, {
            read: poll,
            waitingFor: `${settings.vpnConnectionId}: ${name} to negotiate again`,
            describe: (observed) => `${name} ${describeNegotiation(negotiationOf(observed, negotiator))}`,
            timeoutMs,
        });
        return {
            negotiated: true,
            observed: done.observed,
            state: negotiationOf(done.observed, negotiator),
            elapsedMs: ctx.clock.now() - start,
        };
    } catch (err) {
        if (!(err instanceof WaitTimeoutError)) {
            throw err;
        }
        return {
            negotiated: false,
            observed: last,
            state: last && negotiationOf(last, negotiator),
            elapsedMs: ctx.clock.now() - start,
        };
    }
}
