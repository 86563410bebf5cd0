import * as pulumi from "@pulumi/pulumi";
import { ATTRIBUTES } from "./diffing";
import { VpnAttachmentAttributeProvider } from "./provider";
import {
    BgpConfig,
    HealthCheckConfig,
    IkeConfig,
    IpsecConfig,
    ObservedTunnel,
    TunnelBgpConfig,
    TunnelPsk,
} from "./types";

type Inputs<T> = { [K in keyof T]?: pulumi.Input<T[K]> };

export interface TunnelOptionsArgs {
    /** The tunnel to change; give tunnelId, tunnelIndex, or both. */
    tunnelId?: pulumi.Input<string>;
    tunnelIndex?: pulumi.Input<number>;
    customerGatewayId?: pulumi.Input<string>;
    enableDpd?: pulumi.Input<boolean>;
    enableNatTraversal?: pulumi.Input<boolean>;
    tunnelBgpConfig?: pulumi.Input<Inputs<Omit<TunnelBgpConfig, "localAsn">> & { localAsn?: pulumi.Input<number | string> }>;
    tunnelIkeConfig?: pulumi.Input<Inputs<IkeConfig>>;
    tunnelIpsecConfig?: pulumi.Input<Inputs<IpsecConfig>>;
}

/** The attributes an existing IPsec-VPN connection must have. Only what is set here is managed. */
export interface VpnAttachmentAttributeArgs {
    regionId: pulumi.Input<string>;
    vpnConnectionId: pulumi.Input<string>;
    /** Overrides the regional endpoint (and env ALICLOUD_VPC_ENDPOINT), e.g. `https://vpc.cn-shanghai.aliyuncs.com`. */
    endpoint?: pulumi.Input<string>;
    /** Deadline for one create or update, retries and waiting for the service's task included. Default 1800. */
    timeoutSeconds?: pulumi.Input<number>;

    name?: pulumi.Input<string>;
    /** CIDR blocks, as an array or one comma-separated string. */
    localSubnet?: pulumi.Input<string | pulumi.Input<string>[]>;
    remoteSubnet?: pulumi.Input<string | pulumi.Input<string>[]>;
    effectImmediately?: pulumi.Input<boolean>;
    autoConfigRoute?: pulumi.Input<boolean>;
    networkType?: pulumi.Input<"public" | "private">;
    remoteCaCert?: pulumi.Input<string>;

    /** Single-tunnel connections only. */
    customerGatewayId?: pulumi.Input<string>;
    enableDpd?: pulumi.Input<boolean>;
    enableNatTraversal?: pulumi.Input<boolean>;
    ikeConfig?: pulumi.Input<Inputs<IkeConfig>>;
    ipsecConfig?: pulumi.Input<Inputs<IpsecConfig>>;
    /** `localAsn` may be a number or the two-segment form "123.456". */
    bgpConfig?: pulumi.Input<Inputs<Omit<BgpConfig, "localAsn">> & { localAsn?: pulumi.Input<number | string> }>;
    healthCheckConfig?: pulumi.Input<Inputs<HealthCheckConfig>>;

    /** Dual-tunnel connections only. */
    tunnelOptionsSpecification?: pulumi.Input<pulumi.Input<TunnelOptionsArgs>[]>;
    enableTunnelsBgp?: pulumi.Input<boolean>;
}

/** Output names that hold pre-shared keys; Pulumi encrypts them in state. */
const SECRET_OUTPUTS = ["psk", "tunnelPsks"];

/** The names of everything the provider reports, so that each is an output of the resource even when the program does not set it. */
const OUTPUT_NAMES = [
    ...Object.keys(ATTRIBUTES),
    "state",
    "status",
    "vpnGatewayId",
    "attachType",
    "attachInstanceId",
    "spec",
    "createTime",
    "mode",
    "managedFields",
    "lastTaskSeconds",
    ...SECRET_OUTPUTS,
];

/** One provider object for every resource: Pulumi serializes it once per program. */
let sharedProvider: VpnAttachmentAttributeProvider | undefined;

/**
 * The attributes of an existing Alibaba Cloud IPsec-VPN connection, converged
 * with ModifyVpnAttachmentAttribute. Deleting the resource leaves the
 * connection as it is.
 */
