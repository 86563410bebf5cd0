// Prints, as Markdown for docs/mutation.md, what the last `npm run mutation`
// found (reports/mutation/mutation.json): the score per file, and every
// surviving or uncovered mutant with its line and replacement.
//
//     node scripts/mutation-summary.mjs [report.json]
import { readFileSync } from "node:fs";

const report = JSON.parse(readFileSync(process.argv[2] ?? "reports/mutation/mutation.json", "utf8"));
const DETECTED = ["Killed", "Timeout"];
const UNDETECTED = ["Survived", "NoCoverage"];

const rows = [];
const undetected = [];
const total = { detected: 0, undetected: 0, ignored: 0 };
for (const [file, { mutants }] of Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))) {
    const count = (statuses) => mutants.filter((m) => statuses.includes(m.status)).length;
    const detected = count(DETECTED);
    const missed = count(UNDETECTED);
    const ignored = count(["Ignored"]);
    total.detected += detected;
    total.undetected += missed;
    total.ignored += ignored;
    rows.push(
        `| \`${file.replace(/^provider\//, "")}\` | ${score(detected, missed)} | ${detected} | ${missed} | ${ignored} |`,
    );
    for (const m of mutants.filter((m) => UNDETECTED.includes(m.status))) {
        const replacement = (m.replacement ?? m.mutatorName).replace(/\s+/g, " ").slice(0, 80);
        undetected.push(`- \`${file}:${m.location.start.line}\` ${m.mutatorName} → \`${replacement}\` (${m.status})`);
    }
}

function score(detected, missed) {
    return detected + missed === 0 ? "n/a" : `${((100 * detected) / (detected + missed)).toFixed(1)}%`;
}

console.log("| file | score | killed or timed out | survived or no coverage | ignored (static) |");
console.log("|---|---|---|---|---|");
console.log(rows.join("\n"));
console.log(
    `| **all** | **${score(total.detected, total.undetected)}** | ${total.detected} | ${total.undetected} | ${total.ignored} |`,
);
console.log("");
console.log(undetected.join("\n"));
