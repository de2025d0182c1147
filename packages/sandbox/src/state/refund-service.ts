/**
 * Refunds (HS's refund_create_core order of checks): payment status, amount > 0, age, amount left
 * to refund, refund count, then the refund_id's uniqueness. Refunds run under their payment's lock.
 */
import type { Refund, RefundListResponse } from '@paymnt/client';
import { ApiError } from '../http/api-error';
import { newRefundId } from '../ids';
import { refundEventType } from '../webhooks/event-mapping';
import type { WebhookDispatcher } from '../webhooks/webhook-dispatcher';
import type { SandboxCounters } from './counters';
import { applyRefundOutcome, connectorCall } from './dummy-processor';
import type { KeyedLock } from './keyed-lock';
import { lockKey, type Caller, type PaymentService } from './payment-service';
import type { RefundRecord, RefundStatus } from './records';
import { newRefundRecord } from './refund-record';
import type { SandboxStore } from './sandbox-store';
import { refundView } from './views';

/** HS: `refund.max_attempts` = 10, checked as `existing > max`, so an 11th refund still passes. */
export const REFUND_MAX_ATTEMPTS = 10;
/** HS: `refund.max_age` in days. */
export const REFUND_MAX_AGE_DAYS = 365;

export interface RefundServiceDeps {
  store: SandboxStore;
  lock: KeyedLock;
  webhooks: WebhookDispatcher;
  counters: SandboxCounters;
  payments: PaymentService;
  connectorLatencyMs: number;
}

export interface RefundListFilter {
  payment_id?: string | null;
  refund_id?: string | null;
  profile_id?: string | null;
  limit?: number | null;
  offset?: number | null;
  startMs?: number;
  endMs?: number;
  amount_filter?: { start_amount?: number | null; end_amount?: number | null } | null;
  connector?: string[] | null;
  merchant_connector_id?: string[] | null;
  currency?: string[] | null;
  statuses?: RefundStatus[];
}

const iso = (ms: number): string => new Date(ms).toISOString();

export class RefundService {
  constructor(private readonly deps: RefundServiceDeps) {}

  private find(caller: Caller, refundId: string): RefundRecord {
    const r = this.deps.store.getRefund(caller.merchant.merchantId, refundId);
    if (!r || (caller.profile && r.profileId !== caller.profile.profileId)) throw ApiError.refundNotFound();
    return r;
  }

  private emit(r: RefundRecord): void {
    const eventType = refundEventType(r.status);
    if (!eventType) return;
    this.deps.webhooks.emit({
      merchantId: r.merchantId,
      profileId: r.profileId,
      objectId: r.refundId,
      eventType,
      eventClass: 'refunds',
      contentType: 'refund_details',
      object: refundView(r),
    });
  }

  async create(caller: Caller, req: Record<string, unknown>): Promise<Refund> {
    // Under the payment's lock, after payment-transitions.ts's `refund` entry (captured money only).
    return this.deps.payments.withPayment(caller, req.payment_id as string, req, 'refund', async (p) => {
      const captured = p.amountCaptured ?? 0;
      const amount = typeof req.amount === 'number' ? req.amount : captured;
      if (amount <= 0) throw ApiError.invalidDataFormat('amount', 'positive integer');
      if (typeof req.merchant_id === 'string' && req.merchant_id !== p.merchantId) {
        throw ApiError.invalidDataFormat('merchant_id', 'merchant_id from merchant account');
      }
      const now = Date.now();
      if (now - p.createdMs > REFUND_MAX_AGE_DAYS * 24 * 3600 * 1000) {
        throw ApiError.invalidDataFormat('created_at', `created_at not older than ${REFUND_MAX_AGE_DAYS} days`);
      }
      const existing = this.deps.store.refundsOf(p);
      const refunded = existing.filter((r) => r.status !== 'failed').reduce((sum, r) => sum + r.amount, 0);
      if (refunded + amount > captured) throw ApiError.refundAmountExceedsCaptured();
      if (existing.length > REFUND_MAX_ATTEMPTS) throw ApiError.maximumRefundCount();
      const refundId = typeof req.refund_id === 'string' ? req.refund_id : newRefundId();
      if (this.deps.store.hasRefund(p.merchantId, refundId)) throw ApiError.duplicateRefund();

      const r = newRefundRecord(this.deps.store.nextSeq(), p, refundId, amount, req, now);
      // Stored (pending) before the processor call, so the amount is reserved and the id taken.
      this.deps.store.insertRefund(r);
      p.refundIds.push(refundId);
      this.deps.counters.refundsCreated++;

      if (r.refundType !== 'scheduled') {
        // Scheduled refunds stay pending: HS hands them to its scheduler, which the sandbox does not run.
        await connectorCall(this.deps.connectorLatencyMs);
        applyRefundOutcome(r);
      }
      this.emit(r);
      return refundView(r);
    });
  }

  retrieve(caller: Caller, refundId: string): Refund {
    if (caller.publishable) throw ApiError.unauthorized();
    return refundView(this.find(caller, refundId));
  }

  async update(caller: Caller, refundId: string, req: Record<string, unknown>): Promise<Refund> {
    if (caller.publishable) throw ApiError.unauthorized();
    const found = this.find(caller, refundId);
    return this.deps.lock.run(lockKey(found.merchantId, found.paymentId), async () => {
      if (typeof req.reason === 'string') found.reason = req.reason;
      if (req.metadata !== undefined && req.metadata !== null) found.metadata = req.metadata;
      const now = Date.now();
      found.updatedAt = iso(now);
      found.modifiedMs = now;
      return refundView(found);
    });
  }

  list(caller: Caller, f: RefundListFilter): RefundListResponse {
    if (caller.publishable) throw ApiError.unauthorized();
    const limit = f.limit ?? 10;
    if (limit < 1 || limit > 100) throw ApiError.invalidRequestData('limit should be in between 1 and 100');
    const offset = Math.max(0, f.offset ?? 0);
    const merchantId = caller.merchant.merchantId;
    const profileId = caller.profile?.profileId;
    const matches = this.deps.store.allRefunds().filter((r) => {
      if (r.merchantId !== merchantId) return false;
      if (profileId && r.profileId !== profileId) return false;
      if (f.profile_id && r.profileId !== f.profile_id) return false;
      if (f.payment_id && r.paymentId !== f.payment_id) return false;
      if (f.refund_id && r.refundId !== f.refund_id) return false;
      if (f.startMs !== undefined && r.createdMs < f.startMs) return false;
      if (f.endMs !== undefined && r.createdMs > f.endMs) return false;
      const start = f.amount_filter?.start_amount;
      const end = f.amount_filter?.end_amount;
      if (typeof start === 'number' && r.amount < start) return false;
      if (typeof end === 'number' && r.amount > end) return false;
      if (f.connector && f.connector.length > 0 && !f.connector.includes(r.connector)) return false;
      if (f.merchant_connector_id && f.merchant_connector_id.length > 0 && !f.merchant_connector_id.includes(r.merchantConnectorId)) return false;
      if (f.currency && f.currency.length > 0 && !f.currency.includes(r.currency)) return false;
      if (f.statuses && f.statuses.length > 0 && !f.statuses.includes(r.status)) return false;
      return true;
    });
    matches.sort((a, b) => b.modifiedMs - a.modifiedMs || b.seq - a.seq);
    const data = matches.slice(offset, offset + limit).map(refundView);
    return { count: data.length, total_count: matches.length, data };
  }
}
