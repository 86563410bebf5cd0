import { ConvergeContext } from "./context";
import { onSharedTicks } from "../service/batching";

/**
 * The delays of one of the update's waits: `delays` as they are while the
 * connection is waited on alone, moved onto the fleet's shared ticks while
 * other connections are waited on too (their polls then go out together).
 */
export function fleetPollDelays(ctx: ConvergeContext, delays: Iterator<number>): Iterator<number> {
    return onSharedTicks(
        delays,
        () => ctx.clock.now(),
        () => ctx.sharedPolls?.() === true,
    );
}
