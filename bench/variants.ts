/** The stacks the Pulumi benchmarks compare: the provider (installed, or by path) and the do-nothing provider. */
import { packageName, ProviderSource } from "./package";
import { ProgramKind } from "./pulumi";

export type Variant = ProviderSource | "noop";

export const VARIANT_LABEL: Record<Variant, string> = {
    package: "VpnAttachmentAttribute (installed package)",
    repo: "VpnAttachmentAttribute (by path, serialized by value)",
    noop: "do-nothing dynamic resource",
};

export function programOf(variant: Variant): ProgramKind {
    return variant === "noop" ? "noop" : "vpn";
}

export function extraConfig(variant: Variant): Record<string, string> {
    return variant === "noop" ? {} : { source: variant, package: packageName() };
}
