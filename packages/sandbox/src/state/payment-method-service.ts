/**
 * Saved payment methods (HS's core/payment_methods/cards.rs, v1): cards saved for a customer,
 * directly (`POST /payment_methods`) or by a payment with `setup_future_usage`. The card number
 * stays in memory (the locker) to charge the card later; every view is masked. The same card saved
 * twice for a customer (same fingerprint) is the same payment method, as HS's duplication check
 * decides. The first method saved for a customer becomes its default.
 */
import type {
  CustomerDefaultPaymentMethod,
  CustomerPaymentMethodsList,
  PaymentMethodDeleteResponse,
  PaymentMethodResponse,
} from '@paymnt/client';
import { cardFingerprint, detectCardNetwork } from '../cards/card-network';
import { validateCardExpiry } from '../cards/card-validation';
import { ApiError } from '../http/api-error';
import { newPaymentMethodId, newPaymentToken } from '../ids';
import type { CustomerService, StoredCustomer } from './customer-service';
import type { SavedCard, StoredPaymentMethod } from './payment-method-record';
import { customerPaymentMethodView, paymentMethodView } from './payment-method-views';
import type { Caller } from './payment-service';
import type { StoredCard } from './records';

const k = (merchantId: string, id: string): string => `${merchantId}\u0000${id}`;
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** What a new payment method is made of. */
export interface NewPaymentMethod {
  card: StoredCard;
  paymentMethodType: string | null;
  paymentMethodIssuer?: string | null;
  metadata?: unknown;
  billing?: unknown;
  recurringEnabled: boolean;
}

export class PaymentMethodService {
  private readonly byKey = new Map<string, StoredPaymentMethod>();
  private sequence = 0;

  constructor(private readonly customers: CustomerService) {}

  /** The caller's payment method; HE_02 when unknown or another merchant's. */
  find(caller: Caller, paymentMethodId: string): StoredPaymentMethod {
    const pm = this.byKey.get(k(caller.merchant.merchantId, paymentMethodId));
    if (!pm) throw ApiError.paymentMethodNotFound();
    return pm;
  }

  /** A payment method by merchant, for recurring payments; undefined when unknown. */
  get(merchantId: string, paymentMethodId: string): StoredPaymentMethod | undefined {
    return this.byKey.get(k(merchantId, paymentMethodId));
  }

  create(caller: Caller, req: Record<string, unknown>): PaymentMethodResponse {
    if (caller.publishable) throw ApiError.unauthorized();
    const customerId = str(req.customer_id);
    if (!customerId) throw ApiError.missingField('customer_id');
    const customer = this.customers.live(caller.merchant.merchantId, customerId);
    if (req.payment_method !== 'card') throw ApiError.notSupported(`Payment method ${String(req.payment_method)} is not supported by the sandbox; save a card`);
    const card = req.card as Record<string, unknown> | null | undefined;
    if (!card) throw ApiError.missingField('card');
    validateCardExpiry(card);
    const stored: StoredCard = {
      number: String(card.card_number).replace(/\s+/g, ''),
      expMonth: String(card.card_exp_month),
      expYear: String(card.card_exp_year),
      holderName: str(card.card_holder_name),
      network: str(card.card_network) ?? str(req.card_network),
      issuer: str(card.card_issuer) ?? str(req.payment_method_issuer),
      cardType: str(card.card_type),
      issuingCountry: str(card.card_issuing_country),
    };
    const pm = this.save(customer, {
      card: stored,
      paymentMethodType: str(req.payment_method_type),
      paymentMethodIssuer: str(req.payment_method_issuer),
      metadata: req.metadata,
      billing: req.billing,
      recurringEnabled: false,
    }, str(card.nick_name));
    return paymentMethodView(pm);
  }

  /** Saves a card for a customer (or finds the same card saved before); the first saved becomes the default. */
  save(customer: StoredCustomer, input: NewPaymentMethod, nickName: string | null = null): StoredPaymentMethod {
    const fingerprint = cardFingerprint(customer.merchantId, input.card.number);
    const now = Date.now();
    const iso = new Date(now).toISOString();
    const existing = [...this.byKey.values()].find(
      (pm) => pm.merchantId === customer.merchantId && pm.customerId === customer.customerId && pm.card.fingerprint === fingerprint,
    );
    if (existing) {
      // HS's duplicate card: the saved method is returned, with the newer expiry and metadata.
      existing.card.expMonth = input.card.expMonth;
      existing.card.expYear = input.card.expYear;
      if (input.metadata !== undefined && input.metadata !== null) existing.metadata = input.metadata;
      existing.recurringEnabled ||= input.recurringEnabled;
      return existing;
    }
    const card: SavedCard = {
      number: input.card.number,
      expMonth: input.card.expMonth,
      expYear: input.card.expYear,
      holderName: input.card.holderName,
      nickName,
      network: input.card.network ?? detectCardNetwork(input.card.number),
      issuer: input.card.issuer,
      cardType: input.card.cardType,
      issuingCountry: input.card.issuingCountry,
      fingerprint,
    };
    const pm: StoredPaymentMethod = {
      seq: ++this.sequence,
      paymentMethodId: newPaymentMethodId(),
      merchantId: customer.merchantId,
      customerId: customer.customerId,
      paymentMethod: 'card',
      paymentMethodType: input.paymentMethodType,
      paymentMethodIssuer: input.paymentMethodIssuer ?? null,
      card,
      metadata: input.metadata ?? null,
      billing: input.billing ?? null,
      recurringEnabled: input.recurringEnabled,
      paymentToken: newPaymentToken(),
      createdAt: iso,
      lastUsedAt: iso,
      lastUsedMs: now,
    };
    this.byKey.set(k(pm.merchantId, pm.paymentMethodId), pm);
    customer.defaultPaymentMethodId ??= pm.paymentMethodId;
    return pm;
  }

