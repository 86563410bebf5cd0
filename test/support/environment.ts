/** Environment variables set and cleared per test (or per part of one), and put back as they were after it. */
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The variables the Alibaba default credential chain reads. */
export const CHAIN_VARIABLES = [
    "ALIBABA_CLOUD_ACCESS_KEY_ID",
    "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
    "ALIBABA_CLOUD_SECURITY_TOKEN",
    "ALIBABA_CLOUD_ROLE_ARN",
    "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
    "ALIBABA_CLOUD_OIDC_TOKEN_FILE",
    "ALIBABA_CLOUD_PROFILE",
    "ALIBABA_CLOUD_CREDENTIALS_FILE",
    "ALIBABA_CLOUD_CLI_PROFILE_DISABLED",
    "ALIBABA_CLOUD_ECS_METADATA",
    "ALIBABA_CLOUD_ECS_METADATA_DISABLED",
    "ALIBABA_CLOUD_CREDENTIALS_URI",
] as const;

/** The chain kept away from this machine's profiles and from the ECS metadata address. */
export function isolatedChain(): Record<string, string> {
    return {
        ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true",
        ALIBABA_CLOUD_CLI_PROFILE_DISABLED: "true",
        ALIBABA_CLOUD_CREDENTIALS_FILE: join(tmpdir(), `no-such-credentials-${process.pid}`),
    };
}

/**
 * In the enclosing mocha block, each test starts with none of `names` set and
 * with `values` set (a function is called before each test), and every one
 * of them is put back afterwards.
 */
export function cleanEnvironment(
    names: readonly string[],
    values: Record<string, string> | (() => Record<string, string>) = {},
): void {
    const saved = new Map<string, string | undefined>();
    beforeEach(() => {
        const set = typeof values === "function" ? values() : values;
        for (const name of new Set([...names, ...Object.keys(set)])) {
            saved.set(name, process.env[name]);
            delete process.env[name];
        }
        Object.assign(process.env, set);
    });
    afterEach(() => {
        for (const [name, value] of saved) {
            if (value === undefined) delete process.env[name];
            else process.env[name] = value;
        }
        saved.clear();
    });
}

/**
 * Runs `body` with `vars` set (undefined: unset), and puts them back as they
 * were after it: for one test, or one part of a test, where `cleanEnvironment`
 * serves a whole block.
 */
export async function withEnv(
    vars: Record<string, string | undefined>,
    body: () => Promise<void> | void,
): Promise<void> {
    const saved = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]));
    const apply = (values: Record<string, string | undefined>): void => {
        for (const [name, value] of Object.entries(values)) {
            if (value === undefined) delete process.env[name];
            else process.env[name] = value;
        }
    };
    apply(vars);
    try {
        await body();
    } finally {
        apply(saved);
    }
}
