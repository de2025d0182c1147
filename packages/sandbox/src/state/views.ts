/**
 * The wire views: PaymentsResponse and RefundResponse in HS's field order, absent fields as null
 * (`attempts` / `captures` only when expanded).
 */
import type { Payment, Refund } from '@paymnt/client';
import type { AttemptRecord, CaptureRecord, PaymentRecord, RefundRecord } from './records';

export const CONNECTOR_NAME = 'fauxpay';

export interface PaymentViewOptions {
  expandAttempts?: boolean;
  expandCaptures?: boolean;
  /** The payment's disputes, already in their PaymentsResponse form (HS lists them on retrieve only). */
  disputes?: readonly unknown[];
}

const e = (p: PaymentRecord, key: string): unknown => (p.echo[key] === undefined ? null : p.echo[key]);

export function netAmount(p: PaymentRecord): number {
  return p.amount + (p.shippingCost ?? 0) + (p.orderTaxAmount ?? 0) + p.surchargeAmount;
}

function paymentMethodData(p: PaymentRecord): unknown {
  if (!p.card) return null;
  const digits = p.card.number;
  return {
    card: {
      last4: digits.slice(-4),
      card_type: p.card.cardType,
      card_network: p.card.network,
      card_issuer: p.card.issuer,
      card_issuing_country: p.card.issuingCountry,
      card_isin: digits.slice(0, 6),
      card_extended_bin: null,
      card_exp_month: p.card.expMonth,
      card_exp_year: p.card.expYear,
      card_holder_name: p.card.holderName,
      payment_checks: null,
      authentication_data: null,
      auth_code: null,
    },
    billing: p.paymentMethodBilling ?? null,
  };
}

function attemptView(p: PaymentRecord, a: AttemptRecord): Record<string, unknown> {
  return {
    attempt_id: a.attemptId,
    status: a.status,
    amount: a.amount,
    order_tax_amount: p.orderTaxAmount,
    currency: p.currency,
    connector: a.connector,
    error_message: a.errorMessage,
    payment_method: a.paymentMethod,
    connector_transaction_id: a.connectorTransactionId,
    capture_method: a.captureMethod,
    authentication_type: a.authenticationType,
    created_at: a.createdAt,
    modified_at: a.modifiedAt,
    cancellation_reason: a.cancellationReason,
    mandate_id: p.mandateId,
    error_code: a.errorCode,
    payment_token: a.paymentToken,
    connector_metadata: null,
    payment_experience: null,
    payment_method_type: a.paymentMethodType,
    reference_id: a.connectorTransactionId,
    unified_code: a.unifiedCode,
    unified_message: a.unifiedMessage,
    client_source: null,
    client_version: null,
    error_details: null,
  };
}

function captureView(p: PaymentRecord, c: CaptureRecord): Record<string, unknown> {
  return {
    capture_id: c.captureId,
    status: c.status,
    amount: c.amount,
    currency: p.currency,
    connector: CONNECTOR_NAME,
    authorized_attempt_id: c.authorizedAttemptId,
    connector_capture_id: c.connectorCaptureId,
    capture_sequence: c.sequence,
    error_message: null,
    error_code: null,
    error_reason: null,
    reference_id: c.connectorCaptureId,
  };
}

export function refundView(r: RefundRecord): Refund {
  return {
    refund_id: r.refundId,
    payment_id: r.paymentId,
    amount: r.amount,
    currency: r.currency,
    status: r.status,
    reason: r.reason,
    metadata: (r.metadata ?? null) as Refund['metadata'],
    error_message: r.errorMessage,
    error_code: r.errorCode,
    unified_code: r.unifiedCode,
    unified_message: r.unifiedMessage,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
    connector: r.connector,
    profile_id: r.profileId,
    merchant_connector_id: r.merchantConnectorId,
    split_refunds: r.splitRefunds ?? null,
    issuer_error_code: null,
    issuer_error_message: null,
    raw_connector_response: null,
    connector_refund_id: r.connectorRefundId,
  };
}

