// Plain JavaScript, not compiled: the CLI runs this pack from this directory, with this package.json.
// @pulumi/policy resolves from the repository's node_modules (a devDependency).
const { PolicyPack } = require("@pulumi/policy");

new PolicyPack("vpn-e2e-policy", {
    policies: [
        {
            name: "no-forbidden-connection-names",
            description: "A VPN connection's name must not start with 'forbidden-'.",
            enforcementLevel: "mandatory",
            validateResource: (args, reportViolation) => {
                const name = args.props.name;
                if (typeof name === "string" && name.startsWith("forbidden-")) {
                    reportViolation(`${args.props.vpnConnectionId} may not be named ${name}`);
                }
            },
        },
    ],
});
