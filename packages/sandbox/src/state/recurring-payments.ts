/**
 * Saved cards and mandates in the payment flow (HS's payments/helpers.rs):
 * - the checks on a PaymentsRequest's mandate fields (`validate_mandate`,
 *   `validate_recurring_details_and_token`, `validate_customer_id_mandatory_cases`);
 * - a merchant-initiated payment (`recurring_details` / `mandate_id`) takes its card from the saved
 *   method or mandate (`get_token_for_recurring_mandate`), no card data needed;
 * - a customer-initiated payment with `setup_future_usage` and the customer's acceptance that is
 *   authorised saves its card, and with `mandate_data` creates a mandate (`mandate_procedure`).
 */
import { ApiError } from '../http/api-error';
import type { CustomerService } from './customer-service';
import type { MandateService } from './mandate-service';
import type { StoredMandate } from './mandate-record';
import type { StoredPaymentMethod } from './payment-method-record';
import type { PaymentMethodService } from './payment-method-service';
import type { PaymentRecord } from './records';
import { netAmount } from './views';

type Req = Record<string, unknown>;

/** The RecurringDetails variants the sandbox can charge; HS's others name processor tokens it does not have. */
const SUPPORTED_RECURRING = ['mandate_id', 'payment_method_id'];

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const obj = (v: unknown): Req | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Req) : null);

function requestCustomerId(req: Req): string | null {
  return str(req.customer_id) ?? str(obj(req.customer)?.id);
}

/** `recurring_details`, or the older `mandate_id` field read as one (HS's MandateValidationFields). */
function recurringOf(req: Req): { type: string; data: unknown } | null {
  const details = obj(req.recurring_details);
  if (details) return { type: String(details.type), data: details.data };
  const mandateId = str(req.mandate_id);
  return mandateId ? { type: 'mandate_id', data: mandateId } : null;
}

/** The mandate a request charges (`recurring_details` of type `mandate_id`, or `mandate_id`), if any. */
export function chargedMandateId(req: Req): string | null {
  const recurring = recurringOf(req);
  return recurring?.type === 'mandate_id' && typeof recurring.data === 'string' ? recurring.data : null;
}

/** Whether the request charges a saved method or mandate (no card data needed). */
export function isRecurringRequest(req: Req): boolean {
  return recurringOf(req) !== null;
}

/** HS's checks, in its order; `kind` is the operation (confirm implies `confirm: true`). */
export function validateMandateRequest(req: Req, kind: 'create' | 'update' | 'confirm'): void {
  const recurring = recurringOf(req);
  const mandateData = obj(req.mandate_data);
  const customerId = requestCustomerId(req);
  if (recurring && mandateData) throw ApiError.mandateValidationFailed('Expected one out of recurring_details and mandate_data but got both');
  if (mandateData) validateNewMandate(mandateData, kind === 'confirm' || customerId !== null);
  if (recurring) validateRecurring(req, recurring, kind, customerId);
  if (req.recurring_details && typeof req.payment_token === 'string') {
    throw ApiError.preconditionFailed('Expected one out of recurring_details and payment_token but got both');
  }
  if (req.recurring_details && typeof req.mandate_id === 'string') {
    throw ApiError.preconditionFailed('Expected one out of recurring_details and mandate_id but got both');
  }
  if (kind === 'create' && req.setup_future_usage != null && customerId === null) {
    throw ApiError.preconditionFailed('customer_id is mandatory when setup_future_usage is given');
  }
}

function validateNewMandate(mandateData: Req, customerKnown: boolean): void {
  if (!customerKnown) throw ApiError.preconditionFailed('`customer_id` is mandatory for mandates');
  const acceptance = obj(mandateData.customer_acceptance);
  if (acceptance && acceptance.acceptance_type === 'online' && acceptance.online == null) {
    throw ApiError.preconditionFailed(
      '`mandate_data.customer_acceptance.online` is required when `mandate_data.customer_acceptance.acceptance_type` is `online`',
    );
  }
  const type = obj(mandateData.mandate_type);
  const limits = obj(type?.single_use) ?? obj(type?.multi_use);
  const start = str(limits?.start_date);
  const end = str(limits?.end_date);
  if (start && end && Date.parse(start) >= Date.parse(end)) {
    throw ApiError.preconditionFailed(
      '`mandate_data.mandate_type.{multi_use|single_use}.start_date` should be greater than  `mandate_data.mandate_type.{multi_use|single_use}.end_date`',
    );
  }
}