export function paymentView(p: PaymentRecord, refunds: RefundRecord[], options: PaymentViewOptions = {}): Payment {
  const view: Record<string, unknown> = {
    payment_id: p.paymentId,
    merchant_id: p.merchantId,
    status: p.status,
    amount: p.amount,
    net_amount: netAmount(p),
    shipping_cost: p.shippingCost,
    amount_capturable: p.amountCapturable,
    amount_received: p.amountCaptured,
    processor_merchant_id: p.merchantId,
    initiator: null,
    sdk_authorization: null,
    connector: p.connector,
    state_metadata: null,
    client_secret: p.clientSecret,
    created: p.created,
    modified_at: p.modifiedAt,
    connector_customer_id: null,
    currency: p.currency,
    customer_id: p.customerId,
    customer: p.customer ? { ...p.customer } : null,
    description: e(p, 'description'),
    refunds: refunds.length > 0 ? refunds.map(refundView) : null,
    disputes: options.disputes?.length ? [...options.disputes] : null,
  };
  if (options.expandAttempts) view.attempts = p.attempts.map((a) => attemptView(p, a));
  if (options.expandCaptures) view.captures = p.captures.map((c) => captureView(p, c));
  Object.assign(view, {
    mandate_id: p.mandateId ?? e(p, 'mandate_id'),
    mandate_data: e(p, 'mandate_data'),
    setup_future_usage: e(p, 'setup_future_usage'),
    off_session: e(p, 'off_session'),
    capture_on: e(p, 'capture_on'),
    capture_method: p.captureMethod,
    payment_method: p.paymentMethod,
    payment_method_data: paymentMethodData(p),
    payment_token: p.paymentToken,
    shipping: e(p, 'shipping'),
    billing: e(p, 'billing'),
    order_details: e(p, 'order_details'),
    email: null,
    name: null,
    phone: null,
    return_url: p.returnUrl,
    authentication_type: p.authenticationType,
    statement_descriptor_name: e(p, 'statement_descriptor_name'),
    statement_descriptor_suffix: e(p, 'statement_descriptor_suffix'),
    next_action: p.nextAction,
    cancellation_reason: p.cancellationReason,
    error_code: p.errorCode,
    error_message: p.errorMessage,
    unified_code: p.unifiedCode,
    unified_message: p.unifiedMessage,
    error_details: null,
    payment_experience: e(p, 'payment_experience'),
    payment_method_type: p.paymentMethodType,
    connector_label: null,
    business_country: e(p, 'business_country'),
    business_label: p.echo.business_label ?? 'default',
    business_sub_label: e(p, 'business_sub_label'),
    allowed_payment_method_types: e(p, 'allowed_payment_method_types'),
    manual_retry_allowed: p.manualRetryAllowed,
    connector_transaction_id: p.connectorTransactionId,
    frm_message: null,
    metadata: e(p, 'metadata'),
    connector_metadata: e(p, 'connector_metadata'),
    connector_response_metadata: null,
    feature_metadata: null,
    reference_id: p.connectorTransactionId,
    payment_link: null,
    profile_id: p.profileId,
    surcharge_details: e(p, 'surcharge_details'),
    attempt_count: p.attempts.length,
    merchant_decision: null,
    merchant_connector_id: p.connector ? p.merchantConnectorId : null,
    incremental_authorization_allowed: p.incrementalAuthorizationAllowed,
    authorization_count: p.incrementalAuthorizations.length > 0 ? p.incrementalAuthorizations.length : null,
    incremental_authorizations:
      p.incrementalAuthorizations.length > 0
        ? p.incrementalAuthorizations.map((i) => ({
            authorization_id: i.authorizationId,
            amount: i.amount,
            status: i.status,
            error_code: i.errorCode,
            error_message: i.errorMessage,
            previously_authorized_amount: i.previouslyAuthorizedAmount,
          }))
        : null,
    external_authentication_details: null,
    external_3ds_authentication_attempted: false,
    expires_on: p.expiresOn,
    fingerprint: null,
    browser_info: e(p, 'browser_info'),
    payment_channel: e(p, 'payment_channel'),
    payment_method_id: p.paymentMethodId,
    network_transaction_id: null,
    network_transaction_link_id: null,
    payment_method_status: null,
    updated: p.modifiedAt,
    split_payments: e(p, 'split_payments'),
    frm_metadata: e(p, 'frm_metadata'),
    extended_authorization_applied: null,
    extended_authorization_last_applied_at: null,
    request_extended_authorization: e(p, 'request_extended_authorization'),
    capture_before: null,
    merchant_order_reference_id: e(p, 'merchant_order_reference_id'),
    order_tax_amount: p.orderTaxAmount,
    connector_mandate_id: null,
    card_discovery: p.cardDiscovery,
    force_3ds_challenge: p.echo.force_3ds_challenge ?? false,
    force_3ds_challenge_trigger: false,
    issuer_error_code: null,
    issuer_error_message: null,
    is_iframe_redirection_enabled: e(p, 'is_iframe_redirection_enabled'),
    whole_connector_response: null,
    enable_partial_authorization: e(p, 'enable_partial_authorization'),
    enable_overcapture: e(p, 'enable_overcapture'),
    is_overcapture_enabled: null,
    network_details: null,
    is_stored_credential: e(p, 'is_stored_credential'),
    mit_category: e(p, 'mit_category'),
    billing_descriptor: e(p, 'billing_descriptor'),
    tokenization: e(p, 'tokenization'),
    partner_merchant_identifier_details: e(p, 'partner_merchant_identifier_details'),
    payment_method_tokenization_details: null,
    installment_options: e(p, 'installment_options'),
    installment_data: e(p, 'installment_data'),
    sender_payment_instrument_id: null,
  });
  return view as Payment;
}

/** Request fields stored as given and returned under the same name. */
export const ECHO_FIELDS = [
  'description',
  'mandate_id',
  'mandate_data',
  'setup_future_usage',
  'off_session',
  'capture_on',
  'shipping',
  'billing',
  'order_details',
  'statement_descriptor_name',
  'statement_descriptor_suffix',
  'payment_experience',
  'business_country',
  'business_label',
  'business_sub_label',
  'allowed_payment_method_types',
  'metadata',
  'connector_metadata',
  'surcharge_details',
  'browser_info',
  'payment_channel',
  'split_payments',
  'frm_metadata',
  'request_extended_authorization',
  'merchant_order_reference_id',
  'force_3ds_challenge',
  'is_iframe_redirection_enabled',
  'enable_partial_authorization',
  'enable_overcapture',
  'is_stored_credential',
  'mit_category',
  'billing_descriptor',
  'tokenization',
  'partner_merchant_identifier_details',
  'installment_options',
  'installment_data',
] as const;
