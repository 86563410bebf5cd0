export { VpnAttachmentAttribute, VpnAttachmentAttributeArgs, TunnelOptionsArgs } from "./resource";
export { VpnAttachmentAttributeProvider, DEFAULT_TIMEOUT_SECONDS } from "./provider";
export * from "./types";
