/**
 * The sandbox's processor, after HS's dummy connector: the card number decides the outcome of a
 * confirm (cards/test-cards.ts), the 3DS page decides a challenge's, captures and refunds always
 * succeed; each outcome is written to the payment and its current attempt (or the refund) as HS records it.
 */
import { cardOutcome } from '../cards/test-cards';
import { alphanumeric, newConnectorRefundId, newConnectorTransactionId } from '../ids';
import { currentAttempt, setAttempt } from './payment-record';
import type { AttemptStatus, PaymentRecord, RefundRecord } from './records';
import { CONNECTOR_NAME, netAmount } from './views';

const DEFAULT_UNIFIED_ERROR_CODE = 'UE_9000';
const DEFAULT_UNIFIED_ERROR_MESSAGE = 'Something went wrong';

/** A call to the processor: takes the configured latency (at least one turn of the event loop). */
export async function connectorCall(latencyMs: number): Promise<void> {
  await new Promise<void>((resolve) => (latencyMs > 0 ? setTimeout(resolve, latencyMs) : setImmediate(resolve)));
}

const isManualCapture = (p: PaymentRecord): boolean => p.captureMethod === 'manual' || p.captureMethod === 'manual_multiple';

/**
 * The processor's answer to a confirm, by card number: authorised (manual capture) or charged,
 * a 3DS challenge at `redirectBaseUrl`, or declined.
 */
export function applyCardOutcome(p: PaymentRecord, redirectBaseUrl: string): void {
  const outcome = cardOutcome((p.card as NonNullable<PaymentRecord['card']>).number);
  const total = netAmount(p);
  p.connector = CONNECTOR_NAME;
  switch (outcome.kind) {
    case 'success': {
      p.connectorTransactionId = newConnectorTransactionId();
      if (isManualCapture(p)) authorize(p, total);
      else charge(p, total);
      break;
    }
    case 'three_ds': {
      p.connectorTransactionId = newConnectorTransactionId();
      p.status = 'requires_customer_action';
      p.amountCapturable = total;
      p.nextAction = {
        type: 'redirect_to_url',
        redirect_to_url: `${redirectBaseUrl}/payments/redirect/${p.paymentId}/${p.merchantId}/${currentAttempt(p).attemptId}`,
      };
      setAttempt(p, 'authentication_pending', { connector: CONNECTOR_NAME, connectorTransactionId: p.connectorTransactionId });
      break;
    }
    case 'decline':
    case 'unsupported': {
      p.connectorTransactionId = null;
      fail(p, outcome.errorCode, outcome.errorMessage, 'authorization_failed');
      break;
    }
  }
}

/** The 3DS page's answer: the challenge passed (authorised or charged) or was rejected. */
export function applyAuthenticationOutcome(p: PaymentRecord, passed: boolean): void {
  const total = netAmount(p);
  if (!passed) {
    // The dummy connector reports the rejected authentication as a plain failure (no error code).
    fail(p, null, null, 'authentication_failed');
  } else if (isManualCapture(p)) {
    authorize(p, total);
  } else {
    charge(p, total);
  }
}

function authorize(p: PaymentRecord, total: number): void {
  p.status = 'requires_capture';
  p.amountCapturable = total;
  p.nextAction = null;
  p.incrementalAuthorizationAllowed = p.requestIncrementalAuthorization ? true : null;
  setAttempt(p, 'authorized', { connector: CONNECTOR_NAME, connectorTransactionId: p.connectorTransactionId });
}

function charge(p: PaymentRecord, total: number): void {
  p.status = 'succeeded';
  p.amountCapturable = 0;
  p.amountCaptured = total;
  p.nextAction = null;
  setAttempt(p, 'charged', { connector: CONNECTOR_NAME, connectorTransactionId: p.connectorTransactionId });
}

function fail(p: PaymentRecord, code: string | null, message: string | null, attemptStatus: AttemptStatus): void {
  p.status = 'failed';
  p.amountCapturable = 0;
  p.nextAction = null;
  p.errorCode = code;
  p.errorMessage = message;
  p.unifiedCode = code ? DEFAULT_UNIFIED_ERROR_CODE : null;
  p.unifiedMessage = code ? DEFAULT_UNIFIED_ERROR_MESSAGE : null;
  setAttempt(p, attemptStatus, {
    connector: CONNECTOR_NAME,
    connectorTransactionId: p.connectorTransactionId,
    errorCode: code,
    errorMessage: message,
    unifiedCode: p.unifiedCode,
    unifiedMessage: p.unifiedMessage,
  });
}

/** A capture of `amount`: a charged capture row, then the payment's status by what is left to capture. */
export function applyCapture(p: PaymentRecord, amount: number): void {
  const attempt = currentAttempt(p);
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
      setAttempt(p, 'charged');
    } else {
      p.status = 'partially_captured_and_capturable';
      p.amountCapturable = remaining;
      setAttempt(p, 'partial_charged_and_chargeable');
    }
  } else if (amount >= p.amountCapturable) {
    p.status = 'succeeded';
    p.amountCapturable = 0;
    setAttempt(p, 'charged');
  } else {
    // A partial capture of a single-capture authorisation releases the rest.
    p.status = 'partially_captured';
    p.amountCapturable = 0;
    setAttempt(p, 'partial_charged');
  }
}

/** An incremental authorization to `newTotal`: always granted, recorded with the amount before it. */
export function applyIncrementalAuthorization(p: PaymentRecord, newTotal: number): void {
  // The new total is the net amount (payments_incremental_authorization.rs compares it with the attempt's).
  const previous = netAmount(p);
  p.amount += newTotal - previous;
  p.amountCapturable = netAmount(p);
  p.incrementalAuthorizations.push({
    // HS: format!("{}_{}", generate_id_with_default_len("auth"), authorization_count)
    authorizationId: `auth_${alphanumeric(20)}_${p.incrementalAuthorizations.length + 1}`,
    amount: newTotal,
    status: 'success',
    errorCode: null,
    errorMessage: null,
    previouslyAuthorizedAmount: previous,
  });
  setAttempt(p, 'authorized', { amount: netAmount(p) });
}

/** The processor's answer to a refund: always a success. */
export function applyRefundOutcome(r: RefundRecord): void {
  const done = Date.now();
  r.status = 'succeeded';
  r.connectorRefundId = newConnectorRefundId();
  r.updatedAt = new Date(done).toISOString();
  r.modifiedMs = done;
}
