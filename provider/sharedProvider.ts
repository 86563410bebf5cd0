/**
 * The one provider object of a program, as this module's whole export.
 * Pulumi serializes a dynamic resource's provider into the resource's inputs
 * and outputs. A value that is the exports of a module under node_modules it
 * records as one require() of that module: each resource then carries about
 * 0.4 KB instead of the provider's methods (4 KB), which every preview reads
 * from state and sends to the provider twice per resource. (Imported by path,
 * as examples/demo does, the provider is serialized by value either way.)
 */
import { VpnAttachmentAttributeProvider } from "./provider";

export = new VpnAttachmentAttributeProvider();
