/**
 * IPv4 addresses, CIDR blocks and subnet lists: the one place that reads
 * them, for check, diffing, normalisation and the BGP address rule.
 */

export interface Cidr {
    /** The address as written, as an unsigned 32-bit number. */
    address: number;
    prefix: number;
    network: number;
    broadcast: number;
}

/** Strict dotted quad; leading zeros are refused because some parsers read them as octal. */
export function parseIpv4(text: string): number | undefined {
    const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
    if (!match) {
        return undefined;
    }
    let value = 0;
    for (const part of match.slice(1)) {
        if ((part.length > 1 && part.startsWith("0")) || Number(part) > 255) {
            return undefined;
        }
        value = value * 256 + Number(part);
    }
    return value;
}

export function formatIpv4(value: number): string {
    return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
}

export function parseCidr(text: string): Cidr | undefined {
    const match = /^([^/]+)\/(\d{1,2})$/.exec(text);
    const address = match ? parseIpv4(match[1]) : undefined;
    const prefix = match ? Number(match[2]) : NaN;
    if (address === undefined || !(prefix <= 32)) {
        return undefined;
    }
    const size = 2 ** (32 - prefix);
    const network = address - (address % size);
    return { address, prefix, network, broadcast: network + size - 1 };
}

/** True when `ip` is an address inside the block `cidr`; false when either does not parse. */
export function ipInCidr(ip: string, cidr: string): boolean {
    // NaN, for an address that does not parse, fails both comparisons below.
    const address = parseIpv4(ip) ?? NaN;
    const block = parseCidr(cidr);
    if (block === undefined) {
        return false;
    }
    return address >= block.network && address <= block.broadcast;
}

/**
 * The entries of a subnet list as written: a comma-separated string (the
 * service's and state's form, sometimes with spaces) split at its commas, or
 * a list (a program's form). Undefined when the value is neither.
 */
export function splitSubnets(value: unknown): unknown[] | undefined {
    return typeof value === "string" ? value.split(",") : Array.isArray(value) ? value : undefined;
}

/** The entries of a subnet list (see `splitSubnets`), each trimmed, empty ones dropped. */
export function subnetEntries(value: unknown): unknown[] | undefined {
    // Only text reaches here: check canonicalises a list, and one still holding an unknown is never compared.
    const trimmed = splitSubnets(value)?.map((entry) => String(entry).trim());
    return trimmed?.filter((entry) => entry !== "");
}

/**
 * The distinct networks a subnet list names, each as "network/prefix": what
 * the list means for routing, however it is spelt (order, spaces, host bits,
 * repeats). Entries that do not parse stay as written, so that they still
 * compare unequal to anything else. Undefined when the value is not a list
 * of subnets at all.
 */
export function subnetNetworks(value: unknown): Set<string> | undefined {
    const entries = subnetEntries(value);
    if (!entries) {
        return undefined;
    }
    const networks = new Set<string>();
    for (const entry of entries) {
        // `subnetEntries` has trimmed the entries and dropped empty ones.
        const text = String(entry);
        const block = parseCidr(text);
        networks.add(block ? `${formatIpv4(block.network)}/${block.prefix}` : text);
    }
    return networks;
}

/** Two subnet lists that name the same set of networks. */
export function sameSubnets(a: unknown, b: unknown): boolean {
    const left = subnetNetworks(a);
    const right = subnetNetworks(b);
    return (
        left !== undefined && right !== undefined && left.size === right.size && [...left].every((s) => right.has(s))
    );
}
