/**
 * Payments: HS's state machine (section 3) over the sandbox's dummy processor. Every operation on
 * one payment runs under that payment's lock, so concurrent requests are applied one at a time.
 */
import type { Payment } from '@paymnt/client';
import { ApiError } from '../http/api-error';
import { validateCardData } from '../cards/card-validation';
import { cardOutcome } from '../cards/test-cards';
import {
  alphanumeric,
  newAttemptId,
  newClientSecret,
  newConnectorTransactionId,
  newPaymentId,
  newPaymentToken,
} from '../ids';
import type { MerchantConfig, ProfileConfig } from '../sandbox-options';
import type { WebhookDispatcher } from '../webhooks/webhook-dispatcher';
import { paymentEventType } from '../webhooks/event-mapping';
import type { SandboxCounters } from './counters';
import type { KeyedLock } from './keyed-lock';
import type { AttemptRecord, AttemptStatus, CustomerRecord, IntentStatus, PaymentRecord } from './records';
import type { SandboxStore } from './sandbox-store';
import { CONNECTOR_NAME, ECHO_FIELDS, netAmount, paymentView, type PaymentViewOptions } from './views';

export const MAX_ALLOWED_AMOUNT = 999_999_999;
const DEFAULT_SESSION_EXPIRY_SECONDS = 900;
const DEFAULT_UNIFIED_ERROR_CODE = 'UE_9000';
const DEFAULT_UNIFIED_ERROR_MESSAGE = 'Something went wrong';

/** Who is calling: the merchant, and the profile picked by `x-profile-id` (if any). */
export interface Caller {
  merchant: MerchantConfig;
  /** Set when the request carried `x-profile-id`: reads and writes are scoped to it. */
  profile?: ProfileConfig;
  /** Publishable key: only client-secret flows are allowed. */
  publishable: boolean;
}

/** A validated PaymentsRequest body (fields as serde accepted them). */
export type PaymentsRequest = Record<string, unknown>;

export interface PaymentServiceDeps {
  store: SandboxStore;
  lock: KeyedLock;
  webhooks: WebhookDispatcher;
  counters: SandboxCounters;
  connectorLatencyMs: number;
  /** The base URL handed out in links (3DS redirect), without trailing slash. */
  baseUrl: () => string;
}

const iso = (ms: number): string => new Date(ms).toISOString();

export function lockKey(merchantId: string, paymentId: string): string {
  return `${merchantId}\u0000${paymentId}`;
}

