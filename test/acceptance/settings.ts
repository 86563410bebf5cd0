/**
 * When the acceptance suite runs against Alibaba Cloud, and with what. It
 * runs only when asked to and given everything it needs; otherwise it says in
 * one line what is missing.
 */

export interface AcceptanceSettings {
    region: string;
    accessKeyId: string;
    accessKeySecret: string;
    securityToken?: string;
    /** A regional endpoint override, e.g. a VPC endpoint reachable from a private network. */
    endpoint?: string;
    singleTunnelId: string;
    dualTunnelId: string;
    /** Also change attributes that renegotiate a tunnel (PFS groups), not only name, DPD and lifetimes. */
    allowDisruptive: boolean;
}

export const ENABLE = "ALICLOUD_ACCEPTANCE";

const REQUIRED = {
    region: "ALICLOUD_REGION",
    accessKeyId: "ALICLOUD_ACCESS_KEY",
    accessKeySecret: "ALICLOUD_SECRET_KEY",
    singleTunnelId: "ALICLOUD_ACCEPTANCE_SINGLE_TUNNEL_ID",
    dualTunnelId: "ALICLOUD_ACCEPTANCE_DUAL_TUNNEL_ID",
} as const;

/** The settings, or the one line that says why the suite does not run. */
export function acceptanceSettings(env: NodeJS.ProcessEnv): AcceptanceSettings | { skipped: string } {
    const howTo = `set ${ENABLE}=1 and ${Object.values(REQUIRED).join(", ")} (docs/testing.md, "Acceptance tests against Alibaba Cloud")`;
    if (env[ENABLE] !== "1") {
        return { skipped: `acceptance suite against Alibaba Cloud skipped: ${howTo}` };
    }
    const missing = Object.values(REQUIRED).filter((name) => !env[name]);
    if (missing.length > 0) {
        return { skipped: `acceptance suite against Alibaba Cloud skipped: ${missing.join(", ")} not set; ${howTo}` };
    }
    const value = (key: keyof typeof REQUIRED) => env[REQUIRED[key]] as string;
    return {
        region: value("region"),
        accessKeyId: value("accessKeyId"),
        accessKeySecret: value("accessKeySecret"),
        ...(env.ALICLOUD_SECURITY_TOKEN && { securityToken: env.ALICLOUD_SECURITY_TOKEN }),
        ...(env.ALICLOUD_ACCEPTANCE_ENDPOINT && { endpoint: env.ALICLOUD_ACCEPTANCE_ENDPOINT }),
        singleTunnelId: value("singleTunnelId"),
        dualTunnelId: value("dualTunnelId"),
        allowDisruptive: env.ALICLOUD_ACCEPTANCE_ALLOW_DISRUPTIVE === "1",
    };
}
