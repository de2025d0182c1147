import type { MerchantConfig, ProfileConfig } from '../sandbox-options';
import type { DisputeRecord, EvidenceFileRecord } from './dispute-record';
import type { PaymentRecord, RefundRecord } from './records';

const k = (merchantId: string, id: string): string => `${merchantId}\u0000${id}`;

/** All in-memory state: merchants and profiles (configuration), payments, refunds, disputes and evidence files. */
export class SandboxStore {
  private readonly merchantsBySecretKey = new Map<string, MerchantConfig>();
  private readonly merchantsByPublishableKey = new Map<string, MerchantConfig>();
  private readonly merchantsById = new Map<string, MerchantConfig>();
  private readonly profilesById = new Map<string, ProfileConfig>();
  private readonly payments = new Map<string, PaymentRecord>();
  private readonly refunds = new Map<string, RefundRecord>();
  private readonly paymentList: PaymentRecord[] = [];
  private readonly refundList: RefundRecord[] = [];
  private readonly paymentKeyByAttempt = new Map<string, string>();
  private readonly disputes = new Map<string, DisputeRecord>();
  private readonly disputeList: DisputeRecord[] = [];
  private readonly files = new Map<string, EvidenceFileRecord>();
  private sequence = 0;

  constructor(readonly merchants: MerchantConfig[]) {
    for (const m of merchants) {
      this.merchantsBySecretKey.set(m.apiKey, m);
      this.merchantsByPublishableKey.set(m.publishableKey, m);
      this.merchantsById.set(m.merchantId, m);
      for (const p of m.profiles) this.profilesById.set(p.profileId, p);
    }
  }

  nextSeq(): number {
    return ++this.sequence;
  }

  merchantBySecretKey(key: string): MerchantConfig | undefined {
    return this.merchantsBySecretKey.get(key);
  }
  merchantByPublishableKey(key: string): MerchantConfig | undefined {
    return this.merchantsByPublishableKey.get(key);
  }
  merchantById(id: string): MerchantConfig | undefined {
    return this.merchantsById.get(id);
  }
  profile(id: string): ProfileConfig | undefined {
    return this.profilesById.get(id);
  }

  getPayment(merchantId: string, paymentId: string): PaymentRecord | undefined {
    return this.payments.get(k(merchantId, paymentId));
  }
  hasPayment(merchantId: string, paymentId: string): boolean {
    return this.payments.has(k(merchantId, paymentId));
  }
  insertPayment(p: PaymentRecord): void {
    this.payments.set(k(p.merchantId, p.paymentId), p);
    this.paymentList.push(p);
    for (const a of p.attempts) this.indexAttempt(p, a.attemptId);
  }
  indexAttempt(p: PaymentRecord, attemptId: string): void {
    this.paymentKeyByAttempt.set(attemptId, k(p.merchantId, p.paymentId));
  }
  paymentByAttempt(attemptId: string): PaymentRecord | undefined {
    const key = this.paymentKeyByAttempt.get(attemptId);
    return key === undefined ? undefined : this.payments.get(key);
  }
  /** Every payment, in creation order. */
  allPayments(): readonly PaymentRecord[] {
    return this.paymentList;
  }

  getRefund(merchantId: string, refundId: string): RefundRecord | undefined {
    return this.refunds.get(k(merchantId, refundId));
  }
  hasRefund(merchantId: string, refundId: string): boolean {
    return this.refunds.has(k(merchantId, refundId));
  }
  insertRefund(r: RefundRecord): void {
    this.refunds.set(k(r.merchantId, r.refundId), r);
    this.refundList.push(r);
  }
  refundsOf(p: PaymentRecord): RefundRecord[] {
    const out: RefundRecord[] = [];
    for (const id of p.refundIds) {
      const r = this.refunds.get(k(p.merchantId, id));
      if (r) out.push(r);
    }
    return out;
  }
  /** Every refund, in creation order. */
  allRefunds(): readonly RefundRecord[] {
    return this.refundList;
  }

  getDispute(merchantId: string, disputeId: string): DisputeRecord | undefined {
    return this.disputes.get(k(merchantId, disputeId));
  }
  insertDispute(d: DisputeRecord): void {
    this.disputes.set(k(d.merchantId, d.disputeId), d);
    this.disputeList.push(d);
  }
  /** Every dispute, in creation order. */
  allDisputes(): readonly DisputeRecord[] {
    return this.disputeList;
  }
  /** A payment's disputes, in creation order. */
  disputesOf(p: PaymentRecord): DisputeRecord[] {
    return this.disputeList.filter((d) => d.merchantId === p.merchantId && d.paymentId === p.paymentId);
  }
  getFile(merchantId: string, fileId: string): EvidenceFileRecord | undefined {
    return this.files.get(k(merchantId, fileId));
  }
  insertFile(f: EvidenceFileRecord): void {
    this.files.set(k(f.merchantId, f.fileId), f);
  }
}
