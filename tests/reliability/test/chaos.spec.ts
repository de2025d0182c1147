/**
 * Chaos: many concurrent order flows (create → confirm → capture → refunds) through a real Nest
 * app's PaymentsService / RefundsService while the sandbox injects 500/503, 429 + Retry-After,
 * latency, timeouts and connection resets, before AND after applying operations, and while the
 * network between the sandbox and the app drops webhook deliveries. Every invariant is checked
 * against the sandbox's own records at the end.
 */
import type { INestApplication } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import {
  PaymntApiError,
  type PaymntClient,
  PaymntConnectionError,
  PaymntError,
  PaymntIdempotencyError,
  PaymntRateLimitError,
  type RequestOptions,
} from '@paymnt/client';
import { PAYMNT_CLIENT, PaymentsService, PaymntModule, RefundsService } from '@paymnt/nestjs';
import { createSandbox, type FaultRule, type Sandbox, type SandboxWebhookEvent } from '@paymnt/sandbox';
import { FlakyNetwork } from './support/flaky-network';
import { Ledger, transitionKey } from './support/ledger';
import { leakedIn, secretNeedles, StdioCapture } from './support/log-capture';
import { seededRandom, sleep, suiteSeed } from './support/prng';

const SEED = suiteSeed(20_260_601);
const FLOWS = 48;
const WEBHOOK_PATH = 'webhooks/paymnt';
/** Recovery: a failed call is sent again with the SAME Idempotency-Key, at most this many times. */
const RECOVERY_ATTEMPTS = 8;

const SUCCESS_CARD = { card_number: '4242424242424242', card_exp_month: '10', card_exp_year: '35', card_cvc: '123', card_holder_name: 'Chaos Monkey' };

type Op = 'create' | 'confirm' | 'capture' | 'refund' | 'capture_again' | 'over_refund';

/** One service call, as the flow saw it. */
interface CallRecord {
  flow: number;
  op: Op;
  /** ok: first try; recovered: after re-sending with the same key; rejected: the API refused (expected for *_again/over_*); failed: gave up. */
  outcome: 'ok' | 'recovered' | 'rejected' | 'failed';
  /** Class name of every error met, typed or not. */
  errors: string[];
  /** HTTP attempts made by the client for the final, successful call. */
  attempts: number;
  replayed: boolean;
}

interface FlowPlan {
  amount: number;
  /** Amount to capture (equal to amount: full capture). */
  capture: number;
  refunds: Array<number | 'full'>;
  captureAgain: boolean;
  overRefund: boolean;
}

interface FlowResult {
  flow: number;
  plan: FlowPlan;
  paymentId?: string;
  captured?: number;
  refundIds: string[];
  aborted?: string;
}

function planFlow(random: () => number): FlowPlan {
  const amount = 1_000 + Math.floor(random() * 9_000);
  // A partial capture leaves at least 100 uncaptured; every refund is at least 1.
  const capture = random() < 0.4 ? 100 + Math.floor(random() * (amount - 200)) : amount;
  const r = random();
  let refunds: FlowPlan['refunds'];
  if (r < 0.2) refunds = [];
  else if (r < 0.45) refunds = [1 + Math.floor(random() * (capture - 2))];
  else if (r < 0.7) refunds = ['full'];
  else {
    const first = 1 + Math.floor(random() * (capture - 2));
    refunds = [first, capture - first];
  }
  return { amount, capture, refunds, captureAgain: random() < 0.15, overRefund: random() < 0.2 };
}

/** Errors worth re-sending with the same key: the operation may or may not have happened. */
function isRetryable(error: unknown): error is PaymntError {
  return (
    error instanceof PaymntConnectionError ||
    error instanceof PaymntApiError ||
    error instanceof PaymntRateLimitError ||
    (error instanceof PaymntIdempotencyError && error.code === 'idempotency_key_in_use')
  );
}

/** Typed: a PaymntError SUBCLASS (never the bare base class, never a plain Error). */
function typedName(error: unknown): string {
  if (error instanceof PaymntError && error.constructor !== PaymntError) return `${error.constructor.name}(${error.code ?? error.statusCode ?? ''})`;
  return `UNTYPED(${error instanceof Error ? error.constructor.name : typeof error})`;
}