/** HS's `is_manual_retry_allowed` for the statuses the sandbox reaches. */
function manualRetryAllowed(status: IntentStatus): boolean | null {
  switch (status) {
    case 'failed':
      return true;
    case 'requires_payment_method':
    case 'requires_confirmation':
    case 'processing':
      return null;
    default:
      return false;
  }
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

function card(req: PaymentsRequest): Record<string, unknown> | undefined {
  const pmd = req.payment_method_data as Record<string, unknown> | null | undefined;
  const c = pmd?.card;
  return c && typeof c === 'object' ? (c as Record<string, unknown>) : undefined;
}

function otherPaymentMethod(req: PaymentsRequest): string | undefined {
  const pmd = req.payment_method_data as Record<string, unknown> | null | undefined;
  if (!pmd) return undefined;
  return Object.keys(pmd).find((k) => k !== 'card' && k !== 'billing' && pmd[k] !== null && pmd[k] !== undefined);
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

  private emit(p: PaymentRecord): void {
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

  private async connectorCall(): Promise<void> {
    const ms = this.deps.connectorLatencyMs;
    await new Promise<void>((resolve) => (ms > 0 ? setTimeout(resolve, ms) : setImmediate(resolve)));
  }

  private touch(p: PaymentRecord, now = Date.now()): void {
    p.modifiedAt = iso(now);
    p.updatedMs = now;
    p.manualRetryAllowed = manualRetryAllowed(p.status);
  }

  private currentAttempt(p: PaymentRecord): AttemptRecord {
    return p.attempts[p.attempts.length - 1] as AttemptRecord;
  }

  private setAttempt(p: PaymentRecord, status: AttemptStatus, patch: Partial<AttemptRecord> = {}): void {
    const a = this.currentAttempt(p);
    Object.assign(a, patch);
    a.status = status;
    a.modifiedAt = iso(Date.now());
  }

  // ---------------------------------------------------------------- request validation

  /** Checks shared by create, update and confirm (HS's validate_request of those operations). */
  private validateCommon(req: PaymentsRequest, amountForCapture: number | undefined, captureMethod: string | undefined): void {
    const amount = req.amount as number | undefined | null;
    if (typeof amount === 'number' && amount > MAX_ALLOWED_AMOUNT) {
      throw ApiError.preconditionFailed(`amount should not be more than ${MAX_ALLOWED_AMOUNT}`);
    }
    if (req.capture_method === 'scheduled') throw ApiError.notImplemented();
    const toCapture = req.amount_to_capture as number | undefined | null;
    if (typeof toCapture === 'number' && amountForCapture !== undefined) {
      if (toCapture > amountForCapture) {
        throw ApiError.invalidDataFormat('amount_to_capture', 'amount_to_capture lesser than amount');
      }
      if (toCapture <= 0) throw ApiError.invalidDataFormat('amount_to_capture', 'positive integer');
      const method = captureMethod ?? 'automatic';
      if ((method === 'automatic' || method === 'sequential_automatic') && toCapture !== amountForCapture) {
        throw ApiError.invalidDataFormat('amount_to_capture', 'amount_to_capture equal to amount when capture_method is automatic');
      }
    }
    const expiry = req.session_expiry as number | undefined | null;
    if (typeof expiry === 'number' && (expiry < 60 || expiry > 7_890_000)) {
      throw ApiError.invalidRequestData('session_expiry should be between 60(1 min) to 7890000(3 months).');
    }
    const c = card(req);
    if (c) validateCardData(c);
    const other = otherPaymentMethod(req);
    if (other) throw ApiError.notSupported(`Payment method ${other} is not supported by the sandbox; use payment_method_data.card`);
    if (req.customer_id && req.customer && (req.customer as Record<string, unknown>).id !== req.customer_id) {
      throw ApiError.invalidRequestData('customer_id and customer.id must be the same');
    }
  }

  /** Applies the request's fields to the record (absent and null fields leave values unchanged). */
  private applyFields(p: PaymentRecord, req: PaymentsRequest): void {
    for (const key of ECHO_FIELDS) {
      const v = req[key];
      if (v !== undefined && v !== null) p.echo[key] = v;
    }
    if (typeof req.amount === 'number') p.amount = req.amount;
    if (typeof req.currency === 'string') p.currency = req.currency;
    if (typeof req.shipping_cost === 'number') p.shippingCost = req.shipping_cost;
    if (typeof req.order_tax_amount === 'number') p.orderTaxAmount = req.order_tax_amount;
    const surcharge = req.surcharge_details as { surcharge_amount?: number; tax_amount?: number } | undefined | null;
    if (surcharge) p.surchargeAmount = (surcharge.surcharge_amount ?? 0) + (surcharge.tax_amount ?? 0);
    if (typeof req.capture_method === 'string') p.captureMethod = req.capture_method;
    if (typeof req.authentication_type === 'string') p.authenticationType = req.authentication_type;
    if (typeof req.return_url === 'string') p.returnUrl = req.return_url;
    if (typeof req.payment_method === 'string') p.paymentMethod = req.payment_method;
    if (typeof req.payment_method_type === 'string') p.paymentMethodType = req.payment_method_type;
    if (typeof req.payment_token === 'string') p.paymentToken = req.payment_token;
    if (typeof req.request_incremental_authorization === 'boolean') p.requestIncrementalAuthorization = req.request_incremental_authorization;
    if (typeof req.session_expiry === 'number') p.expiresOn = iso(p.createdMs + req.session_expiry * 1000);

    const pmd = req.payment_method_data as Record<string, unknown> | undefined | null;
    if (pmd && pmd.billing) p.paymentMethodBilling = pmd.billing;
    const c = card(req);
    if (c) {
      p.card = {
        number: String(c.card_number).replace(/\s+/g, ''),
        expMonth: String(c.card_exp_month),
        expYear: String(c.card_exp_year),
        holderName: str(c.card_holder_name),
        network: str(c.card_network),
        issuer: str(c.card_issuer),
        cardType: str(c.card_type),
        issuingCountry: str(c.card_issuing_country),
      };
      if (!p.paymentToken) p.paymentToken = newPaymentToken();
    }

    const customer = req.customer as Record<string, unknown> | undefined | null;
    const customerId = str(req.customer_id) ?? (customer ? str(customer.id) : null);
    const email = (customer ? str(customer.email) : null) ?? str(req.email);
    const name = (customer ? str(customer.name) : null) ?? str(req.name);
    const phone = (customer ? str(customer.phone) : null) ?? str(req.phone);
    const phoneCc = (customer ? str(customer.phone_country_code) : null) ?? str(req.phone_country_code);
    if (customerId || email || name || phone || phoneCc) {
      const prev: CustomerRecord = p.customer ?? { id: null, name: null, email: null, phone: null, phone_country_code: null };
      p.customer = {
        id: customerId ?? prev.id,
        name: name ?? prev.name,
        email: email ?? prev.email,
        phone: phone ?? prev.phone,
        phone_country_code: phoneCc ?? prev.phone_country_code,
      };
      if (customerId) p.customerId = customerId;
    }
    p.amountCapturable = netAmount(p);
    const attempt = this.currentAttempt(p);
    attempt.amount = netAmount(p);
    attempt.paymentMethod = p.paymentMethod;
    attempt.paymentMethodType = p.paymentMethodType;
    attempt.authenticationType = p.authenticationType;
    attempt.captureMethod = p.captureMethod;
    attempt.paymentToken = p.paymentToken;
  }

  private resolveProfile(caller: Caller, req: PaymentsRequest): ProfileConfig {
    const requested = str(req.profile_id);
    if (requested) {
      const profile = caller.merchant.profiles.find((p) => p.profileId === requested);
      if (!profile || (caller.profile && caller.profile.profileId !== requested)) throw ApiError.profileNotFound(requested);
      return profile;
    }
    return caller.profile ?? (caller.merchant.profiles[0] as ProfileConfig);
  }

  // ---------------------------------------------------------------- operations

  async create(caller: Caller, req: PaymentsRequest): Promise<Payment> {
    if (caller.publishable) throw ApiError.unauthorized();
    if (req.amount === undefined || req.amount === null) throw ApiError.missingField('amount');
    if (req.currency === undefined || req.currency === null) throw ApiError.missingField('currency');
    this.validateCommon(req, req.amount as number, str(req.capture_method) ?? undefined);
    const profile = this.resolveProfile(caller, req);
    if (req.confirm === true) {
      // create + confirm: the confirm preconditions are checked before anything is stored.
      if (!card(req) && typeof req.payment_token !== 'string') {
        throw ApiError.invalidRequestData('A payment token or payment method data or ctp service details is required');
      }
      if (typeof req.payment_method !== 'string') throw ApiError.missingField('payment_method');
    }
    const merchantId = caller.merchant.merchantId;
    const paymentId = str(req.payment_id) ?? newPaymentId();
    if (this.deps.store.hasPayment(merchantId, paymentId)) throw ApiError.duplicatePayment(paymentId);

    const now = Date.now();
    const created = iso(now);
    const attemptId = newAttemptId(paymentId, 1);
    const p: PaymentRecord = {
      seq: this.deps.store.nextSeq(),
      paymentId,
      merchantId,
      profileId: profile.profileId,
      merchantConnectorId: profile.merchantConnectorId,
      clientSecret: newClientSecret(paymentId),
      status: 'requires_payment_method',
      amount: req.amount as number,
      currency: req.currency as string,
      shippingCost: null,
      orderTaxAmount: null,
      surchargeAmount: 0,
      captureMethod: 'automatic',
      authenticationType: null,
      amountCapturable: 0,
      amountCaptured: null,
      paymentMethod: null,
      paymentMethodType: null,
      card: null,
      otherPaymentMethodData: null,
      paymentMethodBilling: null,
      paymentToken: null,
      returnUrl: null,
      customer: null,
      customerId: null,
      nextAction: null,
      cancellationReason: null,
      errorCode: null,
      errorMessage: null,
      unifiedCode: null,
      unifiedMessage: null,
      connector: null,
      connectorTransactionId: null,
      attempts: [
        {
          attemptId,
          status: 'payment_method_awaited',
          amount: req.amount as number,
          paymentMethod: null,
          paymentMethodType: null,
          authenticationType: null,
          captureMethod: 'automatic',
          connector: null,
          connectorTransactionId: null,
          errorCode: null,
          errorMessage: null,
          unifiedCode: null,
          unifiedMessage: null,
          cancellationReason: null,
          paymentToken: null,
          createdAt: created,
          modifiedAt: created,
        },
      ],
      captures: [],
      incrementalAuthorizations: [],
      requestIncrementalAuthorization: false,
      incrementalAuthorizationAllowed: null,
      manualRetryAllowed: null,
      cardDiscovery: null,
      echo: {},
      refundIds: [],
      createdMs: now,
      created,
      modifiedAt: created,
      expiresOn: iso(now + DEFAULT_SESSION_EXPIRY_SECONDS * 1000),
      updatedMs: now,
    };
    this.applyFields(p, req);
    if (p.card) {
      p.status = 'requires_confirmation';
      this.setAttempt(p, 'confirmation_awaited');
    }
    this.touch(p, now);
    p.modifiedAt = created;
    this.deps.store.insertPayment(p);
    this.deps.counters.paymentsCreated++;

    if (req.confirm === true) {
      return this.deps.lock.run(lockKey(merchantId, paymentId), async () => {
        await this.confirmLocked(p, { ...req, amount: undefined, currency: undefined }, profile, true);
        return this.view(p);
      });
    }
    return this.view(p);
  }

  async retrieve(caller: Caller, paymentId: string, query: { clientSecret?: string; forceSync?: boolean } & PaymentViewOptions): Promise<Payment> {
    const p = this.find(caller, paymentId);
    if (caller.publishable && query.clientSecret === undefined) throw ApiError.clientSecretNotGiven();
    if (query.clientSecret !== undefined) this.checkClientSecret(caller, p, query.clientSecret);
    // force_sync asks the processor only in statuses where it may know more; the sandbox's dummy
    // processor never changes its mind on its own, so the stored state is the answer.
    return this.view(p, query);
  }

  async update(caller: Caller, paymentId: string, req: PaymentsRequest): Promise<Payment> {
    if (caller.publishable) throw ApiError.unauthorized();
    const p = this.find(caller, paymentId);
    return this.deps.lock.run(lockKey(p.merchantId, p.paymentId), async () => {
      if (p.status !== 'requires_payment_method' && p.status !== 'requires_confirmation') {
        throw ApiError.preconditionFailed(`You cannot update this payment because it has status ${p.status}`);
      }
      const amount = typeof req.amount === 'number' ? req.amount : p.amount;
      this.validateCommon(req, amount, str(req.capture_method) ?? p.captureMethod);
      if (req.profile_id !== undefined && req.profile_id !== null && req.profile_id !== p.profileId) {
        throw ApiError.invalidRequestData('profile_id cannot be updated');
      }
      this.applyFields(p, req);
      if (p.card && p.status === 'requires_payment_method') {
        p.status = 'requires_confirmation';
        this.setAttempt(p, 'confirmation_awaited');
      }
      this.touch(p);
      if (req.confirm === true) {
        const profile = this.deps.store.profile(p.profileId) as ProfileConfig;
        await this.confirmLocked(p, { ...req, amount: undefined, currency: undefined }, profile, true);
      }
      return this.view(p);
    });
  }

  async confirm(caller: Caller, paymentId: string, req: PaymentsRequest): Promise<Payment> {
    const p = this.find(caller, paymentId);
    this.checkClientSecret(caller, p, req.client_secret);
    return this.deps.lock.run(lockKey(p.merchantId, p.paymentId), async () => {
      const profile = this.deps.store.profile(p.profileId) as ProfileConfig;
      await this.confirmLocked(p, req, profile, false);
      return this.view(p);
    });
  }

  /** The confirm flow; `fieldsApplied`: create/update already validated and applied the body. */
  private async confirmLocked(p: PaymentRecord, req: PaymentsRequest, profile: ProfileConfig, fieldsApplied: boolean): Promise<void> {
    const blocked: IntentStatus[] = [
      'cancelled',
      'succeeded',
      'processing',
      'requires_capture',
      'requires_merchant_action',
      'requires_customer_action',
      'review',
      'partially_captured',
      'partially_captured_and_capturable',
      'partially_authorized_and_requires_capture',
      'partially_captured_and_processing',
      'cancelled_post_capture',
      'conflicted',
      'expired',
    ];
    if (blocked.includes(p.status)) {
      throw ApiError.preconditionFailed(`You cannot confirm this payment because it has status ${p.status}`);
    }
    if (p.status === 'failed' && !profile.manualRetryEnabled) {
      throw ApiError.preconditionFailed(
        'You cannot confirm this payment because it has status failed, you can enable `manual_retry` in profile to try this payment again',
      );
    }
    if (!fieldsApplied) {
      const amount = typeof req.amount === 'number' ? req.amount : p.amount;
      this.validateCommon(req, amount, str(req.capture_method) ?? p.captureMethod);
    }
    const hasCard = card(req) !== undefined || p.card !== null;
    const hasToken = typeof req.payment_token === 'string' || p.paymentToken !== null;
    if (!hasCard && !hasToken) {
      throw ApiError.invalidRequestData('A payment token or payment method data or ctp service details is required');
    }
    const method = str(req.payment_method) ?? p.paymentMethod;
    if (!method) throw ApiError.missingField('payment_method');
    if (!hasCard) throw ApiError.invalidRequestData('A payment token or payment method data or ctp service details is required');

    const retry = p.status === 'failed';
    if (retry) {
      const now = iso(Date.now());
      const prev = this.currentAttempt(p);
      p.attempts.push({
        ...prev,
        attemptId: newAttemptId(p.paymentId, p.attempts.length + 1),
        status: 'started',
        connector: null,
        connectorTransactionId: null,
        errorCode: null,
        errorMessage: null,
        unifiedCode: null,
        unifiedMessage: null,
        cancellationReason: null,
        createdAt: now,
        modifiedAt: now,
      });
      this.deps.store.indexAttempt(p, this.currentAttempt(p).attemptId);
      p.errorCode = p.errorMessage = p.unifiedCode = p.unifiedMessage = null;
    }
    if (!fieldsApplied) this.applyFields(p, req);
    if (!p.authenticationType) p.authenticationType = 'no_three_ds';
    if (!p.paymentMethod) p.paymentMethod = method;
    if (!p.paymentMethodType && p.card) p.paymentMethodType = 'credit';
    p.cardDiscovery = 'manual';
    const attempt = this.currentAttempt(p);
    Object.assign(attempt, {
      paymentMethod: p.paymentMethod,
      paymentMethodType: p.paymentMethodType,
      authenticationType: p.authenticationType,
      captureMethod: p.captureMethod,
      amount: netAmount(p),
      paymentToken: p.paymentToken,
    });

    await this.connectorCall();

    const outcome = cardOutcome((p.card as NonNullable<PaymentRecord['card']>).number);
    const total = netAmount(p);
    p.connector = CONNECTOR_NAME;
    const manual = p.captureMethod === 'manual' || p.captureMethod === 'manual_multiple';
    switch (outcome.kind) {
      case 'success': {
        p.connectorTransactionId = newConnectorTransactionId();
        if (manual) this.authorize(p, total);
        else this.charge(p, total);
        break;
      }
      case 'three_ds': {
        p.connectorTransactionId = newConnectorTransactionId();
        p.status = 'requires_customer_action';
        p.amountCapturable = total;
        p.nextAction = {
          type: 'redirect_to_url',
          redirect_to_url: `${this.deps.baseUrl()}/payments/redirect/${p.paymentId}/${p.merchantId}/${attempt.attemptId}`,
        };
        this.setAttempt(p, 'authentication_pending', { connector: CONNECTOR_NAME, connectorTransactionId: p.connectorTransactionId });
        break;
      }
      case 'decline':
      case 'unsupported': {
        p.connectorTransactionId = null;
        this.fail(p, outcome.errorCode, outcome.errorMessage, 'authorization_failed');
        break;
      }
    }
    this.touch(p);
    this.emit(p);
  }

  private authorize(p: PaymentRecord, total: number): void {
    p.status = 'requires_capture';
    p.amountCapturable = total;
    p.nextAction = null;
    p.incrementalAuthorizationAllowed = p.requestIncrementalAuthorization ? true : null;
    this.setAttempt(p, 'authorized', { connector: CONNECTOR_NAME, connectorTransactionId: p.connectorTransactionId });
  }

  private charge(p: PaymentRecord, total: number): void {
    p.status = 'succeeded';
    p.amountCapturable = 0;
    p.amountCaptured = total;
    p.nextAction = null;
    this.setAttempt(p, 'charged', { connector: CONNECTOR_NAME, connectorTransactionId: p.connectorTransactionId });
  }

  private fail(p: PaymentRecord, code: string | null, message: string | null, attemptStatus: AttemptStatus): void {
    p.status = 'failed';
    p.amountCapturable = 0;
    p.nextAction = null;
    p.errorCode = code;
    p.errorMessage = message;
    p.unifiedCode = code ? DEFAULT_UNIFIED_ERROR_CODE : null;
    p.unifiedMessage = code ? DEFAULT_UNIFIED_ERROR_MESSAGE : null;
    this.setAttempt(p, attemptStatus, {
      connector: CONNECTOR_NAME,
      connectorTransactionId: p.connectorTransactionId,
      errorCode: code,
      errorMessage: message,
      unifiedCode: p.unifiedCode,
      unifiedMessage: p.unifiedMessage,
    });
  }

  /** 3DS page outcome (`/dummy-connector/complete/{attempt}?confirm=`); no-op unless awaiting it. */
  async completeThreeDs(attemptId: string, confirm: boolean): Promise<PaymentRecord | undefined> {
    const found = this.deps.store.paymentByAttempt(attemptId);
    if (!found) return undefined;
    return this.deps.lock.run(lockKey(found.merchantId, found.paymentId), async () => {
      const p = found;
      if (p.status !== 'requires_customer_action' || this.currentAttempt(p).attemptId !== attemptId) return p;
      await this.connectorCall();
      const total = netAmount(p);
      if (confirm) {
        if (p.captureMethod === 'manual' || p.captureMethod === 'manual_multiple') this.authorize(p, total);
        else this.charge(p, total);
      } else {
        // The dummy connector reports the rejected authentication as a plain failure (no error code).
        this.fail(p, null, null, 'authentication_failed');
      }
      this.touch(p);
      this.emit(p);
      return p;
    });
  }

  async capture(caller: Caller, paymentId: string, req: Record<string, unknown>): Promise<Payment> {
    if (caller.publishable) throw ApiError.unauthorized();
    const p = this.find(caller, paymentId);
    return this.deps.lock.run(lockKey(p.merchantId, p.paymentId), async () => {
      const capturable: IntentStatus[] = ['requires_capture', 'partially_captured_and_capturable', 'partially_authorized_and_requires_capture', 'processing'];
      if (!capturable.includes(p.status)) {
        throw ApiError.unexpectedState(
          'captured',
          'payment.status',
          p.status,
          'requires_capture, partially_captured_and_capturable, processing',
        );
      }
      if (p.status === 'processing' && p.captureMethod !== 'manual_multiple') {
        throw ApiError.unexpectedState('captured', 'capture_method', p.captureMethod, 'manual_multiple');
      }
      if (p.captureMethod === 'automatic' || p.captureMethod === 'sequential_automatic') {
        throw ApiError.unexpectedState('captured', 'capture_method', p.captureMethod, 'manual, manual_multiple, scheduled');
      }
      const requested = req.amount_to_capture as number | undefined | null;
      if ((requested === undefined || requested === null) && p.captureMethod === 'manual_multiple') {
        throw ApiError.missingField('amount_to_capture');
      }
      const amount = typeof requested === 'number' ? requested : p.amountCapturable;
      if (amount <= 0) throw ApiError.invalidDataFormat('amount_to_capture', 'positive integer');
      const overcapture = p.echo.enable_overcapture === true && p.captureMethod === 'manual';
      if (amount > p.amountCapturable && !overcapture) throw ApiError.invalidRequestData('amount_to_capture is greater than amount');

      await this.connectorCall();

      const attempt = this.currentAttempt(p);
      p.captures.push({
        captureId: `${attempt.attemptId}_${p.captures.length + 1}`,
        status: 'charged',
        amount,
        authorizedAttemptId: attempt.attemptId,
        connectorCaptureId: newConnectorTransactionId(),
        sequence: p.captures.length + 1,
      });
      p.amountCaptured = (p.amountCaptured ?? 0) + amount;
      if (p.captureMethod === 'manual_multiple') {
        const remaining = p.amountCapturable - amount;
        if (remaining <= 0) {
          p.status = 'succeeded';
          p.amountCapturable = 0;
          this.setAttempt(p, 'charged');
        } else {
          p.status = 'partially_captured_and_capturable';
          p.amountCapturable = remaining;
          this.setAttempt(p, 'partial_charged_and_chargeable');
        }
      } else if (amount >= p.amountCapturable) {
        p.status = 'succeeded';
        p.amountCapturable = 0;
        this.setAttempt(p, 'charged');
      } else {
        // A partial capture of a single-capture authorisation releases the rest.
        p.status = 'partially_captured';
        p.amountCapturable = 0;
        this.setAttempt(p, 'partial_charged');
      }
      this.touch(p);
      this.emit(p);
      return this.view(p);
    });
  }

  async cancel(caller: Caller, paymentId: string, req: Record<string, unknown>): Promise<Payment> {
    if (caller.publishable) throw ApiError.unauthorized();
    const p = this.find(caller, paymentId);
    return this.deps.lock.run(lockKey(p.merchantId, p.paymentId), async () => {
      const blocked: IntentStatus[] = ['failed', 'succeeded', 'cancelled', 'processing', 'requires_merchant_action', 'review'];
      if (blocked.includes(p.status)) {
        throw ApiError.preconditionFailed(`You cannot cancel this payment because it has status ${p.status}`);
      }
      const voidAtProcessor = p.status === 'requires_capture' || p.status === 'partially_captured_and_capturable';
      if (voidAtProcessor || p.status === 'requires_customer_action') await this.connectorCall();
      p.status = 'cancelled';
      p.amountCapturable = 0;
      p.nextAction = null;
      p.cancellationReason = str(req.cancellation_reason);
      this.setAttempt(p, 'voided', { cancellationReason: p.cancellationReason });
      if (!p.authenticationType) p.authenticationType = 'no_three_ds';
      this.touch(p);
      this.emit(p);
      return this.view(p);
    });
  }

  async cancelPostCapture(caller: Caller, paymentId: string, req: Record<string, unknown>): Promise<Payment> {
    if (caller.publishable) throw ApiError.unauthorized();
    const p = this.find(caller, paymentId);
    return this.deps.lock.run(lockKey(p.merchantId, p.paymentId), async () => {
      if (p.status !== 'succeeded' && p.status !== 'partially_captured') {
        throw ApiError.preconditionFailed(`You cannot cancel_post_capture this payment because it has status ${p.status}`);
      }
      await this.connectorCall();
      p.status = 'cancelled_post_capture';
      p.amountCapturable = 0;
      p.cancellationReason = str(req.cancellation_reason);
      this.setAttempt(p, 'voided_post_charge', { cancellationReason: p.cancellationReason });
      this.touch(p);
      this.emit(p);
      return this.view(p);
    });
  }

  async incrementalAuthorization(caller: Caller, paymentId: string, req: Record<string, unknown>): Promise<Payment> {
    if (caller.publishable) throw ApiError.unauthorized();
    const p = this.find(caller, paymentId);
    return this.deps.lock.run(lockKey(p.merchantId, p.paymentId), async () => {
      const newTotal = req.amount as number;
      if (p.status !== 'requires_capture') {
        throw ApiError.preconditionFailed(`You cannot increment authorization this payment because it has status ${p.status}`);
      }
      if (p.incrementalAuthorizationAllowed !== true) {
        throw ApiError.preconditionFailed(
          'You cannot increment authorization this payment because it is not allowed for incremental_authorization',
        );
      }
      if (newTotal <= p.amount) throw ApiError.preconditionFailed('Amount should be greater than original authorized amount');
      if (newTotal > MAX_ALLOWED_AMOUNT) throw ApiError.preconditionFailed(`amount should not be more than ${MAX_ALLOWED_AMOUNT}`);
      await this.connectorCall();
      const previous = p.amount;
      const attempt = this.currentAttempt(p);
      p.amount = newTotal;
      p.amountCapturable = netAmount(p);
      p.incrementalAuthorizations.push({
        authorizationId: `${attempt.attemptId}_${p.incrementalAuthorizations.length + 1}_${alphanumeric(4)}`,
        amount: newTotal,
        status: 'success',
        errorCode: null,
        errorMessage: null,
        previouslyAuthorizedAmount: previous,
      });
      this.setAttempt(p, 'authorized', { amount: netAmount(p) });
      this.touch(p);
      this.emit(p);
      return this.view(p);
    });
  }
}
