import { expect } from "chai";
import * as fc from "fast-check";
import { singleTunnelConnection } from "../../emulator/fixtures";
import type { CallRecord } from "../../emulator/types";
import { VpnAttachmentAttributeProvider } from "../../provider";
import { AttributeOutputs, CheckedInputs } from "../../provider/model/types";
import { checkInputs } from "../../provider/model/validation";
import { REGION } from "./arbitraries/declarations";
import { SINGLE_ID } from "./arbitraries/observed";
import { forgetLearnedState } from "./support/learnedState";
import { leakForms } from "./support/leaks";
import { capturingLog, emulatorForSuite, Session } from "./support/emulatorSession";
import { check } from "./support/fcSettings";
import { READING_CASES, runsPerReading } from "./support/readings";

/** The attributes the model follows; few values each, so that sequences return to earlier ones. */
interface Values {
    name: string;
    enableDpd: boolean;
    ikeLifetime: number;
    psk: string;
}
type Field = keyof Values;

const POOLS = {
    name: ["alpha", "bravo", "charlie"],
    enableDpd: [true, false],
    ikeLifetime: [3600, 28800, 86400],
    psk: ["p$k=1&a/b+c~d", "x'y%z(1)*w!", "q[2]{3}|4;5:6"],
};
const INITIAL: Values = { name: "alpha", enableDpd: true, ikeLifetime: 86400, psk: POOLS.psk[0] };

interface Model {
    /** What the program declares; an absent field is not managed. */
    declared: Partial<Values>;
    /** What the emulator holds. */
    service: Values;
    /** What Pulumi state holds for the declared fields, and which fields it manages; undefined before the first `up`. */
    state?: { values: Values; managed: Field[] };
}

interface Real {
    session: Session;
    olds?: AttributeOutputs;
}

type Fault = "none" | "throttle" | "ServiceUnavailable" | "VpnTask.CONFLICT" | "drop" | "longTask";

function differs(declared: Partial<Values>, values: Values): boolean {
    return (Object.keys(declared) as Field[]).some((field) => declared[field] !== values[field]);
}

function sameFields(a: Field[], b: Field[]): boolean {
    return a.length === b.length && a.every((f) => b.includes(f));
}

/** The program's inputs for a declaration, as the resource class hands them to check. */
function inputsOf(declared: Partial<Values>): CheckedInputs {
    const { name, enableDpd, ikeLifetime, psk } = declared;
    const raw: Record<string, unknown> = { regionId: REGION, vpnConnectionId: SINGLE_ID, timeoutSeconds: 10 };
    if (name !== undefined) raw.name = name;
    if (enableDpd !== undefined) raw.enableDpd = enableDpd;
    if (ikeLifetime !== undefined) raw.ikeConfig = { ikeLifetime };
    if (psk !== undefined) raw.psk = psk;
    const { inputs, failures } = checkInputs(raw);
    expect(failures).to.deep.equal([]);
    return inputs as unknown as CheckedInputs;
}

async function armFault(real: Real, fault: Fault): Promise<void> {
    const admin = real.session.admin;
    const action = "ModifyVpnAttachmentAttribute";
    switch (fault) {
        case "throttle":
            return void (await admin.fault({ kind: "throttle", perSecond: 2, retryAfterMs: 300 }));
        case "ServiceUnavailable":
            return void (await admin.fault({ kind: "fail", code: fault, httpStatus: 503, count: 1, action }));
        case "VpnTask.CONFLICT":
            return void (await admin.fault({ kind: "fail", code: fault, httpStatus: 400, count: 1, action }));
        case "drop":
            return void (await admin.fault({ kind: "drop", count: 1, action }));
        case "longTask":
            // Longer than the first polls (a dozen of the fast schedule's, test/support/fastPolls.ts): the
            // provider must keep waiting, not send again.
            return void (await admin.settings({ taskDurationMs: 300 }));
        case "none":
            return;
    }
}

