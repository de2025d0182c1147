/**
 * Payments: HS's state machine (section 3) over the sandbox's dummy processor. Each operation on an
 * existing payment goes through `mutate`: find → lock → check payment-transitions.ts → change →
 * touch, webhook → view. Under the payment's lock, concurrent requests are applied one at a time.
 *
 * Request checks and field mapping: payment-requests.ts; the new record: payment-record.ts;
 * outcomes of the processor: dummy-processor.ts.
 */
import type { Payment } from '@paymnt/client';
import { ApiError } from '../http/api-error';
import { newPaymentId } from '../ids';
import type { MerchantConfig, ProfileConfig } from '../sandbox-options';
import type { WebhookDispatcher } from '../webhooks/webhook-dispatcher';
import { paymentEventType } from '../webhooks/event-mapping';
import type { SandboxCounters } from './counters';
import { applyAuthenticationOutcome, applyCapture, applyCardOutcome, applyIncrementalAuthorization, connectorCall } from './dummy-processor';
import type { KeyedLock } from './keyed-lock';
import { currentAttempt, newPaymentRecord, newRetryAttempt, setAttempt, syncAttempt, touch } from './payment-record';
import {
  applyFields,
  MAX_ALLOWED_AMOUNT,
  requireConfirmable,
  resolveProfile,
  str,
  validateAgainst,
  validateConfirmAtCreate,
  validateCreate,
  type PaymentsRequest,
} from './payment-requests';
import { checkTransition, TRANSITIONS, type PaymentOperation } from './payment-transitions';
import type { PaymentRecord } from './records';
import { chargedMandateId, validateMandateRequest, type RecurringPayments } from './recurring-payments';
import { paymentDisputeView } from './dispute-views';
import type { SandboxStore } from './sandbox-store';
import { netAmount, paymentView, type PaymentViewOptions } from './views';

/** Who is calling: the merchant, and the profile picked by `x-profile-id` (if any). */
export interface Caller {
  merchant: MerchantConfig;
  /** Set when the request carried `x-profile-id`: reads and writes are scoped to it. */
  profile?: ProfileConfig;
  /** Publishable key: only client-secret flows are allowed. */
  publishable: boolean;
}

export interface PaymentServiceDeps {
  store: SandboxStore;
  lock: KeyedLock;
  webhooks: WebhookDispatcher;
  counters: SandboxCounters;
  connectorLatencyMs: number;
  /** The base URL handed out in links (3DS redirect), without trailing slash. */
  baseUrl: () => string;
  /** Saved cards and mandates in the payment flow. */
  recurring: RecurringPayments;
  /** Told of every change once it is made (the dispute card's dispute starts here). */
  onChanged?: (p: PaymentRecord) => void;
}

export function lockKey(merchantId: string, paymentId: string): string {
  return `${merchantId}\u0000${paymentId}`;
}

export class PaymentService {
  constructor(private readonly deps: PaymentServiceDeps) {}

  // ---------------------------------------------------------------- views and lookups

  view(p: PaymentRecord, options?: PaymentViewOptions): Payment {
    return paymentView(p, this.deps.store.refundsOf(p), options);
  }

  /** The payment as the caller may see it (404 for another merchant or another profile). */
  find(caller: Caller, paymentId: string): PaymentRecord {
    const p = this.deps.store.getPayment(caller.merchant.merchantId, paymentId);
    if (!p || (caller.profile && p.profileId !== caller.profile.profileId)) throw ApiError.paymentNotFound();
    return p;
  }

  private checkClientSecret(caller: Caller, p: PaymentRecord, clientSecret: unknown): void {
    if (clientSecret === undefined || clientSecret === null) {
      if (caller.publishable) throw ApiError.clientSecretNotGiven();
      return;
    }
    if (clientSecret !== p.clientSecret) throw ApiError.clientSecretInvalid();
    if (caller.publishable && Date.now() > Date.parse(p.expiresOn) && ['requires_payment_method', 'requires_confirmation'].includes(p.status)) {
      throw ApiError.clientSecretExpired();
    }
  }

