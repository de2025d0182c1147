/**
 * Off-session charges under faults: merchant-initiated charges (renewals) by mandate_id and by
 * payment_method_id, run concurrently through a real Nest app's PaymentsService, each with its own
 * Idempotency-Key, while the sandbox injects 500/503, 429 + Retry-After, latency, timeouts and
 * connection resets before AND after applying them. A call whose outcome is unknown is re-sent with
 * the same key. Checked against the sandbox's own records: every logical charge exists once (never
 * charged twice), with its amount; a capped mandate is never charged over its cap, a single-use one
 * once; a revoked mandate is refused every time and charges nothing.
 */
import type { INestApplicationContext } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import {
  type CustomerAcceptance,
  type Payment,
  type PaymentCreateParams,
  type PaymntClient,
  PaymntApiError,
  PaymntConnectionError,
  PaymntError,
  PaymntIdempotencyError,
  PaymntRateLimitError,
  type RequestOptions,
} from '@paymnt/client';
import { MandatesService, PAYMNT_CLIENT, PaymentsService, PaymntModule } from '@paymnt/nestjs';
import { createSandbox, type FaultRule, type Sandbox } from '@paymnt/sandbox';
import { seededRandom, sleep, suiteSeed } from './support/prng';

const SEED = suiteSeed(20_260_613);
/** Renewals on uncapped mandates / saved cards (half by mandate_id, half by payment_method_id). */
const RENEWALS = 60;
const UNCAPPED_CUSTOMERS = 6;
/** A multi-use mandate capped at CAP, charged CAPPED_CHARGES times CAPPED_AMOUNT at once. */
const CAP = 12_000;
const CAPPED_AMOUNT = 2_000;
const CAPPED_CHARGES = 10;
const SINGLE_USE_CHARGES = 5;
const REVOKED_CHARGES = 12;
/** Recovery: a failed call is sent again with the SAME Idempotency-Key, at most this many times. */
const RECOVERY_ATTEMPTS = 10;

const ACCEPTANCE: CustomerAcceptance = { acceptance_type: 'offline' };
const CARD = { card_number: '4242424242424242', card_exp_month: '10', card_exp_year: '35', card_cvc: '123', card_holder_name: 'Renewal Chaos' };

/** One logical charge and what its caller ended with. */
interface ChargeRecord {
  label: string;
  customerId: string;
  amount: number;
  by: 'mandate_id' | 'payment_method_id';
  /** The mandate or saved card charged. */
  instrument: string;
  outcome?: 'ok' | 'recovered' | 'rejected' | 'failed';
  payment?: Payment;
  error?: PaymntError;
  /** Class name (and code) of every error met, typed or not. */
  errors: string[];
}

/** Errors worth re-sending with the same key: the charge may or may not have happened. */
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

function faultRules(seed: number): FaultRule[] {
  let n = 0;
  const rule = (when: 'before' | 'after', probability: number, fault: FaultRule['fault']): FaultRule => ({
    id: `renewal_${when}_${++n}`,
    route: 'POST /payments',
    when,
    probability,
    seed: seed + n,
    fault,
  });
  return [
    rule('before', 0.06, { status: 500 }),
    rule('before', 0.05, { status: 503 }),
    rule('before', 0.04, { status: 429, retryAfterSeconds: 1 }),
    rule('before', 0.06, { latencyMs: 60 }),
    rule('before', 0.03, { latencyMs: 700 }),
    rule('before', 0.03, { timeout: true }),
    rule('before', 0.05, { reset: true }),
    rule('after', 0.06, { status: 500 }),
    rule('after', 0.05, { status: 503 }),
    rule('after', 0.03, { status: 429, retryAfterSeconds: 1 }),
    rule('after', 0.04, { latencyMs: 700 }),
    rule('after', 0.05, { timeout: true }),
    rule('after', 0.07, { reset: true }),
  ];
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}