async function readService(real: Real): Promise<Values> {
    const conn = await real.session.admin.get(SINGLE_ID);
    return {
        name: conn.Name as string,
        enableDpd: conn.EnableDpd as boolean,
        ikeLifetime: Number(conn.IkeConfig?.IkeLifetime),
        psk: conn.IkeConfig?.Psk as string,
    };
}

function allPskForms(): string[] {
    return POOLS.psk.flatMap((psk) => Object.values(leakForms(psk)));
}

/** A program change (set or stop managing fields), then `pulumi up` (or two at once), possibly under a fault. */
class UpCommand implements fc.AsyncCommand<Model, Real> {
    constructor(
        readonly changes: Partial<Record<Field, Values[Field] | null>>,
        readonly fault: Fault,
        readonly concurrent: boolean,
    ) {}

    private next(m: Model): Partial<Values> {
        const declared: Record<string, unknown> = { ...m.declared };
        for (const [field, value] of Object.entries(this.changes)) {
            if (value === null) delete declared[field];
            else declared[field] = value;
        }
        return declared;
    }

    check(): boolean {
        return true;
    }

    async run(m: Model, r: Real): Promise<void> {
        const declared = this.next(m);
        const managed = Object.keys(declared) as Field[];
        const updates = !m.state || differs(declared, m.state.values) || !sameFields(managed, m.state.managed);
        const needsModify = updates && differs(declared, m.service);

        const news = inputsOf(declared);
        const provider = new VpnAttachmentAttributeProvider();
        const olds = r.olds;
        if (olds) {
            expect((await provider.diff(SINGLE_ID, olds, news)).changes, "diff").to.equal(updates);
        }
        const before = (await r.session.admin.calls()).length;
        await armFault(r, this.fault);
        const once = () => (olds ? provider.update(SINGLE_ID, olds, news) : provider.create(news));
        const { lines, result, failed, error } = await capturingLog(async () =>
            updates ? (this.concurrent ? (await Promise.all([once(), once()]))[1] : await once()) : undefined,
        );
        await r.session.admin.clearFaults();
        await r.session.admin.settings({ taskDurationMs: 20 });
        if (failed) throw error;

        const modifies = (await r.session.admin.calls())
            .slice(before)
            .filter((c: CallRecord) => c.action === "ModifyVpnAttachmentAttribute");
        expect(modifies.filter((c) => c.code === "OK").length, "applied Modify calls").to.equal(needsModify ? 1 : 0);
        expect(new Set(modifies.map((c) => c.clientToken ?? c.params.ClientToken)).size, "tokens").to.be.at.most(1);
        const leaks = allPskForms().filter((form) => lines.some((line) => line.includes(form)));
        expect(leaks, "PSKs in log lines").to.deep.equal([]);

        if (updates) {
            const service = await readService(r);
            expect(service, "the emulator reports the declared values").to.include(declared);
            m.service = service;
            m.state = { values: service, managed };
            r.olds = result?.outs as AttributeOutputs;
        }
        m.declared = declared;
    }

    toString(): string {
        return `up(${JSON.stringify(this.changes)}${this.fault === "none" ? "" : `, fault ${this.fault}`}${this.concurrent ? ", twice at once" : ""})`;
    }
}

/** Someone changes the connection by hand. */
class DriftCommand implements fc.AsyncCommand<Model, Real> {
    constructor(readonly drift: Partial<Values>) {}
    check(): boolean {
        return true;
    }
    async run(m: Model, r: Real): Promise<void> {
        const { name, enableDpd, ikeLifetime, psk } = this.drift;
        await r.session.admin.patch(SINGLE_ID, {
            ...(name !== undefined && { Name: name }),
            ...(enableDpd !== undefined && { EnableDpd: enableDpd }),
            ...((ikeLifetime !== undefined || psk !== undefined) && {
                IkeConfig: {
                    ...(ikeLifetime !== undefined && { IkeLifetime: ikeLifetime }),
                    ...(psk !== undefined && { Psk: psk }),
                },
            }),
        });
        m.service = { ...m.service, ...this.drift };
    }
    toString(): string {
        return `drift(${JSON.stringify(this.drift)})`;
    }
}

