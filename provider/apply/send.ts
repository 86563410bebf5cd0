import { randomUUID } from "node:crypto";
import { callWithRetries } from "./calls";
import { ConvergeContext } from "./context";
import { clientToken, ModifyRequest } from "../model/requests";
import { ResourceSettings } from "../model/types";

export interface Sent {
    /** When the service accepted it: the task's clock starts here, retry waits excluded. */
    acceptedAt: number;
}

/**
 * Sends the Modify under a client token of its own: each call is one attempt
 * to converge, and only its retries share the token (see `clientToken`), so a
 * lost answer cannot apply the change twice, nor a later attempt be taken for
 * a replay of this one.
 */
export async function send(settings: ResourceSettings, unsigned: ModifyRequest, ctx: ConvergeContext): Promise<Sent> {
    const request: ModifyRequest = { ...unsigned, clientToken: clientToken(unsigned, randomUUID()) };
    await callWithRetries("ModifyVpnAttachmentAttribute", settings, ctx, () =>
        ctx.api.modifyVpnAttachmentAttribute(request),
    );
    return { acceptedAt: ctx.clock.now() };
}