describe('off-session charges under API faults: never charged twice', () => {
  let sb: Sandbox;
  let app: INestApplicationContext;
  let payments: PaymentsService;
  let mandates: MandatesService;
  let clientRequests = 0;
  let clientRetries = 0;

  beforeAll(async () => {
    // Processor latency makes concurrent charges of one mandate overlap inside the sandbox.
    sb = await createSandbox({ port: 0, webhooksEnabled: false, connectorLatencyMs: 5 });

    @Module({
      imports: [
        EventEmitterModule.forRoot({ wildcard: true }),
        PaymntModule.forRoot({
          apiKey: sb.apiKey,
          baseUrl: sb.url,
          profileId: sb.profileId,
          timeoutMs: 500,
          // Few retries on purpose: some calls exhaust them and are settled by the app's re-send (same key).
          maxRetries: 2,
          initialRetryDelayMs: 20,
          maxRetryDelayMs: 200,
          maxRetryDurationMs: 8_000,
        }),
      ],
    })
    class RenewalsModule {}

    app = await NestFactory.createApplicationContext(RenewalsModule, { logger: ['error', 'warn'], abortOnError: false });
    payments = app.get(PaymentsService);
    mandates = app.get(MandatesService);
    app.get<PaymntClient>(PAYMNT_CLIENT).on('request', (event) => {
      clientRequests++;
      if (event.attempt > 1) clientRetries++;
    });
  });

  afterAll(async () => {
    sb?.faults.clear();
    await app?.close();
    await sb?.close();
  });

  /** A customer-initiated set-up (no faults): the saved card and its mandate. */
  async function setUp(customerId: string, mandateType: NonNullable<PaymentCreateParams['mandate_data']>['mandate_type']): Promise<{ mandateId: string; paymentMethodId: string; setupId: string }> {
    const setup = await payments.create({
      amount: 0,
      currency: 'USD',
      confirm: true,
      customer_id: customerId,
      authentication_type: 'no_three_ds',
      payment_method: 'card',
      payment_method_data: { card: CARD },
      setup_future_usage: 'off_session',
      customer_acceptance: ACCEPTANCE,
      mandate_data: { customer_acceptance: ACCEPTANCE, mandate_type: mandateType },
    });
    expect(setup.status).toBe('succeeded');
    return { mandateId: setup.mandate_id as string, paymentMethodId: setup.payment_method_id as string, setupId: setup.payment_id };
  }

  /**
   * One renewal the way a careful app makes it: its own Idempotency-Key, and on an error that leaves
   * the outcome unknown, the same request again with the same key until it resolves.
   */
  async function charge(record: ChargeRecord): Promise<ChargeRecord> {
    const options: RequestOptions = { idempotencyKey: `renewal:${record.label}` };
    const params: PaymentCreateParams = {
      amount: record.amount,
      currency: 'USD',
      confirm: true,
      off_session: true,
      customer_id: record.customerId,
      recurring_details: { type: record.by, data: record.instrument },
      description: `renewal ${record.label}`,
      metadata: { charge: record.label },
    };
    for (let attempt = 0; attempt <= RECOVERY_ATTEMPTS; attempt++) {
      try {
        record.payment = await payments.create(params, options);
        record.outcome = record.errors.length === 0 ? 'ok' : 'recovered';
        return record;
      } catch (error) {
        record.errors.push(typedName(error));
        if (!(error instanceof PaymntError) || !isRetryable(error)) {
          record.outcome = error instanceof PaymntError ? 'rejected' : 'failed';
          record.error = error instanceof PaymntError ? error : undefined;
          return record;
        }
        // The error carries the key it was sent with: the one the app chose.
        expect(error.idempotencyKey).toBe(options.idempotencyKey);
        await sleep(50);
      }
    }
    record.outcome = 'failed';
    return record;
  }

  /** The sandbox's payments made by renewals (not the set-ups), by the app's charge label. */
  function chargedInSandbox(): Map<string, Payment[]> {
    const byLabel = new Map<string, Payment[]>();
    for (const p of sb.state.listPayments()) {
      const label = (p.metadata as Record<string, unknown> | null)?.charge;
      if (typeof label !== 'string') continue;
      byLabel.set(label, [...(byLabel.get(label) ?? []), p]);
    }
    return byLabel;
  }

  it('charges every renewal once, caps and single-use mandates hold, and every caller gets the payment or a typed error', async () => {
    const random = seededRandom(SEED);
    const uncapped = [];
    for (let c = 0; c < UNCAPPED_CUSTOMERS; c++) uncapped.push({ customerId: `cus_renew_${SEED}_${c}`, ...(await setUp(`cus_renew_${SEED}_${c}`, { multi_use: null })) });
    const cappedCustomer = `cus_renew_${SEED}_capped`;
    const capped = await setUp(cappedCustomer, { multi_use: { amount: CAP, currency: 'USD' } });
    const singleCustomer = `cus_renew_${SEED}_single`;
    const single = await setUp(singleCustomer, { single_use: { amount: 3_000, currency: 'USD' } });
    const setUps = sb.state.listPayments().length;

    const records: ChargeRecord[] = [];
    for (let i = 0; i < RENEWALS; i++) {
      const owner = uncapped[i % UNCAPPED_CUSTOMERS]!;
      const by = i % 2 === 0 ? 'mandate_id' : 'payment_method_id';
      records.push({
        label: `r${i}`,
        customerId: owner.customerId,
        amount: 100 + Math.floor(random() * 9_900),
        by,
        instrument: by === 'mandate_id' ? owner.mandateId : owner.paymentMethodId,
        errors: [],
      });
    }
    for (let i = 0; i < CAPPED_CHARGES; i++) {
      records.push({ label: `capped${i}`, customerId: cappedCustomer, amount: CAPPED_AMOUNT, by: 'mandate_id', instrument: capped.mandateId, errors: [] });
    }
    for (let i = 0; i < SINGLE_USE_CHARGES; i++) {
      records.push({ label: `single${i}`, customerId: singleCustomer, amount: 3_000, by: 'mandate_id', instrument: single.mandateId, errors: [] });
    }

    sb.faults.resetStats();
    sb.faults.add(faultRules(SEED));
    const replaysBefore = sb.state.counters.idempotentReplays;
    const started = Date.now();
    await Promise.all(records.map((r) => charge(r)));
    const elapsedMs = Date.now() - started;
    sb.faults.clear();

    const faultStats = sb.faults.stats();
    const replays = sb.state.counters.idempotentReplays - replaysBefore;
    const byLabel = chargedInSandbox();
    const figures = {
      seed: SEED,
      logicalCharges: records.length,
      outcomes: countBy(records.map((r) => r.outcome ?? 'none')),
      httpRequests: clientRequests,
      clientRetries,
      faultsInjected: faultStats.injected,
      faultsByKind: faultStats.byKind,
      idempotentReplays: replays,
      errorsMet: countBy(records.flatMap((r) => r.errors)),
      refusals: countBy(records.filter((r) => r.error).map((r) => `${r.label.replace(/\d+$/, '')}: ${typedName(r.error)}`)),
      sandboxRenewalPayments: [...byLabel.values()].reduce((n, list) => n + list.length, 0),
      elapsedMs,
    };
    console.log(`off-session chaos figures ${JSON.stringify(figures, null, 2)}`);

    // ---- the faults really happened, and some calls were settled by re-sending with the same key
    for (const kind of ['status_500', 'status_503', 'status_429', 'latency', 'timeout', 'reset'] as const) {
      expect({ kind, injected: faultStats.byKind[kind] > 0 }).toEqual({ kind, injected: true });
    }
    expect(replays).toBeGreaterThan(0);
    expect(records.filter((r) => r.outcome === 'recovered').length).toBeGreaterThan(0);
    expect(sb.state.counters.internalErrors).toBe(0);

    // ---- every caller got the payment or a typed error
    expect(records.flatMap((r) => r.errors).filter((name) => name.startsWith('UNTYPED'))).toEqual([]);
    expect(records.filter((r) => r.outcome === 'failed' || r.outcome === undefined).map((r) => `${r.label}: ${r.errors.join(', ')}`)).toEqual([]);

    // ---- never charged twice: at most one payment per logical charge, the one its caller was answered
    const violations: string[] = [];
    for (const r of records) {
      const stored = byLabel.get(r.label) ?? [];
      if (stored.length > 1) violations.push(`${r.label}: ${stored.length} payments`);
      if (r.payment) {
        const p = stored[0];
        if (stored.length !== 1 || p?.payment_id !== r.payment.payment_id) violations.push(`${r.label}: answered ${r.payment.payment_id}, sandbox has ${stored.map((x) => x.payment_id).join()}`);
        else {
          if (p.status !== 'succeeded') violations.push(`${r.label}: status ${p.status}`);
          if (p.amount !== r.amount || p.amount_received !== r.amount) violations.push(`${r.label}: amount ${p.amount} / received ${p.amount_received}, asked ${r.amount}`);
          if (p.customer_id !== r.customerId) violations.push(`${r.label}: customer ${p.customer_id}`);
          if (r.by === 'mandate_id' && p.mandate_id !== r.instrument) violations.push(`${r.label}: mandate ${p.mandate_id}`);
          if (r.by === 'payment_method_id' && p.payment_method_id !== r.instrument) violations.push(`${r.label}: payment method ${p.payment_method_id}`);
        }
      } else if (stored.length > 0) {
        violations.push(`${r.label}: refused (${typedName(r.error)}) yet ${stored.length} payment(s) stored`);
      }
    }
    expect(violations).toEqual([]);
    // Nothing else was stored: no payment left behind by a refused or re-sent charge.
    expect(sb.state.listPayments().length).toBe(setUps + records.filter((r) => r.payment).length);

    // ---- uncapped renewals all went through
    expect(records.filter((r) => r.label.startsWith('r') && r.outcome !== 'ok' && r.outcome !== 'recovered').map((r) => r.label)).toEqual([]);

    // ---- the capped mandate: exactly CAP / CAPPED_AMOUNT charges, the others refused HE_03
    const cappedRecords = records.filter((r) => r.label.startsWith('capped'));
    const cappedOk = cappedRecords.filter((r) => r.payment);
    expect(cappedOk.map((r) => r.label)).toHaveLength(CAP / CAPPED_AMOUNT);
    expect(cappedRecords.filter((r) => !r.payment).map((r) => `${r.error?.statusCode} ${r.error?.code}`)).toEqual(Array(CAPPED_CHARGES - CAP / CAPPED_AMOUNT).fill('400 HE_03'));
    expect(cappedOk.reduce((sum, r) => sum + (sb.state.getPayment(r.payment!.payment_id)?.amount_received ?? 0), 0)).toBeLessThanOrEqual(CAP);

    // ---- the single-use mandate: charged once, then used up (revoked); the other charges refused IR_16
    const singleRecords = records.filter((r) => r.label.startsWith('single'));
    expect(singleRecords.filter((r) => r.payment).map((r) => r.label)).toHaveLength(1);
    expect(singleRecords.filter((r) => !r.payment).map((r) => `${r.error?.statusCode} ${r.error?.code}`)).toEqual(Array(SINGLE_USE_CHARGES - 1).fill('400 IR_16'));
    expect((await mandates.retrieve(single.mandateId)).status).toBe('revoked');
  });

  it('a revoked mandate under faults and retries: refused (400 IR_16) every time, nothing charged', async () => {
    const customerId = `cus_renew_${SEED}_revoked`;
    const { mandateId, setupId } = await setUp(customerId, { multi_use: null });
    // The revoke itself under faults after it was applied: re-sent with the same key, replayed.
    sb.faults.add({ id: 'revoke_after', route: 'POST /mandates/revoke/:id', when: 'after', sequence: [{ status: 503 }, { reset: true }] });
    expect((await mandates.revoke(mandateId)).status).toBe('revoked');
    sb.faults.clear();

    const records: ChargeRecord[] = Array.from({ length: REVOKED_CHARGES }, (_, i) => ({
      label: `revoked${i}`,
      customerId,
      amount: 1_500,
      by: 'mandate_id',
      instrument: mandateId,
      errors: [],
    }));
    sb.faults.resetStats();
    sb.faults.add(faultRules(SEED + 1_000));
    await Promise.all(records.map((r) => charge(r)));
    sb.faults.clear();
    console.log(`revoked mandate figures ${JSON.stringify({ charges: records.length, faultsInjected: sb.faults.stats().injected, errorsMet: countBy(records.flatMap((r) => r.errors)) })}`);

    expect(records.flatMap((r) => r.errors).filter((name) => name.startsWith('UNTYPED'))).toEqual([]);
    expect(records.map((r) => `${r.outcome} ${r.error?.statusCode} ${r.error?.code} ${r.error?.message}`)).toEqual(Array(REVOKED_CHARGES).fill('rejected 400 IR_16 mandate is not active'));
    expect(sb.state.listPayments().filter((p) => p.customer_id === customerId).map((p) => p.payment_id)).toEqual([setupId]);
    expect([...chargedInSandbox().keys()].filter((label) => label.startsWith('revoked'))).toEqual([]);
  });
});
