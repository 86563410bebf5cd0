/**
 * The reference strategies' own client: the official SDK used directly, as a
 * hand-written caller (or the Terraform provider) would, pointed at the
 * emulator. One client per strategy run.
 */
import { Config } from "@alicloud/openapi-client";
import Vpc, { DescribeVpnConnectionRequest, ModifyVpnAttachmentAttributeRequest } from "@alicloud/vpc20160428";

export interface EmulatorKeys {
    endpoint: string;
    accessKeyId: string;
    accessKeySecret: string;
}

export interface ReferenceClient {
    rename(vpnConnectionId: string, name: string): Promise<void>;
    /** True when neither the connection nor any tunnel is running a task. */
    settled(vpnConnectionId: string): Promise<boolean>;
}

const BUSY = ["updating", "provisioning", "attaching", "detaching", "upgrading", "deleting"];

export function referenceClient(emulator: EmulatorKeys, regionId = "cn-hangzhou"): ReferenceClient {
    const client = new Vpc(
        new Config({
            accessKeyId: emulator.accessKeyId,
            accessKeySecret: emulator.accessKeySecret,
            endpoint: emulator.endpoint.replace(/^https?:\/\//, ""),
            protocol: "http",
            regionId,
            readTimeout: 10_000,
            connectTimeout: 5_000,
        }),
    );
    return {
        async rename(vpnConnectionId, name) {
            await onceMore(() =>
                client.modifyVpnAttachmentAttribute(
                    new ModifyVpnAttachmentAttributeRequest({ regionId, vpnConnectionId, name }),
                ),
            );
        },
        async settled(vpnConnectionId) {
            const response = await onceMore(() =>
                client.describeVpnConnection(new DescribeVpnConnectionRequest({ regionId, vpnConnectionId })),
            );
            const body = response.body;
            const states = [
                body?.state,
                ...(body?.tunnelOptionsSpecification?.tunnelOptions ?? []).map((t) => t.state),
            ];
            return !states.some((s) => s !== undefined && BUSY.includes(s.toLowerCase()));
        },
    };
}

/**
 * Node's global agent keeps sockets alive and the server closes idle ones
 * after 5 s, so a request after a longer sleep can meet a socket being closed
 * (ECONNRESET before the server saw anything). Any real caller retries that.
 */
async function onceMore<T>(fn: () => Promise<T>): Promise<T> {
    try {
        return await fn();
    } catch (err) {
        if (/ECONNRESET|socket hang up/.test(String((err as { message?: unknown })?.message ?? err))) {
            return fn();
        }
        throw err;
    }
}
