/**
 * Where pre-shared keys are: in `ikeConfig.psk` and each tunnel's
 * `tunnelIkeConfig.psk`, as the API takes them, or moved out to the secret
 * top-level `psk` and `tunnelPsks` (inputs and state), because Pulumi can
 * keep only a whole top-level value secret.
 */
import { ObservedConnection } from "./types";

interface TunnelWithIke {
    tunnelId?: unknown;
    tunnelIndex?: unknown;
    tunnelIkeConfig?: { psk?: unknown } | null;
}

type PskOf<T extends TunnelWithIke> = Exclude<NonNullable<T["tunnelIkeConfig"]>["psk"], undefined>;

/** Each tunnel's PSK, with the tunnel's id and index, for tunnels that have one. */
export function tunnelPsksOf<T extends TunnelWithIke>(
    tunnels: readonly T[] | undefined,
): Array<{ tunnelId: T["tunnelId"]; tunnelIndex: T["tunnelIndex"]; psk: PskOf<T> }> {
    // Stryker disable next-line ArrayDeclaration: a text entry destructures to no PSK
    return (tunnels ?? []).flatMap(({ tunnelId, tunnelIndex, tunnelIkeConfig }) =>
        tunnelIkeConfig?.psk === undefined ? [] : [{ tunnelId, tunnelIndex, psk: tunnelIkeConfig.psk as PskOf<T> }],
    );
}

/** The config without its PSK. */
export function withoutPsk<T extends { psk?: unknown }>(config: T): Omit<T, "psk"> {
    const { psk: _psk, ...rest } = config;
    return rest;
}

/** Every pre-shared key the connection reports: what messages must never show. */
export function observedPsks(observed: ObservedConnection): string[] {
    const single = observed.ikeConfig?.psk;
    const tunnels = tunnelPsksOf(observed.tunnelOptionsSpecification).map((t) => t.psk);
    return single === undefined ? tunnels : [single, ...tunnels];
}
