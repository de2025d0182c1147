/** A mandate as the sandbox keeps it (HS's mandate row). */
export type StoredMandateStatus = 'active' | 'inactive' | 'pending' | 'revoked';

export interface StoredMandate {
  seq: number;
  mandateId: string;
  merchantId: string;
  /** The profile of the payment that created it: its webhooks go there. */
  profileId: string;
  customerId: string;
  paymentMethodId: string;
  paymentMethodType: string | null;
  status: StoredMandateStatus;
  /** `single_use`, `multi_use`, or null when mandate_data named no type. */
  mandateType: 'single_use' | 'multi_use' | null;
  /** The cap in minor units (single_use: per charge; multi_use: all charges together); null: none. */
  amount: number | null;
  currency: string | null;
  /** What charges with it took so far (multi_use). */
  amountCaptured: number;
  customerAcceptance: unknown;
  originalPaymentId: string;
  connector: string;
  /** The card at creation, masked view fields only (the mandate outlives a deleted method). */
  card: Record<string, unknown>;
  createdMs: number;
  createdAt: string;
}