  /** A payment charged the method: it moves to the top of the customer's list. */
  markUsed(pm: StoredPaymentMethod): void {
    pm.lastUsedMs = Date.now();
    pm.lastUsedAt = new Date(pm.lastUsedMs).toISOString();
  }

  retrieve(caller: Caller, paymentMethodId: string): PaymentMethodResponse {
    if (caller.publishable) throw ApiError.unauthorized();
    return paymentMethodView(this.find(caller, paymentMethodId));
  }

  /** HS updates a card's expiry, holder name and nickname (the number cannot change). */
  update(caller: Caller, paymentMethodId: string, req: Record<string, unknown>): PaymentMethodResponse {
    if (caller.publishable) throw ApiError.unauthorized();
    const pm = this.find(caller, paymentMethodId);
    const card = req.card as Record<string, unknown> | null | undefined;
    if (card) {
      const expMonth = str(card.card_exp_month) ?? pm.card.expMonth;
      const expYear = str(card.card_exp_year) ?? pm.card.expYear;
      validateCardExpiry({ card_exp_month: expMonth, card_exp_year: expYear });
      pm.card.expMonth = expMonth;
      pm.card.expYear = expYear;
      pm.card.holderName = str(card.card_holder_name) ?? pm.card.holderName;
      pm.card.nickName = str(card.nick_name) ?? pm.card.nickName;
    }
    return paymentMethodView(pm);
  }

  delete(caller: Caller, paymentMethodId: string): PaymentMethodDeleteResponse {
    if (caller.publishable) throw ApiError.unauthorized();
    const pm = this.find(caller, paymentMethodId);
    const customer = this.customers.live(pm.merchantId, pm.customerId);
    if (customer.defaultPaymentMethodId === pm.paymentMethodId) throw ApiError.defaultPaymentMethodDelete();
    this.byKey.delete(k(pm.merchantId, pm.paymentMethodId));
    return { payment_method_id: pm.paymentMethodId, deleted: true };
  }

  /** A deleted customer's methods go with it (`payment_methods_deleted: true`). */
  deleteForCustomer(merchantId: string, customerId: string): void {
    for (const [key, pm] of this.byKey) if (pm.merchantId === merchantId && pm.customerId === customerId) this.byKey.delete(key);
  }

  setDefault(caller: Caller, customerId: string, paymentMethodId: string): CustomerDefaultPaymentMethod {
    if (caller.publishable) throw ApiError.unauthorized();
    const customer = this.customers.live(caller.merchant.merchantId, customerId);
    const pm = this.find(caller, paymentMethodId);
    if (pm.customerId !== customerId) throw ApiError.preconditionFailed('The payment_method_id is not valid');
    if (customer.defaultPaymentMethodId === paymentMethodId) throw ApiError.preconditionFailed('Payment Method is already set as default');
    customer.defaultPaymentMethodId = paymentMethodId;
    customer.modifiedAt = new Date().toISOString();
    return {
      default_payment_method_id: paymentMethodId,
      customer_id: customerId,
      payment_method_type: pm.paymentMethodType,
      payment_method: pm.paymentMethod,
    };
  }

  /** The customer's methods, most recently used first (HS orders by `last_used_at`). */
  listForCustomer(caller: Caller, customerId: string): CustomerPaymentMethodsList {
    if (caller.publishable) throw ApiError.unauthorized();
    let customer: StoredCustomer;
    try {
      customer = this.customers.live(caller.merchant.merchantId, customerId);
    } catch {
      // HS answers a deleted customer with a 500 here (its not-found mapping misses the redaction error); the sandbox says 404.
      throw ApiError.customerNotFound();
    }
    const methods = [...this.byKey.values()]
      .filter((pm) => pm.merchantId === customer.merchantId && pm.customerId === customerId)
      .sort((a, b) => b.lastUsedMs - a.lastUsedMs || b.seq - a.seq);
    return {
      customer_payment_methods: methods.map((pm) => customerPaymentMethodView(pm, pm.paymentMethodId === customer.defaultPaymentMethodId)),
      is_guest_customer: null,
    };
  }
}