/** `pulumi refresh`: state takes what the service reports. */
class RefreshCommand implements fc.AsyncCommand<Model, Real> {
    check(m: Model): boolean {
        return m.state !== undefined;
    }
    async run(m: Model, r: Real): Promise<void> {
        const { lines, result, failed, error } = await capturingLog(() =>
            new VpnAttachmentAttributeProvider().read(SINGLE_ID, r.olds as AttributeOutputs),
        );
        if (failed) throw error;
        expect(allPskForms().filter((form) => lines.some((line) => line.includes(form)))).to.deep.equal([]);
        r.olds = result?.props as AttributeOutputs;
        m.state = { values: m.service, managed: m.state?.managed ?? [] };
    }
    toString(): string {
        return "refresh";
    }
}

const anyChange = fc.record(
    {
        name: fc.option(fc.constantFrom(...POOLS.name)),
        enableDpd: fc.option(fc.constantFrom(...POOLS.enableDpd)),
        ikeLifetime: fc.option(fc.constantFrom(...POOLS.ikeLifetime)),
        psk: fc.option(fc.constantFrom(...POOLS.psk)),
    },
    { requiredKeys: [] },
);

/** Mostly one field at a time, as programs usually change: that is also how values flip back to earlier ones. */
const change = fc.oneof(
    {
        weight: 3,
        arbitrary: fc.oneof(
            ...(Object.keys(POOLS) as Field[]).map((field) => fc.record({ [field]: fc.constantFrom(...POOLS[field]) })),
        ),
    },
    { weight: 1, arbitrary: anyChange },
);

const drift = fc.record(
    {
        name: fc.constantFrom(...POOLS.name),
        enableDpd: fc.constantFrom(...POOLS.enableDpd),
        ikeLifetime: fc.constantFrom(...POOLS.ikeLifetime),
        psk: fc.constantFrom(...POOLS.psk),
    },
    { requiredKeys: [] },
);

const commands = [
    fc
        .record({
            changes: change,
            fault: fc.constantFrom<Fault>(
                "none",
                "none",
                "throttle",
                "ServiceUnavailable",
                "VpnTask.CONFLICT",
                "drop",
                "longTask",
            ),
            concurrent: fc.boolean(),
        })
        .map(({ changes, fault, concurrent }) => new UpCommand(changes, fault, concurrent)),
    drift.map((d) => new DriftCommand(d)),
    fc.constant(new RefreshCommand()),
];

/**
 * The stateful model: random sequences of program changes (with flips back to
 * earlier values), hand-made drift, refreshes, concurrent updates and faults
 * against the emulator. After each `up`: the emulator reports the declared
 * values, the call log shows one applied Modify exactly when one was needed,
 * and no PSK appears in any log line.
 */
for (const { label, readings } of READING_CASES) {
    describe(`model: sequences of up, drift, refresh and faults against the emulator, under ${label}`, function () {
        this.timeout(300_000);
        const current = emulatorForSuite({ taskDurationMs: 20, fastRetries: true, readings });

        it("keeps the connection at the declared values with exactly the Modify calls needed", async () => {
            const session = current();
            await check(
                fc.asyncProperty(fc.commands(commands, { maxCommands: 8 }), async (cmds) => {
                    await session.admin.reset();
                    forgetLearnedState();
                    await session.admin.seed(
                        singleTunnelConnection(SINGLE_ID, {
                            Name: INITIAL.name,
                            EnableDpd: INITIAL.enableDpd,
                            IkeConfig: { IkeLifetime: INITIAL.ikeLifetime, Psk: INITIAL.psk },
                        }),
                    );
                    await session.admin.settings({ taskDurationMs: 20 });
                    const setup = () => ({
                        model: { declared: {}, service: { ...INITIAL } } as Model,
                        real: { session } as Real,
                    });
                    await fc.asyncModelRun(setup, cmds);
                }),
                // 20 sequences per reading: fast-check grows its sequences over the runs, and at 5 per
                // reading most were empty.
                runsPerReading(100),
            );
        });
    });
}
