import { randomBytes } from 'node:crypto';
import { signWebhookPayload, WEBHOOK_SIGNATURE_HEADER } from '@paymnt/client';
import autocannon from 'autocannon';
import Stripe from 'stripe';
import { BenchChild, cpuDelta, type MemorySample } from '../lib/child';
import type { BenchContext } from '../lib/context';
import { paymentObject, WebhookEventFactory } from '../lib/fixtures';
import { judge, type Row } from '../lib/report';
import { interleave, pairedRatio, type RoundSample, type Variant, type VariantResult } from '../lib/rounds';
import { slope } from '../lib/stats';
import { routeOf, type NestAdapterName, type NestAppConfig, type NestVariant } from '../servers/nest-app';

const PATH = 'webhooks/paymnt';
/** Targets on both adapters: against the bare JSON route, the bare route + raw body + HMAC, the peer. */
const TARGETS = { bare: 0.9, bareVerify: 0.97, peer: 1 };
/**
 * The module app's dedupe store bound. Small, so that the store is full before the leak check's
 * first sample and its own (bounded) growth is not mistaken for a leak; 5a measures the store at
 * its default bound. The number of keys does not change the cost of one request (Map operations).
 */
const STORE_MAX_ENTRIES = 1_000;

/** How a pool signs: Paymnt's HMAC-SHA512 header, or Stripe's `stripe-signature` (golevelup's route). */
export type SigningScheme = 'paymnt' | 'stripe';

/**
 * A Stripe `payment_intent.succeeded` event as JSON, of the same size and about the same number of
 * keys as the Paymnt events (its payment intent carries the fields of the Paymnt payment), so both
 * routes parse and hash comparable bodies; padded in its metadata to `targetBytes`; unique ids.
 */
function stripeEventBody(tag: string, n: number, targetBytes: number): string {
  const id = `${tag}${n.toString(16).padStart(12, '0')}`;
  const created = Math.floor(Date.now() / 1000);
  // The envelope of a Stripe event is longer: three of the payment's fields make room for it.
  const { payment_id: _id, metadata: _metadata, client_secret: _secret, connector_transaction_id: _ctid, merchant_connector_id: _mca, ...fields } =
    paymentObject(`pay_${id}`);
  const metadata: Record<string, string> = { order_id: '10293', channel: 'web', notes: '' };
  const event = {
    id: `evt_${id}`,
    object: 'event',
    api_version: '2025-01-27.acacia',
    created,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type: 'payment_intent.succeeded',
    data: { object: { id: `pi_${id}`, object: 'payment_intent', ...fields, metadata } },
  };
  const body = JSON.stringify(event);
  metadata.notes = 'x'.repeat(Math.max(0, targetBytes - body.length));
  return JSON.stringify(event);
}

/** Signed, unique events made ahead of each round, so signing costs nothing during the timed part. */
export class EventPool {
  readonly #factory = new WebhookEventFactory();
  readonly #tag = randomBytes(4).toString('hex');
  #made = 0;
  #bodies: Buffer[] = [];
  #signatures: string[] = [];
  #next = 0;
  /** Events made during a round because the pool ran out (should stay 0). */
  madeLate = 0;
  /** The header that carries the signature. */
  readonly header: string;

  constructor(
    private readonly secret: string,
    private readonly scheme: SigningScheme = 'paymnt',
  ) {
    this.header = scheme === 'stripe' ? 'stripe-signature' : WEBHOOK_SIGNATURE_HEADER;
  }

