/**
 * Hands the engine a detailed diff, which Pulumi's Node.js dynamic-provider
 * host does not forward: its `diff` copies only `changes`, `replaces` and
 * `deleteBeforeReplace` of a DiffResult into the gRPC DiffResponse. Without
 * a detailed diff the CLI compares the previous inputs with the new ones
 * itself, with secrets masked: a PSK change shows no key, and a value
 * declared anew shows as `+` even when the connection already has it.
 *
 * The host fills the response right after it reads `result.changes`, in the
 * same synchronous run (`if (result.changes === true) resp.setChanges(...)`).
 * So the DiffResult this module makes offers its changes when `changes` is
 * read, and the host's `DiffResponse.setChanges`, wrapped once per process,
 * takes them (and clears them, whatever the answer) as it is called. Where
 * the host is not Pulumi's (a test calling the provider, or a host that
 * changed), nothing is wrapped, nothing takes the offer, and the preview
 * shows what the CLI computes itself.
 */
import type * as pulumi from "@pulumi/pulumi";
import { changedKeys, PropertyChange } from "../model/previewPaths";

/** The parts of the host's generated protobuf classes (`@pulumi/pulumi/proto/provider_pb`) this module uses. */
interface PropertyDiffMessage {
    setKind(kind: number): void;
    setInputdiff(fromInputs: boolean): void;
}
interface DiffResponseMessage {
    setChanges: (this: DiffResponseMessage, value: number) => unknown;
    setDiffsList(keys: string[]): void;
    getDetaileddiffMap(): { set(path: string, diff: PropertyDiffMessage): void };
    setHasdetaileddiff(value: boolean): void;
}
export interface ProviderProto {
    DiffResponse: { prototype: DiffResponseMessage; DiffChanges: { DIFF_SOME: number } };
    PropertyDiff: (new () => PropertyDiffMessage) & { Kind: Record<"ADD" | "UPDATE" | "DELETE", number> };
}

/** The host's entry script, resolved from @pulumi/pulumi: `node .../cmd/dynamic-provider/index.js`. */
const HOST_SCRIPT = /[\\/]@pulumi[\\/]pulumi[\\/]cmd[\\/]dynamic-provider[\\/]index\.js$/;

let offered: readonly PropertyChange[] | undefined;
let wrapped = false;

function fill(response: DiffResponseMessage, proto: ProviderProto, changes: readonly PropertyChange[]): void {
    const kinds = {
        add: proto.PropertyDiff.Kind.ADD,
        update: proto.PropertyDiff.Kind.UPDATE,
        delete: proto.PropertyDiff.Kind.DELETE,
    };
    response.setDiffsList(changedKeys(changes));
    const map = response.getDetaileddiffMap();
    for (const change of changes) {
        const diff = new proto.PropertyDiff();
        diff.setKind(kinds[change.kind]);
        diff.setInputdiff(change.fromInputs);
        map.set(change.path, diff);
    }
    response.setHasdetaileddiff(true);
}

/** Makes `DiffResponse.setChanges` take the changes offered, and clear them, whatever the answer. */
export function wrapDiffResponse(proto: ProviderProto): void {
    const prototype = proto.DiffResponse.prototype;
    const setChanges = prototype.setChanges;
    prototype.setChanges = function (this: DiffResponseMessage, value: number) {
        const changes = offered;
        offered = undefined;
        const result = setChanges.call(this, value);
        if (changes && value === proto.DiffResponse.DiffChanges.DIFF_SOME) {
            fill(this, proto, changes);
        }
        return result;
    };
}

/**
 * Wraps the host's response once, when this process is Pulumi's
 * dynamic-provider host. The protobuf module is the host's own, resolved
 * from its entry script, so the class is the one it fills.
 */
function wrapHostResponse(): void {
    if (wrapped) {
        return;
    }
    wrapped = true;
    try {
        const host = require.main;
        if (host && HOST_SCRIPT.test(host.filename)) {
            wrapDiffResponse(host.require("../../proto/provider_pb") as ProviderProto);
        }
    } catch {
        // Another host layout: the preview shows what the CLI computes itself.
    }
}

/**
 * An update's DiffResult that also tells the engine which inputs change
 * (`changes`), for the preview to name exactly those.
 */
export function withDetailedDiff(
    result: { replaces: string[]; deleteBeforeReplace: boolean },
    changes: PropertyChange[],
): pulumi.dynamic.DiffResult {
    wrapHostResponse();
    return {
        get changes() {
            offered = changes;
            // Never left for a later, unrelated response: the host's setChanges follows this read synchronously.
            queueMicrotask(() => (offered = undefined));
            return true;
        },
        replaces: result.replaces,
        deleteBeforeReplace: result.deleteBeforeReplace,
    };
}
