import * as vm from "node:vm";

/** The object literal the `adopt` command prints, evaluated as a program would (it is plain JavaScript too). */
export function declaredArgs(text: string): Record<string, unknown> {
    const literal = /new VpnAttachmentAttribute\("[^"]*", (\{[\s\S]*\})\);/.exec(text)?.[1];
    if (!literal) throw new Error(`no declaration in:\n${text}`);
    return vm.runInNewContext(`(${literal})`) as Record<string, unknown>;
}