  /** Makes sure `count` fresh events are ready; used ones are dropped. */
  refill(count: number): void {
    this.#bodies = this.#bodies.slice(this.#next);
    this.#signatures = this.#signatures.slice(this.#next);
    this.#next = 0;
    while (this.#bodies.length < count) {
      if (this.scheme === 'stripe') {
        const text = stripeEventBody(this.#tag, this.#made++, PAYMNT_BODY_BYTES);
        this.#bodies.push(Buffer.from(text));
        this.#signatures.push(Stripe.webhooks.generateTestHeaderString({ payload: text, secret: this.secret }));
      } else {
        const body = Buffer.from(this.#factory.next());
        this.#bodies.push(body);
        this.#signatures.push(signWebhookPayload(body, this.secret));
      }
    }
  }

  take(): { body: Buffer; signature: string } {
    if (this.#next === this.#bodies.length) {
      this.madeLate++;
      this.refill(this.#bodies.length + 1);
    }
    const i = this.#next++;
    return { body: this.#bodies[i], signature: this.#signatures[i] };
  }

  get bodyBytes(): number {
    return this.#bodies[0]?.length ?? PAYMNT_BODY_BYTES;
  }
}

/** Size of the events the Paymnt pools send (the Stripe ones are padded to it). */
const PAYMNT_BODY_BYTES = Buffer.byteLength(new WebhookEventFactory().next());

export interface Load {
  ops: number;
  seconds: number;
  p50: number;
  p99: number;
}

/** autocannon requests that each POST the next signed, unique event of `pool`. */
export function signedRequests(pool: EventPool): NonNullable<Parameters<typeof autocannon>[0]['requests']> {
  return [
    {
      method: 'POST',
      setupRequest: (request) => {
        const { body, signature } = pool.take();
        request.headers = { 'content-type': 'application/json', [pool.header]: signature };
        request.body = body;
        return request;
      },
    },
  ];
}

/** Sends validly signed, unique webhooks from `pool` for `seconds`; any non-2xx or error fails the figure. */
export async function fire(url: string, pool: EventPool, connections: number, seconds: number): Promise<Load> {
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    sampleInt: Math.min(1000, Math.max(50, Math.round(seconds * 100))),
    timeout: 10,
    requests: signedRequests(pool),
  });
  // Any refused webhook or socket error invalidates the figure (a quick run's very short warm-up
  // may end before the first answer: zero answers is not an error by itself).
  if (result.errors > 0 || result.non2xx > 0) {
    throw new Error(
      `webhook load on ${url}: ${result['2xx']} 2xx, ${result.non2xx} non-2xx ${JSON.stringify(result.statusCodeStats)}, ` +
        `${result.errors} errors, ${result.timeouts} timeouts`,
    );
  }
  return { ops: result['2xx'], seconds: result.duration, p50: result.latency.p50, p99: result.latency.p99 };
}

/** A row comparing `measured` with `baseline` (paired per-round ratio, CPU per op, latency). */
export function compareRow(
  section: string,
  figure: string,
  measured: VariantResult,
  baseline: VariantResult,
  target: Row['target'] | undefined,
  extra: boolean,
  detail: Record<string, unknown>,
): Row {
  return judge(
    {
      section,
      figure,
      value: measured.opsPerSec,
      unit: 'req/s',
      baselineName: baseline.name,
      baselineValue: baseline.opsPerSec,
      ...pairedRatio(measured, baseline),
      target,
      p50Ms: measured.p50,
      p99Ms: measured.p99,
      cpuPerOpUs: measured.serverCpuPerOpUs,
      baselineCpuPerOpUs: baseline.serverCpuPerOpUs,
      detail: {
        ...detail,
        perRound: measured.perRound,
        baselinePerRound: baseline.perRound,
        baselineP50Ms: baseline.p50,
        baselineP99Ms: baseline.p99,
        serverCpuPerOpUs: measured.serverCpuPerOpUs,
        serverCpuShare: measured.serverCpuShare,
        baselineServerCpuShare: baseline.serverCpuShare,
      },
    },
    extra,
  );
}

/**
 * Section 2: webhook intake through PaymntModule's built-in route against a bare Nest route on
 * the same adapter; and 5b: the module app's memory after GC across repeated runs of that load.
 */
export async function webhookIntake(ctx: BenchContext): Promise<Row[]> {
  const adapters = ['express', 'fastify'] as const;
  const rows: Row[] = [];
  if (ctx.quick) {
    // Smoke run: boot every app at once (boot time dominates); measure one adapter after the other.
    const apps = await Promise.allSettled(adapters.map((adapter) => startApps(ctx, adapter)));
    try {
      const failed = apps.find((a): a is PromiseRejectedResult => a.status === 'rejected');
      if (failed !== undefined) throw failed.reason;
      for (const [i, adapter] of adapters.entries()) {
        ctx.log(`  ${adapter}`);
        rows.push(...(await measureAdapter(ctx, (apps[i] as PromiseFulfilledResult<Apps>).value)));
      }
    } finally {
      await Promise.all(apps.map((a) => (a.status === 'fulfilled' ? closeApps(a.value) : undefined)));
    }
    return rows;
  }
  for (const adapter of adapters) {
    ctx.log(`  ${adapter}`);
    const apps = await startApps(ctx, adapter);
    try {
      rows.push(...(await measureAdapter(ctx, apps)));
    } finally {
      await closeApps(apps);
    }
  }
  return rows;
}

/** The apps of one adapter, each in its own process, and the secret the module app verifies with. */
interface Apps {
  adapter: NestAdapterName;
  secret: string;
  kinds: NestVariant[];
  children: Map<NestVariant, BenchChild>;
}

async function startApps(ctx: BenchContext, adapter: NestAdapterName): Promise<Apps> {
  const secret = randomBytes(32).toString('hex');
  const config = (variant: NestVariant): NestAppConfig => ({
    adapter,
    variant,
    path: PATH,
    secret,
    storeMaxEntries: STORE_MAX_ENTRIES,
  });
  // The quick run boots only the module, the bare route and the peer: Nest apps take seconds to boot.
  const kinds: NestVariant[] = ctx.quick
    ? ['module', 'bare', 'golevelup']
    : ['module', 'module-telemetry-off', 'bare', 'bare-raw', 'bare-verify', 'golevelup'];
  const children = new Map<NestVariant, BenchChild>();
  const started = await Promise.allSettled(kinds.map((kind) => BenchChild.start('nest', config(kind), { execArgv: ctx.serverExecArgv })));
  started.forEach((s, i) => s.status === 'fulfilled' && children.set(kinds[i], s.value));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed !== undefined) {
    await Promise.all([...children.values()].map((child) => child.close()));
    throw failed.reason;
  }
  return { adapter, secret, kinds, children };
}

async function closeApps(apps: Apps): Promise<void> {
  await Promise.all([...apps.children.values()].map((child) => child.close()));
}

const NAMES: Record<NestVariant, string> = {
  module: 'PaymntModule route',
  'module-telemetry-off': 'PaymntModule route, telemetry off',
  'module-redis': 'PaymntModule route, RedisEventStore',
  'module-intake': 'PaymntModule route, durable intake',
  bare: 'bare route',
  'bare-raw': 'bare route + rawBody',
  'bare-verify': 'bare route + HMAC check',
  golevelup: '@golevelup/nestjs-stripe route',
};

async function measureAdapter(ctx: BenchContext, apps: Apps): Promise<Row[]> {
  const { adapter, secret, kinds, children } = apps;
  const pools = { paymnt: new EventPool(secret), stripe: new EventPool(secret, 'stripe') };
  const { webhook: plan, webhookConnections: connections } = ctx.profile;
  // Throughput guess for sizing the event pool: grows with what was measured so far.
  let bestRate = 5_000;
  // Every 2xx of the routes whose handler counts (warm-up included): each must have run it once.
  const accepted = new Map<NestVariant, number>();
  let moduleRate = 0;
  const variants: Variant[] = kinds.map((variant) => {
    const child = children.get(variant)!;
    const url = `http://127.0.0.1:${child.port}/${routeOf(variant, PATH)}`;
    const pool = variant === 'golevelup' ? pools.stripe : pools.paymnt;
    return {
      name: NAMES[variant],
      run: async (seconds): Promise<RoundSample> => {
        pool.refill(Math.ceil(bestRate * seconds * 1.5) + connections * 2 + 100);
        const before = await child.cpu();
        const load = await fire(url, pool, connections, seconds);
        const after = await child.cpu();
        bestRate = Math.max(bestRate, load.ops / load.seconds);
        accepted.set(variant, (accepted.get(variant) ?? 0) + load.ops);
        if (variant === 'module') moduleRate = load.ops / load.seconds;
        return { ...load, serverCpuUs: cpuDelta(before, after) };
      },
    };
  });
  const results = await interleave(variants, plan, ctx.log);
  const runs = plan.rounds + (plan.warmSeconds > 0 ? 1 : 0);
  // Each 2xx ran the handler once. A load run ends with up to `connections` requests in flight
  // that the server still handles but autocannon no longer counts, hence the upper slack.
  const handledOk = async (variant: NestVariant): Promise<{ ok: boolean; handlerRuns: number; accepted: number }> => {
    const handled = await children.get(variant)!.call<number>('handled');
    const n = accepted.get(variant) ?? 0;
    const ok = handled >= n && handled <= n + connections * runs;
    if (!ok) ctx.log(`    !! ${NAMES[variant]}: handler ran ${handled} times for ${n} accepted webhooks`);
    return { ok, handlerRuns: handled, accepted: n };
  };
  const moduleCheck = await handledOk('module');
  const peerCheck = await handledOk('golevelup');
  const get = (variant: NestVariant): VariantResult | undefined => results.get(NAMES[variant]);
  const moduleResult = get('module')!;
  const detail = { adapter, connections, bodyBytes: pools.paymnt.bodyBytes, handlerRuns: moduleCheck.handlerRuns, accepted: moduleCheck.accepted };
  const rows: Row[] = [];
  const add = (figure: string, measured: VariantResult | undefined, baseline: VariantResult | undefined, target?: number, extra = true, more = {}): void => {
    if (measured === undefined || baseline === undefined) return;
    rows.push(compareRow('2', `webhook ${adapter}: ${figure}`, measured, baseline, target === undefined ? undefined : { op: '>=', value: target }, extra, { ...detail, ...more }));
  };
  add('PaymntModule route', moduleResult, get('bare'), TARGETS.bare, moduleCheck.ok, { eventsMadeDuringRounds: pools.paymnt.madeLate });
  add('PaymntModule vs bare + rawBody + HMAC', moduleResult, get('bare-verify'), TARGETS.bareVerify, moduleCheck.ok);
  add('PaymntModule vs @golevelup/nestjs-stripe', moduleResult, get('golevelup'), TARGETS.peer, moduleCheck.ok && peerCheck.ok, {
    peerHandlerRuns: peerCheck.handlerRuns,
    peerAccepted: peerCheck.accepted,
    peerBodyBytes: pools.stripe.bodyBytes,
  });
  // The telemetry code path with @opentelemetry/api installed and no SDK, against telemetry off: should be ~1.
  add('PaymntModule telemetry path, no SDK vs off', moduleResult, get('module-telemetry-off'));
  add('bare route + rawBody', get('bare-raw'), get('bare'));
  add('bare route + rawBody + HMAC check', get('bare-verify'), get('bare'));
  add('@golevelup/nestjs-stripe route', get('golevelup'), get('bare'), undefined, peerCheck.ok);

  const moduleChild = children.get('module')!;
  const pool = pools.paymnt;
  // 5b: the same load again, N times; the module app's memory after a full GC after each run.
  ctx.log(`    leak check: ${ctx.profile.leakRuns} runs of ${ctx.profile.leakSeconds} s`);
  const url = `http://127.0.0.1:${moduleChild.port}/${PATH}`;
  // The store full (one claim and one version key per event) before the first sample.
  for (let fill = 0; fill < 5; fill++) {
    const missing = Math.ceil(STORE_MAX_ENTRIES * 1.1) - (await moduleChild.call<number>('handled'));
    if (missing <= 0) break;
    const seconds = Math.min(5, Math.max(0.2, missing / Math.max(100, moduleRate)));
    pool.refill(Math.ceil(bestRate * seconds * 1.5) + connections * 2 + 100);
    await fire(url, pool, connections, seconds);
  }
  const handledBefore = await moduleChild.call<number>('handled');
  const samples: MemorySample[] = [await moduleChild.memory()];
  for (let run = 0; run < ctx.profile.leakRuns; run++) {
    pool.refill(Math.ceil(bestRate * ctx.profile.leakSeconds * 1.5) + connections * 2 + 100);
    await fire(url, pool, connections, ctx.profile.leakSeconds);
    samples.push(await moduleChild.memory());
  }
  const mb = (bytes: number): number => bytes / 2 ** 20;
  const heap = samples.map((s) => mb(s.heapUsed));
  const rss = samples.map((s) => mb(s.rss));
  rows.push(
    judge({
      section: '5',
      figure: `${adapter} webhook app heap after GC, ${ctx.profile.leakRuns} more runs`,
      value: heap[heap.length - 1],
      unit: 'MB',
      baselineName: 'before',
      baselineValue: heap[0],
      ratio: heap[heap.length - 1] / heap[0],
      target: { op: '<=', value: 1.05 },
      detail: {
        heapMB: heap,
        rssMB: rss,
        heapSlopeMBPerRun: slope(heap),
        rssSlopeMBPerRun: slope(rss),
        gc: samples[0].gc,
        storeMaxEntries: STORE_MAX_ENTRIES,
        webhooksHandledBeforeFirstSample: handledBefore,
      },
    }),
    {
      section: '5',
      figure: `${adapter} webhook app RSS after GC, ${ctx.profile.leakRuns} more runs`,
      value: rss[rss.length - 1],
      unit: 'MB',
      baselineName: 'before',
      baselineValue: rss[0],
      ratio: rss[rss.length - 1] / rss[0],
      detail: { rssMB: rss, rssSlopeMBPerRun: slope(rss) },
    },
  );
  return rows;
}
