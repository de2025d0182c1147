/**
 * The sandbox's Idempotency-Key policy (section 9, an emulator choice: HS itself ignores the
 * header). Keys are scoped by (api key, method, path, key) and kept 24 h. Same key + same JSON
 * body replays the stored status and body; a different body is a 409 `idempotency_key_mismatch`;
 * a key whose first request is still running is a 409 `idempotency_key_in_use`.
 */
import { createHash } from 'node:crypto';

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

export interface StoredResponse {
  status: number;
  body: string;
  contentType: string;
  headers: Record<string, string>;
}

interface Entry {
  fingerprint: string;
  expiresAt: number;
  response?: StoredResponse;
}

export type BeginResult =
  | { kind: 'new' }
  | { kind: 'replay'; response: StoredResponse }
  | { kind: 'mismatch' }
  | { kind: 'in_flight' };

/** A canonical form of a JSON body: object keys sorted, so key order does not matter. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    return `{${Object.keys(obj)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(obj[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function fingerprint(body: unknown): string {
  return createHash('sha256').update(canonical(body)).digest('hex');
}

export function idempotencyScope(apiKey: string, method: string, path: string, key: string): string {
  return [apiKey, method.toUpperCase(), path, key].join('\u0000');
}

export class IdempotencyStore {
  private readonly entries = new Map<string, Entry>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly ttlMs = IDEMPOTENCY_TTL_MS) {
    this.sweeper = setInterval(() => this.sweep(), Math.min(ttlMs, 60_000));
    this.sweeper.unref();
  }

  begin(scope: string, bodyFingerprint: string, now = Date.now()): BeginResult {
    const entry = this.entries.get(scope);
    if (entry && entry.expiresAt > now) {
      if (entry.fingerprint !== bodyFingerprint) return { kind: 'mismatch' };
      return entry.response ? { kind: 'replay', response: entry.response } : { kind: 'in_flight' };
    }
    this.entries.set(scope, { fingerprint: bodyFingerprint, expiresAt: now + this.ttlMs });
    return { kind: 'new' };
  }

  complete(scope: string, response: StoredResponse): void {
    const entry = this.entries.get(scope);
    if (entry) entry.response = response;
  }

  /** Forgets a key whose request produced nothing worth replaying (a fault before the operation, a 5xx). */
  abandon(scope: string): void {
    const entry = this.entries.get(scope);
    if (entry && !entry.response) this.entries.delete(scope);
  }

  get size(): number {
    return this.entries.size;
  }

  sweep(now = Date.now()): void {
    for (const [scope, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(scope);
  }

  close(): void {
    clearInterval(this.sweeper);
  }
}
