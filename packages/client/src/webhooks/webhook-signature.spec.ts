import { PaymntSignatureVerificationError } from '../errors/signature-verification.error';
import { signWebhookPayload, verifyWebhookSignature } from './webhook-signature';

describe('webhook signature', () => {
  const body = Buffer.from('{"event_id":"evt_1","event_type":"payment_succeeded"}');

  it('accepts the signature of the exact body, for any of the rotated secrets', () => {
    const sig = signWebhookPayload(body, 'whsec_new');
    expect(sig).toMatch(/^[0-9a-f]{128}$/);
    expect(() => verifyWebhookSignature(body, sig, ['whsec_old', 'whsec_new'])).not.toThrow();
    expect(() => verifyWebhookSignature(body.toString(), sig.toUpperCase(), 'whsec_new')).not.toThrow();
  });

  it('accepts a signature with surrounding whitespace, in either case', () => {
    const sig = signWebhookPayload(body, 'whsec');
    expect(() => verifyWebhookSignature(body, ` ${sig}\t`, 'whsec')).not.toThrow();
    expect(() => verifyWebhookSignature(body, `${sig.slice(0, 64).toUpperCase()}${sig.slice(64)}`, ['whsec'])).not.toThrow();
  });

  it('takes a secret list as given, skipping entries that are not non-empty strings', () => {
    const sig = signWebhookPayload(body, 'whsec_new');
    const secrets = Object.freeze(['', 'whsec_old', 42 as unknown as string, 'whsec_new']);
    expect(() => verifyWebhookSignature(body, sig, secrets)).not.toThrow();
    expect(secrets).toEqual(['', 'whsec_old', 42, 'whsec_new']);
  });

  const valid = signWebhookPayload(body, 'whsec');
  const malformed: Array<[string, unknown]> = [
    ['too short', 'abc'],
    ['a SHA-256 length', valid.slice(0, 64)],
    ['one character short', valid.slice(1)],
    ['one character long', `${valid}0`],
    ['a prefix', `sha512=${valid.slice(7)}`],
    ['a non-hex first character', `z${valid.slice(1)}`],
    ['a non-hex last character', `${valid.slice(0, 127)}g`],
    ['a non-hex character in the middle', `${valid.slice(0, 63)}-${valid.slice(64)}`],
    ['a non-ASCII character', `é${valid.slice(1)}`],
    ['inner whitespace', `${valid.slice(0, 64)} ${valid.slice(65)}`],
    ['two signatures joined', `${valid}, ${valid}`],
    ['not a string', 42],
  ];
  it.each(malformed)('rejects a header with %s as malformed_header', (_name, header) => {
    expect(() => verifyWebhookSignature(body, header as string, 'whsec')).toThrow(
      expect.objectContaining({ reason: 'malformed_header', message: 'The x-webhook-signature-512 header is not a 128-character hex HMAC-SHA512.' }),
    );
  });

  it.each([
    ['an empty string', ''],
    ['an empty list', []],
    ['a list of empty or non-string entries', ['', undefined as unknown as string]],
    ['nothing', undefined as unknown as string],
  ])('reports no_secret for %s', (_name, secrets) => {
    expect(() => verifyWebhookSignature(body, valid, secrets)).toThrow(expect.objectContaining({ reason: 'no_secret' }));
  });

  it.each([
    ['missing_header', undefined, body],
    ['malformed_header', 'abc', body],
    ['no_match', signWebhookPayload(body, 'other'), body],
    ['no_match', signWebhookPayload(body, 'whsec'), Buffer.from(body.toString().replace('1', '2'))],
    ['parsed_body', signWebhookPayload(body, 'whsec'), JSON.parse(body.toString())],
  ])('rejects with reason %s', (reason, sig, payload) => {
    try {
      verifyWebhookSignature(payload as Buffer, sig, 'whsec');
      throw new Error('expected a rejection');
    } catch (e) {
      expect(e).toBeInstanceOf(PaymntSignatureVerificationError);
      expect((e as PaymntSignatureVerificationError).reason).toBe(reason);
      expect((e as Error).message).not.toContain('whsec');
    }
  });
});

/**
 * Fixed vectors computed outside this code, so a signing bug cannot pass by agreeing with itself.
 * Each `hex` was computed with (bash, UTF-8 locale; python3's hmac module gives the same values):
 *   printf '%s' "$BODY" | openssl dgst -sha512 -hmac "$SECRET"
 * The first is RFC 4231 test case 2 (HMAC-SHA-512), as published there.
 */
const VECTORS: Array<{ name: string; body: string; secret: string; hex: string }> = [
  {
    name: 'RFC 4231 test case 2',
    body: 'what do ya want for nothing?',
    secret: 'Jefe',
    hex: '164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737',
  },
  {
    name: 'a small event body',
    body: '{"event_id":"evt_1","event_type":"payment_succeeded"}',
    secret: 'whsec_test_vector',
    hex: 'd4995ab233e8b7fceb70a083b221b5e8f62fbb975f4e40ecc6d40996fc62722bfdc0d2575b43025d4c0877ed5aae1ecea5d7a88473d90eb5e87462f47f7ec66c',
  },
  {
    name: 'non-ASCII body and secret (UTF-8 bytes of both)',
    body: '{"merchant_id":"merchant_1","event_id":"evt_1","event_type":"payment_succeeded","content":{"type":"payment_details","object":{"payment_id":"pay_1","description":"Café – 5 €"}}}',
    secret: 'clé_secrète_ü',
    hex: '589fde93b6823346b22ce2c2ca54d96dc37a90f341f615a73afd53409a04441fec96c1a721127e6635dd30ff2b457d94d307a3f18ae769d30ed6858459af9373',
  },
];

/** The same hex with its last character changed (still hex, so the reason is no_match). */
const oneCharOff = (hex: string): string => `${hex.slice(0, -1)}${hex.endsWith('0') ? '1' : '0'}`;

describe.each(VECTORS)('webhook signature test vector: $name', ({ body, secret, hex }) => {
  it('signs to exactly the independently computed hex, from a string or the raw bytes', () => {
    expect(signWebhookPayload(body, secret)).toBe(hex);
    expect(signWebhookPayload(Buffer.from(body, 'utf8'), secret)).toBe(hex);
  });

  it('accepts the vector and rejects a one-character change of signature, body or secret', () => {
    expect(() => verifyWebhookSignature(Buffer.from(body, 'utf8'), hex, secret)).not.toThrow();
    expect(() => verifyWebhookSignature(body, hex, secret)).not.toThrow();
    const noMatch = expect.objectContaining({ reason: 'no_match' });
    expect(() => verifyWebhookSignature(body, oneCharOff(hex), secret)).toThrow(noMatch);
    expect(() => verifyWebhookSignature(`${body.slice(0, -1)}!`, hex, secret)).toThrow(noMatch);
    expect(() => verifyWebhookSignature(body, hex, `${secret.slice(0, -1)}X`)).toThrow(noMatch);
  });
});
