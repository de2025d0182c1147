import type { Metadata, OpenUnion, Timestamp } from './common';

/** Refund statuses of the API. Unknown future values are accepted. */
export type RefundStatus = OpenUnion<'succeeded' | 'failed' | 'pending' | 'review'>;
export type RefundType = OpenUnion<'instant' | 'scheduled'>;

/** Body of `POST /refunds`. */
export interface RefundCreateParams {
  payment_id: string;
  /** Merchant-supplied id; a duplicate is rejected by the API (HE_01). */
  refund_id?: string;
  /** Minor units, > 0. Defaults to the captured amount. */
  amount?: number;
  /** At most 255 characters. */
  reason?: string;
  refund_type?: RefundType;
  metadata?: Metadata;
  split_refunds?: unknown;
  merchant_connector_details?: unknown;
}

/** Body of `POST /refunds/{id}`. */
export interface RefundUpdateParams {
  reason?: string;
  metadata?: Metadata;
}

export interface RefundRetrieveParams {
  force_sync?: boolean;
}

/** Body of `POST /refunds/list` (offset paging). */
export interface RefundListParams {
  payment_id?: string;
  refund_id?: string;
  profile_id?: string;
  /** 1..100, default 10. */
  limit?: number;
  offset?: number;
  start_time?: Timestamp;
  end_time?: Timestamp;
  amount_filter?: { start_amount?: number; end_amount?: number };
  connector?: string[];
  merchant_connector_id?: string[];
  currency?: string[];
  refund_status?: string[];
}

/** What every refund endpoint returns (`RefundResponse`). */
export interface Refund {
  refund_id: string;
  payment_id: string;
  amount: number;
  currency: string;
  status: RefundStatus;
  connector: string;
  reason: string | null;
  metadata: Metadata | null;
  error_code: string | null;
  error_message: string | null;
  unified_code?: string | null;
  unified_message?: string | null;
  created_at: Timestamp | null;
  updated_at: Timestamp | null;
  profile_id: string | null;
  merchant_connector_id: string | null;
  connector_refund_id?: string | null;
  issuer_error_code?: string | null;
  issuer_error_message?: string | null;
  [other: string]: unknown;
}

/** `POST /refunds/list` response. */
export interface RefundListResponse {
  count: number;
  total_count: number;
  data: Refund[];
}
