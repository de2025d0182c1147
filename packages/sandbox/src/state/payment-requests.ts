/**
 * PaymentsRequest bodies: the checks HS makes on them (validate_request of create, update and
 * confirm) and how their fields land on the stored record.
 */
import { ApiError } from '../http/api-error';
import { validateCardData } from '../cards/card-validation';
import { newPaymentToken } from '../ids';
import type { ProfileConfig } from '../sandbox-options';
import { syncAttempt } from './payment-record';
import { isRecurringRequest } from './recurring-payments';
import type { Caller } from './payment-service';
import type { CustomerRecord, PaymentRecord } from './records';
import { ECHO_FIELDS, netAmount } from './views';

export const MAX_ALLOWED_AMOUNT = 999_999_999;

/** A validated PaymentsRequest body (fields as serde accepted them). */
export type PaymentsRequest = Record<string, unknown>;

const iso = (ms: number): string => new Date(ms).toISOString();

export function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

/** `payment_method_data.card`, when given. */
export function requestCard(req: PaymentsRequest): Record<string, unknown> | undefined {
  const pmd = req.payment_method_data as Record<string, unknown> | null | undefined;
  const c = pmd?.card;
  return c && typeof c === 'object' ? (c as Record<string, unknown>) : undefined;
}

function otherPaymentMethod(req: PaymentsRequest): string | undefined {
  const pmd = req.payment_method_data as Record<string, unknown> | null | undefined;
  if (!pmd) return undefined;
  return Object.keys(pmd).find((k) => k !== 'card' && k !== 'billing' && pmd[k] !== null && pmd[k] !== undefined);
}

/** Create's own checks, before the common ones: publishable keys cannot create, amount and currency are required. */
export function validateCreate(caller: Caller, req: PaymentsRequest): void {
  if (caller.publishable) throw ApiError.unauthorized();
  if (req.amount === undefined || req.amount === null) throw ApiError.missingField('amount');
  if (req.currency === undefined || req.currency === null) throw ApiError.missingField('currency');
  validateCommon(req, undefined);
}

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

function surchargeOf(req: PaymentsRequest): { surcharge?: number; tax?: number } | undefined {
  const s = req.surcharge_details as { surcharge_amount?: unknown; tax_amount?: unknown } | null | undefined;
  return s ? { surcharge: num(s.surcharge_amount), tax: num(s.tax_amount) } : undefined;
}

/**
 * Sandbox policy where HS is silent (it takes any i64): no money field below zero, and the net amount
 * (amount + shipping_cost + order_tax_amount + surcharge) within HS's documented maximum, so that no
 * payment can authorise, capture or refund a negative amount or one above 999999999.
 */
function validateMoneyPolicy(req: PaymentsRequest, current: PaymentRecord | undefined): void {
  const surcharge = surchargeOf(req);
  const parts: Array<[string, number | undefined]> = [
    ['shipping_cost', num(req.shipping_cost)],
    ['order_tax_amount', num(req.order_tax_amount)],
    ['surcharge_details.surcharge_amount', surcharge?.surcharge],
    ['surcharge_details.tax_amount', surcharge?.tax],
  ];
  for (const [field, value] of parts) {
    if (value !== undefined && value < 0) throw ApiError.invalidDataFormat(field, 'non-negative integer');
  }
  const net = netOf(req, current);
  if (net > MAX_ALLOWED_AMOUNT) {
    throw ApiError.preconditionFailed(`net_amount (amount + shipping_cost + order_tax_amount + surcharge) should not be more than ${MAX_ALLOWED_AMOUNT}`);
  }
}

/**
 * HS's `request.validate_customer_details_in_request()`: a root-level customer field that is also
 * in `customer` with another value (crates/router/src/core/payments/helpers.rs validate_customer_information).
 */
function mismatchedCustomerFields(req: PaymentsRequest): string[] {
  const customer = req.customer as Record<string, unknown> | null | undefined;
  if (!customer) return [];
  const pairs: Array<[string, string]> = [
    ['customer_id', 'id'],
    ['email', 'email'],
    ['name', 'name'],
    ['phone', 'phone'],
    ['phone_country_code', 'phone_country_code'],
  ];
  return pairs
    .filter(([root, inner]) => typeof req[root] === 'string' && typeof customer[inner] === 'string' && req[root] !== customer[inner])
    .map(([root]) => root);
}

/**
 * Checks shared by create, update and confirm (HS's validate_request of those operations, with the
 * helpers of crates/router/src/core/payments/helpers.rs); `current` is the payment being updated or confirmed.
 */