function chaosRules(seed: number): FaultRule[] {
  let n = 0;
  const rule = (when: 'before' | 'after', probability: number, fault: FaultRule['fault']): FaultRule => ({
    id: `${when}_${++n}`,
    route: '*',
    when,
    probability,
    seed: seed + n,
    fault,
  });
  return [
    rule('before', 0.05, { status: 500 }),
    rule('before', 0.05, { status: 503 }),
    rule('before', 0.04, { status: 429, retryAfterSeconds: 1 }),
    rule('before', 0.06, { latencyMs: 60 }),
    rule('before', 0.02, { latencyMs: 700 }),
    rule('before', 0.02, { timeout: true }),
    rule('before', 0.05, { reset: true }),
    rule('after', 0.04, { status: 500 }),
    rule('after', 0.04, { status: 503 }),
    rule('after', 0.03, { status: 429, retryAfterSeconds: 1 }),
    rule('after', 0.04, { latencyMs: 60 }),
    rule('after', 0.02, { latencyMs: 700 }),
    rule('after', 0.03, { timeout: true }),
    rule('after', 0.05, { reset: true }),
  ];
}

describe('chaos: concurrent order flows under API faults and a flaky webhook network', () => {
  let sb: Sandbox;
  let app: INestApplication;
  let ledger: Ledger;
  let payments: PaymentsService;
  let refunds: RefundsService;
  let network: FlakyNetwork;
  const stdio = new StdioCapture();
  let clientRequests = 0;
  let clientRetries = 0;

  beforeAll(async () => {
    sb = await createSandbox({ port: 0, webhookRetryTimeScale: 0.001, webhookTimeoutMs: 5_000 });

    @Module({
      imports: [
        EventEmitterModule.forRoot({ wildcard: true }),
        PaymntModule.forRoot({
          apiKey: sb.apiKey,
          baseUrl: sb.url,
          profileId: sb.profileId,
          timeoutMs: 500,
          // Few retries on purpose: some calls exhaust them, and the app's recovery (same key) is exercised too.
          maxRetries: 2,
          initialRetryDelayMs: 20,
          maxRetryDelayMs: 200,
          maxRetryDurationMs: 8_000,
          webhook: { secret: sb.webhookSecret, path: WEBHOOK_PATH },
        }),
      ],
      providers: [Ledger],
    })
    class ChaosAppModule {}

    stdio.install();
    app = await NestFactory.create(ChaosAppModule, { rawBody: true, logger: ['error', 'warn'], abortOnError: false });
    network = new FlakyNetwork({ seed: SEED, path: `/${WEBHOOK_PATH}`, rejectBefore: 0.08, resetBefore: 0.04, resetAfter: 0.08 });
    app.use(network.middleware);
    app.useGlobalInterceptors(network.interceptor);
    await app.listen(0, '127.0.0.1');
    sb.setWebhookUrl(`${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/${WEBHOOK_PATH}`);
    ledger = app.get(Ledger);
    payments = app.get(PaymentsService);
    refunds = app.get(RefundsService);
    const client = app.get<PaymntClient>(PAYMNT_CLIENT);
    client.on('request', (event) => {
      clientRequests++;
      if (event.attempt > 1) clientRetries++;
    });
  });

  afterAll(async () => {
    stdio.uninstall();
    await app?.close();
    await sb?.close();
  });

  it('moves money at most once, never refunds above captures, and applies every webhook exactly once', async () => {
    const calls: CallRecord[] = [];

    /**
     * One service call the way a careful app makes it: on an error that leaves the outcome unknown,
     * send it again with the SAME Idempotency-Key (the error carries it) until it resolves.
     */
    async function call<T extends { lastResponse: { attempts: number; idempotentReplayed: boolean } }>(
      flow: number,
      op: Op,
      run: (options: RequestOptions) => Promise<T>,
    ): Promise<T | PaymntError> {
      const errors: string[] = [];
      let options: RequestOptions = {};
      for (let attempt = 0; attempt <= RECOVERY_ATTEMPTS; attempt++) {
        try {
          const result = await run(options);
          calls.push({ flow, op, outcome: errors.length === 0 ? 'ok' : 'recovered', errors, attempts: result.lastResponse.attempts, replayed: result.lastResponse.idempotentReplayed });
          return result;
        } catch (error) {
          errors.push(typedName(error));
          if (!(error instanceof PaymntError)) {
            calls.push({ flow, op, outcome: 'failed', errors, attempts: 0, replayed: false });
            throw error;
          }
          if (!isRetryable(error)) {
            calls.push({ flow, op, outcome: 'rejected', errors, attempts: 0, replayed: false });
            return error;
          }
          options = { idempotencyKey: error.idempotencyKey };
          await sleep(50);
        }
      }
      calls.push({ flow, op, outcome: 'failed', errors, attempts: 0, replayed: false });
      return new PaymntError({ message: `${op} of flow ${flow} did not resolve after ${RECOVERY_ATTEMPTS} re-sends` });
    }

    async function runFlow(flow: number, plan: FlowPlan): Promise<FlowResult> {
      const result: FlowResult = { flow, plan, refundIds: [] };
      const created = await call(flow, 'create', (o) =>
        payments.create(
          { amount: plan.amount, currency: 'USD', capture_method: 'manual', authentication_type: 'no_three_ds', description: `chaos flow ${flow}`, metadata: { flow: String(flow) } },
          o,
        ),
      );
      if (created instanceof Error) return { ...result, aborted: `create: ${created.message}` };
      result.paymentId = created.payment_id;
      const id = created.payment_id;

      const confirmed = await call(flow, 'confirm', (o) =>
        payments.confirm(id, { payment_method: 'card', payment_method_type: 'credit', payment_method_data: { card: SUCCESS_CARD } }, o),
      );
      if (confirmed instanceof Error) return { ...result, aborted: `confirm: ${confirmed.message}` };
      if (confirmed.status !== 'requires_capture') return { ...result, aborted: `confirm gave ${confirmed.status}` };

      const captured = await call(flow, 'capture', (o) => payments.capture(id, { amount_to_capture: plan.capture }, o));
      if (captured instanceof Error) return { ...result, aborted: `capture: ${captured.message}` };
      result.captured = captured.amount_received ?? 0;

      if (plan.captureAgain) {
        // The app asks twice (a new key: a different request): the API must refuse, nothing moves.
        await call(flow, 'capture_again', (o) => payments.capture(id, { amount_to_capture: 1 }, o));
      }
      for (const amount of plan.refunds) {
        const refund = await call(flow, 'refund', (o) =>
          refunds.create({ payment_id: id, reason: 'requested_by_customer', ...(amount === 'full' ? {} : { amount }) }, o),
        );
        if (refund instanceof Error) return { ...result, aborted: `refund: ${refund.message}` };
        result.refundIds.push(refund.refund_id);
      }
      if (plan.overRefund) {
        await call(flow, 'over_refund', (o) => refunds.create({ payment_id: id, amount: 1 + plan.capture, reason: 'requested_by_customer' }, o));
      }
      return result;
    }

    const random = seededRandom(SEED);
    const plans = Array.from({ length: FLOWS }, () => planFlow(random));
    sb.faults.add(chaosRules(SEED));
    const results = await Promise.all(plans.map((plan, flow) => runFlow(flow, plan)));

    // Faults off; wait until every webhook the sandbox recorded was acknowledged (retries included).
    sb.faults.clear();
    const events = await waitForAcknowledged(sb, 20_000);
    network.enabled = false;

    // ---- figures
    const faultStats = sb.faults.stats();
    const counters = sb.state.counters;
    const attempts = sb.state.listDeliveryAttempts();
    const outcomes = countBy(attempts.map((a) => webhookOutcome(a.response.status_code, a.response.body, a.response.error_message)));
    const typedFailures = countBy(calls.flatMap((c) => c.errors));
    const figures = {
      seed: SEED,
      flows: FLOWS,
      flowsCompleted: results.filter((r) => r.aborted === undefined).length,
      calls: calls.length,
      callOutcomes: countBy(calls.map((c) => c.outcome)),
      httpRequests: clientRequests,
      clientRetries,
      faultsInjected: faultStats.injected,
      faultsByKind: faultStats.byKind,
      idempotentReplays: counters.idempotentReplays,
      idempotencyConflicts: counters.idempotencyConflicts,
      replayedAnswersSeen: calls.filter((c) => c.replayed).length,
      typedFailures,
      expectedRejections: calls.filter((c) => c.outcome === 'rejected').length,
      webhookEvents: events.length,
      webhookAttempts: counters.webhookAttempts,
      webhookFailedAttempts: counters.webhookFailures,
      webhookOutcomes: outcomes,
      flakyNetwork: network.stats,
      handlerCalls: ledger.entries.length,
      handlerCallsBySource: countBy(ledger.entries.map((e) => e.source)),
    };
    console.log(`chaos figures ${JSON.stringify(figures, null, 2)}`);

    // ---- the chaos really happened
    expect(faultStats.injected).toBeGreaterThan(0);
    for (const kind of ['status_500', 'status_503', 'status_429', 'latency', 'timeout', 'reset'] as const) {
      expect({ kind, injected: faultStats.byKind[kind] > 0 }).toEqual({ kind, injected: true });
    }
    expect(counters.idempotentReplays).toBeGreaterThan(0);
    // Some calls ran out of client retries and were settled by re-sending with the same key.
    expect(calls.filter((c) => c.outcome === 'recovered').length).toBeGreaterThan(0);
    expect(network.stats.resetAfter + network.stats.rejectedBefore + network.stats.resetBefore).toBeGreaterThan(0);
    expect(counters.internalErrors).toBe(0);

    // ---- every call succeeded exactly once, or failed with a typed error
    expect(calls.flatMap((c) => c.errors).filter((name) => name.startsWith('UNTYPED'))).toEqual([]);
    expect(calls.filter((c) => c.outcome === 'failed')).toEqual([]);
    // A refused request is only ever one the app expected to be refused (second capture, over-refund).
    expect(calls.filter((c) => c.outcome === 'rejected' && c.op !== 'capture_again' && c.op !== 'over_refund')).toEqual([]);
    expect(calls.filter((c) => (c.op === 'capture_again' || c.op === 'over_refund') && c.outcome !== 'rejected')).toEqual([]);
    expect(results.filter((r) => r.aborted !== undefined).map((r) => `${r.flow}: ${r.aborted}`)).toEqual([]);

    // ---- against the sandbox's own records
    const ours = sb.state.listPayments();
    // One payment per flow: a create re-sent after a lost answer never made a second payment.
    expect(ours.length).toBe(FLOWS);
    expect(new Set(results.map((r) => r.paymentId)).size).toBe(FLOWS);
    const allRefunds = sb.state.listRefunds();
    const violations: string[] = [];
    for (const r of results) {
      const p = sb.state.getPayment(r.paymentId as string);
      if (!p) {
        violations.push(`flow ${r.flow}: payment ${r.paymentId} unknown to the sandbox`);
        continue;
      }
      // `captures` is expanded by sb.state.getPayment (not part of the client's Payment type).
      const captures = (p.captures ?? []) as Array<{ amount: number }>;
      const received = p.amount_received ?? 0;
      if (captures.length !== 1) violations.push(`flow ${r.flow}: ${captures.length} captures of ${p.payment_id}`);
      if (received > p.amount) violations.push(`flow ${r.flow}: amount_received ${received} > amount ${p.amount}`);
      if (received !== r.plan.capture) violations.push(`flow ${r.flow}: amount_received ${received}, captured once ${r.plan.capture}`);
      const expectedStatus = r.plan.capture === r.plan.amount ? 'succeeded' : 'partially_captured';
      if (p.status !== expectedStatus) violations.push(`flow ${r.flow}: status ${p.status}, expected ${expectedStatus}`);
      const theirs = allRefunds.filter((x) => x.payment_id === p.payment_id);
      const refunded = theirs.filter((x) => x.status !== 'failed').reduce((sum, x) => sum + x.amount, 0);
      if (refunded > received) violations.push(`flow ${r.flow}: refunded ${refunded} > captured ${received}`);
      if (theirs.length !== r.plan.refunds.length) violations.push(`flow ${r.flow}: ${theirs.length} refunds, ${r.plan.refunds.length} asked once each`);
      const expectedRefunded = r.plan.refunds.reduce<number>((sum, a) => sum + (a === 'full' ? r.plan.capture : a), 0);
      if (refunded !== expectedRefunded) violations.push(`flow ${r.flow}: refunded ${refunded}, expected ${expectedRefunded}`);
      if (theirs.map((x) => x.refund_id).sort().join() !== [...r.refundIds].sort().join()) {
        violations.push(`flow ${r.flow}: refunds in the sandbox differ from those the app was answered`);
      }
      // The ledger, built only from events, agrees with the sandbox to the cent.
      if ((ledger.captured.get(p.payment_id) ?? 0) !== received) {
        violations.push(`flow ${r.flow}: ledger captured ${ledger.captured.get(p.payment_id) ?? 0}, sandbox ${received}`);
      }
      if ((ledger.refunded.get(p.payment_id) ?? 0) !== refunded) {
        violations.push(`flow ${r.flow}: ledger refunded ${ledger.refunded.get(p.payment_id) ?? 0}, sandbox ${refunded}`);
      }
    }
    expect(violations).toEqual([]);

    // ---- every transition the sandbox recorded reached the ledger exactly once, and nothing else did
    const expected = new Set(events.map((e) => transitionKey(e.objectId, e.eventType)));
    expect(expected.size).toBe(events.length);
    const wrongCounts = [...expected].filter((key) => ledger.calls.get(key) !== 1).map((key) => `${key}: ${ledger.calls.get(key) ?? 0}`);
    expect(wrongCounts).toEqual([]);
    expect([...ledger.calls.keys()].filter((key) => !expected.has(key))).toEqual([]);
    expect(Object.fromEntries(ledger.wildcardCalls)).toEqual(Object.fromEntries(ledger.calls));
    // Every flow produced its transitions: authorized, captured or succeeded, one per refund.
    const perFlow = results.reduce((n, r) => n + 2 + r.plan.refunds.length, 0);
    expect(events.length).toBe(perFlow);

    // ---- no secret in anything printed meanwhile
    expect(leakedIn(stdio.text(), secretNeedles({ apiKey: sb.apiKey, webhookSecret: sb.webhookSecret }))).toEqual([]);
  });
});

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}

