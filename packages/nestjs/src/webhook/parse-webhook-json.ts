/**
 * Whether raw JSON bytes may hold a `__proto__` or `constructor` key, escaped (`"\u005f_proto__"`)
 * or not. A quick byte search: when false, the framework's parse of these bytes can be reused.
 */
export function mayHoldPrototypeKeys(rawBody: Buffer): boolean {
  return rawBody.includes('__proto__') || rawBody.includes('constructor') || rawBody.includes('\\u');
}

/** Drops the keys that could change prototypes when the object is later merged or assigned (secure-json-parse's "remove"). */
function withoutPrototypeKeys(key: string, value: unknown): unknown {
  if (key === '__proto__') return undefined;
  if (key === 'constructor' && typeof value === 'object' && value !== null && Object.prototype.hasOwnProperty.call(value, 'prototype')) return undefined;
  return value;
}

/**
 * `JSON.parse` without `__proto__` keys, nor `constructor` keys holding a `prototype`, at any depth
 * (escaped forms included: the reviver sees decoded keys). Throws `SyntaxError` like `JSON.parse`.
 */
export function parseJsonWithoutPrototypeKeys(text: string): unknown {
  return JSON.parse(text, withoutPrototypeKeys);
}
