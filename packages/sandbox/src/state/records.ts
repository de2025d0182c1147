import type { KnownPaymentStatus } from '@paymnt/client';

/** What the sandbox stores for payments and refunds (internal; the API view is built from it). */

/** The sandbox stores only statuses the API documents. */
export type IntentStatus = KnownPaymentStatus;

export type AttemptStatus =
  | 'started'
  | 'payment_method_awaited'
  | 'confirmation_awaited'
  | 'authentication_pending'
  | 'authentication_failed'
  | 'authorized'
  | 'authorization_failed'
  | 'charged'
  | 'partial_charged'
  | 'partial_charged_and_chargeable'
  | 'voided'
  | 'voided_post_charge'
  | 'failure';

export interface StoredCard {
  /** Kept in memory only to decide the outcome at confirm; never returned. */
  number: string;
  expMonth: string;
  expYear: string;
  holderName: string | null;
  network: string | null;
  issuer: string | null;
  cardType: string | null;
  issuingCountry: string | null;
}

export interface AttemptRecord {
  attemptId: string;
  status: AttemptStatus;
  amount: number;
  paymentMethod: string | null;
  paymentMethodType: string | null;
  authenticationType: string | null;
  captureMethod: string;
  connector: string | null;
  connectorTransactionId: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  unifiedCode: string | null;
  unifiedMessage: string | null;
  cancellationReason: string | null;
  paymentToken: string | null;
  createdAt: string;
  modifiedAt: string;
}

export interface CaptureRecord {
  captureId: string;
  status: 'charged' | 'failed' | 'pending' | 'started';
  amount: number;
  authorizedAttemptId: string;
  connectorCaptureId: string;
  sequence: number;
}

export interface IncrementalAuthorizationRecord {
  authorizationId: string;
  amount: number;
  status: 'success' | 'failure';
  errorCode: string | null;
  errorMessage: string | null;
  previouslyAuthorizedAmount: number;
}

export interface CustomerRecord {
  id: string | null;
  name: string | null;
  email: string | null;
  phone: string | null;
  phone_country_code: string | null;
}

export interface PaymentRecord {
  seq: number;
  paymentId: string;
  merchantId: string;
  profileId: string;
  merchantConnectorId: string;
  clientSecret: string;
  status: IntentStatus;
  amount: number;
  currency: string;
  shippingCost: number | null;
  orderTaxAmount: number | null;
  surchargeAmount: number;
  captureMethod: string;
  authenticationType: string | null;
  amountCapturable: number;
  /** `amount_received`: null until something is captured. */
  amountCaptured: number | null;
  paymentMethod: string | null;
  paymentMethodType: string | null;
  card: StoredCard | null;
  /** Non-card payment method data, echoed as given. */
  otherPaymentMethodData: Record<string, unknown> | null;
  paymentMethodBilling: unknown;
  paymentToken: string | null;
  /** The saved payment method this payment created or charged (`payment_method_id`). */
  paymentMethodId: string | null;
  /** The mandate this payment created or charged (`mandate_id`). */
  mandateId: string | null;
  /** Set on a merchant-initiated payment: what it charges. */
  recurring: { paymentMethodId: string; mandateId: string | null } | null;
  /** `customer_acceptance` of the request (needed to save the card). */
  customerAcceptance: unknown;
  returnUrl: string | null;
  customer: CustomerRecord | null;
  customerId: string | null;
  nextAction: Record<string, unknown> | null;
  cancellationReason: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  unifiedCode: string | null;
  unifiedMessage: string | null;
  connector: string | null;
  connectorTransactionId: string | null;
  attempts: AttemptRecord[];
  captures: CaptureRecord[];
  incrementalAuthorizations: IncrementalAuthorizationRecord[];
  requestIncrementalAuthorization: boolean;
  incrementalAuthorizationAllowed: boolean | null;
  manualRetryAllowed: boolean | null;
  cardDiscovery: string | null;
  /** Request fields returned under the same name (description, metadata, billing, …). */
  echo: Record<string, unknown>;
  refundIds: string[];
  /** ms since epoch, for filters and ordering. */
  createdMs: number;
  created: string;
  modifiedAt: string;
  expiresOn: string;
  /** ms since epoch of the capture (refund max age is counted from creation, as HS does). */
  updatedMs: number;
}

export type RefundStatus = 'succeeded' | 'failed' | 'pending' | 'review';

export interface RefundRecord {
  seq: number;
  refundId: string;
  paymentId: string;
  merchantId: string;
  profileId: string;
  merchantConnectorId: string;
  amount: number;
  currency: string;
  status: RefundStatus;
  refundType: string;
  reason: string | null;
  metadata: unknown;
  errorCode: string | null;
  errorMessage: string | null;
  unifiedCode: string | null;
  unifiedMessage: string | null;
  connector: string;
  connectorRefundId: string | null;
  splitRefunds: unknown;
  createdMs: number;
  createdAt: string;
  updatedAt: string;
  modifiedMs: number;
}
