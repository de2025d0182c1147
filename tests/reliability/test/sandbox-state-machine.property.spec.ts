/**
 * Model-based property tests of the sandbox's payment state machine (PAYMNT_API.md section 3):
 * random sequences of create / confirm / capture / cancel / refund / retrieve with random amounts,
 * each mutation optionally re-sent with the same Idempotency-Key (after it, or concurrently), run
 * against the real sandbox over HTTP through the real client, and compared with a small model.
 * Whatever the sequence: amount_received <= amount, non-failed refunds <= amount_received, statuses
 * only move along the documented edges, and a replay answers exactly what the first request got.
 */
import fc from 'fast-check';
import { PaymntClient, PaymntError, type Payment, type PaymentCreateParams, type RequestOptions } from '@paymnt/client';
import { createSandbox, type FaultRule, type Sandbox } from '@paymnt/sandbox';
import { randomUUID } from 'node:crypto';

const NUM_RUNS = 40;
const MIN_COMMANDS = 8;
const MAX_COMMANDS = 30;
const SUCCESS_CARD = '4242424242424242';
const DECLINE_CARD = '4000000000000002';

type CaptureMethod = 'automatic' | 'manual' | 'manual_multiple';
type CardKind = 'success' | 'decline';
/** How a mutation is duplicated: not at all, re-sent after its answer, or sent twice at once. */
type Dup = 'none' | 'sequential' | 'concurrent';

interface ModelPayment {
  id: string;
  amount: number;
  captureMethod: CaptureMethod;
  status: string;
  capturable: number;
  /** null until something was captured (the API's `amount_received`). */
  received: number | null;
  refunds: number[];
  /** Statuses the payment went through, in order. */
  history: string[];
}

interface Model {
  payments: ModelPayment[];
}

interface Real {
  client: PaymntClient;
  sb: Sandbox;
  faulty: boolean;
  tally: Tally;
}

/** What the runs went through, to show (and check) that the generator reaches the interesting corners. */
interface Tally {
  commands: Record<string, number>;
  /** `op: ok` or `op: <error code>`. */
  answers: Record<string, number>;
  statuses: Record<string, number>;
  duplicates: Record<Dup, number>;
}

