import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new unguessable token: 32 random bytes, base64url (43 characters). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** SHA-256 of a token, hex. The shop stores this for order tokens, never the token itself. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Whether `presented` is the token whose hash is `expectedHash`, in constant time. Both sides are
 * SHA-256 digests of the same length, so neither the comparison nor a length check tells an
 * attacker how much of a guess was right.
 */
export function matchesHash(presented: string, expectedHash: string): boolean {
  const expected = Buffer.from(expectedHash, 'hex');
  const actual = createHash('sha256').update(presented, 'utf8').digest();
  return expected.length === actual.length && timingSafeEqual(actual, expected);
}

/** The token of an `Authorization: Bearer <token>` header, if there is one. */
export function bearerToken(authorization: string | string[] | undefined): string | undefined {
  const value = Array.isArray(authorization) ? authorization[0] : authorization;
  const match = value === undefined ? null : /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(value);
  return match === null ? undefined : match[1];
}

/** The cookie that carries an order's token in the customer's browser. */
export function orderCookieName(orderId: string): string {
  return `shop_order_${orderId}`;
}

/** One cookie's value from a `Cookie` header. */
export function cookieValue(header: string | string[] | undefined, name: string): string | undefined {
  const value = Array.isArray(header) ? header.join('; ') : header;
  if (value === undefined) return undefined;
  for (const part of value.split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return undefined;
}
