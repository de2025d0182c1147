import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { PaymntClient, signWebhookPayload, verifyWebhookSignature } from '@paymnt/client';
import type { BenchContext } from '../lib/context';
import { WebhookEventFactory } from '../lib/fixtures';
import { judge, type Row } from '../lib/report';
import { interleave, pairedRatio, type RoundSample, type Variant } from '../lib/rounds';

const DISTINCT_BODIES = 256;
const BATCH = 200;

/** Runs `op` over the prepared bodies in batches until the time is up; ops per CPU-second. */
function microVariant(name: string, op: (i: number) => unknown): Variant {
  return {
    name,
    run: async (seconds): Promise<RoundSample> => {
      let sink = 0;
      let ops = 0;
      let i = 0;
      const cpuBefore = process.cpuUsage();
      const end = performance.now() + seconds * 1000;
      while (performance.now() < end) {
        for (let k = 0; k < BATCH; k++) {
          if (op(i) !== undefined) sink++;
          i = i + 1 === DISTINCT_BODIES ? 0 : i + 1;
        }
        ops += BATCH;
      }
      const cpu = process.cpuUsage(cpuBefore);
      const cpuUs = cpu.user + cpu.system;
      if (sink < 0) throw new Error('unreachable');
      // Give timers and I/O a turn between rounds.
      await new Promise((resolve) => setImmediate(resolve));
      // Operations per CPU-second of this (single-threaded, synchronous) loop: time the process spent
      // descheduled by other work on the machine does not count against the code measured.
      return { ops, seconds: cpuUs / 1e6, loadCpuUs: cpuUs };
    },
  };
}

/** Section 3: webhook signature verification against raw HMAC-SHA512, 1 KB and 16 KB bodies. */
export async function signatureVerification(ctx: BenchContext): Promise<Row[]> {
  const secret = randomBytes(32).toString('hex');
  const client = new PaymntClient({ apiKey: 'snd_benchmark_only_key', webhookSecret: secret });
  const factory = new WebhookEventFactory();
  const rows: Row[] = [];
  try {
    for (const size of [1024, 16 * 1024]) {
      const label = `${size / 1024} KB`;
      const bodies = Array.from({ length: DISTINCT_BODIES }, () => Buffer.from(factory.next(size, true)));
      const signatures = bodies.map((body) => signWebhookPayload(body, secret));
      // Every variant must accept every body before anything is timed.
      for (let i = 0; i < DISTINCT_BODIES; i++) {
        if (client.webhooks.constructEvent(bodies[i], signatures[i]).event_id === undefined) throw new Error('no event_id');
      }
      const rawVerify = (i: number): boolean => {
        const expected = createHmac('sha512', secret).update(bodies[i]).digest();
        const ok = timingSafeEqual(expected, Buffer.from(signatures[i], 'hex'));
        if (!ok) throw new Error('raw verify failed');
        return ok;
      };
      const variants: Variant[] = [
        microVariant('constructEvent', (i) => client.webhooks.constructEvent(bodies[i], signatures[i])),
        microVariant('verifyWebhookSignature', (i) => {
          verifyWebhookSignature(bodies[i], signatures[i], secret);
          return true;
        }),
        microVariant('hmac+timingSafeEqual', rawVerify),
        microVariant('hmac+timingSafeEqual+JSON.parse', (i) => {
          rawVerify(i);
          return JSON.parse(bodies[i].toString('utf8')) as unknown;
        }),
      ];
      ctx.log(`  ${label} bodies (${bodies[0].length} bytes)`);
      const results = await interleave(variants, ctx.profile.signature, ctx.log);
      const [construct, verify, raw, rawParse] = variants.map((v) => results.get(v.name)!);
      const row = (figure: string, r: typeof raw, base: typeof raw, target?: Row['target']): Row =>
        judge({
          section: '3',
          figure,
          value: r.opsPerSec,
          unit: 'ops/s',
          baselineName: base.name,
          baselineValue: base.opsPerSec,
          ...pairedRatio(r, base),
          target,
          cpuPerOpUs: r.loadCpuPerOpUs,
          baselineCpuPerOpUs: base.loadCpuPerOpUs,
          detail: { bodyBytes: bodies[0].length, perRound: r.perRound, baselinePerRound: base.perRound },
        });
      rows.push(
        row(`constructEvent ${label}`, construct, rawParse, { op: '>=', value: 0.95 }),
        row(`verifyWebhookSignature ${label}`, verify, raw, { op: '>=', value: 0.95 }),
        row(`constructEvent ${label} vs HMAC only`, construct, raw),
      );
    }
  } finally {
    await client.close();
  }
  return rows;
}
