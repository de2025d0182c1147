/** The API's views of a dispute (`DisputeResponse`) and its evidence (`DisputeEvidenceBlock`), in HS's field order. */
import { EVIDENCE_TYPES, type Dispute, type DisputeEvidenceBlock } from '@paymnt/client';
import type { DisputeRecord, EvidenceFileRecord } from './dispute-record';
import { CONNECTOR_NAME } from './views';

/**
 * `refundedAmount`/`capturedAmount`: the payment's, for `is_already_refunded` (a lost dispute whose
 * amount plus the refunds exceeds what was captured).
 */
export function disputeView(d: DisputeRecord, refundedAmount: number, capturedAmount: number): Dispute {
  return {
    dispute_id: d.disputeId,
    payment_id: d.paymentId,
    attempt_id: d.attemptId,
    amount: String(d.amount),
    currency: d.currency,
    dispute_stage: d.stage,
    dispute_status: d.status,
    connector: CONNECTOR_NAME,
    connector_status: d.connectorStatus,
    connector_dispute_id: d.connectorDisputeId,
    connector_reason: d.reason,
    connector_reason_code: d.reasonCode,
    challenge_required_by: d.challengeRequiredBy,
    connector_created_at: d.createdAt,
    connector_updated_at: d.updatedAt,
    created_at: d.createdAt,
    profile_id: d.profileId,
    merchant_connector_id: d.merchantConnectorId,
    is_already_refunded: d.status === 'dispute_lost' && d.amount + refundedAmount > capturedAmount,
  };
}

/**
 * A dispute as PaymentsResponse.disputes lists it (`DisputeResponsePaymentsRetrieve`,
 * crates/api_models/src/disputes.rs), in HS's field order.
 */
export function paymentDisputeView(d: DisputeRecord): Record<string, unknown> {
  return {
    dispute_id: d.disputeId,
    amount: String(d.amount),
    dispute_stage: d.stage,
    dispute_status: d.status,
    connector_status: d.connectorStatus,
    connector_dispute_id: d.connectorDisputeId,
    connector_reason: d.reason,
    connector_reason_code: d.reasonCode,
    challenge_required_by: d.challengeRequiredBy,
    connector_created_at: d.createdAt,
    connector_updated_at: d.updatedAt,
    created_at: d.createdAt,
  };
}

/** The evidence attached, one block per evidence type that has a file (in `EvidenceType` order). */
export function evidenceView(d: DisputeRecord, fileOf: (fileId: string) => EvidenceFileRecord | undefined): DisputeEvidenceBlock[] {
  const out: DisputeEvidenceBlock[] = [];
  for (const type of EVIDENCE_TYPES) {
    const fileId = d.evidence[type];
    const file = fileId === undefined ? undefined : fileOf(fileId);
    if (!file) continue;
    out.push({
      evidence_type: type,
      file_metadata_response: { file_id: file.fileId, file_name: file.fileName, file_size: file.fileSize, file_type: file.fileType, available: true },
    });
  }
  return out;
}
