/**
 * What each operation on an existing payment may start from, and the exact error HS gives otherwise.
 *
 * Every such operation runs through `PaymentService.mutate` (or `withPayment`): find the payment →
 * take its lock → `checkTransition` with this table → change the record → touch, webhook, view.
 *
 * To add an operation (here, or the same shape for customers, mandates, disputes):
 *   1. add its name to `PaymentOperation` and an entry to `TRANSITIONS`: who may call it, the
 *      statuses it starts from, the refusal for any other status, and any further state checks;
 *   2. write the operation as `this.mutate(caller, id, req, 'name', (p) => { ...changes... })`:
 *      the body only validates its request and changes the record; no lock, no status check.
 */
import type { ProfileConfig } from '../sandbox-options';
import { ApiError } from '../http/api-error';
import type { IntentStatus, PaymentRecord } from './records';

export type PaymentOperation = 'update' | 'confirm' | 'capture' | 'cancel' | 'cancel_post_capture' | 'incremental_authorization' | 'refund';

export interface Transition {
  /** Whether a publishable key may call it (then with the payment's client secret). */
  publishableKey: boolean;
  /** The statuses the operation starts from. */
  from: readonly IntentStatus[];
  /** The error for any other status (HS's wording). */
  refused: (status: IntentStatus) => ApiError;
  /** Further state checks, in HS's order, once the status is allowed. Throw to refuse. */
  check?: (p: PaymentRecord, profile: ProfileConfig) => void;
}

const cannot = (action: string) => (status: IntentStatus) =>
  ApiError.preconditionFailed(`You cannot ${action} this payment because it has status ${status}`);

const isAutomaticCapture = (method: string): boolean => method === 'automatic' || method === 'sequential_automatic';

export const TRANSITIONS: Readonly<Record<PaymentOperation, Transition>> = {
  update: {
    publishableKey: false,
    from: ['requires_payment_method', 'requires_confirmation'],
    refused: cannot('update'),
  },
  confirm: {
    publishableKey: true,
    // A failed payment may be confirmed again (a new attempt) when the profile allows manual retries.
    from: ['requires_payment_method', 'requires_confirmation', 'failed'],
    refused: cannot('confirm'),
    check: (p, profile) => {
      if (p.status === 'failed' && !profile.manualRetryEnabled) {
        throw ApiError.preconditionFailed(
          'You cannot confirm this payment because it has status failed, you can enable `manual_retry` in profile to try this payment again',
        );
      }
    },
  },
  capture: {
    publishableKey: false,
    from: ['requires_capture', 'partially_captured_and_capturable', 'partially_authorized_and_requires_capture', 'processing'],
    refused: (status) =>
      ApiError.unexpectedState('captured', 'payment.status', status, 'requires_capture, partially_captured_and_capturable, processing'),
    check: (p) => {
      if (p.status === 'processing' && p.captureMethod !== 'manual_multiple') {
        throw ApiError.unexpectedState('captured', 'capture_method', p.captureMethod, 'manual_multiple');
      }
      if (isAutomaticCapture(p.captureMethod)) {
        throw ApiError.unexpectedState('captured', 'capture_method', p.captureMethod, 'manual, manual_multiple, scheduled');
      }
    },
  },
  cancel: {
    publishableKey: false,
    // HS lists the refused ones: failed, succeeded, cancelled, processing, requires_merchant_action, review.
    from: [
      'requires_payment_method',
      'requires_confirmation',
      'requires_customer_action',
      'requires_capture',
      'partially_captured',
      'partially_captured_and_capturable',
      'partially_authorized_and_requires_capture',
      'partially_captured_and_processing',
      'cancelled_post_capture',
      'conflicted',
      'expired',
    ],
    refused: cannot('cancel'),
  },
  cancel_post_capture: {
    publishableKey: false,
    from: ['succeeded', 'partially_captured'],
    refused: cannot('cancel_post_capture'),
  },
  incremental_authorization: {
    publishableKey: false,
    from: ['requires_capture'],
    refused: cannot('increment authorization'),
    check: (p) => {
      if (p.incrementalAuthorizationAllowed !== true) {
        throw ApiError.preconditionFailed(
          'You cannot increment authorization this payment because it is not allowed for incremental_authorization',
        );
      }
    },
  },
  // Creating a refund of the payment (refund-service.ts): the payment must have captured money.
  refund: {
    publishableKey: false,
    from: ['succeeded', 'partially_captured'],
    refused: (status) => ApiError.unexpectedState('refund', 'status', status, 'succeeded, partially_captured'),
  },
};

/** Throws the operation's refusal unless the payment, as it is now, allows it. */
export function checkTransition(operation: PaymentOperation, p: PaymentRecord, profile: ProfileConfig): void {
  const t = TRANSITIONS[operation];
  if (!t.from.includes(p.status)) throw t.refused(p.status);
  t.check?.(p, profile);
}