export class VpnAttachmentAttribute extends pulumi.dynamic.Resource {
    declare public readonly regionId: pulumi.Output<string>;
    declare public readonly vpnConnectionId: pulumi.Output<string>;
    declare public readonly name: pulumi.Output<string | undefined>;
    declare public readonly localSubnet: pulumi.Output<string | undefined>;
    declare public readonly remoteSubnet: pulumi.Output<string | undefined>;
    declare public readonly effectImmediately: pulumi.Output<boolean | undefined>;
    declare public readonly autoConfigRoute: pulumi.Output<boolean | undefined>;
    declare public readonly networkType: pulumi.Output<string | undefined>;
    declare public readonly remoteCaCert: pulumi.Output<string | undefined>;
    declare public readonly customerGatewayId: pulumi.Output<string | undefined>;
    declare public readonly enableDpd: pulumi.Output<boolean | undefined>;
    declare public readonly enableNatTraversal: pulumi.Output<boolean | undefined>;
    declare public readonly ikeConfig: pulumi.Output<IkeConfig | undefined>;
    declare public readonly ipsecConfig: pulumi.Output<IpsecConfig | undefined>;
    declare public readonly bgpConfig: pulumi.Output<BgpConfig | undefined>;
    declare public readonly healthCheckConfig: pulumi.Output<HealthCheckConfig | undefined>;
    declare public readonly tunnelOptionsSpecification: pulumi.Output<ObservedTunnel[] | undefined>;
    declare public readonly enableTunnelsBgp: pulumi.Output<boolean | undefined>;
    /** `updating`, `attached`, `active`, ... as the service reports it. */
    declare public readonly state: pulumi.Output<string>;
    /** IKE/IPsec negotiation status. */
    declare public readonly status: pulumi.Output<string | undefined>;
    declare public readonly vpnGatewayId: pulumi.Output<string | undefined>;
    declare public readonly attachType: pulumi.Output<string | undefined>;
    declare public readonly attachInstanceId: pulumi.Output<string | undefined>;
    declare public readonly spec: pulumi.Output<string | undefined>;
    declare public readonly createTime: pulumi.Output<number | undefined>;
    /** `single` or `dual`, detected from the connection. */
    declare public readonly mode: pulumi.Output<string>;
    declare public readonly managedFields: pulumi.Output<string[]>;
    declare public readonly lastTaskSeconds: pulumi.Output<number | undefined>;
    /** The single-tunnel connection's pre-shared key, set or generated (secret). */
    declare public readonly psk: pulumi.Output<string | undefined>;
    /** Each tunnel's pre-shared key, set or generated (secret). */
    declare public readonly tunnelPsks: pulumi.Output<TunnelPsk[] | undefined>;

    constructor(name: string, args: VpnAttachmentAttributeArgs, opts?: pulumi.CustomResourceOptions) {
        const props = splitPsks(args);
        for (const output of OUTPUT_NAMES) {
            if (!(output in props)) {
                props[output] = undefined;
            }
        }
        sharedProvider ??= new VpnAttachmentAttributeProvider();
        super(sharedProvider, name, props, {
            ...opts,
            additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), ...SECRET_OUTPUTS],
        });
    }
}

/**
 * Moves every pre-shared key out of the config objects into the top-level
 * inputs `psk` and `tunnelPsks`, as secrets (even when the program passes a
 * plain string). Only those two are secret, so the config objects stay
 * readable in previews: Pulumi hides a whole object, or a whole list, that
 * holds a secret anywhere inside it.
 */
function splitPsks(args: VpnAttachmentAttributeArgs): Record<string, unknown> {
    const props: Record<string, unknown> = { ...args };
    if (args.ikeConfig !== undefined) {
        const ike = pulumi.output(args.ikeConfig);
        props.ikeConfig = pulumi.unsecret(ike.apply(withoutPsk));
        props.psk = pulumi.secret(ike.apply((c) => c?.psk));
    }
    if (args.tunnelOptionsSpecification !== undefined) {
        const tunnels = pulumi.output(args.tunnelOptionsSpecification);
        props.tunnelOptionsSpecification = pulumi.unsecret(
            tunnels.apply((list) => list.map((t) => ({ ...t, tunnelIkeConfig: withoutPsk(t.tunnelIkeConfig) }))),
        );
        props.tunnelPsks = pulumi.secret(
            tunnels.apply((list) => {
                const psks = list.flatMap((t) =>
                    t.tunnelIkeConfig?.psk === undefined
                        ? []
                        : [{ tunnelId: t.tunnelId, tunnelIndex: t.tunnelIndex, psk: t.tunnelIkeConfig.psk }],
                );
                return psks.length > 0 ? psks : undefined;
            }),
        );
    }
    return props;
}

function withoutPsk<T extends { psk?: unknown }>(config: T | undefined): Omit<T, "psk"> | undefined {
    if (config === undefined || config === null) {
        return config;
    }
    const { psk, ...rest } = config;
    return rest;
}
