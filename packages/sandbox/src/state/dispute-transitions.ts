/**
 * What each operation on a dispute may start from, and the exact error HS gives otherwise (like
 * payment-transitions.ts). Every change runs through `DisputeService.mutate`: find → lock → check
 * this table → change → touch, webhook → view.
 *
 * HS (core/disputes.rs) lets accept, submit and attach run only on a dispute in the `dispute` stage
 * with status `dispute_opened`; anything else is 400 HE_03 "Dispute status validation failed" (the
 * reason it logs is not sent). The processor's later verdicts (`settle_*`) are sandbox control
 * operations: they stand for the connector's webhooks.
 */
import type { DisputeStage, KnownDisputeStatus } from '@paymnt/client';
import { ApiError } from '../http/api-error';
import type { DisputeRecord } from './dispute-record';

export type DisputeOperation = 'accept' | 'submit_evidence' | 'attach_evidence' | 'settle_won' | 'settle_lost' | 'settle_expired' | 'settle_cancelled';

export interface DisputeTransition {
  /** The statuses the operation starts from. */
  from: readonly KnownDisputeStatus[];
  /** The stages it starts from (any when absent). */
  stages?: readonly DisputeStage[];
  /** The status it ends in (none: the status does not change). */
  to?: KnownDisputeStatus;
  /** The processor's status word once done (a sandbox choice, Stripe's words). */
  connectorStatus?: string;
  /** The error for any other status or stage. */
  refused: (d: DisputeRecord) => ApiError;
}

const statusValidationFailed = (): ApiError => new ApiError(400, 'HE_03', 'Dispute status validation failed');
const cannotSettle = (to: KnownDisputeStatus) => (d: DisputeRecord): ApiError =>
  ApiError.preconditionFailed(`Dispute ${d.disputeId} has status ${d.status}; it cannot become ${to}`);

const OPEN_IN_DISPUTE = { from: ['dispute_opened'], stages: ['dispute'], refused: statusValidationFailed } as const;
const UNDECIDED: readonly KnownDisputeStatus[] = ['dispute_opened', 'dispute_challenged'];

export const DISPUTE_TRANSITIONS: Readonly<Record<DisputeOperation, DisputeTransition>> = {
  accept: { ...OPEN_IN_DISPUTE, to: 'dispute_accepted', connectorStatus: 'lost' },
  submit_evidence: { ...OPEN_IN_DISPUTE, to: 'dispute_challenged', connectorStatus: 'under_review' },
  attach_evidence: { ...OPEN_IN_DISPUTE },
  settle_won: { from: UNDECIDED, to: 'dispute_won', connectorStatus: 'won', refused: cannotSettle('dispute_won') },
  settle_lost: { from: UNDECIDED, to: 'dispute_lost', connectorStatus: 'lost', refused: cannotSettle('dispute_lost') },
  // Only a dispute nobody answered can run out of time.
  settle_expired: { from: ['dispute_opened'], to: 'dispute_expired', connectorStatus: 'warning_closed', refused: cannotSettle('dispute_expired') },
  settle_cancelled: { from: UNDECIDED, to: 'dispute_cancelled', connectorStatus: 'canceled', refused: cannotSettle('dispute_cancelled') },
};

/** Throws the operation's refusal unless the dispute, as it is now, allows it. */
export function checkDisputeTransition(operation: DisputeOperation, d: DisputeRecord): DisputeTransition {
  const t = DISPUTE_TRANSITIONS[operation];
  if (!t.from.includes(d.status) || (t.stages && !t.stages.includes(d.stage))) throw t.refused(d);
  return t;
}
