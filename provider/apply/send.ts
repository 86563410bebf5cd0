import { randomUUID } from "node:crypto";
import { callWithRetries } from "./calls";
import { ConvergeContext } from "./context";
import { notAccepted } from "./standing";
import { clientToken, ModifyRequest } from "../model/requests";
import { ResourceSettings } from "../model/types";

export interface Sent {
    /** When the service accepted it: the task's clock starts here, retry waits excluded. */
    acceptedAt: number;
    /** The accepted call's RequestId, for messages that end the wait for its task. */
    requestId: string;
}

/**
 * Sends the Modify under a client token of its own: each call is one attempt
 * to converge, and only its retries share the token (see `clientToken`), so a
 * lost answer cannot apply the change twice, nor a later attempt be taken for
 * a replay of this one.
 */
export async function send(settings: ResourceSettings, unsigned: ModifyRequest, ctx: ConvergeContext): Promise<Sent> {
    const request: ModifyRequest = { ...unsigned, clientToken: clientToken(unsigned, randomUUID()) };
    let requestId: string;
    try {
        ({ requestId } = await callWithRetries("ModifyVpnAttachmentAttribute", settings, ctx, () =>
            ctx.api.modifyVpnAttachmentAttribute(request),
        ));
    } catch (err) {
        if (ctx.standing) notAccepted(ctx.standing, err);
        throw err;
    }
    if (ctx.standing) ctx.standing.modify = { accepted: true, requestId };
    return { acceptedAt: ctx.clock.now(), requestId };
}
