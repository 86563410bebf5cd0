/** Preview as the engine runs it (check, then diff) against a state `up` left, for the preview tests. */
import { expect } from "chai";
import { check, diff } from "../../provider/pulumi/handlers";
import { observedToOutputs } from "../../provider/model/pulumiState";
import { AttributeOutputs, CheckedInputs, DesiredAttributes, ObservedConnection } from "../../provider/model/types";
import { SETTINGS } from "./fixtures";

/** State as `up` left it: the connection as observed, managing what the program declared. */
export function stateOf(observed: ObservedConnection, declared: DesiredAttributes = {}): AttributeOutputs {
    return observedToOutputs(observed, SETTINGS, declared);
}

/** What `pulumi preview` shows for the program's inputs against that state: its changes, or the error it stops with. */
export function preview(olds: AttributeOutputs, inputs: Record<string, unknown>): boolean | string {
    const checked = check({}, { ...SETTINGS, ...inputs });
    expect(checked.failures ?? [], JSON.stringify(checked.failures)).to.deep.equal([]);
    try {
        return diff(SETTINGS.vpnConnectionId, olds, checked.inputs as CheckedInputs).changes ?? false;
    } catch (err) {
        return (err as Error).message;
    }
}
