import { randomBytes } from 'node:crypto';
import { signWebhookPayload } from '@paymnt/client';
import autocannon from 'autocannon';
import { BenchChild, cpuDelta, type MemorySample } from '../lib/child';
import type { BenchContext } from '../lib/context';
import { WebhookEventFactory } from '../lib/fixtures';
import { judge, type Row } from '../lib/report';
import { interleave, pairedRatio, type RoundSample, type Variant } from '../lib/rounds';
import { slope } from '../lib/stats';
import type { NestAdapterName, NestAppConfig, NestVariant } from '../servers/nest-app';

const PATH = 'webhooks/paymnt';
const TARGETS: Record<NestAdapterName, number> = { express: 0.9, fastify: 0.85 };
/**
 * The module app's dedupe store bound. Small, so that the store is full before the leak check's
 * first sample and its own (bounded) growth is not mistaken for a leak; 5a measures the store at
 * its default bound. The number of keys does not change the cost of one request (Map operations).
 */
const STORE_MAX_ENTRIES = 1_000;

/** Signed, unique events made ahead of each round, so signing costs nothing during the timed part. */
class EventPool {
  readonly #factory = new WebhookEventFactory();
  #bodies: Buffer[] = [];
  #signatures: string[] = [];
  #next = 0;
  /** Events made during a round because the pool ran out (should stay 0). */
  madeLate = 0;

  constructor(private readonly secret: string) {}

  /** Makes sure `count` fresh events are ready; used ones are dropped. */
  refill(count: number): void {
    this.#bodies = this.#bodies.slice(this.#next);
    this.#signatures = this.#signatures.slice(this.#next);
    this.#next = 0;
    while (this.#bodies.length < count) {
      const body = Buffer.from(this.#factory.next());
      this.#bodies.push(body);
      this.#signatures.push(signWebhookPayload(body, this.secret));
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
    return this.#bodies[0]?.length ?? Buffer.byteLength(new WebhookEventFactory().next());
  }
}

interface Load {
  ops: number;
  seconds: number;
  p50: number;
  p99: number;
}

async function fire(url: string, pool: EventPool, connections: number, seconds: number): Promise<Load> {
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    sampleInt: Math.min(1000, Math.max(50, Math.round(seconds * 100))),
    timeout: 10,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          const { body, signature } = pool.take();
          request.headers = { 'content-type': 'application/json', 'x-webhook-signature-512': signature };
          request.body = body;
          return request;
        },
      },
    ],
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
    ...(variant === 'module' || variant === 'module-telemetry-off' ? { secret, storeMaxEntries: STORE_MAX_ENTRIES } : {}),
    ...(variant === 'bare-verify' ? { secret } : {}),
  });
  // The quick run leaves out the informational apps: Nest apps take seconds to boot.
  const kinds: NestVariant[] = ctx.quick ? ['module', 'module-telemetry-off', 'bare'] : ['module', 'module-telemetry-off', 'bare', 'bare-raw', 'bare-verify'];
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

