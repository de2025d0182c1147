/**
 * Disputes (HS core/disputes.rs over the sandbox's processor). Changes go through `mutate`: find →
 * lock → check dispute-transitions.ts → change → touch, webhook (the status is the event type) →
 * view. Disputes open on demand (control route / `sb.openDispute`) or by themselves a little after
 * a payment with the dispute test card captures money.
 */
import type { CreateFileResponse, Dispute, DisputeEvidenceBlock, KnownEvidenceType } from '@paymnt/client';
import { EVIDENCE_TYPES } from '@paymnt/client';
import { DISPUTE_CARD } from '../cards/test-cards';
import { ApiError } from '../http/api-error';
import { sniffFileType } from '../http/file-type';
import type { MultipartPart } from '../http/multipart';
import { newDisputeId, newFileId } from '../ids';
import { disputeEventType } from '../webhooks/event-mapping';
import type { WebhookDispatcher } from '../webhooks/webhook-dispatcher';
import { newDisputeRecord, type DisputeRecord } from './dispute-record';
import { checkDisputeTransition, type DisputeOperation } from './dispute-transitions';
import { disputeView, evidenceView } from './dispute-views';
import type { KeyedLock } from './keyed-lock';
import type { Caller } from './payment-service';
import type { PaymentRecord } from './records';
import type { SandboxStore } from './sandbox-store';
import { CONNECTOR_NAME } from './views';

export interface DisputeServiceDeps {
  store: SandboxStore;
  lock: KeyedLock;
  webhooks: WebhookDispatcher;
  /** Delay between a dispute-card payment capturing money and its dispute opening. */
  disputeDelayMs: number;
  log: (line: string) => void;
}

export interface DisputeListFilter {
  limit?: number;
  profile_id?: string;
  dispute_status?: string;
  dispute_stage?: string;
  reason?: string;
  connector?: string;
  received_time?: number;
  'received_time.lt'?: number;
  'received_time.gt'?: number;
  'received_time.lte'?: number;
  'received_time.gte'?: number;
}

/** The verdicts the control route can give, and the operation each one is. */
export const SETTLEMENTS: Readonly<Record<string, DisputeOperation>> = {
  won: 'settle_won',
  lost: 'settle_lost',
  expired: 'settle_expired',
  cancelled: 'settle_cancelled',
};

const EVIDENCE_TYPE_SET: ReadonlySet<string> = new Set(EVIDENCE_TYPES);
const iso = (ms: number): string => new Date(ms).toISOString();
const disputeNotFound = (): ApiError => new ApiError(404, 'HE_04', 'Dispute does not exist in our records');
const fileNotFound = (): ApiError => new ApiError(404, 'HE_04', 'File does not exist in our records');

export class DisputeService {
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Payments whose automatic dispute was scheduled (one per payment). */
  private readonly autoDisputed = new Set<string>();
  private closed = false;

  constructor(private readonly deps: DisputeServiceDeps) {}

  view(d: DisputeRecord): Dispute {
    const p = this.deps.store.getPayment(d.merchantId, d.paymentId);
    const refunded = p ? this.deps.store.refundsOf(p).filter((r) => r.status !== 'failed').reduce((sum, r) => sum + r.amount, 0) : 0;
    return disputeView(d, refunded, p?.amountCaptured ?? 0);
  }

  /** The dispute as the caller may see it (404 HE_04 for another merchant or profile). */
  private find(caller: Caller, disputeId: string): DisputeRecord {
    const d = this.deps.store.getDispute(caller.merchant.merchantId, disputeId);
    if (!d || (caller.profile && d.profileId !== caller.profile.profileId)) throw disputeNotFound();
    return d;
  }

  /** find → lock → transition check → `change` → (status change: touch, webhook) → view. */
  private mutate<T>(d: DisputeRecord, operation: DisputeOperation, change: (d: DisputeRecord) => T): Promise<T> {
    return this.deps.lock.run(`dispute\u0000${d.merchantId}\u0000${d.disputeId}`, () => {
      const t = checkDisputeTransition(operation, d);
      const result = change(d);
      if (t.to) {
        d.status = t.to;
        if (t.connectorStatus) d.connectorStatus = t.connectorStatus;
        this.touch(d);
        this.emit(d);
      }
      return result;
    });
  }

