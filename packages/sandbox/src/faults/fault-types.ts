/** When a fault applies: before the operation runs, or after it was applied and stored. */
export type FaultWhen = 'before' | 'after';

/**
 * One injected fault.
 * - `{status: 500|503}`: an HS error body (`HE_00`), nothing applied when `before`.
 * - `{status: 429, retryAfterSeconds}`: a rate-limit answer with `Retry-After`.
 * - `{latencyMs}`: waits, then answers normally.
 * - `{timeout: true}`: never answers (the client must give up); the socket is dropped on close().
 * - `{reset: true}`: destroys the connection (ECONNRESET on the client).
 * `when` overrides the rule's `when` for this fault.
 */
export type FaultSpec =
  | { status: 500 | 503; when?: FaultWhen }
  | { status: 429; retryAfterSeconds?: number; when?: FaultWhen }
  | { latencyMs: number; when?: FaultWhen }
  | { timeout: true; when?: FaultWhen }
  | { reset: true; when?: FaultWhen };

export interface FaultRule {
  /** Assigned when omitted; used to delete one rule. */
  id?: string;
  /**
   * `"METHOD /path/pattern"`, `"/path/pattern"` (any method) or `"*"` (every API route).
   * `:name` and `*` match one path segment; a trailing `/**` matches the rest. Default `"*"`.
   */
  route?: string;
  /** Restricts the rule to one HTTP method (alternative to putting it in `route`). */
  method?: string;
  /** Default `before`. */
  when?: FaultWhen;
  /** With `fault`: the chance (0..1) that a matching request gets it. */
  probability?: number;
  /** Makes `probability` reproducible. */
  seed?: number;
  /** The fault applied with `probability`. */
  fault?: FaultSpec;
  /** Scripted faults, consumed one per matching request in arrival order; `null` = let this one through. */
  sequence?: Array<FaultSpec | null>;
  /** At most this many injections from this rule. */
  times?: number;
}

export type FaultKind = 'status_500' | 'status_503' | 'status_429' | 'latency' | 'timeout' | 'reset';

export interface FaultStats {
  /** Faults injected in total. */
  injected: number;
  byKind: Record<FaultKind, number>;
  /** Injections per rule id. */
  byRule: Record<string, number>;
}

export function faultKind(spec: FaultSpec): FaultKind {
  if ('status' in spec) return spec.status === 429 ? 'status_429' : spec.status === 503 ? 'status_503' : 'status_500';
  if ('latencyMs' in spec) return 'latency';
  if ('timeout' in spec) return 'timeout';
  return 'reset';
}
