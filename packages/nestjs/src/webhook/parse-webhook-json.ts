/** What the reviver below drops: a `__proto__` key, or a `constructor` key holding a `prototype`. */
function isPrototypeKey(key: string, value: unknown): boolean {
  return key === '__proto__' || (key === 'constructor' && typeof value === 'object' && value !== null && Object.prototype.hasOwnProperty.call(value, 'prototype'));
}

/**
 * Whether a parsed JSON value can be handed out as is: only plain objects and arrays (with their
 * usual prototypes), and no key `parseJsonWithoutPrototypeKeys` would drop, at any depth. Looks at
 * the parsed keys, so escaped forms (`"\u005f_proto__"`) are seen decoded; iterative, so a deeply
 * nested body cannot overflow the stack. Cheaper than searching the raw bytes for those words.
 */
export function isFreeOfPrototypeKeys(parsed: unknown): boolean {
  const pending: unknown[] = [parsed];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value !== 'object' || value === null) continue;
    if (Array.isArray(value)) {
      if (Object.getPrototypeOf(value) !== Array.prototype) return false;
      for (let i = 0; i < value.length; i++) pending.push(value[i]);
      continue;
    }
    // A parser that let a key set the prototype has already merged it: do not trust its result.
    if (Object.getPrototypeOf(value) !== Object.prototype) return false;
    const object = value as Record<string, unknown>;
    for (const key in object) {
      const child = object[key];
      if (isPrototypeKey(key, child)) return false;
      pending.push(child);
    }
  }
  return true;
}

/** Drops the keys that could change prototypes when the object is later merged or assigned (secure-json-parse's "remove"). */
function withoutPrototypeKeys(key: string, value: unknown): unknown {
  return isPrototypeKey(key, value) ? undefined : value;
}

/**
 * `JSON.parse` without `__proto__` keys, nor `constructor` keys holding a `prototype`, at any depth
 * (escaped forms included: the reviver sees decoded keys). Throws `SyntaxError` like `JSON.parse`.
 */
export function parseJsonWithoutPrototypeKeys(text: string): unknown {
  return JSON.parse(text, withoutPrototypeKeys);
}