  /** Moves the modification time strictly forward, so consumers can order a dispute's changes by it. */
  private touch(d: DisputeRecord): void {
    const now = Math.max(Date.now(), d.modifiedMs + 1);
    d.modifiedMs = now;
    d.updatedAt = iso(now);
  }

  private emit(d: DisputeRecord): void {
    this.deps.webhooks.emit({
      merchantId: d.merchantId,
      profileId: d.profileId,
      objectId: d.disputeId,
      eventType: disputeEventType(d.status),
      eventClass: 'disputes',
      contentType: 'dispute_details',
      object: this.view(d),
    });
  }

  // ---------------------------------------------------------------- API operations

  retrieve(caller: Caller, disputeId: string): Dispute {
    return this.view(this.find(caller, disputeId));
  }

  /** HS's list: filters ANDed, newest change first, `limit` rows (all when absent). */
  list(caller: Caller, f: DisputeListFilter): Dispute[] {
    const merchantId = caller.merchant.merchantId;
    const profileId = caller.profile?.profileId;
    const matches = this.deps.store.allDisputes().filter((d) => {
      const received = Date.parse(d.createdAt);
      if (d.merchantId !== merchantId) return false;
      if (profileId && d.profileId !== profileId) return false;
      if (f.profile_id !== undefined && d.profileId !== f.profile_id) return false;
      if (f.dispute_status !== undefined && d.status !== f.dispute_status) return false;
      if (f.dispute_stage !== undefined && d.stage !== f.dispute_stage) return false;
      if (f.reason !== undefined && d.reason !== f.reason) return false;
      if (f.connector !== undefined && f.connector !== CONNECTOR_NAME) return false;
      if (f.received_time !== undefined && received !== f.received_time) return false;
      if (f['received_time.lt'] !== undefined && !(received < f['received_time.lt'])) return false;
      if (f['received_time.gt'] !== undefined && !(received > f['received_time.gt'])) return false;
      if (f['received_time.lte'] !== undefined && !(received <= f['received_time.lte'])) return false;
      if (f['received_time.gte'] !== undefined && !(received >= f['received_time.gte'])) return false;
      return true;
    });
    matches.sort((a, b) => b.modifiedMs - a.modifiedMs || b.seq - a.seq);
    const limited = f.limit === undefined ? matches : matches.slice(0, f.limit);
    return limited.map((d) => this.view(d));
  }

  accept(caller: Caller, disputeId: string): Promise<Dispute> {
    const d = this.find(caller, disputeId);
    return this.mutate(d, 'accept', () => undefined).then(() => this.view(d));
  }

  /** HS checks the status first, then that every file id given is one of the merchant's files. */
  submitEvidence(caller: Caller, req: Record<string, unknown>): Promise<Dispute> {
    const d = this.find(caller, req.dispute_id as string);
    return this.mutate(d, 'submit_evidence', () => {
      for (const type of EVIDENCE_TYPES) {
        const fileId = req[type];
        if (typeof fileId === 'string' && !this.deps.store.getFile(d.merchantId, fileId)) throw fileNotFound();
      }
    }).then(() => this.view(d));
  }

