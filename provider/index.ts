export { VpnAttachmentAttribute, VpnAttachmentAttributeArgs, TunnelOptionsArgs } from "./resource";
export { VpnAttachmentAttributeProvider } from "./provider";
export { DEFAULT_TIMEOUT_SECONDS } from "./operations";
export * from "./types";