function bump(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

/** What the model predicts for one operation. */
type Expected = { error: { status: number; code: string } } | { ok: true };

/** What the API answered (the first of the duplicates). */
type Outcome =
  | { ok: true; status: number; body: string; replayed: boolean; value: unknown }
  | { ok: false; status: number | undefined; code: string | undefined; body: string; replayed: boolean; error: unknown };

/** The documented edges of section 3 that these operations can take (a refund leaves the status alone). */
const ALLOWED_EDGES: Record<string, readonly string[]> = {
  '(new)': ['requires_payment_method', 'requires_confirmation', 'requires_capture', 'succeeded', 'failed'],
  requires_payment_method: ['requires_capture', 'succeeded', 'failed', 'cancelled'],
  requires_confirmation: ['requires_capture', 'succeeded', 'failed', 'cancelled'],
  requires_capture: ['succeeded', 'partially_captured', 'partially_captured_and_capturable', 'cancelled'],
  partially_captured_and_capturable: ['succeeded', 'partially_captured_and_capturable', 'cancelled'],
  // Cancel is allowed from every status but failed, succeeded, cancelled, processing, requires_merchant_action, review.
  partially_captured: ['cancelled'],
  succeeded: [],
  failed: [],
  cancelled: [],
};

/** Event type of each status (section 6); statuses without one send no webhook. */
const STATUS_EVENT: Record<string, string | undefined> = {
  requires_capture: 'payment_authorized',
  succeeded: 'payment_succeeded',
  failed: 'payment_failed',
  cancelled: 'payment_cancelled',
  partially_captured: 'payment_captured',
  partially_captured_and_capturable: 'payment_captured',
};

function card(kind: CardKind) {
  return { card_number: kind === 'success' ? SUCCESS_CARD : DECLINE_CARD, card_exp_month: '10', card_exp_year: '35', card_cvc: '123' };
}

function describeError(error: unknown): string {
  return error instanceof PaymntError ? `${error.constructor.name} ${error.statusCode} ${error.code}: ${error.message}` : String(error);
}

async function attempt(run: () => Promise<unknown>): Promise<Outcome> {
  try {
    const value = (await run()) as { lastResponse: { statusCode: number; idempotentReplayed: boolean } };
    return { ok: true, status: value.lastResponse.statusCode, body: JSON.stringify(value), replayed: value.lastResponse.idempotentReplayed, value };
  } catch (error) {
    if (!(error instanceof PaymntError)) throw error;
    return {
      ok: false,
      status: error.statusCode,
      code: error.code,
      body: JSON.stringify(error.raw ?? null),
      replayed: error.headers['idempotent-replayed'] === 'true',
      error,
    };
  }
}

/** Sends one mutation (with its own Idempotency-Key), duplicated as asked; checks every copy got the same answer. */
async function send(real: Real, op: string, dup: Dup, run: (options: RequestOptions) => Promise<unknown>): Promise<Outcome> {
  const outcome = await sendDuplicated(real, dup, run);
  bump(real.tally.commands, op);
  bump(real.tally.duplicates, dup);
  bump(real.tally.answers, `${op}: ${outcome.ok ? 'ok' : outcome.code}`);
  return outcome;
}

async function sendDuplicated(real: Real, dup: Dup, run: (options: RequestOptions) => Promise<unknown>): Promise<Outcome> {
  const options = { idempotencyKey: randomUUID() };
  if (dup === 'concurrent') {
    const [a, b] = await Promise.all([attempt(() => run(options)), attempt(() => run(options))]);
    expect({ status: b.status, body: b.body }).toEqual({ status: a.status, body: a.body });
    // Without faults exactly one of the two was applied, the other one replayed.
    if (!real.faulty) expect([a.replayed, b.replayed].sort()).toEqual([false, true]);
    return a;
  }
  const first = await attempt(() => run(options));
  if (!real.faulty) expect(first.replayed).toBe(false);
  if (dup === 'sequential') {
    const again = await attempt(() => run(options));
    expect({ status: again.status, body: again.body, replayed: again.replayed }).toEqual({ status: first.status, body: first.body, replayed: true });
  }
  return first;
}

function checkAgainstExpected(outcome: Outcome, expected: Expected): void {
  if ('error' in expected) {
    const got = outcome.ok ? { ok: true } : { status: outcome.status, code: outcome.code };
    expect(got).toEqual(expected.error);
  } else if (!outcome.ok) {
    throw new Error(`expected success, got ${describeError(outcome.error)}`);
  }
}

/** The payment as the sandbox holds it agrees with the model, and the model-free invariants hold. */
function checkPayment(real: Real, m: ModelPayment, before: string): void {
  const p = real.sb.state.getPayment(m.id);
  if (!p) throw new Error(`payment ${m.id} unknown to the sandbox`);
  const refunds = real.sb.state.listRefunds().filter((r) => r.payment_id === m.id);
  const refunded = refunds.filter((r) => r.status !== 'failed').reduce((sum, r) => sum + r.amount, 0);
  const received = p.amount_received ?? 0;
  const captured = ((p.captures ?? []) as Array<{ amount: number }>).reduce((sum, c) => sum + c.amount, 0);
  expect({
    status: p.status,
    amount: p.amount,
    amount_capturable: p.amount_capturable,
    amount_received: p.amount_received ?? null,
    refunds: refunds.map((r) => r.amount),
  }).toEqual({ status: m.status, amount: m.amount, amount_capturable: m.capturable, amount_received: m.received, refunds: m.refunds });
  // Model-free invariants.
  expect(received).toBeLessThanOrEqual(p.amount);
  expect(refunded).toBeLessThanOrEqual(received);
  expect(received + p.amount_capturable).toBeLessThanOrEqual(p.amount);
  if (m.captureMethod !== 'automatic') expect(captured).toBe(received);
  if (p.status !== before) expect({ edge: `${before} -> ${p.status}`, allowed: (ALLOWED_EDGES[before] ?? []).includes(p.status) }).toEqual({ edge: `${before} -> ${p.status}`, allowed: true });
}

/** `index` counts back from the newest payment, so sequences dig into a few payments' lives. */
function pick(model: Model, index: number): ModelPayment {
  return model.payments[model.payments.length - 1 - (index % model.payments.length)] as ModelPayment;
}

/**
 * An amount in a command: absolute, or a percentage (1..120) of what the model says is left
 * when the command runs, so that both fitting and excessive amounts are common.
 */
type AmountSpec = { absolute: number } | { percent: number } | undefined;

function resolveAmount(spec: AmountSpec, base: number): number | undefined {
  if (spec === undefined) return undefined;
  if ('absolute' in spec) return spec.absolute;
  return Math.max(1, Math.round((base * spec.percent) / 100));
}

function showAmount(spec: AmountSpec): string {
  if (spec === undefined) return 'full';
  return 'absolute' in spec ? String(spec.absolute) : `${spec.percent}%`;
}

let currentTally: Tally | undefined;

function enter(m: ModelPayment, status: string): void {
  m.status = status;
  m.history.push(status);
  if (currentTally) bump(currentTally.statuses, status);
}

/** Confirm in the model (section 3), from a status where it is allowed. */
function modelConfirm(m: ModelPayment, kind: CardKind): void {
  if (kind === 'decline') {
    m.capturable = 0;
    enter(m, 'failed');
  } else if (m.captureMethod === 'automatic') {
    m.capturable = 0;
    m.received = m.amount;
    enter(m, 'succeeded');
  } else {
    m.capturable = m.amount;
    enter(m, 'requires_capture');
  }
}

const CONFIRMABLE = ['requires_payment_method', 'requires_confirmation'];
const CAPTURABLE = ['requires_capture', 'partially_captured_and_capturable'];
const NOT_CANCELLABLE = ['failed', 'succeeded', 'cancelled', 'processing', 'requires_merchant_action', 'review'];
const REFUNDABLE = ['succeeded', 'partially_captured'];

class CreateCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly amount: number,
    readonly captureMethod: CaptureMethod,
    readonly withCard: CardKind | undefined,
    readonly confirm: boolean,
    readonly dup: Dup,
  ) {}
  check = (): boolean => true;
  async run(model: Model, real: Real): Promise<void> {
    const params: PaymentCreateParams = { amount: this.amount, currency: 'USD', capture_method: this.captureMethod, authentication_type: 'no_three_ds' };
    if (this.withCard) Object.assign(params, { payment_method: 'card', payment_method_type: 'credit', payment_method_data: { card: card(this.withCard) } });
    const confirm = this.confirm && this.withCard !== undefined;
    if (confirm) params.confirm = true;
    const outcome = await send(real, 'create', this.dup, (o) => real.client.payments.create(params, o));
    checkAgainstExpected(outcome, { ok: true });
    const created = (outcome as { value: Payment }).value;
    const m: ModelPayment = { id: created.payment_id, amount: this.amount, captureMethod: this.captureMethod, status: '(new)', capturable: this.amount, received: null, refunds: [], history: [] };
    model.payments.push(m);
    // Before confirmation amount_capturable is the whole amount (HS sets it with the amount).
    enter(m, this.withCard ? 'requires_confirmation' : 'requires_payment_method');
    if (confirm) modelConfirm(m, this.withCard as CardKind);
    // A duplicated create made ONE payment.
    expect(real.sb.state.listPayments().filter((p) => p.payment_id === m.id)).toHaveLength(1);
    checkPayment(real, m, '(new)');
  }
  toString = (): string => `create(${this.amount}, ${this.captureMethod}, card=${this.withCard ?? 'none'}, confirm=${this.confirm}, ${this.dup})`;
}

class ConfirmCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly index: number, readonly kind: CardKind, readonly dup: Dup) {}
  check = (model: Readonly<Model>): boolean => model.payments.length > 0;
  async run(model: Model, real: Real): Promise<void> {
    const m = pick(model, this.index);
    const before = m.status;
    const outcome = await send(real, 'confirm', this.dup, (o) =>
      real.client.payments.confirm(m.id, { payment_method: 'card', payment_method_type: 'credit', payment_method_data: { card: card(this.kind) } }, o),
    );
    if (CONFIRMABLE.includes(m.status)) {
      checkAgainstExpected(outcome, { ok: true });
      modelConfirm(m, this.kind);
    } else {
      checkAgainstExpected(outcome, { error: { status: 400, code: 'IR_16' } });
    }
    checkPayment(real, m, before);
  }
  toString = (): string => `confirm(#${this.index}, ${this.kind}, ${this.dup})`;
}

class CaptureCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly index: number, readonly spec: AmountSpec, readonly dup: Dup) {}
  check = (model: Readonly<Model>): boolean => model.payments.length > 0;
  async run(model: Model, real: Real): Promise<void> {
    const m = pick(model, this.index);
    const before = m.status;
    const requested = resolveAmount(this.spec, m.capturable);
    const outcome = await send(real, 'capture', this.dup, (o) => real.client.payments.capture(m.id, requested === undefined ? {} : { amount_to_capture: requested }, o));
    let expected: Expected = { ok: true };
    const amount = requested ?? m.capturable;
    if (!CAPTURABLE.includes(m.status)) expected = { error: { status: 400, code: 'IR_14' } };
    else if (requested === undefined && m.captureMethod === 'manual_multiple') expected = { error: { status: 400, code: 'IR_04' } };
    else if (amount > m.capturable) expected = { error: { status: 422, code: 'IR_06' } };
    checkAgainstExpected(outcome, expected);
    if ('ok' in expected) {
      m.received = (m.received ?? 0) + amount;
      if (m.captureMethod === 'manual_multiple' && amount < m.capturable) {
        m.capturable -= amount;
        enter(m, 'partially_captured_and_capturable');
      } else {
        const full = amount >= m.capturable;
        m.capturable = 0;
        enter(m, full ? 'succeeded' : 'partially_captured');
      }
    }
    checkPayment(real, m, before);
  }
  toString = (): string => `capture(#${this.index}, ${showAmount(this.spec)}, ${this.dup})`;
}

class CancelCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly index: number, readonly dup: Dup) {}
  check = (model: Readonly<Model>): boolean => model.payments.length > 0;
  async run(model: Model, real: Real): Promise<void> {
    const m = pick(model, this.index);
    const before = m.status;
    const outcome = await send(real, 'cancel', this.dup, (o) => real.client.payments.cancel(m.id, { cancellation_reason: 'requested_by_customer' }, o));
    if (NOT_CANCELLABLE.includes(m.status)) {
      checkAgainstExpected(outcome, { error: { status: 400, code: 'IR_16' } });
    } else {
      checkAgainstExpected(outcome, { ok: true });
      m.capturable = 0;
      enter(m, 'cancelled');
    }
    checkPayment(real, m, before);
  }
  toString = (): string => `cancel(#${this.index}, ${this.dup})`;
}

class RefundCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly index: number, readonly spec: AmountSpec, readonly dup: Dup) {}
  check = (model: Readonly<Model>): boolean => model.payments.length > 0;
  async run(model: Model, real: Real): Promise<void> {
    const m = pick(model, this.index);
    const before = m.status;
    const refunded = m.refunds.reduce((sum, a) => sum + a, 0);
    const requested = resolveAmount(this.spec, (m.received ?? 0) - refunded);
    const outcome = await send(real, 'refund', this.dup, (o) =>
      real.client.refunds.create({ payment_id: m.id, reason: 'requested_by_customer', ...(requested === undefined ? {} : { amount: requested }) }, o),
    );
    // A refund without amount asks for the whole captured amount (not what is left).
    const amount = requested ?? m.received ?? 0;
    let expected: Expected = { ok: true };
    if (!REFUNDABLE.includes(m.status)) expected = { error: { status: 400, code: 'IR_14' } };
    else if (refunded + amount > (m.received ?? 0)) expected = { error: { status: 400, code: 'IR_13' } };
    else if (m.refunds.length > 10) expected = { error: { status: 400, code: 'IR_12' } };
    checkAgainstExpected(outcome, expected);
    if ('ok' in expected) {
      m.refunds.push(amount);
      expect((outcome as { value: { status: string; amount: number } }).value).toMatchObject({ status: 'succeeded', amount });
    }
    checkPayment(real, m, before);
  }
  toString = (): string => `refund(#${this.index}, ${showAmount(this.spec)}, ${this.dup})`;
}

class RetrieveCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly index: number) {}
  check = (model: Readonly<Model>): boolean => model.payments.length > 0;
  async run(model: Model, real: Real): Promise<void> {
    const m = pick(model, this.index);
    const p = await real.client.payments.retrieve(m.id);
    expect({ status: p.status, amount_capturable: p.amount_capturable, amount_received: p.amount_received ?? null }).toEqual({
      status: m.status,
      amount_capturable: m.capturable,
      amount_received: m.received,
    });
    checkPayment(real, m, m.status);
  }
  toString = (): string => `retrieve(#${this.index})`;
}

const dupArb = fc.constantFrom<Dup>('none', 'none', 'sequential', 'concurrent');
const indexArb = fc.nat({ max: 3 });
const smallAmount = fc.integer({ min: 1, max: 5_000 });
const amountSpecArb: fc.Arbitrary<AmountSpec> = fc.oneof(
  fc.constant(undefined),
  fc.integer({ min: 1, max: 6_000 }).map((absolute) => ({ absolute })),
  fc.integer({ min: 1, max: 120 }).map((percent) => ({ percent })),
  fc.integer({ min: 1, max: 120 }).map((percent) => ({ percent })),
);

