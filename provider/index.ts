export { VpnAttachmentAttribute, VpnAttachmentAttributeArgs, TunnelOptionsArgs, RolloutArgs } from "./pulumi/resource";
export { VpnAttachmentAttributeProvider } from "./pulumi/provider";
export { DEFAULT_TIMEOUT_SECONDS } from "./pulumi/operations";
export * from "./model/types";
