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
