import { VpcApi } from "../service/client";
import type { WatchContext } from "../service/watching";
import type { Standing } from "./standing";
import { WriteOnlyAttributes } from "../model/types";

/**
 * Everything one create or update needs from its surroundings: what its waits
 * need (the clock, the deadline, where progress lines go, the connection's
 * fleet and last task length: see watching.ts), and the rest below.
 */
export interface ConvergeContext extends WatchContext {
    api: VpcApi;
    /** What was last applied of the attributes Describe does not report, from state. */
    writeOnly?: WriteOnlyAttributes;
    /** Where the update got to (the Modify, the last read), for the message if it ends at its deadline. */
    standing?: Standing;
}
