// Jest's globals on node:test, so the module's Jest e2e suite runs unchanged under Node's own loader
// (Jest's module system cannot load Nest 12's ES modules; Node 20.19+ requires them natively).
// Only what the suite uses: describe/it(.each/.skip), hooks, jest.setTimeout, and Jest's own `expect`.
const nodeTest = require('node:test');
const { format } = require('node:util');
const { expect } = require('expect');

const DEFAULT_TIMEOUT_MS = 5_000;
let timeoutMs = DEFAULT_TIMEOUT_MS;

// Jest's printf-style titles (%s, %p, %i, %d, %j, %#) and $name for object rows.
function title(name, row, index) {
  const args = Array.isArray(row) ? row : [row];
  let out = name.replace(/%#/g, String(index));
  if (!Array.isArray(row) && row !== null && typeof row === 'object') {
    return out.replace(/\$([A-Za-z_][\w.]*)/g, (_, key) => format('%s', key.split('.').reduce((v, k) => v?.[k], row)));
  }
  const count = (out.match(/%[spidjfoO]/g) ?? []).length;
  out = out.replace(/%p/g, '%O');
  return count === 0 ? out : format(out, ...args.slice(0, count));
}

function each(register) {
  return (table) => (name, fn, ms) =>
    table.forEach((row, index) => register(title(name, row, index), () => (Array.isArray(row) ? fn(...row) : fn(row)), ms));
}

function it(name, fn, ms) {
  return nodeTest.it(name, { timeout: ms ?? timeoutMs }, () => fn());
}
it.skip = (name) => nodeTest.it(name, { skip: true }, () => undefined);
it.only = it;
it.each = each(it);
it.failing = (name, fn, ms) =>
  nodeTest.it(name, { timeout: ms ?? timeoutMs }, async () => {
    let failed = false;
    try {
      await fn();
    } catch {
      failed = true;
    }
    if (!failed) throw new Error('it.failing: the test passed');
  });

function describe(name, fn) {
  return nodeTest.describe(name, () => fn());
}
describe.skip = (name, fn) => nodeTest.describe(name, { skip: true }, () => fn());
describe.only = describe;
describe.each = each(describe);

const hook = (register) => (fn, ms) => register(() => fn(), { timeout: ms ?? timeoutMs });

Object.assign(globalThis, {
  describe,
  it,
  test: it,
  expect,
  beforeAll: hook(nodeTest.before),
  afterAll: hook(nodeTest.after),
  beforeEach: hook(nodeTest.beforeEach),
  afterEach: hook(nodeTest.afterEach),
  jest: {
    setTimeout(ms) {
      timeoutMs = ms;
    },
  },
});
