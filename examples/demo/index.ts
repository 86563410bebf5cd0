import * as pulumi from "@pulumi/pulumi";
import { VpnAttachmentAttribute } from "../../provider";

// Works against the emulator (`bash scripts/demo.sh` seeds it and sets this
// stack's config) and against Alibaba Cloud: set alicloud:region,
// alicloud:accessKey, alicloud:secretKey (--secret) and the connection ids.
const config = new pulumi.Config();
const regionId = config.get("regionId") ?? new pulumi.Config("alicloud").get("region") ?? "cn-hangzhou";

const singleTunnel = new VpnAttachmentAttribute("single-tunnel", {
    regionId,
    vpnConnectionId: config.require("singleTunnelConnectionId"),
    name: config.get("singleTunnelName") ?? "branch-office",
    localSubnet: ["10.10.0.0/16"],
    remoteSubnet: ["192.168.10.0/24"],
    ikeConfig: {
        ikeVersion: "ikev2",
        ikeEncAlg: "aes256",
        ikeAuthAlg: "sha256",
        ikePfs: "group14",
        ikeLifetime: 28800,
        psk: config.getSecret("singleTunnelPsk"),
    },
    ipsecConfig: { ipsecEncAlg: "aes256", ipsecAuthAlg: "sha256", ipsecPfs: "group14", ipsecLifetime: 3600 },
    enableDpd: true,
});

const dualTunnel = new VpnAttachmentAttribute("dual-tunnel", {
    regionId,
    vpnConnectionId: config.require("dualTunnelConnectionId"),
    name: config.get("dualTunnelName") ?? "datacenter",
    tunnelOptionsSpecification: [
        {
            tunnelIndex: 1,
            tunnelIkeConfig: { ikeVersion: "ikev2", ikePfs: "group14", ikeLifetime: 28800 },
            tunnelIpsecConfig: { ipsecPfs: "group14" },
        },
        {
            tunnelIndex: 2,
            tunnelIkeConfig: { ikeVersion: "ikev2", ikePfs: "group14", ikeLifetime: 28800 },
            tunnelIpsecConfig: { ipsecPfs: "group14" },
        },
    ],
});

export const singleTunnelState = singleTunnel.state;
export const singleTunnelName = singleTunnel.name;
export const singleTunnelIke = singleTunnel.ikeConfig;
export const dualTunnelState = dualTunnel.state;
export const dualTunnels = dualTunnel.tunnelOptionsSpecification;