  /** `PUT /disputes/evidence`: HS's checks in its order (utils.rs, then attach_evidence). */
  attachEvidence(caller: Caller, parts: MultipartPart[]): Promise<CreateFileResponse> {
    let evidenceType: KnownEvidenceType | undefined;
    let disputeId: string | undefined;
    let file: MultipartPart | undefined;
    for (const part of parts) {
      if (part.name === 'file') file = part;
      else if (part.name === 'dispute_id') disputeId = part.data.toString('utf8');
      else if (part.name === 'evidence_type') {
        const value = part.data.toString('utf8');
        // HS answers 500 here (a parse error mapped to InternalServerError); the sandbox never 500s on input.
        if (!EVIDENCE_TYPE_SET.has(value)) throw ApiError.invalidDataValue('evidence_type');
        evidenceType = value as KnownEvidenceType;
      }
    }
    if (evidenceType === undefined) throw ApiError.missingField('evidence_type');
    if (!file) throw ApiError.missingField('file');
    if (file.data.length === 0) throw new ApiError(400, 'IR_33', 'File not found in the request');
    const fileType = sniffFileType(file.data);
    if (!fileType) throw new ApiError(400, 'IR_36', 'File content type not found');
    if (disputeId === undefined) throw new ApiError(400, 'IR_34', 'Dispute id not found in the request');
    const d = this.find(caller, disputeId);
    const type = evidenceType;
    const part = file;
    return this.mutate(d, 'attach_evidence', () => {
      const fileId = newFileId();
      this.deps.store.insertFile({ fileId, merchantId: d.merchantId, fileName: part.filename, fileSize: part.data.length, fileType });
      d.evidence[type] = fileId;
      return { file_id: fileId };
    });
  }

  retrieveEvidence(caller: Caller, disputeId: string): DisputeEvidenceBlock[] {
    const d = this.find(caller, disputeId);
    return evidenceView(d, (fileId) => this.deps.store.getFile(d.merchantId, fileId));
  }

  /** HS removes the evidence type's file whatever the dispute's status. */
  async deleteEvidence(caller: Caller, req: Record<string, unknown>): Promise<void> {
    const d = this.find(caller, req.dispute_id as string);
    await this.deps.lock.run(`dispute\u0000${d.merchantId}\u0000${d.disputeId}`, () => {
      delete d.evidence[req.evidence_type as KnownEvidenceType];
    });
  }

  // ---------------------------------------------------------------- the processor's side (control)

  /** Opens a dispute on a payment that captured money: `amount` defaults to the captured amount. */
  open(merchantId: string, paymentId: string, opts: { amount?: number; reason?: string | null } = {}): Dispute {
    const p = this.deps.store.getPayment(merchantId, paymentId);
    if (!p) throw ApiError.paymentNotFound();
    const captured = p.amountCaptured ?? 0;
    if ((p.status !== 'succeeded' && p.status !== 'partially_captured') || captured <= 0) {
      throw ApiError.preconditionFailed(`A dispute needs a payment that captured money; this payment has status ${p.status}`);
    }
    const amount = opts.amount ?? captured;
    if (!Number.isInteger(amount) || amount < 1 || amount > captured) {
      throw ApiError.invalidDataFormat('amount', `an integer between 1 and the captured amount (${captured})`);
    }
    const d = newDisputeRecord(this.deps.store.nextSeq(), newDisputeId(), p, amount, opts.reason ?? 'fraudulent', Date.now());
    this.deps.store.insertDispute(d);
    this.emit(d);
    return this.view(d);
  }

  /** The processor's verdict: won, lost, expired or cancelled. */
  async settle(merchantId: string, disputeId: string, verdict: string): Promise<Dispute> {
    const operation = SETTLEMENTS[verdict];
    if (!operation) throw ApiError.invalidDataValue('status');
    const d = this.deps.store.getDispute(merchantId, disputeId);
    if (!d) throw disputeNotFound();
    await this.mutate(d, operation, () => undefined);
    return this.view(d);
  }

  /** Called after every payment change: a dispute-card payment that captured money is disputed once, after the delay. */
  watchPayment(p: PaymentRecord): void {
    if (this.closed || p.card?.number.replace(/\s+/g, '') !== DISPUTE_CARD) return;
    if (p.status !== 'succeeded' && p.status !== 'partially_captured') return;
    const key = `${p.merchantId}\u0000${p.paymentId}`;
    if (this.autoDisputed.has(key)) return;
    this.autoDisputed.add(key);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      try {
        this.open(p.merchantId, p.paymentId, { reason: 'fraudulent' });
      } catch (err) {
        // The payment changed meanwhile (cancelled after capture, say): no dispute.
        this.deps.log(`dispute card: no dispute for ${p.paymentId}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }, this.deps.disputeDelayMs);
    this.timers.add(timer);
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