function validateRecurring(req: Req, recurring: { type: string; data: unknown }, kind: string, customerId: string | null): void {
  if (!SUPPORTED_RECURRING.includes(recurring.type)) {
    throw ApiError.notSupported(`recurring_details of type ${recurring.type} is not supported by the sandbox; use mandate_id or payment_method_id`);
  }
  if (typeof recurring.data !== 'string') throw ApiError.json('Json deserialize error: invalid type: expected a string for recurring_details.data');
  if (customerId === null) throw ApiError.missingField('customer_id');
  const confirm = kind === 'confirm' ? true : req.confirm;
  if (confirm === undefined || confirm === null) throw ApiError.missingField('confirm');
  if (confirm !== true) throw ApiError.preconditionFailed('`confirm` must be `true` for mandates');
  if (req.off_session === undefined || req.off_session === null) throw ApiError.missingField('off_session');
  if (req.off_session !== true) throw ApiError.preconditionFailed('`off_session` should be `true` for mandates');
}

export interface RecurringPaymentsDeps {
  customers: CustomerService;
  paymentMethods: PaymentMethodService;
  mandates: MandateService;
}

export class RecurringPayments {
  constructor(private readonly deps: RecurringPaymentsDeps) {}

  /**
   * A merchant-initiated payment: the saved card (of the payment method, or of the mandate's) goes
   * on the payment, after HS's checks of customer, status, amount and currency.
   */
  attach(p: PaymentRecord, req: Req): void {
    const recurring = recurringOf(req);
    if (!recurring) return;
    const customerId = requestCustomerId(req) ?? p.customerId;
    let mandate: StoredMandate | null = null;
    let pm: StoredPaymentMethod | undefined;
    if (recurring.type === 'mandate_id') {
      mandate = this.deps.mandates.find(p.merchantId, recurring.data as string);
      if (mandate.customerId !== customerId) throw ApiError.preconditionFailed('customer_id must match mandate customer_id');
      if (mandate.status !== 'active') throw ApiError.preconditionFailed('mandate is not active');
      const amount = typeof req.amount === 'number' ? req.amount : p.amount;
      this.deps.mandates.verifyCharge(mandate, amount, str(req.currency) ?? p.currency);
      pm = this.deps.paymentMethods.get(p.merchantId, mandate.paymentMethodId);
      if (!pm) throw ApiError.paymentMethodNotFound();
      if (typeof req.payment_method === 'string' && req.payment_method !== pm.paymentMethod) {
        throw ApiError.preconditionFailed('payment method in request does not match previously provided payment method information');
      }
    } else {
      pm = this.deps.paymentMethods.get(p.merchantId, recurring.data as string);
      if (!pm) throw ApiError.paymentMethodNotFound();
      if (pm.customerId !== customerId) throw ApiError.preconditionFailed('customer_id must match mandate customer_id');
    }
    const c = pm.card;
    p.card = {
      number: c.number,
      expMonth: c.expMonth,
      expYear: c.expYear,
      holderName: c.holderName,
      network: c.network,
      issuer: c.issuer,
      cardType: c.cardType,
      issuingCountry: c.issuingCountry,
    };
    p.paymentMethod = pm.paymentMethod;
    p.paymentMethodType = pm.paymentMethodType ?? p.paymentMethodType;
    p.paymentMethodId = pm.paymentMethodId;
    p.mandateId = mandate?.mandateId ?? null;
    p.recurring = { paymentMethodId: pm.paymentMethodId, mandateId: mandate?.mandateId ?? null };
  }

  /** After the processor's answer: a charge counts against its mandate; an authorised set-up saves the card. */
  afterOutcome(p: PaymentRecord): void {
    if (p.status !== 'succeeded' && p.status !== 'requires_capture') return;
    if (p.recurring) {
      const pm = this.deps.paymentMethods.get(p.merchantId, p.recurring.paymentMethodId);
      if (pm) this.deps.paymentMethods.markUsed(pm);
      if (p.recurring.mandateId) this.deps.mandates.recordCharge(this.deps.mandates.find(p.merchantId, p.recurring.mandateId), netAmount(p));
      return;
    }
    const usage = p.echo.setup_future_usage;
    if (usage == null || !p.customerId || !p.card || p.paymentMethodId) return;
    const mandateData = obj(p.echo.mandate_data);
    const acceptance = p.customerAcceptance ?? mandateData?.customer_acceptance ?? null;
    // HS saves a card for later only with the customer's acceptance.
    if (!acceptance) return;
    const details = p.customer ? { name: p.customer.name, email: p.customer.email, phone: p.customer.phone, phone_country_code: p.customer.phone_country_code } : {};
    const customer = this.deps.customers.ensure(p.merchantId, p.customerId, details);
    if (customer.redacted) return;
    const pm = this.deps.paymentMethods.save(customer, {
      card: p.card,
      paymentMethodType: p.paymentMethodType,
      billing: p.paymentMethodBilling,
      recurringEnabled: usage === 'off_session',
    });
    p.paymentMethodId = pm.paymentMethodId;
    if (mandateData) p.mandateId = this.deps.mandates.create(p, pm, mandateData, acceptance).mandateId;
  }
}