/** What the app answered to one delivery attempt: its outcome on a 200, else the status or the network error. */
function webhookOutcome(status: number | null, body: string | null, error: string | null): string {
  if (status === null) return error === null ? 'no answer' : 'network error';
  if (status !== 200 || body === null) return `http ${status}`;
  try {
    return String((JSON.parse(body) as { outcome?: unknown }).outcome);
  } catch {
    return 'http 200';
  }
}

/** Resolves once every recorded webhook was acknowledged (2xx); fails when one ran out of retries or on timeout. */
async function waitForAcknowledged(sb: Sandbox, timeoutMs: number): Promise<SandboxWebhookEvent[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await sb.waitForWebhooks();
    const events = sb.state.listEvents();
    const exhausted = events.filter((e) => e.retriesExhausted);
    if (exhausted.length > 0) throw new Error(`webhooks never acknowledged: ${exhausted.map((e) => `${e.eventType} ${e.objectId}`).join(', ')}`);
    const pending = events.filter((e) => e.isDeliverySuccessful !== true);
    if (pending.length === 0) return events;
    if (Date.now() > deadline) throw new Error(`webhooks still unacknowledged: ${pending.map((e) => `${e.eventType} ${e.objectId}`).join(', ')}`);
    await sleep(20);
  }
}