export function validateCommon(req: PaymentsRequest, current: PaymentRecord | undefined): void {
  const amount = num(req.amount);
  // helpers.rs validate_max_amount
  if (amount !== undefined && amount > MAX_ALLOWED_AMOUNT) {
    throw ApiError.preconditionFailed(`amount should not be more than ${MAX_ALLOWED_AMOUNT}`);
  }
  if (req.capture_method === 'scheduled') throw ApiError.notImplemented();
  validateMoneyPolicy(req, current);
  const toCapture = num(req.amount_to_capture);
  if (toCapture !== undefined) {
    // helpers.rs validate_request_amount_and_amount_to_capture: against the request's own amount only.
    if (amount === 0) throw ApiError.preconditionFailed('amount_to_capture should not exist for when amount = 0');
    const surcharge = surchargeOf(req);
    const capturable = amount === undefined ? undefined : amount + (surcharge ? (surcharge.surcharge ?? 0) + (surcharge.tax ?? 0) : 0);
    if (capturable !== undefined && toCapture > capturable) {
      throw ApiError.preconditionFailed(`amount_to_capture is greater than amount capture_amount: MinorUnit(${toCapture}) request_amount: Value(${amount})`);
    }
    if (toCapture <= 0) throw ApiError.invalidDataFormat('amount_to_capture', 'positive integer');
    // helpers.rs validate_amount_to_capture_and_capture_method: automatic captures the whole net amount.
    const method = str(req.capture_method) ?? current?.captureMethod ?? 'automatic';
    if (method === 'automatic' || method === 'sequential_automatic') {
      const total = netOf(req, current);
      if (toCapture !== total) {
        throw ApiError.preconditionFailed('amount_to_capture must be equal to total_capturable_amount when capture_method = automatic');
      }
    }
  }
  // helpers.rs validate_overcapture_request
  if (req.enable_overcapture === true && req.capture_method !== 'manual') {
    throw ApiError.preconditionFailed('Invalid overcapture request: supported only with manual capture');
  }
  const expiry = req.session_expiry as number | undefined | null;
  if (typeof expiry === 'number' && (expiry < 60 || expiry > 7_890_000)) {
    throw ApiError.invalidRequestData('session_expiry should be between 60(1 min) to 7890000(3 months).');
  }
  const c = requestCard(req);
  if (c) validateCardData(c);
  const other = otherPaymentMethod(req);
  if (other) throw ApiError.notSupported(`Payment method ${other} is not supported by the sandbox; use payment_method_data.card`);
  // helpers.rs validate_customer_information
  const mismatched = mismatchedCustomerFields(req);
  if (mismatched.length > 0) {
    throw ApiError.preconditionFailed(`The field names \`${mismatched.join(', ')}\` sent in both places is ambiguous`);
  }
}

/** HS's NetAmount::from_payments_request_and_payment_attempt: the request's parts over the stored ones. */
function netOf(req: PaymentsRequest, current: PaymentRecord | undefined): number {
  const surcharge = surchargeOf(req);
  return (
    (num(req.amount) ?? current?.amount ?? 0) +
    (num(req.shipping_cost) ?? current?.shippingCost ?? 0) +
    (num(req.order_tax_amount) ?? current?.orderTaxAmount ?? 0) +
    (surcharge ? (surcharge.surcharge ?? 0) + (surcharge.tax ?? 0) : (current?.surchargeAmount ?? 0))
  );
}

/** Create with `confirm: true`: confirm's preconditions, checked before anything is stored. */
export function validateConfirmAtCreate(req: PaymentsRequest): void {
  // A merchant-initiated payment takes its card and payment method from the saved method or mandate.
  if (isRecurringRequest(req)) return;
  if (!requestCard(req) && typeof req.payment_token !== 'string') {
    throw ApiError.invalidRequestData('A payment token or payment method data or ctp service details is required');
  }
  if (typeof req.payment_method !== 'string') throw ApiError.missingField('payment_method');
}

/** Update's and confirm's common checks, against the payment's current amount and capture method. */
export function validateAgainst(p: PaymentRecord, req: PaymentsRequest): void {
  validateCommon(req, p);
}

/** Confirm needs card data (given now or stored) and a payment method; returns the method. */
export function requireConfirmable(p: PaymentRecord, req: PaymentsRequest): string {
  if (p.recurring) return p.paymentMethod ?? 'card';
  const hasCard = requestCard(req) !== undefined || p.card !== null;
  const hasToken = typeof req.payment_token === 'string' || p.paymentToken !== null;
  const missingData = 'A payment token or payment method data or ctp service details is required';
  if (!hasCard && !hasToken) throw ApiError.invalidRequestData(missingData);
  const method = str(req.payment_method) ?? p.paymentMethod;
  if (!method) throw ApiError.missingField('payment_method');
  if (!hasCard) throw ApiError.invalidRequestData(missingData);
  return method;
}

/** The profile a new payment belongs to: `profile_id` if given (and visible to the caller), else the caller's or the first. */
export function resolveProfile(caller: Caller, req: PaymentsRequest): ProfileConfig {
  const requested = str(req.profile_id);
  if (requested) {
    const profile = caller.merchant.profiles.find((p) => p.profileId === requested);
    if (!profile || (caller.profile && caller.profile.profileId !== requested)) throw ApiError.profileNotFound(requested);
    return profile;
  }
  return caller.profile ?? (caller.merchant.profiles[0] as ProfileConfig);
}

/** Applies the request's fields to the record (absent and null fields leave values unchanged). */
export function applyFields(p: PaymentRecord, req: PaymentsRequest): void {
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
  if (req.customer_acceptance != null) p.customerAcceptance = req.customer_acceptance;
  if (typeof req.request_incremental_authorization === 'boolean') p.requestIncrementalAuthorization = req.request_incremental_authorization;
  if (typeof req.session_expiry === 'number') p.expiresOn = iso(p.createdMs + req.session_expiry * 1000);

  const pmd = req.payment_method_data as Record<string, unknown> | undefined | null;
  if (pmd && pmd.billing) p.paymentMethodBilling = pmd.billing;
  const c = requestCard(req);
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
  syncAttempt(p);
}
