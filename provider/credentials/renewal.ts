/**
 * Credentials for every call of one operation. An update may wait on the
 * service's task for longer than temporary keys live (AssumeRole sessions
 * last 900 s and up): the keys are looked at before each call, and renewed
 * once they are within the renewal margin of their expiry, so that no call
 * is signed with keys that expire under it.
 */
import type { ResolvedCredentials } from "./sources";
import { RENEW_BEFORE_MS } from "./sts";
import type { Clock } from "../foundation/clock";
import { assertBeforeDeadline } from "../foundation/deadline";

/**
 * The operation's credentials as each call should use them: `first` while it
 * does not expire within the margin, then what `resolve` gives (which renews
 * AssumeRole sessions past the same margin). Concurrent calls share one
 * renewal; none starts after `deadline`.
 */
export function renewingCredentials(
    first: ResolvedCredentials,
    resolve: () => Promise<ResolvedCredentials>,
    clock: Clock,
    deadline: number,
): () => Promise<ResolvedCredentials> {
    let current = first;
    let renewal: Promise<ResolvedCredentials> | undefined;
    return async () => {
        if (current.expiresAt === undefined || current.expiresAt - clock.now() > RENEW_BEFORE_MS) {
            return current;
        }
        if (renewal === undefined) {
            assertBeforeDeadline(`Renewing the temporary keys of ${current.source}`, clock.now(), deadline);
            renewal = resolve().finally(() => {
                renewal = undefined;
            });
        }
        current = await renewal;
        return current;
    };
}