async function measureAdapter(ctx: BenchContext, apps: Apps): Promise<Row[]> {
  const { adapter, secret, kinds, children } = apps;
  const pool = new EventPool(secret);
  const { webhook: plan, webhookConnections: connections } = ctx.profile;
  // Throughput guess for sizing the event pool: grows with what was measured so far.
  let bestRate = 5_000;
  // Every 2xx of the module route (warm-up included): each one must have run the handler once.
  let moduleAccepted = 0;
  let moduleRate = 0;
  const names: Record<NestVariant, string> = {
    module: 'PaymntModule route',
    'module-telemetry-off': 'PaymntModule route, telemetry off',
    bare: 'bare route',
    'bare-raw': 'bare route + rawBody',
    'bare-verify': 'bare route + HMAC check',
  };
  const variants: Variant[] = kinds.map((variant) => {
    const child = children.get(variant)!;
    const url = `http://127.0.0.1:${child.port}/${PATH}`;
    return {
      name: names[variant],
      run: async (seconds): Promise<RoundSample> => {
        pool.refill(Math.ceil(bestRate * seconds * 1.5) + connections * 2 + 100);
        const before = await child.cpu();
        const load = await fire(url, pool, connections, seconds);
        const after = await child.cpu();
        bestRate = Math.max(bestRate, load.ops / load.seconds);
        if (variant === 'module') {
          moduleAccepted += load.ops;
          moduleRate = load.ops / load.seconds;
        }
        return { ...load, serverCpuUs: cpuDelta(before, after) };
      },
    };
  });
  const results = await interleave(variants, plan, ctx.log);
  const moduleChild = children.get('module')!;
  const moduleResult = results.get(names.module)!;
  const bareResult = results.get(names.bare)!;
  const telemetryOffResult = results.get(names['module-telemetry-off']);
  const rawResult = results.get(names['bare-raw']);
  const verifyResult = results.get(names['bare-verify']);
  const handled = await moduleChild.call<number>('handled');
  // Each 2xx ran the handler once. A load run ends with up to `connections` requests in flight
  // that the server still handles but autocannon no longer counts, hence the upper slack.
  const moduleRuns = plan.rounds + (plan.warmSeconds > 0 ? 1 : 0);
  const handledOk = handled >= moduleAccepted && handled <= moduleAccepted + connections * moduleRuns;
  if (!handledOk) ctx.log(`    !! handler ran ${handled} times for ${moduleAccepted} accepted webhooks`);

  const rows: Row[] = [];
  const row = (figure: string, r: typeof bareResult, target?: Row['target'], extra = true, detail: Record<string, unknown> = {}): Row =>
    judge(
      {
        section: '2',
        figure,
        value: r.opsPerSec,
        unit: 'req/s',
        baselineName: bareResult.name,
        baselineValue: bareResult.opsPerSec,
        ...pairedRatio(r, bareResult),
        target,
        p50Ms: r.p50,
        p99Ms: r.p99,
        cpuPerOpUs: r.serverCpuPerOpUs,
        baselineCpuPerOpUs: bareResult.serverCpuPerOpUs,
        detail: {
          adapter,
          connections,
          bodyBytes: pool.bodyBytes,
          perRound: r.perRound,
          baselinePerRound: bareResult.perRound,
          baselineP50Ms: bareResult.p50,
          baselineP99Ms: bareResult.p99,
          serverCpuPerOpUs: r.serverCpuPerOpUs,
          serverCpuShare: r.serverCpuShare,
          baselineServerCpuShare: bareResult.serverCpuShare,
          ...detail,
        },
      },
      extra,
    );
  rows.push(
    row(`webhook ${adapter}: PaymntModule route`, moduleResult, { op: '>=', value: TARGETS[adapter] }, handledOk, {
      handlerRuns: handled,
      accepted: moduleAccepted,
      eventsMadeDuringRounds: pool.madeLate,
    }),
  );
  if (telemetryOffResult !== undefined) {
    // The telemetry code path with @opentelemetry/api installed and no SDK, against telemetry off: should be ~1.
    const base = row(`webhook ${adapter}: PaymntModule telemetry path, no SDK vs off`, moduleResult);
    rows.push({
      ...base,
      baselineName: telemetryOffResult.name,
      baselineValue: telemetryOffResult.opsPerSec,
      ...pairedRatio(moduleResult, telemetryOffResult),
      baselineCpuPerOpUs: telemetryOffResult.serverCpuPerOpUs,
      detail: {
        ...base.detail,
        baselinePerRound: telemetryOffResult.perRound,
        baselineP50Ms: telemetryOffResult.p50,
        baselineP99Ms: telemetryOffResult.p99,
        baselineServerCpuShare: telemetryOffResult.serverCpuShare,
      },
    });
  }
  if (rawResult !== undefined) rows.push(row(`webhook ${adapter}: bare route + rawBody`, rawResult));
  if (verifyResult !== undefined) {
    rows.push(row(`webhook ${adapter}: bare route + rawBody + HMAC check`, verifyResult));
    // The module against the least a verifying route does: what the module itself costs.
    const base = row(`webhook ${adapter}: PaymntModule vs bare + HMAC check`, moduleResult);
    rows.push({
      ...base,
      baselineName: verifyResult.name,
      baselineValue: verifyResult.opsPerSec,
      ...pairedRatio(moduleResult, verifyResult),
      baselineCpuPerOpUs: verifyResult.serverCpuPerOpUs,
      detail: {
        ...base.detail,
        baselinePerRound: verifyResult.perRound,
        baselineP50Ms: verifyResult.p50,
        baselineP99Ms: verifyResult.p99,
        baselineServerCpuShare: verifyResult.serverCpuShare,
      },
    });
  }

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
