/**
 * Where the module route's CPU goes, per request: boots the module app and the bare + raw body +
 * HMAC app of each adapter (each in its own child), warms them, then profiles exactly N webhooks
 * sent to each and prints self time per request (µs), by package and by function, module minus
 * baseline. The profiles are written to benchmarks/results/profiles/<adapter>-<variant>.cpuprofile.
 *
 *   node benchmarks/dist/profile-webhook.js [requests=20000] [express,fastify] [variants=module,bare-verify]
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { BenchChild } from './lib/child';
import { selfTimes, type CpuProfile } from './profile-summary';
import { EventPool, signedRequests } from './sections/webhook-intake';
import { routeOf, type NestAdapterName, type NestAppConfig, type NestVariant } from './servers/nest-app';

const PATH = 'webhooks/paymnt';

async function send(port: number, route: string, pool: EventPool, amount: number): Promise<void> {
  pool.refill(amount + 200);
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/${route}`,
    connections: 64,
    amount,
    timeout: 10,
    requests: signedRequests(pool),
  });
  if (result.errors > 0 || result.non2xx > 0) throw new Error(`profile load: ${result.non2xx} non-2xx, ${result.errors} errors`);
}

async function main(): Promise<void> {
  const requests = Number(process.argv[2] ?? 20_000);
  const adapters = (process.argv[3] ?? 'express,fastify').split(',') as NestAdapterName[];
  const variants = (process.argv[4] ?? 'module,bare-verify').split(',') as NestVariant[];
  const dir = join(__dirname, '..', 'results', 'profiles');
  mkdirSync(dir, { recursive: true });
  for (const adapter of adapters) {
    const secret = randomBytes(32).toString('hex');
    const perRequest = new Map<NestVariant, ReturnType<typeof selfTimes>>();
    for (const variant of variants) {
      const config: NestAppConfig = { adapter, variant, path: PATH, secret, storeMaxEntries: 1_000, redisPrefix: `pbench${randomBytes(4).toString('hex')}` };
      const child = await BenchChild.start('nest', config);
      try {
        const pool = new EventPool(secret, variant === 'golevelup' ? 'stripe' : 'paymnt');
        await send(child.port, routeOf(variant, PATH), pool, 5_000);
        const file = join(dir, `${adapter}-${variant}.cpuprofile`);
        await child.call('profile-start');
        await send(child.port, routeOf(variant, PATH), pool, requests);
        await child.call('profile-stop', file);
        perRequest.set(variant, selfTimes(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile));
      } finally {
        await child.close();
      }
    }
    const [measured, baseline] = variants;
    const a = perRequest.get(measured)!;
    const b = perRequest.get(baseline);
    const us = (v: number | undefined): string => ((v ?? 0) / requests).toFixed(2).padStart(7);
    console.log(`\n${adapter}: CPU per request (self time, idle left out), ${requests} webhooks each`);
    for (const v of variants) console.log(`  ${v.padEnd(22)} ${us(perRequest.get(v)!.totalUs)} µs`);
    const show = (title: string, pick: (s: ReturnType<typeof selfTimes>) => Map<string, number>, top: number): void => {
      console.log(`\n  ${title}: ${measured}${b ? ` vs ${baseline}, difference` : ''} (µs per request)`);
      const keys = new Set([...pick(a).keys(), ...(b ? pick(b).keys() : [])]);
      [...keys]
        .map((k) => [k, pick(a).get(k) ?? 0, b ? (pick(b).get(k) ?? 0) : 0] as const)
        .sort((x, y) => Math.abs(y[1] - y[2]) - Math.abs(x[1] - x[2]))
        .slice(0, top)
        .forEach(([k, x, y]) => console.log(`  ${us(x)} ${b ? `${us(y)} ${us(x - y)}` : ''}  ${k}`));
    };
    show('by package', (s) => s.byPackage, 20);
    show('by function', (s) => s.byFunction, 45);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
