// Drops the machine path Stryker writes into the incremental report, which is
// committed (docs/mutation.md); nothing reads it back.
import { readFileSync, writeFileSync } from "node:fs";

const file = "reports/stryker-incremental.json";
const report = JSON.parse(readFileSync(file, "utf8"));
delete report.projectRoot;
writeFileSync(file, JSON.stringify(report));
