/**
 * `adopt <vpnConnectionId> --region <regionId>`: reads a connection with the
 * provider's credential chain (environment, shared credentials file and
 * profile, role) and endpoint settings, and prints a TypeScript declaration
 * that matches it exactly, so that the first `pulumi up` sends nothing and
 * every later change is an ordinary update with a visible diff.
 */
import { declarationOf } from "../provider/model/adoption";
import { observe } from "../provider/pulumi/operations";
import { ResourceSettings } from "../provider/model/types";

const PACKAGE = "pulumi-alicloud-vpn-attachment-attribute";

export const ADOPT_USAGE = `usage: ${PACKAGE} adopt <vpnConnectionId> --region <regionId>
                [--name <pulumi resource name>] [--endpoint URL] [--profile NAME] [--assume-role-arn ARN]
  Reads the connection (DescribeVpnConnection only) with the provider's credentials (ALICLOUD_ACCESS_KEY /
  ALICLOUD_SECRET_KEY, ALICLOUD_PROFILE and the shared credentials file, ALICLOUD_ASSUME_ROLE_ARN) and
  endpoint (--endpoint or ALICLOUD_VPC_ENDPOINT), and prints a declaration that matches it exactly.
  Pre-shared keys are left out: the connection keeps its own.
`;

const FLAGS = ["--region", "--name", "--endpoint", "--profile", "--assume-role-arn"] as const;
type Flag = (typeof FLAGS)[number];

export interface AdoptArgs {
    vpnConnectionId: string;
    flags: Partial<Record<Flag, string>>;
}

/** The arguments, or the problem with them. */
export function parseAdoptArgs(argv: string[]): AdoptArgs | { problem: string } {
    const flags: Partial<Record<Flag, string>> = {};
    const positional: string[] = [];
    for (let i = 0; i < argv.length; i++) {
        const [flag, inline] = argv[i].split(/=(.*)/s, 2);
        if (!flag.startsWith("--")) {
            positional.push(argv[i]);
            continue;
        }
        if (!(FLAGS as readonly string[]).includes(flag)) {
            return { problem: `unknown argument ${argv[i]}` };
        }
        const value = inline ?? argv[++i];
        if (value === undefined || value === "") {
            return { problem: `${flag} needs a value` };
        }
        flags[flag as Flag] = value;
    }
    if (positional.length !== 1) {
        return { problem: "give exactly one vpnConnectionId" };
    }
    return { vpnConnectionId: positional[0], flags };
}

/** An object literal as TypeScript writes it: identifier keys unquoted. */
function literal(value: unknown): string {
    return JSON.stringify(value, null, 4).replace(/^(\s*)"([A-Za-z_$][\w$]*)":/gm, "$1$2:");
}

/** The program text: the declaration of `settings`' connection with the attributes it has. */
export function renderDeclaration(resourceName: string, settings: ResourceSettings, declared: object): string {
    const args = { regionId: settings.regionId, vpnConnectionId: settings.vpnConnectionId, ...declared };
    return [
        `// ${settings.vpnConnectionId} in ${settings.regionId} as DescribeVpnConnection reports it: a first \`pulumi up\``,
        "// of this declaration sends nothing. Pre-shared keys are left out: the connection keeps its own until you",
        "// declare one (pass it as a secret). Remove what you do not want to manage; it stays as it is.",
        `import { VpnAttachmentAttribute } from "${PACKAGE}";`,
        "",
        `new VpnAttachmentAttribute(${JSON.stringify(resourceName)}, ${literal(args)});`,
        "",
    ].join("\n");
}

/** Runs the command; what it prints is the declaration, or on stderr the reason it has none. */
export async function adopt(args: AdoptArgs, env: NodeJS.ProcessEnv): Promise<string> {
    const regionId = args.flags["--region"] ?? env.ALICLOUD_REGION ?? env.ALIBABA_CLOUD_REGION_ID;
    if (regionId === undefined || regionId === "") {
        throw new Error("give --region (or set ALICLOUD_REGION): a connection id belongs to one region");
    }
    const settings: ResourceSettings = {
        regionId,
        vpnConnectionId: args.vpnConnectionId,
        endpoint: args.flags["--endpoint"],
        profile: args.flags["--profile"],
        assumeRoleArn: args.flags["--assume-role-arn"],
    };
    // Progress lines (retries, waits) go to stderr: stdout is the program text alone.
    const observed = await observe({}, settings, [], (line) => console.error(line));
    if (!observed) {
        throw new Error(`no IPsec-VPN connection ${settings.vpnConnectionId} in region ${regionId}`);
    }
    return renderDeclaration(args.flags["--name"] ?? settings.vpnConnectionId, settings, declarationOf(observed));
}

export function runAdoptCommand(argv: string[]): void {
    const args = parseAdoptArgs(argv);
    if ("problem" in args) {
        process.stderr.write(`adopt: ${args.problem}\n${ADOPT_USAGE}`);
        process.exit(2);
    }
    adopt(args, process.env).then(
        (text) => process.stdout.write(text),
        (error: unknown) => {
            process.stderr.write(`adopt: ${error instanceof Error ? error.message : String(error)}\n`);
            process.exit(1);
        },
    );
}
