import { PolicyPack } from "@pulumi/policy";
import { RESOURCE_TYPE, weakCryptoViolations } from "./rules";

new PolicyPack("vpn-attachment-crypto", {
    policies: [
        {
            name: "vpn-strong-crypto",
            description: "IPsec-VPN connections use no DES, MD5 or IKEv1, and PFS group14 or stronger.",
            enforcementLevel: "mandatory",
            validateResource: (args, reportViolation) => {
                if (args.type !== RESOURCE_TYPE) {
                    return;
                }
                for (const violation of weakCryptoViolations(args.props)) {
                    reportViolation(violation);
                }
            },
        },
    ],
});
