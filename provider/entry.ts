/**
 * The package's provider object, as the whole export of package entry
 * `pulumi-alicloud-vpn-attachment-attribute/provider-entry`.
 *
 * Compatibility contract. Pulumi stores a dynamic resource's provider in the
 * resource's state. A provider that is the export of a module under
 * node_modules it stores as one `require()` of that module's export name,
 * about 0.3 KB per resource instead of the provider's code, and `refresh` and
 * `destroy` run it against whatever version of this package is installed
 * then. So this export name must keep resolving, and its export must keep
 * answering Pulumi's dynamic-provider calls (configure, check, diff, create,
 * update, read, delete) for every state an earlier release wrote. Everything
 * behind it may move freely.
 */
import { ProviderImplementation } from "./pulumi/provider";

export = new ProviderImplementation();
