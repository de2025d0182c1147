/**
 * The stored payment: a new record with every field at its starting value, and the small
 * bookkeeping every change makes (current attempt, modification time, manual-retry flag).
 */
import { newAttemptId, newClientSecret } from '../ids';
import type { ProfileConfig } from '../sandbox-options';
import type { AttemptRecord, AttemptStatus, IntentStatus, PaymentRecord } from './records';
import { netAmount } from './views';

const DEFAULT_SESSION_EXPIRY_SECONDS = 900;

const iso = (ms: number): string => new Date(ms).toISOString();

export interface NewPayment {
  seq: number;
  paymentId: string;
  merchantId: string;
  profile: ProfileConfig;
  amount: number;
  currency: string;
  now: number;
}

/** A payment as created, before the request's fields are applied: HS's defaults, one attempt. */
export function newPaymentRecord({ seq, paymentId, merchantId, profile, amount, currency, now }: NewPayment): PaymentRecord {
  const created = iso(now);
  return {
    seq,
    paymentId,
    merchantId,
    profileId: profile.profileId,
    merchantConnectorId: profile.merchantConnectorId,
    clientSecret: newClientSecret(paymentId),
    status: 'requires_payment_method',
    amount,
    currency,
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
    paymentMethodId: null,
    mandateId: null,
    recurring: null,
    customerAcceptance: null,
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
        attemptId: newAttemptId(paymentId, 1),
        status: 'payment_method_awaited',
        amount,
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
}

/** A new attempt for a retry of a failed payment: the previous one's settings, none of its results. */
export function newRetryAttempt(p: PaymentRecord): AttemptRecord {
  const now = iso(Date.now());
  return {
    ...currentAttempt(p),
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
  };
}

export function currentAttempt(p: PaymentRecord): AttemptRecord {
  return p.attempts[p.attempts.length - 1] as AttemptRecord;
}

/** Copies the payment's settings to its current attempt (HS keeps them on both). */
export function syncAttempt(p: PaymentRecord): void {
  Object.assign(currentAttempt(p), {
    amount: netAmount(p),
    paymentMethod: p.paymentMethod,
    paymentMethodType: p.paymentMethodType,
    authenticationType: p.authenticationType,
    captureMethod: p.captureMethod,
    paymentToken: p.paymentToken,
  });
}

export function setAttempt(p: PaymentRecord, status: AttemptStatus, patch: Partial<AttemptRecord> = {}): void {
  const a = currentAttempt(p);
  Object.assign(a, patch);
  a.status = status;
  a.modifiedAt = iso(Date.now());
}

/** Marks the record changed, and recomputes what depends on its status. */
export function touch(p: PaymentRecord, now = Date.now()): void {
  p.modifiedAt = iso(now);
  p.updatedMs = now;
  p.manualRetryAllowed = manualRetryAllowed(p.status);
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