  // ---------------------------------------------------------------- the one path for changes

  /** find → lock → check the transition table → `change` → touch, webhook → view. */
  private mutate(
    caller: Caller,
    paymentId: string,
    req: Record<string, unknown>,
    operation: PaymentOperation,
    change: (p: PaymentRecord) => Promise<void> | void,
  ): Promise<Payment> {
    return this.withPayment(caller, paymentId, req, operation, (p) => this.applyChange(p, change));
  }

  /** `mutate` up to the transition check, then `fn` under the payment's lock (refunds of it use this). */
  async withPayment<T>(
    caller: Caller,
    paymentId: string,
    req: Record<string, unknown>,
    operation: PaymentOperation,
    fn: (p: PaymentRecord) => Promise<T>,
  ): Promise<T> {
    const { publishableKey } = TRANSITIONS[operation];
    if (caller.publishable && !publishableKey) throw ApiError.unauthorized();
    const p = this.find(caller, paymentId);
    if (publishableKey) this.checkClientSecret(caller, p, req.client_secret);
    return this.deps.lock.run(lockKey(p.merchantId, p.paymentId), () => {
      checkTransition(operation, p, this.profileOf(p));
      return fn(p);
    });
  }

  private async applyChange(p: PaymentRecord, change: (p: PaymentRecord) => Promise<void> | void): Promise<Payment> {
    await change(p);
    this.changed(p);
    return this.view(p);
  }

  /** After every change: modification time, then the status's webhook (if it has one). */
  private changed(p: PaymentRecord): void {
    touch(p);
    this.deps.onChanged?.(p);
    const eventType = paymentEventType(p.status);
    if (!eventType) return;
    this.deps.webhooks.emit({
      merchantId: p.merchantId,
      profileId: p.profileId,
      objectId: p.paymentId,
      eventType,
      eventClass: 'payments',
      contentType: 'payment_details',
      object: this.view(p),
    });
  }

  /**
   * Runs a charge of a mandate one at a time per mandate: its checks (active, cap) and its record
   * (a single-use mandate used up, a multi-use one's total) must not interleave with another
   * charge's, or concurrent charges each pass the checks and together overspend the mandate. Lock
   * order: mandate, then payment (create's payment is new; confirm's is taken before, by `mutate`).
   */
  private withMandate<T>(merchantId: string, req: Record<string, unknown>, fn: () => Promise<T>): Promise<T> {
    const mandateId = chargedMandateId(req);
    return mandateId === null ? fn() : this.deps.lock.run(`mandate\u0000${merchantId}\u0000${mandateId}`, fn);
  }

  private profileOf(p: PaymentRecord): ProfileConfig {
    return this.deps.store.profile(p.profileId) as ProfileConfig;
  }

  private connectorCall(): Promise<void> {
    return connectorCall(this.deps.connectorLatencyMs);
  }

  // ---------------------------------------------------------------- operations

  create(caller: Caller, req: PaymentsRequest): Promise<Payment> {
    return this.withMandate(caller.merchant.merchantId, req, () => this.createNow(caller, req));
  }

  private async createNow(caller: Caller, req: PaymentsRequest): Promise<Payment> {
    validateCreate(caller, req);
    validateMandateRequest(req, 'create');
    const profile = resolveProfile(caller, req);
    if (req.confirm === true) validateConfirmAtCreate(req);
    const merchantId = caller.merchant.merchantId;
    const paymentId = str(req.payment_id) ?? newPaymentId();
    if (this.deps.store.hasPayment(merchantId, paymentId)) throw ApiError.duplicatePayment(paymentId);

    const now = Date.now();
    const seq = this.deps.store.nextSeq();
    const p = newPaymentRecord({ seq, paymentId, merchantId, profile, amount: req.amount as number, currency: req.currency as string, now });
    applyFields(p, req);
    // HS resolves a saved method or mandate before it stores anything: a refused one creates no payment.
    if (req.confirm === true) this.deps.recurring.attach(p, req);
    if (p.card && !p.recurring) {
      p.status = 'requires_confirmation';
      setAttempt(p, 'confirmation_awaited');
    }
    touch(p, now);
    p.modifiedAt = p.created;
    this.deps.store.insertPayment(p);
    this.deps.counters.paymentsCreated++;

    if (req.confirm === true) {
      return this.deps.lock.run(lockKey(merchantId, paymentId), () => this.applyChange(p, () => this.confirmNow(p, req)));
    }
    return this.view(p);
  }