const createArb = fc
  .tuple(
    smallAmount,
    fc.constantFrom<CaptureMethod>('automatic', 'manual', 'manual', 'manual_multiple', 'manual_multiple'),
    fc.option(fc.constantFrom<CardKind>('success', 'success', 'success', 'decline'), { nil: undefined, freq: 4 }),
    fc.boolean(),
    dupArb,
  )
  .map(([amount, method, withCard, confirm, dup]) => new CreateCommand(amount, method, withCard, confirm, dup));

/** Weighted so that sequences get past authorisation into captures and refunds. */
const commandArb: fc.Arbitrary<fc.AsyncCommand<Model, Real>> = fc.oneof(
  { weight: 3, arbitrary: createArb },
  { weight: 2, arbitrary: fc.tuple(indexArb, fc.constantFrom<CardKind>('success', 'success', 'decline'), dupArb).map(([i, kind, dup]) => new ConfirmCommand(i, kind, dup)) },
  { weight: 4, arbitrary: fc.tuple(indexArb, amountSpecArb, dupArb).map(([i, amount, dup]) => new CaptureCommand(i, amount, dup)) },
  { weight: 4, arbitrary: fc.tuple(indexArb, amountSpecArb, dupArb).map(([i, amount, dup]) => new RefundCommand(i, amount, dup)) },
  { weight: 1, arbitrary: fc.tuple(indexArb, dupArb).map(([i, dup]) => new CancelCommand(i, dup)) },
  { weight: 1, arbitrary: indexArb.map((i) => new RetrieveCommand(i)) },
);

/**
 * Sequences always run first (fast-check `examples`), so every corner the figures list is reached
 * whatever the seed; the random runs come after them.
 */
const EXAMPLES: Array<Array<fc.AsyncCommand<Model, Real>>> = [
  [
    new CreateCommand(1_000, 'manual', 'success', true, 'none'),
    new CaptureCommand(0, { percent: 120 }, 'none'), // above amount_capturable: 422 IR_06
    new CaptureCommand(0, { percent: 40 }, 'sequential'), // partially_captured, the rest released
    new CaptureCommand(0, { percent: 10 }, 'none'), // nothing capturable any more: IR_14
    new RefundCommand(0, { percent: 50 }, 'concurrent'),
    new RefundCommand(0, { percent: 120 }, 'none'), // above what is left: IR_13
    new RefundCommand(0, undefined, 'sequential'), // "full" asks for all captured, some is refunded: IR_13
    new CancelCommand(0, 'none'), // documented: cancel is allowed from partially_captured
    new RefundCommand(0, { absolute: 1 }, 'none'), // cancelled: IR_14
    new ConfirmCommand(0, 'success', 'concurrent'), // IR_16
  ],
  [
    new CreateCommand(2_000, 'manual_multiple', 'success', true, 'concurrent'),
    new CaptureCommand(0, undefined, 'none'), // manual_multiple needs amount_to_capture: IR_04
    new CaptureCommand(0, { percent: 30 }, 'concurrent'), // partially_captured_and_capturable
    new CaptureCommand(0, { percent: 100 }, 'sequential'), // the rest: succeeded
    ...Array.from({ length: 12 }, () => new RefundCommand(0, { absolute: 1 }, 'none')), // 11 pass, then IR_12
    new RetrieveCommand(0),
  ],
  [
    new CreateCommand(500, 'automatic', 'decline', true, 'sequential'), // failed
    new ConfirmCommand(0, 'success', 'none'), // failed without manual retry: IR_16
    new CancelCommand(0, 'sequential'), // IR_16
    new CaptureCommand(0, undefined, 'none'), // IR_14
    new CreateCommand(700, 'automatic', undefined, false, 'none'), // requires_payment_method
    new CancelCommand(0, 'concurrent'), // cancelled
    new CreateCommand(800, 'automatic', 'success', false, 'none'), // requires_confirmation
    new ConfirmCommand(0, 'success', 'sequential'), // succeeded (automatic capture)
    new RefundCommand(0, undefined, 'concurrent'), // full refund
    new RefundCommand(0, { absolute: 1 }, 'none'), // IR_13
  ],
];

