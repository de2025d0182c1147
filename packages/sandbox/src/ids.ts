import { randomBytes } from 'node:crypto';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const HEX = '0123456789abcdef';

// Random bytes are drawn from a pool refilled 4 KiB at a time: ids are generated on every request.
let pool = Buffer.alloc(0);
let poolOffset = 0;

function randomByte(): number {
  if (poolOffset >= pool.length) {
    pool = randomBytes(4096);
    poolOffset = 0;
  }
  return pool[poolOffset++] as number;
}

function pooledBytes(n: number): Buffer {
  const out = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) out[i] = randomByte();
  return out;
}

/** `length` random characters of [A-Za-z0-9] (rejection sampling: no modulo bias). */
export function alphanumeric(length: number): string {
  let out = '';
  while (out.length < length) {
    const b = randomByte();
    if (b < 248) out += ALPHANUMERIC[b % 62];
  }
  return out;
}

export function randomHex(length: number): string {
  return pooledBytes(Math.ceil(length / 2)).toString('hex').slice(0, length);
}

/** A UUIDv7 as 32 lowercase hex digits (48-bit ms timestamp, version 7, variant 10, random rest). */
export function uuidV7Hex(now = Date.now()): string {
  const rand = pooledBytes(10);
  let ts = now.toString(16).padStart(12, '0').slice(-12);
  const randA = ((rand[0] as number) << 4 | ((rand[1] as number) >> 4)) & 0xfff;
  const variantByte = ((rand[2] as number) & 0x3f) | 0x80;
  let tail = variantByte.toString(16).padStart(2, '0');
  for (let i = 3; i < 10; i++) tail += (rand[i] as number).toString(16).padStart(2, '0');
  ts += '7' + randA.toString(16).padStart(3, '0');
  return ts + tail;
}

export const newPaymentId = (): string => `pay_${alphanumeric(20)}`;
export const newClientSecret = (paymentId: string): string => `${paymentId}_secret_${alphanumeric(20)}`;
export const newAttemptId = (paymentId: string, n: number): string => `${paymentId}_${n}`;
export const newRefundId = (): string => `ref_${alphanumeric(20)}`;
/** HS's `generate_customer_id_of_default_length`: `cus_` + 20 alphanumerics. */
export const newCustomerId = (): string => `cus_${alphanumeric(20)}`;
export const newEventId = (): string => `evt_${uuidV7Hex()}`;
export const newPaymentToken = (): string => `token_${alphanumeric(20)}`;
/** HS's `generate_id(ID_LENGTH, "pm")`. */
export const newPaymentMethodId = (): string => `pm_${alphanumeric(20)}`;
/** HS's `generate_id(ID_LENGTH, "man")`. */
export const newMandateId = (): string => `man_${alphanumeric(20)}`;
export const newConnectorTransactionId = (): string => `dummy_pay_${alphanumeric(20)}`;
export const newConnectorRefundId = (): string => `dummy_ref_${alphanumeric(20)}`;
export const newMerchantConnectorId = (): string => `mca_${alphanumeric(20)}`;
export const newMerchantId = (): string => `merchant_${alphanumeric(20)}`;
export const newProfileId = (): string => `pro_${alphanumeric(20)}`;
export const newApiKey = (): string => `snd_${alphanumeric(32)}`;
export const newPublishableKey = (): string => {
  const h = randomHex(32);
  return `pk_snd_${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${HEX[8 + (parseInt(h[16] as string, 16) & 3)]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
};
/** A random 64-character key, as HS generates for a profile's payment_response_hash_key. */
export const newWebhookSecret = (): string => alphanumeric(64);
export const newRequestId = (): string => uuidV7Hex().replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
/** HS's `generate_id(ID_LENGTH, "dp")`. */
export const newDisputeId = (): string => `dp_${alphanumeric(20)}`;
export const newConnectorDisputeId = (): string => `dummy_dp_${alphanumeric(20)}`;
/** HS's `generate_id(ID_LENGTH, "file")`. */
export const newFileId = (): string => `file_${alphanumeric(20)}`;
