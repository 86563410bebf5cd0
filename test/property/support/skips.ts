/**
 * Which (connection, declaration) pairs a property that applies the
 * declaration skips, and why. Two kinds:
 *
 * - `outOfReach`: refusals no provider can foresee, because check sees only
 *   the program and the rule involves what the connection holds (the
 *   service's answer at `up` is then the right one);
 * - `knownDefect`: the #8 exclusions of known8.ts, counted.
 */
import { compareAttributes, matchTunnel } from "../../../provider/diffing";
import { desiredFromInputs } from "../../../provider/state";
import { CheckedInputs, DesiredAttributes, IkeConfig, ObservedConnection, TunnelOptions } from "../../../provider/types";
import { ipInCidr } from "../../../provider/validation";
import { excluded } from "./known8";

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
function ikeViews(desired: DesiredAttributes, observed: ObservedConnection): Array<{ declared?: IkeConfig; observed?: IkeConfig }> {
    if (observed.mode === "single") {
        return [{ declared: desired.ikeConfig, observed: observed.ikeConfig }];
    }
    return tunnelViews(desired, observed).map((t) => ({ declared: t.declared?.tunnelIkeConfig, observed: t.observed.tunnelIkeConfig }));
}

/** IKEv1 with several subnets afterwards; whether the program declares both halves of it. */
function ikeV1MultiRoutes(desired: DesiredAttributes, observed: ObservedConnection): { reached: boolean; bothDeclared: boolean } {
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
        const cidrs = views.map((t) => t.declared?.tunnelBgpConfig?.tunnelCidr ?? t.observed.tunnelBgpConfig?.tunnelCidr);
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

/** The #8 defect this pair runs into, if its exclusion is still open; counted in the suite's report. */
export function knownDefect(desired: DesiredAttributes, observed: ObservedConnection): boolean {
    const changed = changedPaths(desired, observed);
    const routes = ikeV1MultiRoutes(desired, observed);
    if (excluded("KNOWN_8_V_IKEV1_MULTI_ROUTES", routes.reached && routes.bothDeclared)) {
        return true;
    }
    if (excluded("KNOWN_8_V_NETWORK_TYPE_CHANGE", desired.networkType !== undefined && desired.networkType !== observed.networkType)) {
        return true;
    }
    if (excluded("KNOWN_8_V_REMOTE_CA_CERT_DUAL", observed.mode === "dual" && changed.includes("remoteCaCert"))) {
        return true;
    }
    if (observed.mode === "single") {
        const ikeChanged = changed.some((path) => path.startsWith("ikeConfig."));
        if (excluded("KNOWN_8_3_IKE_CONFIG_WITHOUT_PSK", ikeChanged && !desired.ikeConfig?.psk && !observed.ikeConfig?.psk)) {
            return true;
        }
        const bgp = desired.bgpConfig;
        const oldIp = observed.bgpConfig?.localBgpIp;
        const strands =
            bgp?.tunnelCidr !== undefined && bgp.localBgpIp === undefined && oldIp !== undefined && !ipInCidr(oldIp, bgp.tunnelCidr);
        if (excluded("KNOWN_8_2_TUNNEL_CIDR_WITHOUT_LOCAL_BGP_IP", strands)) {
            return true;
        }
        const health = { ...observed.healthCheckConfig, ...desired.healthCheckConfig };
        const healthChanged = changed.some((path) => path.startsWith("healthCheckConfig."));
        if (excluded("KNOWN_8_V_HEALTH_CHECK_WITHOUT_ADDRESSES", healthChanged && health.enable === true && (!health.dip || !health.sip))) {
            return true;
        }
        return false;
    }
    const views = tunnelViews(desired, observed);
    const position = (view: TunnelView) => (desired.tunnelOptionsSpecification ?? []).indexOf(view.declared as TunnelOptions);
    const ikeWithoutPsk = views.some(
        (v) =>
            v.declared !== undefined &&
            changed.some((path) => path.startsWith(`tunnelOptionsSpecification[${position(v)}].tunnelIkeConfig`)) &&
            !v.declared.tunnelIkeConfig?.psk &&
            !v.observed.tunnelIkeConfig?.psk,
    );
    if (excluded("KNOWN_8_3_IKE_CONFIG_WITHOUT_PSK", ikeWithoutPsk)) {
        return true;
    }
    const strands = views.some((v) => {
        const bgp = v.declared?.tunnelBgpConfig;
        const oldIp = v.observed.tunnelBgpConfig?.localBgpIp;
        return bgp?.tunnelCidr !== undefined && bgp.localBgpIp === undefined && oldIp !== undefined && !ipInCidr(oldIp, bgp.tunnelCidr);
    });
    return excluded("KNOWN_8_2_TUNNEL_CIDR_WITHOUT_LOCAL_BGP_IP", strands);
}

/** The declared attributes of checked inputs, as the provider will apply them. */
export function desiredOf(inputs: Record<string, unknown>): DesiredAttributes {
    return desiredFromInputs(inputs as unknown as CheckedInputs);
}
