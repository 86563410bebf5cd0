/**
 * Which (connection, declaration) pairs a property that applies the
 * declaration skips, and why. Two kinds:
 *
 * - `outOfReach`: refusals no provider can foresee, because check sees only
 *   the program and the rule involves what the connection holds (the
 *   service's answer at `up` is then the right one);
 * - `expectedRefusals`: what the provider refuses before any call.
 */
import { compareAttributes } from "../../../provider/model/diffing";
import { desiredFromInputs } from "../../../provider/model/pulumiState";
import {
    CheckedInputs,
    DesiredAttributes,
    IkeConfig,
    ObservedConnection,
    TunnelOptions,
} from "../../../provider/model/types";
import { ipInCidr } from "../../../provider/model/ipv4";
import { matchTunnel } from "../../../provider/model/tunnels";

function subnetCount(value: string | undefined): number {
    return value === undefined ? 0 : value.split(",").filter((s) => s.trim() !== "").length;
}

interface TunnelView {
    declared?: TunnelOptions;
    observed: NonNullable<ObservedConnection["tunnelOptionsSpecification"]>[number];
}

function tunnelViews(desired: DesiredAttributes, observed: ObservedConnection): TunnelView[] {
    return (observed.tunnelOptionsSpecification ?? []).map((tunnel) => ({
        observed: tunnel,
        declared: (desired.tunnelOptionsSpecification ?? []).find((d) => matchTunnel(d, [tunnel]) !== undefined),
    }));
}

/** Each IKE config as it will be: per tunnel on dual-tunnel connections. */
function ikeViews(
    desired: DesiredAttributes,
    observed: ObservedConnection,
): Array<{ declared?: IkeConfig; observed?: IkeConfig }> {
    if (observed.mode === "single") {
        return [{ declared: desired.ikeConfig, observed: observed.ikeConfig }];
    }
    return tunnelViews(desired, observed).map((t) => ({
        declared: t.declared?.tunnelIkeConfig,
        observed: t.observed.tunnelIkeConfig,
    }));
}

/** IKEv1 with several subnets afterwards; whether the program declares both halves of it. */
function ikeV1MultiRoutes(
    desired: DesiredAttributes,
    observed: ObservedConnection,
): { reached: boolean; bothDeclared: boolean } {
    const local = desired.localSubnet ?? observed.localSubnet;
    const remote = desired.remoteSubnet ?? observed.remoteSubnet;
    const multi = subnetCount(local) > 1 || subnetCount(remote) > 1;
    const declaredMulti = subnetCount(desired.localSubnet) > 1 || subnetCount(desired.remoteSubnet) > 1;
    const views = ikeViews(desired, observed);
    const v1 = views.some((v) => (v.declared?.ikeVersion ?? v.observed?.ikeVersion) === "ikev1");
    const declaredV1 = views.some((v) => v.declared?.ikeVersion === "ikev1");
    return { reached: v1 && multi, bothDeclared: declaredV1 && declaredMulti };
}

/** Refusals that depend on what the connection holds, which check cannot see. */
export function outOfReach(desired: DesiredAttributes, observed: ObservedConnection): boolean {
    const routes = ikeV1MultiRoutes(desired, observed);
    if (routes.reached && !routes.bothDeclared) {
        return true;
    }
    if (observed.mode === "dual") {
        const views = tunnelViews(desired, observed);
        const cidrs = views.map(
            (t) => t.declared?.tunnelBgpConfig?.tunnelCidr ?? t.observed.tunnelBgpConfig?.tunnelCidr,
        );
        const bgpOn = (desired.enableTunnelsBgp ?? observed.enableTunnelsBgp) === true;
        // The emulator checks every tunnel's block once BGP is on; the program may declare only one tunnel.
        if (bgpOn && cidrs.some((cidr) => cidr === undefined)) {
            return true;
        }
        if (cidrs[0] !== undefined && cidrs[0] === cidrs[1]) {
            return true;
        }
    }
    return false;
}

function changedPaths(desired: DesiredAttributes, observed: ObservedConnection): string[] {
    return compareAttributes(desired, observed).map((d) => d.path);
}

/**
 * What the provider must refuse before any call for this pair, each as a
 * piece of text its error holds: changes the service cannot take in place,
 * and requests that could only be sent with a value the program must choose.
 * Empty when the declaration must be applied.
 */
export function expectedRefusals(desired: DesiredAttributes, observed: ObservedConnection): string[] {
    const changed = changedPaths(desired, observed);
    const refusals: string[] = [];
    const routes = ikeV1MultiRoutes(desired, observed);
    if (routes.reached && routes.bothDeclared) {
        refusals.push("(ModifyIkeV1WithMultiRoutes.Invalid)");
    }
    if (desired.networkType !== undefined && desired.networkType !== observed.networkType) {
        refusals.push("networkType cannot change from ");
    }
    const strands = (bgp: { tunnelCidr?: string; localBgpIp?: string } | undefined, oldIp: string | undefined) =>
        bgp?.tunnelCidr !== undefined &&
        bgp.localBgpIp === undefined &&
        oldIp !== undefined &&
        !ipInCidr(oldIp, bgp.tunnelCidr);
    if (observed.mode === "single") {
        const ikeChanged = changed.some((path) => path.startsWith("ikeConfig."));
        if (ikeChanged && !desired.ikeConfig?.psk && !observed.ikeConfig?.psk) {
            refusals.push(`ikeConfig changes, but connection ${observed.vpnConnectionId} reports no pre-shared key`);
        }
        if (strands(desired.bgpConfig, observed.bgpConfig?.localBgpIp)) {
            refusals.push("bgpConfig.localBgpIp must be declared");
        }
        return refusals;
    }
    const declared = desired.tunnelOptionsSpecification ?? [];
    for (const view of tunnelViews(desired, observed)) {
        const position = declared.indexOf(view.declared as TunnelOptions);
        const path = `tunnelOptionsSpecification[${position}]`;
        const ikeChanged = changed.some((p) => p.startsWith(`tunnelOptionsSpecification[${position}].tunnelIkeConfig`));
        if (
            view.declared !== undefined &&
            ikeChanged &&
            !view.declared.tunnelIkeConfig?.psk &&
            !view.observed.tunnelIkeConfig?.psk
        ) {
            refusals.push(
                `${path}.tunnelIkeConfig changes, but tunnel ${view.observed.tunnelId} reports no pre-shared key`,
            );
        }
        if (strands(view.declared?.tunnelBgpConfig, view.observed.tunnelBgpConfig?.localBgpIp)) {
            refusals.push(`${path}.tunnelBgpConfig.localBgpIp must be declared`);
        }
    }
    return refusals;
}

/** The declared attributes of checked inputs, as the provider will apply them. */
export function desiredOf(inputs: Record<string, unknown>): DesiredAttributes {
    return desiredFromInputs(inputs as unknown as CheckedInputs);
}
