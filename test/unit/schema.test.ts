import { expect } from "chai";
import * as Vpc from "@alicloud/vpc20160428";
import { ATTRIBUTES, entriesOf, Fields, TUNNEL_FIELDS, WRITE_ONLY_ATTRIBUTES } from "../../provider/model/schema";
import { DUAL_TUNNEL_FIELDS, SINGLE_TUNNEL_FIELDS } from "../../provider/model/types";
import { checkInputs } from "../../provider/model/validation";
import type { TunnelOptionsArgs, VpnAttachmentAttributeArgs } from "../../provider";

interface ModelClass {
    names(): Record<string, string>;
    types(): Record<string, unknown>;
}

/** The SDK's model of a field's value (of each entry, for a list). */
function nested(model: ModelClass, field: string): ModelClass {
    const type = model.types()[field] as ModelClass | { itemType: ModelClass };
    return "itemType" in type ? type.itemType : type;
}

/** `[program name, API name]` of every field of a table, with its configs' keys as `field.key`. */
function apiNames(fields: Fields, prefix = ""): Array<[string, string]> {
    return entriesOf(fields).flatMap(([name, spec]): Array<[string, string]> => [
        [`${prefix}${name}`, spec.api],
        ...(spec.kind === "config" && spec.encoding === "object" ? apiNames(spec.fields, `${prefix}${name}.`) : []),
    ]);
}

function sdkApiNames(model: ModelClass, fields: Fields, prefix = ""): Array<[string, string]> {
    return entriesOf(fields).flatMap(([name, spec]): Array<[string, string]> => [
        [`${prefix}${name}`, model.names()[name]],
        ...(spec.kind === "config" && spec.encoding === "object"
            ? sdkApiNames(nested(model, name), spec.fields, `${prefix}${name}.`)
            : []),
    ]);
}

describe("schema", () => {
    const request = Vpc.ModifyVpnAttachmentAttributeRequest as unknown as ModelClass;

    it("names each attribute as the SDK's request model sends it", () => {
        const { tunnelOptionsSpecification: _tunnels, ...attributes } = ATTRIBUTES;
        expect(apiNames(attributes)).to.deep.equal(sdkApiNames(request, attributes));
        expect(ATTRIBUTES.tunnelOptionsSpecification.api).to.equal(request.names().tunnelOptionsSpecification);
    });

    it("names each tunnel field, and each key of a tunnel's configs, as the SDK's tunnel model sends it", () => {
        const tunnel = nested(request, "tunnelOptionsSpecification");
        expect(apiNames(TUNNEL_FIELDS)).to.deep.equal(sdkApiNames(tunnel, TUNNEL_FIELDS));
    });

    it("derives which attributes each tunnel mode takes, and which are write-only, from the entries", () => {
        expect(SINGLE_TUNNEL_FIELDS).to.deep.equal([
            "ikeConfig",
            "ipsecConfig",
            "bgpConfig",
            "healthCheckConfig",
            "customerGatewayId",
            "enableDpd",
            "enableNatTraversal",
        ]);
        expect(DUAL_TUNNEL_FIELDS).to.deep.equal(["tunnelOptionsSpecification", "enableTunnelsBgp"]);
        expect(WRITE_ONLY_ATTRIBUTES).to.deep.equal(["autoConfigRoute"]);
    });
});

describe("schema: the input types of the documented lists", () => {
    const BASE = { regionId: "cn-hangzhou", vpnConnectionId: "vco-1" };

    it("offers each list as a literal union, so an editor refuses a value off it before any preview", () => {
        // Each @ts-expect-error fails the build if its type widens back to string.
        const typos: VpnAttachmentAttributeArgs = {
            ...BASE,
            // @ts-expect-error NetworkType is public or private
            networkType: "internet",
            ikeConfig: {
                // @ts-expect-error ikev3 is on no list
                ikeVersion: "ikev3",
                // @ts-expect-error a typo of group14
                ikePfs: "gruop14",
                // @ts-expect-error no source lists sm4 for this API
                ikeEncAlg: "sm4",
            },
            // @ts-expect-error group24 was Terraform's until 2025, on no current list
            ipsecConfig: { ipsecPfs: "group24" },
        };
        const listed: TunnelOptionsArgs = {
            tunnelIndex: 1,
            tunnelIkeConfig: { ikeVersion: "ikev2", ikeMode: "aggressive", ikeAuthAlg: "sha512", ikePfs: "group14" },
            tunnelIpsecConfig: { ipsecEncAlg: "3des", ipsecAuthAlg: "md5", ipsecPfs: "disabled" },
        };
        // And check refuses the same values at run time, for programs in JavaScript or YAML.
        expect(checkInputs({ ...typos }).failures.map((f) => f.property)).to.have.members([
            "networkType",
            "ikeConfig.ikeVersion",
            "ikeConfig.ikeEncAlg",
            "ikeConfig.ikePfs",
            "ipsecConfig.ipsecPfs",
        ]);
        expect(checkInputs({ ...BASE, tunnelOptionsSpecification: [listed] }).failures).to.deep.equal([]);
    });
});
