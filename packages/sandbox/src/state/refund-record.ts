/** The stored refund: a new record with every field at its starting value. */
import type { PaymentRecord, RefundRecord } from './records';
import { CONNECTOR_NAME } from './views';

const iso = (ms: number): string => new Date(ms).toISOString();

/** A pending refund of `p`, from a RefundRequest body (already checked). */
export function newRefundRecord(seq: number, p: PaymentRecord, refundId: string, amount: number, req: Record<string, unknown>, now: number): RefundRecord {
  const created = iso(now);
  return {
    seq,
    refundId,
    paymentId: p.paymentId,
    merchantId: p.merchantId,
    profileId: p.profileId,
    merchantConnectorId: p.merchantConnectorId,
    amount,
    currency: p.currency,
    status: 'pending',
    refundType: typeof req.refund_type === 'string' ? req.refund_type : 'instant',
    reason: typeof req.reason === 'string' ? req.reason : null,
    metadata: req.metadata ?? null,
    errorCode: null,
    errorMessage: null,
    unifiedCode: null,
    unifiedMessage: null,
    connector: CONNECTOR_NAME,
    connectorRefundId: null,
    splitRefunds: req.split_refunds ?? null,
    createdMs: now,
    createdAt: created,
    updatedAt: created,
    modifiedMs: now,
  };
}
