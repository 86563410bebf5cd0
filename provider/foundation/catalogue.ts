/**
 * The API reference's explanation of each error code the VPC API may answer
 * ModifyVpnAttachmentAttribute or DescribeVpnConnection(s) with, and what the
 * user can do about it; userMessage.ts quotes them.
 */
/** The explanation of one error code, from the API reference, and what to do about it. */
export interface ErrorDescription {
    description: string;
    remedy?: string;
}

const RETRIED =
    "The provider retries this until its deadline; if it persists, another change (console, another stack) is still running on the gateway.";
const NEED_ASN_RANGE = "Use an ASN from 1 to 4294967295; a private ASN is recommended.";
const SUBNET_REMEDY =
    "Use comma-separated IPv4 CIDR blocks, e.g. 10.1.1.0/24,10.1.2.0/24 (0.0.0.0/0 on both sides selects destination routing).";
const TUNNEL_CIDR_REMEDY =
    "Use a /30 inside 169.254.0.0/16 other than 169.254.0.0/30 to 169.254.6.0/30 and 169.254.169.252/30; the two tunnels need different blocks.";
const ROUTE_REMEDY =
    "Remove or change the conflicting route on the VPN gateway, or change localSubnet/remoteSubnet/autoConfigRoute.";
const PERMISSION_REMEDY =
    "Grant the RAM user or role vpc:ModifyVpnAttachmentAttribute and vpc:DescribeVpnConnection on this connection.";
const CREDENTIAL_REMEDY =
    "Check the credentials the call was signed with (their source is named at the end) and that the key pair is enabled.";

/**
 * Every code in the error table of the ModifyVpnAttachmentAttribute reference
 * (description: the table's Description column, verbatim), then the common
 * codes of Alibaba Cloud RPC APIs and the conflict codes the Terraform
 * provider retries for this operation.
 */
