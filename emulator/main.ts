import { startEmulator, type EmulatorOptions } from "./index";
import { readJsonFile } from "./jsonfile";
import { parseReadings, type ReadingName } from "./readings";
import type { SeedConnection } from "./types";

/**
 * `node bin/emulator/main.js [--port N] [--access-key-id ID] [--access-key-secret S]
 *   [--security-token T] [--task-duration-ms MS] [--negotiation-ms MS] [--state-file PATH] [--seed PATH]
 *   [--readings subnetsWithConfig,resetOmitted,lateReads,canonical]`
 * Flags win over the EMULATOR_* environment variables. Prints one JSON line
 * with the endpoint and key pair, then serves until SIGINT or SIGTERM.
 */

const FLAGS: Record<string, string> = {
    "--port": "EMULATOR_PORT",
    "--access-key-id": "EMULATOR_ACCESS_KEY_ID",
    "--access-key-secret": "EMULATOR_ACCESS_KEY_SECRET",
    "--security-token": "EMULATOR_SECURITY_TOKEN",
    "--task-duration-ms": "EMULATOR_TASK_DURATION_MS",
    "--negotiation-ms": "EMULATOR_NEGOTIATION_MS",
    "--state-file": "EMULATOR_STATE_FILE",
    "--seed": "EMULATOR_SEED",
    "--readings": "EMULATOR_READINGS",
};

function usage(problem: string): never {
    process.stderr.write(`emulator: ${problem}\nflags: ${Object.keys(FLAGS).join(" ")} (each takes a value)\n`);
    process.exit(2);
}

function readFlags(argv: string[]): Record<string, string> {
    const values: Record<string, string> = {};
    for (const [flag, env] of Object.entries(FLAGS)) {
        const fromEnv = process.env[env];
        if (fromEnv !== undefined && fromEnv !== "") values[flag] = fromEnv;
    }
    for (let i = 0; i < argv.length; i++) {
        const [flag, inline] = argv[i].split(/=(.*)/s, 2);
        if (!(flag in FLAGS)) usage(`unknown argument ${argv[i]}`);
        const value = inline ?? argv[++i];
        if (value === undefined) usage(`${flag} needs a value`);
        values[flag] = value;
    }
    return values;
}

function nonNegativeInteger(flag: string, value: string | undefined): number | undefined {
    if (value === undefined) return undefined;
    if (!/^\d+$/.test(value)) usage(`${flag} must be a non-negative integer`);
    return Number(value);
}

function readings(value: string | undefined): ReadingName[] | undefined {
    if (value === undefined) return undefined;
    try {
        return parseReadings(value);
    } catch (error) {
        usage(`--readings: ${(error as Error).message}`);
    }
}

function readSeed(path: string | undefined): SeedConnection[] | undefined {
    if (path === undefined) return undefined;
    const parsed = readJsonFile(path) as SeedConnection | SeedConnection[];
    return Array.isArray(parsed) ? parsed : [parsed];
}

async function main(argv: string[]): Promise<void> {
    const flags = readFlags(argv);
    const options: EmulatorOptions = {
        port: nonNegativeInteger("--port", flags["--port"]),
        accessKeyId: flags["--access-key-id"],
        accessKeySecret: flags["--access-key-secret"],
        securityToken: flags["--security-token"],
        taskDurationMs: nonNegativeInteger("--task-duration-ms", flags["--task-duration-ms"]),
        negotiationMs: nonNegativeInteger("--negotiation-ms", flags["--negotiation-ms"]),
        stateFile: flags["--state-file"],
        seed: readSeed(flags["--seed"]),
        readings: readings(flags["--readings"]),
    };
    const emulator = await startEmulator(options);
    const stop = (): void => {
        emulator.close().then(
            () => process.exit(0),
            (error: unknown) => {
                console.error("emulator: failed to stop cleanly", error);
                process.exit(1);
            },
        );
    };
    // Before the banner: a script that reads it may signal at once.
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    process.stdout.write(
        `${JSON.stringify({
            endpoint: emulator.endpoint,
            port: emulator.port,
            accessKeyId: emulator.accessKeyId,
            accessKeySecret: emulator.accessKeySecret,
            ...(emulator.securityToken !== undefined && { securityToken: emulator.securityToken }),
            readings: emulator.admin.readings(),
        })}\n`,
    );
}

/** Runs the emulator with these flags until SIGINT or SIGTERM; also the package command's `emulator` (command.ts). */
export function runEmulatorCommand(argv: string[]): void {
    main(argv).catch((error: unknown) => {
        console.error("emulator:", error instanceof Error ? error.message : error);
        process.exit(1);
    });
}

if (require.main === module) {
    runEmulatorCommand(process.argv.slice(2));
}
