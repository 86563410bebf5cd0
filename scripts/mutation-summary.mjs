// Prints, as Markdown for docs/mutation.md, what the last `npm run mutation`
// found (reports/mutation/mutation.json): the score per file, every surviving
// or uncovered mutant with its line and replacement, and every mutant a
// `// Stryker disable` comment leaves out, with the comment's reason (an
// equivalent mutant is explained where it would be made, and listed here).
//
//     node scripts/mutation-summary.mjs [report.json]
import { readFileSync } from "node:fs";

const report = JSON.parse(readFileSync(process.argv[2] ?? "reports/mutation/mutation.json", "utf8"));
const DETECTED = ["Killed", "Timeout"];
const UNDETECTED = ["Survived", "NoCoverage"];
// Stryker's reason for a static mutant left out by `ignoreStatic`; any other
// ignored mutant was left out by a disable comment, whose text is the reason.
const isStatic = (m) => /static/i.test(m.statusReason ?? "");

const rows = [];
const undetected = [];
const disabled = [];
const total = { detected: 0, undetected: 0, disabled: 0, static: 0 };
for (const [file, { mutants }] of Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))) {
    const count = (keep) => mutants.filter(keep).length;
    const detected = count((m) => DETECTED.includes(m.status));
    const missed = count((m) => UNDETECTED.includes(m.status));
    const statics = count((m) => m.status === "Ignored" && isStatic(m));
    const off = count((m) => m.status === "Ignored" && !isStatic(m));
    total.detected += detected;
    total.undetected += missed;
    total.static += statics;
    total.disabled += off;
    rows.push(
        `| \`${file.replace(/^provider\//, "")}\` | ${score(detected, missed)} | ${detected} | ${missed} | ${off} | ${statics} |`,
    );
    const line = (m) => {
        const replacement = (m.replacement ?? m.mutatorName).replace(/\s+/g, " ").slice(0, 80);
        return `\`${file}:${m.location.start.line}\` ${m.mutatorName} → \`${replacement}\``;
    };
    for (const m of mutants.filter((m) => UNDETECTED.includes(m.status))) undetected.push(`- ${line(m)} (${m.status})`);
    for (const m of mutants.filter((m) => m.status === "Ignored" && !isStatic(m))) {
        disabled.push(`- ${line(m)}: ${(m.statusReason ?? "").replace(/\s+/g, " ")}`);
    }
}

function score(detected, missed) {
    return detected + missed === 0 ? "n/a" : `${((100 * detected) / (detected + missed)).toFixed(1)}%`;
}

console.log(
    "| file | score | killed or timed out | survived or no coverage | disabled as equivalent | static (ignored) |",
);
console.log("|---|---|---|---|---|---|");
console.log(rows.join("\n"));
console.log(
    `| **all** | **${score(total.detected, total.undetected)}** | ${total.detected} | ${total.undetected} | ${total.disabled} | ${total.static} |`,
);
console.log("");
console.log(
    `Counting the mutants disabled as equivalent as survivors: ${score(total.detected, total.undetected + total.disabled)}.`,
);
console.log("");
console.log("### Survived or not covered\n");
console.log(undetected.join("\n") || "None.");
console.log("");
console.log("### Disabled as equivalent, with the reason at the line\n");
console.log(disabled.join("\n") || "None.");