const ERROR_DESCRIPTIONS: Record<string, ErrorDescription> = {
    "VpnConnection.Configuring": {
        description: "The service is being configured. Try again later.",
        remedy: RETRIED,
    },
    "VpnConnection.FinancialLocked": {
        description: "The error message returned because the service is locked due to overdue payments.",
        remedy: "Settle the account's overdue payment, then run the update again.",
    },
    InvalidName: {
        description: "The name format is invalid.",
        remedy: "Use 1 to 100 characters that do not start with http:// or https://.",
    },
    "VpnRouteEntry.AlreadyExists": { description: "The route already exists.", remedy: ROUTE_REMEDY },
    "VpnRouteEntry.Conflict": { description: "Route conflicts exist.", remedy: ROUTE_REMEDY },
    "NotSupportVpnConnectionParameter.IpsecPfs": {
        description: "The PFS parameter set for the IPsec-VPN connection is not supported.",
        remedy: "Use an ipsecPfs the gateway supports: disabled, group1, group2, group5 or group14.",
    },
    "NotSupportVpnConnectionParameter.IpsecAuthAlg": {
        description: "The authentication algorithm specified for the IPsec-VPN connection is not supported.",
        remedy: "Use an ipsecAuthAlg the gateway supports: md5, sha1, sha256, sha384 or sha512.",
    },
    "VpnRouteEntry.BackupRoute": {
        description: "Active/standby routes failed authentication.",
        remedy: ROUTE_REMEDY,
    },
    "VpnRouteEntry.InvalidWeight": {
        description: "The weight specified for the route is invalid.",
        remedy: ROUTE_REMEDY,
    },
    "MissingParameter.TunnelCidr": {
        description: "You must specify the tunnel CIDR block when you enable BGP.",
        remedy: "Declare bgpConfig.tunnelCidr (single tunnel) or tunnelBgpConfig.tunnelCidr of each tunnel.",
    },
    "OperationUnsupported.EnableBgp": {
        description: "The error message returned because the current region does not support BGP.",
        remedy: "Leave BGP disabled in this region.",
    },
    "MissingParam.CustomerGatewayAsn": {
        description: "The ASN of the customer gateway cannot be empty when you enable BGP.",
        remedy: "Give the customer gateway an ASN before enabling BGP.",
    },
    "IllegalParam.LocalAsn": { description: "The local ASN is invalid.", remedy: NEED_ASN_RANGE },
    "IllegalParam.BgpConfig": {
        description: "The BGP configuration is invalid.",
        remedy: "Check enableBgp, localAsn, tunnelCidr and localBgpIp together.",
    },
    "IllegalParam.EnableBgp": {
        description:
            "The error message returned because the VPN connection must use BGP if BGP is enabled for the VPN gateway.",
        remedy: "Enable BGP on the connection (bgpConfig.enableBgp or enableTunnelsBgp).",
    },
    "IllegalParam.TunnelCidr": {
        description: "The TunnelCidr parameter is set to an invalid value.",
        remedy: TUNNEL_CIDR_REMEDY,
    },
    "InvalidLocalBgpIp.Malformed": {
        description: "The local BGP IP address is in an abnormal state.",
        remedy: "Use an IPv4 address inside the tunnel CIDR block.",
    },
    "IllegalParam.LocalBgpIp": {
        description: "The local BGP IP address is invalid.",
        remedy: "Use an IPv4 address inside the tunnel CIDR block.",
    },
    "IllegalParam.LocalSubnet": {
        description: 'The specified "LocalSubnet" (%s) is invalid.',
        remedy: SUBNET_REMEDY,
    },
    "IllegalParam.RemoteSubnet": {
        description: 'The specified "RemoteSubnet" (%s) is invalid.',
        remedy: SUBNET_REMEDY,
    },
    "CustomerGateway.ConflictRouteEntry": {
        description: "The customer gateway conflicts with the current routes.",
        remedy: ROUTE_REMEDY,
    },
    "IllegalParam.NetworkType": {
        description: "The network type is invalid.",
        remedy: "Use public or private, and the network type the connection already has: it cannot change in place.",
    },
    "InvalidTunnelCidr.Malformed": {
        description: "The specified tunnel CIDR block is invalid.",
        remedy: TUNNEL_CIDR_REMEDY,
    },
    "VpnGateway.Configuring": {
        description: "The service is being configured. Try again later.",
        remedy: RETRIED,
    },
    "VpnTask.CONFLICT": {
        description: "The VPN operation conflicts. Try again later.",
        remedy: RETRIED,
    },
    "ModifyIkeV1WithMultiRoutes.Invalid": {
        description:
            "Failed to modify VPN connection parameters. Multi-network is configured while using IkeV1 protocol.",
        remedy: "Use ikeVersion ikev2, or a single CIDR block in localSubnet and remoteSubnet.",
    },
    "InvalidVpnGatewayInstanceId.NotFound": {
        description: "The specified VPN gateway does not exist. Check whether the specified VPN gateway is valid.",
    },
    "Resource.QuotaFull": {
        description:
            "The resources you are operating have reached the upper limit of the quota. Please refer to the VPN operation document to increase the quota or use other schemes to avoid it.",
    },
    "CreateDbrRoutesQuotaFull.QuotaFull": {
        description: "The number of created destination routes exceeds the quota limit.",
        remedy: "Raise the route quota or declare fewer CIDR blocks.",
    },
    "CreatePbrRoutesQuotaFull.QuotaFull": {
        description: "The number of policy routes exceeds the quota limit.",
        remedy: "Raise the route quota or declare fewer CIDR blocks.",
    },
    // Spelled as the service spells it.
    "Forbbiden.SubUser": {
        description:
            "You are unauthorized to perform this operation on the specified resource. Acquire the required permissions and try again.",
        remedy: PERMISSION_REMEDY,
    },
    Forbidden: {
        description:
            "You do not have the permissions to manage the specified resource. Apply for the permissions and try again.",
        remedy: PERMISSION_REMEDY,
    },
    "InvalidVpnConnectionInstanceId.NotFound": {
        description: "The specified vpn connection instance id does not exist.",
        remedy: "Check vpnConnectionId and regionId: the connection must exist in that region.",
    },

    SignatureDoesNotMatch: {
        description: "The request signature does not match the one the service computed.",
        remedy:
            "The secret key does not belong to the access key, or a proxy altered the request. " + CREDENTIAL_REMEDY,
    },
    IncompleteSignature: {
        description: "The request signature is incomplete or malformed.",
        remedy: CREDENTIAL_REMEDY,
    },
    "InvalidAccessKeyId.NotFound": {
        description: "The access key ID does not exist.",
        remedy: CREDENTIAL_REMEDY,
    },
    "InvalidTimeStamp.Expired": {
        description: "The request timestamp is more than 15 minutes away from the service's clock.",
        remedy: "Synchronise this machine's clock (NTP).",
    },
    SignatureNonceUsed: {
        description: "The request's signature nonce was already used.",
        remedy: "Run the update again; each request gets a new nonce.",
    },
    MissingParameter: { description: "A required parameter is missing." },
    MissingRegionId: {
        description: "The RegionId parameter is missing.",
        remedy: "Set the resource's regionId.",
    },
    Throttling: {
        description: "The request was throttled.",
        remedy: "The provider backs off and retries; lower `pulumi up --parallel` if it persists.",
    },
    "Throttling.User": {
        description: "The account's request rate for this API exceeds its limit.",
        remedy: "The provider backs off and retries; lower `pulumi up --parallel` if it persists.",
    },
    "Throttling.Api": {
        description: "The API's request rate exceeds its limit.",
        remedy: "The provider backs off and retries; lower `pulumi up --parallel` if it persists.",
    },
    InternalError: {
        description: "The service hit an internal error.",
        remedy: "The provider retries it; if it persists, report the RequestId to Alibaba Cloud support.",
    },
    ServiceUnavailable: {
        description: "The service is temporarily unavailable.",
        remedy: "The provider retries it until its deadline.",
    },
    TaskConflict: {
        description: "Another task is running on the resource.",
        remedy: RETRIED,
    },
    "Appliance.Configuring": {
        description: "The VPN gateway's appliance is being configured.",
        remedy: RETRIED,
    },
};

export function describeErrorCode(code: string): ErrorDescription | undefined {
    if (Object.prototype.hasOwnProperty.call(ERROR_DESCRIPTIONS, code)) {
        return ERROR_DESCRIPTIONS[code];
    }
    const lower = code.toLowerCase();
    const key = Object.keys(ERROR_DESCRIPTIONS).find((k) => k.toLowerCase() === lower);
    return key === undefined ? undefined : ERROR_DESCRIPTIONS[key];
}
