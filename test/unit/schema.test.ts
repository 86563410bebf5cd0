import { expect } from "chai";
import * as Vpc from "@alicloud/vpc20160428";
import { ATTRIBUTES, entriesOf, Fields, TUNNEL_FIELDS, WRITE_ONLY_ATTRIBUTES } from "../../provider/model/schema";
import { DUAL_TUNNEL_FIELDS, SINGLE_TUNNEL_FIELDS } from "../../provider/model/types";

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
