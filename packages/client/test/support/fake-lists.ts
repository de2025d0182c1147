import type { ServerResponse } from 'node:http';
import type { RecordedRequest } from './test-server';
import { paymentFixture, refundFixture, sendJson } from './test-server';

export interface StoredPayment {
  payment_id: string;
  created: string;
}

/**
 * GET /payments/list as Hyperswitch serves it: created desc, `limit` 1..100 (default 10),
 * INCLUSIVE `ending_before` / `starting_after` bounds (created <= / >= that payment's).
 * `shuffleTies` returns payments sharing a `created` value in a random order on every request,
 * as a database without a tie-breaker may.
 */
export function paymentListHandler(payments: StoredPayment[], options: { shuffleTies?: boolean } = {}) {
  return (req: RecordedRequest, res: ServerResponse): void => {
    if (req.method !== 'GET' || req.path !== '/payments/list') return sendJson(res, 404, { error: { type: 'invalid_request', code: 'IR_02', message: 'Unrecognized request URL' } });
    const limit = Number(req.query.get('limit') ?? 10);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) return sendJson(res, 422, { error: { type: 'invalid_request', code: 'IR_06', message: 'limit out of range' } });
    let rows = payments.map((p) => ({ p, tie: options.shuffleTies ? Math.random() : 0 }));
    const bound = (id: string | null): string | undefined => (id === null ? undefined : payments.find((p) => p.payment_id === id)?.created);
    const upper = bound(req.query.get('ending_before'));
    const lower = bound(req.query.get('starting_after'));
    if (upper !== undefined) rows = rows.filter(({ p }) => p.created <= upper);
    if (lower !== undefined) rows = rows.filter(({ p }) => p.created >= lower);
    // Stable order among ties unless shuffled: the original insertion order.
    rows.sort((a, b) => (a.p.created === b.p.created ? a.tie - b.tie : a.p.created < b.p.created ? 1 : -1));
    const data = rows.slice(0, limit).map(({ p }) => paymentFixture({ payment_id: p.payment_id, created: p.created }));
    sendJson(res, 200, { size: data.length, data });
  };
}

/** Payments created at the given ISO timestamps, ids `pay_<index>`, inserted newest first. */
export function paymentsAt(timestamps: string[]): StoredPayment[] {
  return timestamps.map((created, i) => ({ payment_id: `pay_${String(i).padStart(4, '0')}`, created }));
}

export function isoAt(ms: number): string {
  return new Date(Date.UTC(2024, 0, 1) + ms).toISOString();
}

export interface StoredRefund {
  refund_id: string;
  modified: number;
}

/** POST /refunds/list: ordered by modified desc, `offset` + `limit` (default 10), `{count, total_count, data}`. */
export function refundListHandler(refunds: StoredRefund[], onServed?: (index: number) => void) {
  let served = 0;
  return (req: RecordedRequest, res: ServerResponse): void => {
    const body = JSON.parse(req.body) as { offset?: number; limit?: number };
    const offset = body.offset ?? 0;
    const limit = body.limit ?? 10;
    const sorted = [...refunds].sort((a, b) => b.modified - a.modified);
    const data = sorted.slice(offset, offset + limit).map((r) => refundFixture({ refund_id: r.refund_id }));
    sendJson(res, 200, { count: data.length, total_count: sorted.length, data });
    onServed?.(served++);
  };
}
