import { createHmac, timingSafeEqual } from 'node:crypto';
import { PaymntSignatureVerificationError } from '../errors/signature-verification.error';

/** The only algorithm the API uses for redirect signatures. */
export const REDIRECT_SIGNATURE_ALGORITHM = 'HMAC-SHA512';

type QueryInput = URLSearchParams | Record<string, string | string[] | undefined> | string;

function toPairs(query: QueryInput): [string, string][] {
  if (typeof query === 'string') return [...new URLSearchParams(query.startsWith('?') ? query.slice(1) : query)];
  if (query instanceof URLSearchParams) return [...query];
  const pairs: [string, string][] = [];
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) pairs.push([k, String(one)]);
  }
  return pairs;
}

/** The message HS signs: decoded `k=v` pairs, sorted by key then value, joined by `&`. */
function canonical(pairs: [string, string][]): string {
  return pairs
    .filter(([k]) => k !== 'signature' && k !== 'signature_algorithm')
    .sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

/**
 * Signs the query of a 3DS `return_url` redirect as the API does, returning the hex signature.
 * The sandbox appends it as `signature` with `signature_algorithm=HMAC-SHA512`.
 */
export function signRedirectQuery(query: QueryInput, secret: string): string {
  return createHmac('sha512', secret).update(canonical(toPairs(query))).digest('hex');
}

/**
 * Verifies the `signature` on a 3DS `return_url` (the query the customer's browser came back
 * with), in constant time. Returns the query's parameters as an object when valid.
 */
export function verifyRedirectSignature(query: QueryInput, secret: string): Record<string, string> {
  const pairs = toPairs(query);
  const signature = pairs.find(([k]) => k === 'signature')?.[1];
  const algorithm = pairs.find(([k]) => k === 'signature_algorithm')?.[1];
  if (!secret) throw new PaymntSignatureVerificationError('no_secret', 'No secret is configured to verify the redirect signature with.');
  if (!signature) throw new PaymntSignatureVerificationError('missing_header', 'The redirect has no `signature` query parameter.');
  if (algorithm !== undefined && algorithm !== REDIRECT_SIGNATURE_ALGORITHM) {
    throw new PaymntSignatureVerificationError('malformed_header', `Unsupported signature_algorithm; expected ${REDIRECT_SIGNATURE_ALGORITHM}.`);
  }
  if (!/^[0-9a-fA-F]{128}$/.test(signature)) {
    throw new PaymntSignatureVerificationError('malformed_header', 'The redirect `signature` is not a 128-character hex HMAC-SHA512.');
  }
  const expected = createHmac('sha512', secret).update(canonical(pairs)).digest();
  if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) {
    throw new PaymntSignatureVerificationError('no_match', 'The redirect signature does not match its query parameters.');
  }
  return Object.fromEntries(pairs.filter(([k]) => k !== 'signature' && k !== 'signature_algorithm'));
}