  async retrieve(caller: Caller, paymentId: string, query: { clientSecret?: string; forceSync?: boolean } & PaymentViewOptions): Promise<Payment> {
    const p = this.find(caller, paymentId);
    if (caller.publishable && query.clientSecret === undefined) throw ApiError.clientSecretNotGiven();
    if (query.clientSecret !== undefined) this.checkClientSecret(caller, p, query.clientSecret);
    // force_sync asks the processor only in statuses where it may know more; the sandbox's dummy
    // processor never changes its mind on its own, so the stored state is the answer.
    // Only the retrieve flow loads the payment's disputes (HS's payment_status.rs get_trackers).
    return this.view(p, { ...query, disputes: this.deps.store.disputesOf(p).map(paymentDisputeView) });
  }

  async update(caller: Caller, paymentId: string, req: PaymentsRequest): Promise<Payment> {
    return this.mutate(caller, paymentId, req, 'update', async (p) => {
      validateAgainst(p, req);
      validateMandateRequest(req, 'update');
      if (req.profile_id !== undefined && req.profile_id !== null && req.profile_id !== p.profileId) {
        throw ApiError.invalidRequestData('profile_id cannot be updated');
      }
      applyFields(p, req);
      if (p.card && p.status === 'requires_payment_method') {
        p.status = 'requires_confirmation';
        setAttempt(p, 'confirmation_awaited');
      }
      if (req.confirm === true) await this.withMandate(p.merchantId, req, () => this.confirmNow(p, req));
    });
  }

  async confirm(caller: Caller, paymentId: string, req: PaymentsRequest): Promise<Payment> {
    return this.mutate(caller, paymentId, req, 'confirm', (p) => this.withMandate(p.merchantId, req, () => this.confirmFlow(p, req, false)));
  }

  /** `confirm: true` on create or update: confirm with the body they already validated and applied. */
  private confirmNow(p: PaymentRecord, req: PaymentsRequest): Promise<void> {
    checkTransition('confirm', p, this.profileOf(p));
    // Amount and currency are not confirm's fields.
    return this.confirmFlow(p, { ...req, amount: undefined, currency: undefined }, true);
  }

  /** The confirm flow; `fieldsApplied`: create/update already validated and applied the body. */
  private async confirmFlow(p: PaymentRecord, req: PaymentsRequest, fieldsApplied: boolean): Promise<void> {
    if (!fieldsApplied) {
      validateAgainst(p, req);
      validateMandateRequest(req, 'confirm');
    }
    this.deps.recurring.attach(p, req);
    const method = requireConfirmable(p, req);
    if (p.status === 'failed') {
      // A manual retry: a new attempt, and the previous attempt's error no longer shown.
      p.attempts.push(newRetryAttempt(p));
      this.deps.store.indexAttempt(p, currentAttempt(p).attemptId);
      p.errorCode = p.errorMessage = p.unifiedCode = p.unifiedMessage = null;
    }
    if (!fieldsApplied) applyFields(p, req);
    if (!p.authenticationType) p.authenticationType = 'no_three_ds';
    if (!p.paymentMethod) p.paymentMethod = method;
    if (!p.paymentMethodType && p.card) p.paymentMethodType = 'credit';
    p.cardDiscovery = 'manual';
    syncAttempt(p);
    await this.connectorCall();
    applyCardOutcome(p, this.deps.baseUrl());
    this.deps.recurring.afterOutcome(p);
  }

