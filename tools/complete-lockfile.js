// npm 11's `npm ci` expects a lock entry for every optional platform binary (for example
// @unrs/resolver-binding-darwin-arm64), but `npm install` writes none for binaries the registry
// it uses does not serve, and then `npm ci` refuses the lock as "out of sync". This adds those
// entries: the version only, marked optional, with the os/cpu their name encodes, so `npm ci`
// accepts the lock and never tries to install them here.
// Run it after any `npm install` that changes package-lock.json: `node tools/complete-lockfile.js`.
const fs = require('node:fs');
const path = require('node:path');

const file = path.join(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
const PLATFORM = /-(darwin|linux|win32|freebsd|android|openharmony|sunos|aix|wasm32)-([a-z0-9]+)/;

let added = 0;
for (const [key, entry] of Object.entries(lock.packages)) {
  for (const [name, spec] of Object.entries(entry.optionalDependencies ?? {})) {
    const nested = `${key ? key + '/' : ''}node_modules/${name}`;
    if (lock.packages[nested] || lock.packages[`node_modules/${name}`]) continue;
    const match = PLATFORM.exec(name);
    if (!match || !/^\d+\.\d+\.\d+/.test(spec)) continue; // only exact-version platform binaries
    const [, os, cpu] = match;
    lock.packages[`node_modules/${name}`] =
      os === 'wasm32' ? { version: spec, cpu: ['wasm32'], optional: true } : { version: spec, cpu: [cpu], optional: true, os: [os] };
    added++;
  }
}
lock.packages = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)),
);
fs.writeFileSync(file, JSON.stringify(lock, null, 2) + '\n');
console.log(`complete-lockfile: ${added} platform entries added`);
