/** Minimal IPv4 arithmetic for the address rules the service enforces. */

export interface Cidr {
    network: number;
    prefix: number;
}

const OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** Parses dotted-quad IPv4 into an unsigned 32-bit number, or undefined. */
export function parseIpv4(text: string): number | undefined {
    const parts = text.split(".");
    if (parts.length !== 4 || !parts.every((p) => OCTET.test(p))) return undefined;
    return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

export function formatIpv4(value: number): string {
    return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
}

export function parseCidr(text: string): Cidr | undefined {
    const match = /^([^/]+)\/(\d{1,2})$/.exec(text);
    if (!match) return undefined;
    const address = parseIpv4(match[1]);
    const prefix = Number(match[2]);
    if (address === undefined || prefix > 32) return undefined;
    const size = 2 ** (32 - prefix);
    return { network: address - (address % size), prefix };
}

export function cidrSize(cidr: Cidr): number {
    return 2 ** (32 - cidr.prefix);
}

export function cidrContains(cidr: Cidr, address: number): boolean {
    return address >= cidr.network && address < cidr.network + cidrSize(cidr);
}

/** True when the text is exactly the network address of the block (no host bits). */
export function isCanonicalCidr(text: string, cidr: Cidr): boolean {
    return text === `${formatIpv4(cidr.network)}/${cidr.prefix}`;
}
