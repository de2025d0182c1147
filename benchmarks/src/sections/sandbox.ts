import { randomBytes } from 'node:crypto';
import { PaymntClient } from '@paymnt/client';
import { BenchChild } from '../lib/child';
import { closedLoop, withServerCpu } from '../lib/closed-loop';
import type { BenchContext } from '../lib/context';
import type { Row } from '../lib/report';
import { interleave, pairedRatio, type Variant } from '../lib/rounds';

const CONCURRENCY = 32;
const CARD = { card_number: '4242424242424242', card_exp_month: '10', card_exp_year: '30', card_cvc: '123', card_holder_name: 'Bench Mark' };

function expect(status: unknown, wanted: string | readonly string[], step: string): void {
  const ok = typeof wanted === 'string' ? status === wanted : wanted.includes(status as string);
  if (!ok) throw new Error(`sandbox ${step}: status ${String(status)}, expected ${String(wanted)}`);
}

/** Section 4: complete payment flows and single requests per second against the sandbox, c=32. */
export async function sandboxThroughput(ctx: BenchContext): Promise<Row[]> {
  const apiKey = `snd_${randomBytes(16).toString('hex')}`;
  const sandbox = await BenchChild.start('sandbox', { apiKey }, { execArgv: ctx.serverExecArgv });
  let stub: BenchChild | undefined;
  const clients: PaymntClient[] = [];
  try {
    stub = await BenchChild.start('stub', {}, { execArgv: ctx.serverExecArgv });
    const client = new PaymntClient({ apiKey, baseUrl: `http://127.0.0.1:${sandbox.port}`, maxRetries: 0 });
    const stubClient = new PaymntClient({ apiKey, baseUrl: `http://127.0.0.1:${stub.port}`, maxRetries: 0 });
    clients.push(client, stubClient);

    const flow = async (): Promise<void> => {
      const created = await client.payments.create({ amount: 6540, currency: 'USD', capture_method: 'manual', authentication_type: 'no_three_ds' });
      expect(created.status, 'requires_payment_method', 'create');
      const confirmed = await client.payments.confirm(created.payment_id, {
        payment_method: 'card',
        payment_method_type: 'credit',
        payment_method_data: { card: CARD },
      });
      expect(confirmed.status, 'requires_capture', 'confirm');
      const captured = await client.payments.capture(created.payment_id, { amount_to_capture: 6540 });
      expect(captured.status, 'succeeded', 'capture');
      const refund = await client.refunds.create({ payment_id: created.payment_id, amount: 6540, reason: 'benchmark' });
      expect(refund.status, ['succeeded', 'pending'], 'refund');
    };
    await flow();
    const seed = await client.payments.create({ amount: 1000, currency: 'USD', authentication_type: 'no_three_ds' });
    const seedId = seed.payment_id;

    const variants: Variant[] = [
      { name: 'flow', run: (s) => withServerCpu(sandbox, () => closedLoop(flow, CONCURRENCY, s)) },
      { name: 'sandbox retrieve', run: (s) => withServerCpu(sandbox, () => closedLoop(() => client.payments.retrieve(seedId), CONCURRENCY, s)) },
      {
        name: 'stub retrieve',
        run: (s) => withServerCpu(stub!, () => closedLoop(() => stubClient.payments.retrieve('pay_bench0000000000000001'), CONCURRENCY, s)),
      },
    ];
    const results = await interleave(variants, ctx.profile.sandbox, ctx.log);
    const flows = results.get('flow')!;
    const retrieve = results.get('sandbox retrieve')!;
    const stubRetrieve = results.get('stub retrieve')!;
    // Four requests per flow: the API's request rate while running flows, against the stub's.
    const flowRequests = { ...flows, perRound: flows.perRound.map((r) => r * 4), opsPerSec: flows.opsPerSec * 4 };
    return [
      {
        section: '4',
        figure: `sandbox flows (create+confirm+capture+refund), c=${CONCURRENCY}`,
        value: flows.opsPerSec,
        unit: 'flows/s',
        p50Ms: flows.p50,
        p99Ms: flows.p99,
        cpuPerOpUs: flows.serverCpuPerOpUs,
        detail: {
          perRound: flows.perRound,
          flowsCompleted: flows.totalOps,
          sandboxCpuPerFlowUs: flows.serverCpuPerOpUs,
          sandboxCpuShare: flows.serverCpuShare,
          clientCpuShare: flows.loadCpuShare,
        },
      },
      {
        section: '4',
        figure: `sandbox API requests during flows, c=${CONCURRENCY}`,
        value: flowRequests.opsPerSec,
        unit: 'req/s',
        baselineName: 'stub GET',
        baselineValue: stubRetrieve.opsPerSec,
        ...pairedRatio(flowRequests, stubRetrieve),
        cpuPerOpUs: flows.serverCpuPerOpUs / 4,
        baselineCpuPerOpUs: stubRetrieve.serverCpuPerOpUs,
        detail: { perRound: flowRequests.perRound, baselinePerRound: stubRetrieve.perRound },
      },
      {
        section: '4',
        figure: `sandbox retrieve, c=${CONCURRENCY}`,
        value: retrieve.opsPerSec,
        unit: 'req/s',
        baselineName: 'stub GET',
        baselineValue: stubRetrieve.opsPerSec,
        ...pairedRatio(retrieve, stubRetrieve),
        p50Ms: retrieve.p50,
        p99Ms: retrieve.p99,
        cpuPerOpUs: retrieve.serverCpuPerOpUs,
        baselineCpuPerOpUs: stubRetrieve.serverCpuPerOpUs,
        detail: {
          perRound: retrieve.perRound,
          baselinePerRound: stubRetrieve.perRound,
          sandboxCpuShare: retrieve.serverCpuShare,
          stubCpuShare: stubRetrieve.serverCpuShare,
          clientCpuShare: retrieve.loadCpuShare,
        },
      },
    ];
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    await Promise.all([sandbox.close(), stub?.close()]);
  }
}