/** Faults AFTER the operation was applied: the client's retries (same key) must get the stored answer. */
const AFTER_FAULTS: FaultRule[] = [
  { id: 'after_reset', route: '*', when: 'after', probability: 0.15, fault: { reset: true } },
  { id: 'after_500', route: '*', when: 'after', probability: 0.1, fault: { status: 500 } },
  { id: 'after_429', route: '*', when: 'after', probability: 0.05, fault: { status: 429, retryAfterSeconds: 0 } },
  { id: 'before_503', route: '*', when: 'before', probability: 0.1, fault: { status: 503 } },
];

describe('sandbox state machine against a model (fast-check)', () => {
  let sb: Sandbox;
  let client: PaymntClient;

  beforeAll(async () => {
    sb = await createSandbox({ port: 0 });
    // Enough retries to outlast a concurrent twin holding the key (409 idempotency_key_in_use) on a loaded machine.
    client = new PaymntClient({ apiKey: sb.apiKey, baseUrl: sb.url, maxRetries: 10, initialRetryDelayMs: 5, maxRetryDelayMs: 250, timeoutMs: 5_000 });
  });

  afterAll(async () => {
    await client?.close();
    await sb?.close();
  });

  /** Events recorded for the payments of one run: one per status with an event, in the order entered. */
  function checkEvents(model: Model): void {
    const events = sb.state.listEvents();
    for (const m of model.payments) {
      const expected = [...new Set(m.history.map((s) => STATUS_EVENT[s]).filter((e): e is string => e !== undefined))];
      expect({ payment: m.id, events: events.filter((e) => e.objectId === m.id).map((e) => e.eventType) }).toEqual({ payment: m.id, events: expected });
      const refundEvents = events.filter((e) => e.eventType === 'refund_succeeded' && sb.state.getRefund(e.objectId)?.payment_id === m.id);
      expect(refundEvents).toHaveLength(m.refunds.length);
    }
  }

  async function property(faulty: boolean): Promise<void> {
    const seed = process.env.RELIABILITY_SEED === undefined ? Date.now() ^ (faulty ? 0x5eed : 0) : Number(process.env.RELIABILITY_SEED);
    const replaysBefore = sb.state.counters.idempotentReplays;
    const tally: Tally = { commands: {}, answers: {}, statuses: {}, duplicates: { none: 0, sequential: 0, concurrent: 0 } };
    currentTally = tally;
    await fc.assert(
      fc.asyncProperty(fc.array(commandArb, { minLength: MIN_COMMANDS, maxLength: MAX_COMMANDS }), async (cmds) => {
        sb.faults.clear();
        if (faulty) sb.faults.add(AFTER_FAULTS.map((rule, i) => ({ ...rule, id: `${rule.id}_${i}`, seed: seed + i })));
        const model: Model = { payments: [] };
        try {
          await fc.asyncModelRun(() => ({ model, real: { client, sb, faulty, tally } }), cmds);
        } finally {
          sb.faults.clear();
        }
        checkEvents(model);
      }),
      { numRuns: NUM_RUNS, seed, verbose: 1, examples: EXAMPLES.map((sequence) => [sequence]) },
    );
    currentTally = undefined;
    const replays = sb.state.counters.idempotentReplays - replaysBefore;
    console.log(`state machine figures (${faulty ? 'faults after apply' : 'no faults'}) ${JSON.stringify({ seed, runs: NUM_RUNS, replays, ...tally }, null, 2)}`);
    expect(replays).toBeGreaterThan(0);
    // The generator reached the corners that matter (else the property proves little).
    const corners = ['capture: ok', 'capture: IR_14', 'capture: IR_06', 'capture: IR_04', 'refund: ok', 'refund: IR_12', 'refund: IR_13', 'refund: IR_14', 'confirm: ok', 'confirm: IR_16', 'cancel: ok', 'cancel: IR_16'];
    for (const answer of corners) {
      expect({ answer, seen: (tally.answers[answer] ?? 0) > 0 }).toEqual({ answer, seen: true });
    }
    for (const status of ['partially_captured', 'partially_captured_and_capturable', 'succeeded', 'failed', 'cancelled']) {
      expect({ status, seen: (tally.statuses[status] ?? 0) > 0 }).toEqual({ status, seen: true });
    }
  }

  it('keeps amounts and statuses invariant and replays identical answers (no faults)', async () => {
    await property(false);
  });

  it('keeps them with faults after the operation, the client retrying with the same key', async () => {
    const injectedBefore = sb.faults.stats().injected;
    await property(true);
    expect(sb.faults.stats().injected).toBeGreaterThan(injectedBefore);
  });
});
