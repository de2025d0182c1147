// `npm test`: build, lint, type-check and test every project with Nx, then print one closing line
// with the totals of every Jest run ("N passed, N failed, N skipped").
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const totalsDir = path.join(__dirname, '..', '.nx', 'test-totals');
fs.rmSync(totalsDir, { recursive: true, force: true });

const nx = spawnSync(
  process.execPath,
  [require.resolve('nx/bin/nx'), 'run-many', '-t', 'build', 'lint', 'typecheck', 'test', '--outputStyle=stream', ...process.argv.slice(2)],
  { stdio: 'inherit', env: { NX_DAEMON: 'false', NX_TUI: 'false', ...process.env } },
);

const totals = { passed: 0, failed: 0, skipped: 0 };
const files = fs.existsSync(totalsDir) ? fs.readdirSync(totalsDir) : [];
for (const file of files) {
  const t = JSON.parse(fs.readFileSync(path.join(totalsDir, file), 'utf8'));
  totals.passed += t.passed;
  totals.failed += t.failed;
  totals.skipped += t.skipped;
}
const code = nx.status ?? 1;
// A failed build, lint or type check counts as a failure even when every test passed.
if (code !== 0 && totals.failed === 0) totals.failed = 1;
console.log(`\nTests (${files.length} projects):`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(code);
