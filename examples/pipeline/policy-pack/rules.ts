/**
 * The rules of the policy pack, as plain functions of a resource's inputs, so
 * that they are tested without the policy engine (index.ts wires them in).
 */

/** The type this package's resource registers (`new dynamic.Resource(..., module, type)`). */
export const RESOURCE_TYPE = "pulumi-nodejs:dynamic/alicloud:VpnAttachmentAttribute";

const FORBIDDEN: Record<string, string[]> = {
    ikeEncAlg: ["des"],
    ipsecEncAlg: ["des"],
    ikeAuthAlg: ["md5"],
    ipsecAuthAlg: ["md5"],
    ikeVersion: ["ikev1"],
};

/** DH groups of at least 2048 bits: of the page's list, group14 only (group1, group2, group5 are weaker). */
export const STRONG_PFS = ["group14"];
const PFS_FIELDS = ["ikePfs", "ipsecPfs"];

/**
 * Every weak setting the inputs declare, as one message each naming the
 * property path. Undeclared settings are not judged: the resource leaves them
 * as the connection has them, so there is nothing here to refuse.
 */
export function weakCryptoViolations(props: Record<string, unknown>): string[] {
    const configs: Array<[string, unknown]> = [
        ["ikeConfig", props.ikeConfig],
        ["ipsecConfig", props.ipsecConfig],
    ];
    const tunnels = Array.isArray(props.tunnelOptionsSpecification) ? props.tunnelOptionsSpecification : [];
    tunnels.forEach((tunnel: unknown, i) => {
        if (isRecord(tunnel)) {
            configs.push([`tunnelOptionsSpecification[${i}].tunnelIkeConfig`, tunnel.tunnelIkeConfig]);
            configs.push([`tunnelOptionsSpecification[${i}].tunnelIpsecConfig`, tunnel.tunnelIpsecConfig]);
        }
    });
    const violations: string[] = [];
    for (const [path, config] of configs) {
        if (!isRecord(config)) continue;
        for (const [field, value] of Object.entries(config)) {
            if (typeof value !== "string") continue;
            const name = value.toLowerCase();
            if (FORBIDDEN[field]?.includes(name)) {
                violations.push(
                    `${path}.${field} is ${value}, which is forbidden: use ${field === "ikeVersion" ? "ikev2" : field.endsWith("EncAlg") ? "aes256" : "sha256"}`,
                );
            }
            if (PFS_FIELDS.includes(field) && !STRONG_PFS.includes(name)) {
                violations.push(
                    `${path}.${field} is ${value}: perfect forward secrecy must use ${STRONG_PFS.join(" or ")}`,
                );
            }
        }
    }
    return violations;
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