  /** 3DS page outcome (`/dummy-connector/complete/{attempt}?confirm=`); no-op unless awaiting it. */
  async completeThreeDs(attemptId: string, confirm: boolean): Promise<PaymentRecord | undefined> {
    const p = this.deps.store.paymentByAttempt(attemptId);
    if (!p) return undefined;
    // Not in the transition table: a stale or repeated page answer is ignored, not refused.
    return this.deps.lock.run(lockKey(p.merchantId, p.paymentId), async () => {
      if (p.status !== 'requires_customer_action' || currentAttempt(p).attemptId !== attemptId) return p;
      await this.connectorCall();
      applyAuthenticationOutcome(p, confirm);
      this.deps.recurring.afterOutcome(p);
      this.changed(p);
      return p;
    });
  }

  async capture(caller: Caller, paymentId: string, req: Record<string, unknown>): Promise<Payment> {
    return this.mutate(caller, paymentId, req, 'capture', async (p) => {
      const requested = req.amount_to_capture as number | undefined | null;
      if ((requested === undefined || requested === null) && p.captureMethod === 'manual_multiple') {
        throw ApiError.missingField('amount_to_capture');
      }
      const amount = typeof requested === 'number' ? requested : p.amountCapturable;
      if (amount <= 0) throw ApiError.invalidDataFormat('amount_to_capture', 'positive integer');
      // The dummy connector does not support overcapture (is_overcapture_enabled stays null), so
      // enable_overcapture never lets a capture exceed what is authorised.
      if (amount > p.amountCapturable) throw ApiError.invalidRequestData('amount_to_capture is greater than amount');
      await this.connectorCall();
      applyCapture(p, amount);
    });
  }

  async cancel(caller: Caller, paymentId: string, req: Record<string, unknown>): Promise<Payment> {
    return this.mutate(caller, paymentId, req, 'cancel', async (p) => {
      // Only an authorisation (or a pending challenge) involves the processor; otherwise nothing was sent to it.
      const voidAtProcessor = p.status === 'requires_capture' || p.status === 'partially_captured_and_capturable';
      if (voidAtProcessor || p.status === 'requires_customer_action') await this.connectorCall();
      p.status = 'cancelled';
      p.amountCapturable = 0;
      p.nextAction = null;
      p.cancellationReason = str(req.cancellation_reason);
      setAttempt(p, 'voided', { cancellationReason: p.cancellationReason });
      if (!p.authenticationType) p.authenticationType = 'no_three_ds';
    });
  }

  async cancelPostCapture(caller: Caller, paymentId: string, req: Record<string, unknown>): Promise<Payment> {
    return this.mutate(caller, paymentId, req, 'cancel_post_capture', async (p) => {
      await this.connectorCall();
      p.status = 'cancelled_post_capture';
      p.amountCapturable = 0;
      p.cancellationReason = str(req.cancellation_reason);
      setAttempt(p, 'voided_post_charge', { cancellationReason: p.cancellationReason });
    });
  }

  async incrementalAuthorization(caller: Caller, paymentId: string, req: Record<string, unknown>): Promise<Payment> {
    return this.mutate(caller, paymentId, req, 'incremental_authorization', async (p) => {
      const newTotal = req.amount as number;
      // payments_incremental_authorization.rs: the new total against the attempt's net amount.
      if (newTotal <= netAmount(p)) throw ApiError.preconditionFailed('Amount should be greater than original authorized amount');
      // Sandbox policy (HS has no bound here): no authorisation above the documented maximum.
      if (newTotal > MAX_ALLOWED_AMOUNT) throw ApiError.preconditionFailed(`amount should not be more than ${MAX_ALLOWED_AMOUNT}`);
      await this.connectorCall();
      applyIncrementalAuthorization(p, newTotal);
    });
  }
}
