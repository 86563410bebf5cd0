/**
 * Keeps the young generation of the process that calls the API small.
 *
 * V8 grows its young generation while objects survive its scavenges, up to a
 * maximum that Node 24 raised to 2 x 64 MB (Node 22: 2 x 16 MB). A fleet
 * update keeps up to --parallel converges in flight in the one provider
 * process, each holding its reads across its waits, so they survive; on
 * Node 24 the young generation reached its 128 MB, and the process its peak
 * of 326 MB, at 200 connections (`npm run bench`, docs/benchmarks.md). Its
 * live heap was 60 MB (a heap snapshot at the peak): the rest was room for
 * garbage. With a growth factor of 1 the young generation stays at its
 * starting size: the peak fell to 237 MB at the same CPU time.
 *
 * V8 reads this flag each time it would grow the space, so setting it at run
 * time takes effect (the maximum size, read once at start-up, would not).
 * Set once per process, on the first API call: only the process that runs
 * the provider's calls gets it, never a Pulumi program that merely declares
 * resources.
 */
import { setFlagsFromString } from "node:v8";
import { processWide } from "../foundation/processWide";

export const YOUNG_GENERATION_FLAG = "--semi-space-growth-factor=1";

export function keepYoungGenerationSmall(): void {
    processWide("young-generation", 1, () => {
        setFlagsFromString(YOUNG_GENERATION_FLAG);
        return true;
    });
}
