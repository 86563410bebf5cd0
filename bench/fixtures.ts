/** Seeds the emulator with the connections a benchmark stack declares (see program/specs.ts). */
import { dualTunnelConnection, EmulatorHandle, singleTunnelConnection } from "../emulator";
import { connectionId, isDual } from "./program/specs";

export function seedStack(emulator: EmulatorHandle, prefix: string, count: number): string[] {
    const ids = Array.from({ length: count }, (_, i) => connectionId(prefix, i));
    emulator.admin.seed(ids.map((id, i) => (isDual(i) ? dualTunnelConnection(id) : singleTunnelConnection(id))));
    return ids;
}
