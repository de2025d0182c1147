// node:test reporter: records this project's totals for tools/run-tests.js (like tools/jest-totals-reporter.js).
import fs from 'node:fs';
import path from 'node:path';

export default async function* totalsReporter(source) {
  const totals = { passed: 0, failed: 0, skipped: 0 };
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    if (event.data.details?.type === 'suite') {
      // A suite fails on its own when one of its hooks throws.
      if (event.type === 'test:fail' && event.data.details.error?.failureType === 'hookFailed') totals.failed++;
      continue;
    }
    if (event.data.skip || event.data.todo) totals.skipped++;
    else if (event.type === 'test:pass') totals.passed++;
    else totals.failed++;
  }
  const dir = path.join(import.meta.dirname, '..', '..', '..', '.nx', 'test-totals');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'packaged.json'), JSON.stringify(totals));
  yield '';
}
