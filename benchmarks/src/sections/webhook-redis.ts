import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { BenchChild, cpuDelta, UnavailableError } from '../lib/child';
import type { BenchContext } from '../lib/context';
import type { Row } from '../lib/report';
import { interleave, type RoundSample, type Variant } from '../lib/rounds';
import { redisUrl, type NestAdapterName, type NestAppConfig, type NestVariant } from '../servers/nest-app';
import { compareRow, EventPool, fire } from './webhook-intake';

const PATH = 'webhooks/paymnt';
/** The module route with RedisEventStore against the bare JSON route (both adapters). */
const REDIS_TARGET = 0.8;
/** Instances of the module app sharing one Redis (the scale figures: 2 and 3 against 1). */
const INSTANCES = 3;

/** Fails the section as unavailable (the quick run skips it) when nothing listens where Redis should be. */
async function assertRedis(): Promise<void> {
  const url = new URL(redisUrl());
  await new Promise<void>((resolve, reject) => {
    const socket = connect(Number(url.port || 6379), url.hostname);
    socket.setTimeout(1000, () => socket.destroy(new Error('timeout')));
    socket.once('connect', () => {
      socket.end();
      resolve();
    });
    socket.once('error', (error) => reject(new UnavailableError(`no Redis at ${redisUrl()} (${error.message}): section 6 needs one`)));
  });
}

/**
 * Section 6: webhook intake on Redis. Per adapter, interleaved: the bare JSON route; the module
 * route with `RedisEventStore` (1 instance, then 2 and 3 instances sharing the Redis, each a child
 * process, the load split evenly); and the module with durable intake (BullMQ enqueue, no worker
 * in the app) against in-request dispatch on the same Redis.
 */
export async function webhookRedis(ctx: BenchContext): Promise<Row[]> {
  await assertRedis();
  const rows: Row[] = [];
  // The quick run measures one adapter and two instances: boot time dominates it.
  const adapters: NestAdapterName[] = ctx.quick ? ['express'] : ['express', 'fastify'];
  for (const adapter of adapters) {
    ctx.log(`  ${adapter}`);
    rows.push(...(await measureAdapter(ctx, adapter, ctx.quick ? 2 : INSTANCES)));
  }
  return rows;
}

async function measureAdapter(ctx: BenchContext, adapter: NestAdapterName, instances: number): Promise<Row[]> {
  const secret = randomBytes(32).toString('hex');
  // One prefix per run and adapter: the instances share it (one store), and it is deleted at close.
  const redisPrefix = `paymnt-bench-${randomBytes(4).toString('hex')}`;
  const config = (variant: NestVariant): NestAppConfig => ({ adapter, variant, path: PATH, secret, redisPrefix: `${redisPrefix}-${variant}` });
  const kinds: NestVariant[] = ['bare', 'module-intake', ...Array.from({ length: instances }, (): NestVariant => 'module-redis')];
  const started = await Promise.allSettled(kinds.map((kind) => BenchChild.start('nest', config(kind), { execArgv: ctx.serverExecArgv })));
  const children = started.filter((s): s is PromiseFulfilledResult<BenchChild> => s.status === 'fulfilled').map((s) => s.value);
  try {
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    const [bare, intake, ...redis] = children;
    const pool = new EventPool(secret);
    const { webhook: plan, webhookConnections: connections } = ctx.profile;
    let bestRate = 5_000;
    let redisAccepted = 0;
    /** Load on `targets` at once, `connections` split evenly; CPU summed over them. */
    const variant = (name: string, targets: BenchChild[], countsForRedis: boolean): Variant => ({
      name,
      run: async (seconds): Promise<RoundSample> => {
        pool.refill(Math.ceil(bestRate * seconds * 1.5) + connections * 2 + 100);
        const before = await Promise.all(targets.map((t) => t.cpu()));
        const loads = await Promise.all(
          targets.map((t) => fire(`http://127.0.0.1:${t.port}/${PATH}`, pool, Math.max(1, Math.floor(connections / targets.length)), seconds)),
        );
        const after = await Promise.all(targets.map((t) => t.cpu()));
        const ops = loads.reduce((n, l) => n + l.ops, 0);
        const wall = Math.max(...loads.map((l) => l.seconds));
        bestRate = Math.max(bestRate, ops / wall);
        if (countsForRedis) redisAccepted += ops;
        return {
          ops,
          seconds: wall,
          p50: Math.max(...loads.map((l) => l.p50)),
          p99: Math.max(...loads.map((l) => l.p99)),
          serverCpuUs: targets.reduce((n, _t, i) => n + cpuDelta(before[i], after[i]), 0),
        };
      },
    });
    const names = { bare: 'bare route', redis: 'PaymntModule route, RedisEventStore', intake: 'PaymntModule route, durable intake (enqueue)' };
    const scaleName = (n: number): string => `${n} instances sharing Redis`;
    const variants: Variant[] = [variant(names.bare, [bare], false), variant(names.redis, [redis[0]], true), variant(names.intake, [intake], false)];
    for (let n = 2; n <= instances; n++) variants.push(variant(scaleName(n), redis.slice(0, n), true));
    const results = await interleave(variants, plan, ctx.log);
    // Every accepted webhook ran the handler once, in whichever instance took it (one shared store).
    const handled = (await Promise.all(redis.map((r) => r.call<number>('handled')))).reduce((a, b) => a + b, 0);
    const runs = (plan.rounds + (plan.warmSeconds > 0 ? 1 : 0)) * (variants.length - 2);
    const handledOk = handled >= redisAccepted && handled <= redisAccepted + connections * runs;
    if (!handledOk) ctx.log(`    !! handlers ran ${handled} times for ${redisAccepted} accepted webhooks`);
    const get = (name: string): NonNullable<ReturnType<typeof results.get>> => results.get(name)!;
    const detail = { adapter, connections, bodyBytes: pool.bodyBytes, redis: redisUrl(), handlerRuns: handled, accepted: redisAccepted };
    const rows: Row[] = [
      compareRow('6', `webhook ${adapter}: PaymntModule route, RedisEventStore`, get(names.redis), get(names.bare), { op: '>=', value: REDIS_TARGET }, handledOk, detail),
      compareRow('6', `webhook ${adapter}: durable intake enqueue vs in-request dispatch (Redis)`, get(names.intake), get(names.redis), undefined, true, detail),
      compareRow('6', `webhook ${adapter}: durable intake enqueue`, get(names.intake), get(names.bare), undefined, true, detail),
    ];
    for (let n = 2; n <= instances; n++) {
      rows.push(compareRow('6', `webhook ${adapter}: ${n} instances vs 1, RedisEventStore`, get(scaleName(n)), get(names.redis), undefined, handledOk, { ...detail, instances: n }));
    }
    return rows;
  } finally {
    await Promise.all(children.map((child) => child.close()));
  }
}
