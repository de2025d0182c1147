/**
 * Mandates (HS's core/mandate.rs, v1): created when a payment with `mandate_data` succeeds,
 * charged by off-session payments, revoked by `POST /mandates/revoke/{id}` (or by the one charge of
 * a single-use mandate). Each transition to `active` or `revoked` sends its webhook once
 * (`mandate_active`, `mandate_revoked`; event class `mandates`, content `mandate_details`).
 */
import type { Mandate, MandateRevokedResponse } from '@paymnt/client';
import { ApiError } from '../http/api-error';
import { newMandateId } from '../ids';
import type { WebhookDispatcher } from '../webhooks/webhook-dispatcher';
import type { StoredMandate, StoredMandateStatus } from './mandate-record';
import { mandateCardView, mandateView } from './mandate-views';
import type { StoredPaymentMethod } from './payment-method-record';
import type { Caller } from './payment-service';
import type { PaymentRecord } from './records';

const k = (merchantId: string, id: string): string => `${merchantId}\u0000${id}`;

/** `GET /mandates/list` filters (HS's MandateListConstraints). */
export interface MandateListFilter {
  limit?: number;
  offset?: number;
  mandate_status?: string;
  connector?: string;
  created_time?: number;
  'created_time.lt'?: number;
  'created_time.gt'?: number;
  'created_time.lte'?: number;
  'created_time.gte'?: number;
}

export class MandateService {
  private readonly byKey = new Map<string, StoredMandate>();
  private sequence = 0;

  constructor(private readonly webhooks: WebhookDispatcher) {}

  /** A mandate of `merchantId`; HE_02 when unknown. */
  find(merchantId: string, mandateId: string): StoredMandate {
    const m = this.byKey.get(k(merchantId, mandateId));
    if (!m) throw ApiError.mandateNotFound();
    return m;
  }

  /**
   * The mandate a succeeded payment asked for (`mandate_data`): single_use / multi_use with its cap,
   * for the saved method `pm`.
   */
  create(p: PaymentRecord, pm: StoredPaymentMethod, mandateData: Record<string, unknown>, acceptance: unknown): StoredMandate {
    const type = (mandateData.mandate_type ?? null) as Record<string, Record<string, unknown> | null> | null;
    const mandateType = type && 'single_use' in type ? 'single_use' : type && 'multi_use' in type ? 'multi_use' : null;
    const limits = mandateType ? type?.[mandateType] ?? null : null;
    const now = Date.now();
    const m: StoredMandate = {
      seq: ++this.sequence,
      mandateId: newMandateId(),
      merchantId: p.merchantId,
      profileId: p.profileId,
      customerId: pm.customerId,
      paymentMethodId: pm.paymentMethodId,
      paymentMethodType: pm.paymentMethodType,
      status: 'active',
      mandateType,
      amount: typeof limits?.amount === 'number' ? limits.amount : null,
      currency: typeof limits?.currency === 'string' ? limits.currency : null,
      amountCaptured: 0,
      customerAcceptance: acceptance ?? null,
      originalPaymentId: p.paymentId,
      connector: p.connector ?? 'fauxpay',
      card: mandateCardView(pm),
      createdMs: now,
      createdAt: new Date(now).toISOString(),
    };
    this.byKey.set(k(m.merchantId, m.mandateId), m);
    this.emit(m, 'mandate_active');
    return m;
  }

  /**
   * HS's `verify_mandate_details`: a single-use mandate takes one charge up to its amount, a
   * multi-use one charges up to its cap in total, in the mandate's currency.
   */
  verifyCharge(m: StoredMandate, amount: number, currency: string): void {
    const tooMuch =
      m.mandateType === 'single_use'
        ? m.amount === null || amount > m.amount
        : m.mandateType === 'multi_use' && m.amount !== null && m.amountCaptured + amount > m.amount;
    if (tooMuch) throw ApiError.mandateValidationFailed('request amount is greater than mandate amount');
    if (m.currency !== null && m.currency !== currency) throw ApiError.mandateValidationFailed('cross currency mandates not supported');
  }

  /** HS's `mandate_procedure` after a charge: a single-use mandate is used up, a multi-use one counts the amount. */
  recordCharge(m: StoredMandate, amount: number): void {
    if (m.mandateType === 'single_use') this.transition(m, 'revoked');
    else m.amountCaptured += amount;
  }

  retrieve(caller: Caller, mandateId: string): Mandate {
    if (caller.publishable) throw ApiError.unauthorized();
    return mandateView(this.find(caller.merchant.merchantId, mandateId));
  }

  revoke(caller: Caller, mandateId: string): MandateRevokedResponse {
    if (caller.publishable) throw ApiError.unauthorized();
    const m = this.find(caller.merchant.merchantId, mandateId);
    if (m.status === 'revoked') throw ApiError.mandateValidationFailed('Mandate has already been revoked');
    this.transition(m, 'revoked');
    return { mandate_id: m.mandateId, status: m.status, error_code: null, error_message: null };
  }

  /** HS answers a customer without mandates (or an unknown customer) with MandateNotFound. */
  listForCustomer(caller: Caller, customerId: string): Mandate[] {
    if (caller.publishable) throw ApiError.unauthorized();
    const found = this.all(caller.merchant.merchantId).filter((m) => m.customerId === customerId);
    if (found.length === 0) throw ApiError.mandateNotFound();
    return found.map(mandateView);
  }

  /** Newest first, then `offset` / `limit`. */
  list(caller: Caller, f: MandateListFilter): Mandate[] {
    if (caller.publishable) throw ApiError.unauthorized();
    const matches = this.all(caller.merchant.merchantId)
      .filter((m) => {
        if (f.mandate_status !== undefined && m.status !== f.mandate_status) return false;
        if (f.connector !== undefined && m.connector !== f.connector) return false;
        if (f.created_time !== undefined && m.createdMs !== f.created_time) return false;
        if (f['created_time.lt'] !== undefined && !(m.createdMs < f['created_time.lt'])) return false;
        if (f['created_time.gt'] !== undefined && !(m.createdMs > f['created_time.gt'])) return false;
        if (f['created_time.lte'] !== undefined && !(m.createdMs <= f['created_time.lte'])) return false;
        if (f['created_time.gte'] !== undefined && !(m.createdMs >= f['created_time.gte'])) return false;
        return true;
      })
      .reverse();
    const offset = f.offset ?? 0;
    return matches.slice(offset, f.limit === undefined ? undefined : offset + f.limit).map(mandateView);
  }

  /** Whether the customer has an active mandate (HS refuses to delete such a customer). */
  hasActive(merchantId: string, customerId: string): boolean {
    return this.all(merchantId).some((m) => m.customerId === customerId && m.status === 'active');
  }

  /** Oldest first. */
  private all(merchantId: string): StoredMandate[] {
    return [...this.byKey.values()].filter((m) => m.merchantId === merchantId).sort((a, b) => a.seq - b.seq);
  }

  private transition(m: StoredMandate, status: StoredMandateStatus): void {
    if (m.status === status) return;
    m.status = status;
    if (status === 'revoked') this.emit(m, 'mandate_revoked');
  }

  private emit(m: StoredMandate, eventType: 'mandate_active' | 'mandate_revoked'): void {
    this.webhooks.emit({
      merchantId: m.merchantId,
      profileId: m.profileId,
      objectId: m.mandateId,
      eventType,
      eventClass: 'mandates',
      contentType: 'mandate_details',
      object: mandateView(m),
    });
  }
}
