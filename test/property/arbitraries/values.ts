/**
 * Single values, as the API page allows them and as real connections hold
 * them. The algorithm lists are the page's, which the SDK model and
 * Terraform's validators repeat: a connection the provider can change holds
 * nothing else, since a Modify resends its config objects whole.
 */
import * as fc from "fast-check";

export const ENCRYPTION = ["aes", "aes192", "aes256", "des", "3des"];
export const AUTHENTICATION = ["md5", "sha1", "sha256", "sha384", "sha512"];
export const DH_GROUPS = ["group1", "group2", "group5", "group14"];
export const IPSEC_PFS = ["disabled", ...DH_GROUPS];

/** What a connection may report and a program may declare again. */
export const encryption = fc.constantFrom(...ENCRYPTION);
export const authentication = fc.constantFrom(...AUTHENTICATION);
export const dhGroup = fc.constantFrom(...DH_GROUPS);
export const ipsecPfs = fc.constantFrom(...IPSEC_PFS);
export const ikeVersion = fc.constantFrom("ikev1", "ikev2");
export const ikeMode = fc.constantFrom("main", "aggressive");
export const lifetime = fc.integer({ min: 0, max: 86400 });

const LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const DIGITS = "0123456789";
/** The page's PSK alphabet: regex metacharacters, a quote, `%`, `&`, `=`, `+` and `/` included. */
export const PSK_SPECIALS = "~!`@#$%^&*()_-+={}[]|;:',.<>/?";
const PSK_CHARACTERS = [...LETTERS, ...DIGITS, ...PSK_SPECIALS];

export function psk(minLength = 1, maxLength = 100): fc.Arbitrary<string> {
    return fc.string({ unit: fc.constantFrom(...PSK_CHARACTERS), minLength, maxLength });
}

/**
 * A key long enough, and with enough of the page's special characters, that
 * finding it in a message means it leaked, not that it is a common word.
 */
export const distinctivePsk = fc
    .tuple(psk(6, 40), fc.constantFrom(...PSK_SPECIALS), psk(6, 40), fc.constantFrom("%", "&", "=", "+", "/", "'", "$"))
    .map(([a, special, b, tail]) => `${a}${special}${b}${tail}`);

const identifierCharacter = fc.constantFrom(...LETTERS, ...DIGITS, ".", "-", "_", "@", ":");
/** IkeConfig.LocalId / RemoteId: an address or an FQDN, at most 100 characters, no whitespace. */
export const ikeIdentifier = fc.oneof(
    fc.ipV4(),
    fc.string({ unit: identifierCharacter, minLength: 1, maxLength: 100 }),
);

/** What a program may declare: also "", which the page (a maximum only) does not refuse. */
export const declaredIdentifier = fc.oneof(
    { weight: 4, arbitrary: ikeIdentifier },
    { weight: 1, arbitrary: fc.constant("") },
);

const nameCharacter = fc.constantFrom(...LETTERS, ...DIGITS, "-", "_", ".", " ", "/", ":", "网", "络");
const astral = fc.constantFrom("😀", "𝔘", "𠀋");
/** Name: 1-100 characters, not starting with http:// or https://. */
export const name = fc
    .oneof(
        { weight: 4, arbitrary: fc.string({ unit: nameCharacter, minLength: 1, maxLength: 100 }) },
        // Characters outside the BMP count once in code points and twice in UTF-16 units.
        { weight: 1, arbitrary: fc.string({ unit: astral, minLength: 1, maxLength: 100 }) },
    )
    .filter((text) => !/^https?:\/\//i.test(text));

export const customerGatewayId = fc.stringMatching(/^cgw-[0-9a-z]{8,20}$/);

/** Network addresses only. */
function networkBlock(): fc.Arbitrary<string> {
    return fc.tuple(fc.ipV4(), fc.integer({ min: 8, max: 32 })).map(([ip, prefix]) => {
        const value = ip.split(".").reduce((acc, part) => acc * 256 + Number(part), 0);
        const size = 2 ** (32 - prefix);
        const network = value - (value % size);
        return `${[24, 16, 8, 0].map((shift) => Math.floor(network / 2 ** shift) % 256).join(".")}/${prefix}`;
    });
}

const hostBitBlock = fc.tuple(fc.ipV4(), fc.integer({ min: 8, max: 31 })).map(([ip, prefix]) => `${ip}/${prefix}`);

/** A block as the page allows it: host bits may be set. */
export const subnetBlock: fc.Arbitrary<string> = fc.oneof(networkBlock(), hostBitBlock);

/** One to three blocks, repeated entries allowed. */
export const subnetBlocks: fc.Arbitrary<string[]> = fc.array(subnetBlock, { minLength: 1, maxLength: 3 });

/** A /30 the page allows for BGP: inside 169.254.0.0/16, not 169.254.0-6.0/30 nor 169.254.169.252/30. */
export const tunnelCidr = fc
    .tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 63 }))
    .map(([third, quad]) => `169.254.${third}.${quad * 4}/30`)
    .filter((cidr) => !/^169\.254\.[0-6]\.0\/30$/.test(cidr) && cidr !== "169.254.169.252/30");

/** One of the two hosts of a /30. */
export function hostOf(cidr: string, which: 1 | 2): string {
    const [address] = cidr.split("/");
    const parts = address.split(".").map(Number);
    return `${parts[0]}.${parts[1]}.${parts[2]}.${parts[3] + which}`;
}

export const localAsn = fc.integer({ min: 1, max: 4294967295 });
/** How a program may write an ASN: a number, a numeric string, or "high.low". */
export const declaredAsn: fc.Arbitrary<number | string> = fc.oneof(
    localAsn,
    localAsn.map(String),
    fc
        .tuple(fc.integer({ min: 0, max: 65535 }), fc.integer({ min: 0, max: 65535 }))
        .filter(([high, low]) => high * 65536 + low >= 1)
        .map(([high, low]) => `${high}.${low}`),
);

export const positiveInteger = fc.integer({ min: 1, max: 100 });
export const healthCheckPolicy = fc.constantFrom("revoke_route", "reserve_route");

/** A boolean as a program (a YAML one, too) may write it. */
export const declaredBoolean: fc.Arbitrary<boolean | string> = fc.oneof(
    { weight: 3, arbitrary: fc.boolean() },
    { weight: 1, arbitrary: fc.constantFrom("true", "false") },
);

export function asBoolean(value: boolean | string | undefined): boolean | undefined {
    return value === undefined ? undefined : value === true || value === "true";
}
