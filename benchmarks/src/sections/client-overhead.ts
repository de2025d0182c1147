import { PaymntClient } from '@paymnt/client';
import Stripe from 'stripe';
import { Pool, request as undiciRequest } from 'undici';
import { BenchChild } from '../lib/child';
import { closedLoop, withServerCpu } from '../lib/closed-loop';
import type { BenchContext } from '../lib/context';
import { judge, type Row } from '../lib/report';
import { interleave, pairedRatio, type Variant, type VariantResult } from '../lib/rounds';

const PAYMENT_ID = 'pay_bench0000000000000001';
const INTENT_ID = 'pi_bench0000000000000001';
// Not a real key: the stub accepts anything.
const API_KEY = 'snd_benchmark_only_key';

/** Section 1: what `client.payments.retrieve()` costs over raw undici, next to fetch and stripe-node. */
export async function clientOverhead(ctx: BenchContext): Promise<Row[]> {
  const stub = await BenchChild.start('stub', {}, { execArgv: ctx.serverExecArgv });
  const origin = `http://127.0.0.1:${stub.port}`;
  const client = new PaymntClient({ apiKey: API_KEY, baseUrl: origin });
  // The client's default transport: one undici Pool per origin with these settings (undici-transport.ts).
  const pool = new Pool(origin, { connections: 128, keepAliveTimeout: 4_000, connectTimeout: 10_000 });
  const stripe = new Stripe('sk_test_benchmark_only', { host: '127.0.0.1', port: stub.port, protocol: 'http' });
  // The same headers the client sends.
  const headers = { 'api-key': API_KEY, accept: 'application/json', 'user-agent': 'paymnt-bench' };
  const url = `${origin}/payments/${PAYMENT_ID}`;
  const path = `/payments/${PAYMENT_ID}`;

  const check = (payment: { payment_id?: unknown }): void => {
    if (payment.payment_id !== PAYMENT_ID) throw new Error('stub answered an unexpected body');
  };
  const calls: Record<string, () => Promise<unknown>> = {
    'paymnt client': async () => check(await client.payments.retrieve(PAYMENT_ID)),
    'undici.request': async () => {
      const res = await undiciRequest(url, { dispatcher: pool, method: 'GET', headers });
      if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}`);
      check(JSON.parse(await res.body.text()));
    },
    'pool.request': async () => {
      const res = await pool.request({ path, method: 'GET', headers });
      if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}`);
      check(JSON.parse(await res.body.text()));
    },
    fetch: async () => {
      const res = await fetch(url, { headers });
      if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
      check((await res.json()) as { payment_id?: unknown });
    },
    'stripe-node': async () => check((await stripe.paymentIntents.retrieve(INTENT_ID)) as unknown as { payment_id?: unknown }),
  };

  const rows: Row[] = [];
  try {
    for (const call of Object.values(calls)) await call();
    for (const concurrency of [1, 64]) {
      ctx.log(`  concurrency ${concurrency}`);
      const variants: Variant[] = Object.entries(calls).map(([name, call]) => ({
        name,
        run: (seconds) => withServerCpu(stub, () => closedLoop(call, concurrency, seconds)),
      }));
      const results = await interleave(variants, ctx.profile.client, ctx.log);
      const get = (name: string): VariantResult => results.get(name)!;
      const limit = get('undici.request');
      const row = (name: string, figure: string, baseline: VariantResult, target?: Row['target']): Row => {
        const r = get(name);
        return judge({
          section: '1',
          figure,
          value: r.opsPerSec,
          unit: 'req/s',
          baselineName: baseline.name,
          baselineValue: baseline.opsPerSec,
          ...pairedRatio(r, baseline),
          target,
          p50Ms: r.p50,
          p99Ms: r.p99,
          cpuPerOpUs: r.loadCpuPerOpUs,
          baselineCpuPerOpUs: baseline.loadCpuPerOpUs,
          detail: {
            concurrency,
            perRound: r.perRound,
            baselinePerRound: baseline.perRound,
            clientCpuPerOpUs: r.loadCpuPerOpUs,
            stubCpuPerOpUs: r.serverCpuPerOpUs,
            clientCpuShare: r.loadCpuShare,
            stubCpuShare: r.serverCpuShare,
            requests: r.totalOps,
          },
        });
      };
      rows.push(
        row('paymnt client', `retrieve, paymnt client, c=${concurrency}`, limit, { op: '>=', value: 0.9 }),
        row('paymnt client', `retrieve, paymnt vs stripe-node, c=${concurrency}`, get('stripe-node'), { op: '>=', value: 1 }),
        row('paymnt client', `retrieve, paymnt vs undici pool.request, c=${concurrency}`, get('pool.request')),
        row('fetch', `retrieve, global fetch, c=${concurrency}`, limit),
        row('stripe-node', `retrieve, stripe-node 23, c=${concurrency}`, limit),
      );
    }
  } finally {
    await client.close();
    await pool.close();
    await stub.close();
  }
  return rows;
}
