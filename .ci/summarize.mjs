// Adds up the vitest JSON reports each package wrote and prints the plain closing line CI reads.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const reports = [];
for (const workspace of readdirSync(root)) {
  const dir = path.join(root, workspace);
  for (const name of ['.vitest-report.json', '.vitest-report-pg.json']) {
    const file = path.join(dir, name);
    if (existsSync(file)) reports.push({ workspace, name, report: JSON.parse(readFileSync(file, 'utf8')) });
  }
}
let passed = 0;
let failed = 0;
let skipped = 0;
for (const { workspace, name, report } of reports) {
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
  console.log(
    `${workspace.padEnd(12)} ${name.includes('-pg') ? 'postgresql' : 'default   '} ` +
      `${report.numPassedTests} passed, ${report.numFailedTests} failed`,
  );
}
if (reports.length === 0) {
  console.log('no test reports found');
  process.exit(1);
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
