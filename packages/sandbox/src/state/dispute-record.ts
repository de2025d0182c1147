/** The stored dispute and its evidence files (internal; the API view is built in dispute-views.ts). */
import type { DisputeStage, KnownDisputeStatus, KnownEvidenceType } from '@paymnt/client';
import { newConnectorDisputeId } from '../ids';
import type { PaymentRecord } from './records';
import { currentAttempt } from './payment-record';

/** An uploaded evidence file (HS `file_metadata`); the bytes are not kept, only what the API returns. */
export interface EvidenceFileRecord {
  fileId: string;
  merchantId: string;
  fileName: string | null;
  fileSize: number;
  fileType: string;
}

export interface DisputeRecord {
  seq: number;
  disputeId: string;
  merchantId: string;
  profileId: string;
  merchantConnectorId: string;
  paymentId: string;
  attemptId: string;
  amount: number;
  currency: string;
  stage: DisputeStage;
  status: KnownDisputeStatus;
  connectorStatus: string;
  connectorDisputeId: string;
  reason: string | null;
  reasonCode: string | null;
  challengeRequiredBy: string;
  createdAt: string;
  /** `connector_updated_at`: every status change moves it (consumers order by it). */
  updatedAt: string;
  /** ms since epoch of the last change, for the list's order. */
  modifiedMs: number;
  /** Evidence type → file id, as HS's `dispute.evidence` JSON. */
  evidence: Partial<Record<KnownEvidenceType, string>>;
}

/** Evidence is due 7 days after the dispute is received (a sandbox choice, as Stripe's usual window). */
const EVIDENCE_WINDOW_MS = 7 * 24 * 3600 * 1000;

const iso = (ms: number): string => new Date(ms).toISOString();

/** A newly opened dispute of `p` for `amount` (minor units). */
export function newDisputeRecord(seq: number, disputeId: string, p: PaymentRecord, amount: number, reason: string | null, now: number): DisputeRecord {
  const created = iso(now);
  return {
    seq,
    disputeId,
    merchantId: p.merchantId,
    profileId: p.profileId,
    merchantConnectorId: p.merchantConnectorId,
    paymentId: p.paymentId,
    attemptId: currentAttempt(p).attemptId,
    amount,
    currency: p.currency,
    stage: 'dispute',
    status: 'dispute_opened',
    connectorStatus: 'needs_response',
    connectorDisputeId: newConnectorDisputeId(),
    reason,
    reasonCode: null,
    challengeRequiredBy: iso(now + EVIDENCE_WINDOW_MS),
    createdAt: created,
    updatedAt: created,
    modifiedMs: now,
    evidence: {},
  };
}
