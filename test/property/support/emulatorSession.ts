/**
 * One emulator for a property file, driven the way a developer or CI drives
 * it: connections are seeded, drifted and faulted through the admin HTTP API,
 * and the provider reaches it over real HTTP through the real SDK.
 */
import { EmulatorHandle, startEmulator } from "../../../emulator";
import type { CallRecord, ConnectionPatch, SeedConnection } from "../../../emulator/types";
import { useFastPolls } from "../../support/fastPolls";

/** Talks to `/__admin/` over HTTP. */
export class AdminClient {
    constructor(private readonly endpoint: string) {}

    private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
        const response = await fetch(`${this.endpoint}/__admin/${path}`, {
            method,
            // The admin API takes writes only as JSON, a body or not (a guard against cross-site requests).
            headers: method === "GET" ? {} : { "content-type": "application/json" },
            body: body === undefined ? undefined : JSON.stringify(body),
        });
        const answer = (await response.json()) as T & { error?: string };
        if (!response.ok) {
            throw new Error(`admin ${method} ${path}: ${response.status} ${answer.error ?? ""}`);
        }
        return answer;
    }

    reset(): Promise<unknown> {
        return this.call("POST", "reset");
    }
    seed(conns: SeedConnection | SeedConnection[]): Promise<SeedConnection[]> {
        return this.call("POST", "connections", conns);
    }
    get(id: string): Promise<SeedConnection> {
        return this.call("GET", `connections/${encodeURIComponent(id)}`);
    }
    patch(id: string, patch: ConnectionPatch): Promise<SeedConnection> {
        return this.call("PATCH", `connections/${encodeURIComponent(id)}`, patch);
    }
    calls(): Promise<CallRecord[]> {
        return this.call("GET", "calls");
    }
    fault(rule: Record<string, unknown>): Promise<unknown> {
        return this.call("POST", "faults", rule);
    }
    clearFaults(): Promise<unknown> {
        return this.call("DELETE", "faults");
    }
    settings(settings: Record<string, unknown>): Promise<unknown> {
        return this.call("PUT", "settings", settings);
    }
}

export interface Session {
    emulator: EmulatorHandle;
    admin: AdminClient;
}

const ENV_KEYS = [
    "ALIBABA_CLOUD_ECS_METADATA_DISABLED",
    "ALICLOUD_VPC_ENDPOINT",
    "ALICLOUD_ACCESS_KEY",
    "ALICLOUD_SECRET_KEY",
    "ALICLOUD_SECURITY_TOKEN",
] as const;

/**
 * Starts an emulator and points the provider at it through the environment,
 * as a user would, with the fast poll schedule (test/support/fastPolls.ts);
 * `stop` closes it and puts the environment and the schedule back.
 */
export async function startSession(
    options: Parameters<typeof startEmulator>[0] = {},
): Promise<Session & { stop(): Promise<void> }> {
    const saved = Object.fromEntries(ENV_KEYS.map((key) => [key, process.env[key]]));
    const emulator = await startEmulator({ port: 0, taskDurationMs: 30, ...options });
    const restorePolls = useFastPolls();
    process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = "true";
    process.env.ALICLOUD_VPC_ENDPOINT = emulator.endpoint;
    process.env.ALICLOUD_ACCESS_KEY = emulator.accessKeyId;
    process.env.ALICLOUD_SECRET_KEY = emulator.accessKeySecret;
    if (emulator.securityToken !== undefined) {
        process.env.ALICLOUD_SECURITY_TOKEN = emulator.securityToken;
    } else {
        delete process.env.ALICLOUD_SECURITY_TOKEN;
    }
    return {
        emulator,
        admin: new AdminClient(emulator.endpoint),
        async stop() {
            restorePolls();
            await emulator.close();
            for (const key of ENV_KEYS) {
                if (saved[key] === undefined) delete process.env[key];
                else process.env[key] = saved[key];
            }
        },
    };
}

/**
 * One emulator for the enclosing `describe`, started before its tests and
 * closed after them; `fastRetries` also shortens retry waits (see
 * `shortRetryWaits`). Returns the running session.
 */
export function emulatorForSuite(
    options: Parameters<typeof startEmulator>[0] & { fastRetries?: boolean } = {},
): () => Session {
    const { fastRetries, ...emulatorOptions } = options;
    let session: (Session & { stop(): Promise<void> }) | undefined;
    let restoreRandom: (() => void) | undefined;
    before(async () => {
        session = await startSession(emulatorOptions);
        if (fastRetries) restoreRandom = shortRetryWaits();
    });
    after(async () => {
        restoreRandom?.();
        await session?.stop();
    });
    return () => {
        if (!session) throw new Error("the emulator is not running: use the session inside a test");
        return session;
    };
}

/**
 * Every line the provider prints while `fn` runs (it logs retries with console.log),
 * and what `fn` returned or, when `failed`, threw.
 */
export async function capturingLog<T>(
    fn: () => Promise<T>,
): Promise<{ lines: string[]; result?: T; failed: boolean; error?: unknown }> {
    const lines: string[] = [];
    const original = console.log;
    console.log = (...args: unknown[]) => {
        lines.push(args.map(String).join(" "));
    };
    try {
        return { lines, result: await fn(), failed: false };
    } catch (error) {
        return { lines, failed: true, error };
    } finally {
        console.log = original;
    }
}

/**
 * Backoff and poll jitter draw from Math.random, so scaling its draws down to
 * [0, 0.05) keeps the retry waits of faulted runs short (a throttle's
 * retry-after still holds) without changing which calls are made. The draws
 * stay random: the SDK makes its signature nonces from them.
 */
export function shortRetryWaits(): () => void {
    const original = Math.random;
    Math.random = () => original() * 0.05;
    return () => {
        Math.random = original;
    };
}
