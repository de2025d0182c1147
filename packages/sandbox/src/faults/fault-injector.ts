/**
 * Fault injection (section 9, off by default): rules matched by method + route pattern, each with
 * a probability (optionally seeded) or a scripted sequence, applied before the operation or after
 * it was applied and stored.
 */
import { randomBytes } from 'node:crypto';
import { faultKind, type FaultKind, type FaultRule, type FaultSpec, type FaultStats, type FaultWhen } from './fault-types';

/** The runtime control of faults (`sb.faults`, and the `/__sandbox/faults` route). */
export interface FaultController {
  /** Adds one rule or several; returns them with their ids. Throws TypeError on an invalid rule. */
  add(rule: FaultRule | FaultRule[]): FaultRule[];
  /** Removes one rule by id; true if it existed. */
  remove(id: string): boolean;
  /** Removes every rule (stats are kept). */
  clear(): void;
  /** The active rules (sequences show what is left to consume). */
  list(): FaultRule[];
  stats(): FaultStats;
  /** Zeroes the stats. */
  resetStats(): void;
}

export interface FaultPlan {
  before?: { spec: FaultSpec; ruleId: string };
  after?: { spec: FaultSpec; ruleId: string };
}

interface CompiledRule {
  rule: FaultRule & { id: string };
  method: string | undefined;
  segments: string[] | '*';
  random: () => number;
  remaining: Array<FaultSpec | null> | undefined;
  injected: number;
}

/** mulberry32: a small, good-enough seeded PRNG for reproducible fault probabilities. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

function validateSpec(spec: unknown, where: string): FaultSpec {
  if (!spec || typeof spec !== 'object' || Array.isArray(spec)) throw new TypeError(`${where}: a fault must be an object`);
  const s = spec as Record<string, unknown>;
  const when = s.when;
  if (when !== undefined && when !== 'before' && when !== 'after') throw new TypeError(`${where}.when must be "before" or "after"`);
  const kinds = ['status', 'latencyMs', 'timeout', 'reset'].filter((k) => s[k] !== undefined);
  if (kinds.length !== 1) throw new TypeError(`${where}: give exactly one of status, latencyMs, timeout, reset`);
  if (s.status !== undefined) {
    if (s.status !== 500 && s.status !== 503 && s.status !== 429) throw new TypeError(`${where}.status must be 500, 503 or 429`);
    if (s.retryAfterSeconds !== undefined && (typeof s.retryAfterSeconds !== 'number' || !(s.retryAfterSeconds >= 0))) {
      throw new TypeError(`${where}.retryAfterSeconds must be a number >= 0`);
    }
  }
  if (s.latencyMs !== undefined && (typeof s.latencyMs !== 'number' || !(s.latencyMs >= 0) || !Number.isFinite(s.latencyMs))) {
    throw new TypeError(`${where}.latencyMs must be a finite number >= 0`);
  }
  if (s.timeout !== undefined && s.timeout !== true) throw new TypeError(`${where}.timeout must be true`);
  if (s.reset !== undefined && s.reset !== true) throw new TypeError(`${where}.reset must be true`);
  return { ...(s as object) } as FaultSpec;
}

function compileRoute(route: string | undefined, method: string | undefined): { method: string | undefined; segments: string[] | '*' } {
  let m = method?.toUpperCase();
  let path = (route ?? '*').trim();
  const parts = path.split(/\s+/);
  if (parts.length === 2) {
    m = (parts[0] as string).toUpperCase();
    path = parts[1] as string;
  } else if (parts.length > 2) {
    throw new TypeError(`fault rule route "${route}" must be "METHOD /path", "/path" or "*"`);
  }
  if (m !== undefined && m !== '*' && !METHODS.includes(m)) throw new TypeError(`fault rule method "${m}" is not an HTTP method`);
  if (m === '*') m = undefined;
  if (path === '*') return { method: m, segments: '*' };
  if (!path.startsWith('/')) throw new TypeError(`fault rule route "${route}" must start with "/" (or be "*")`);
  return { method: m, segments: path === '/' ? [] : path.slice(1).split('/') };
}

function matches(segments: string[] | '*', path: string[]): boolean {
  if (segments === '*') return true;
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i] as string;
    if (s === '**') return true;
    const p = path[i];
    if (p === undefined) return false;
    if (s === '*' || s.startsWith(':')) continue;
    if (s !== p) return false;
  }
  return segments.length === path.length;
}

export class FaultInjector implements FaultController {
  private rules: CompiledRule[] = [];
  private counter = 0;
  private statsData: FaultStats = FaultInjector.emptyStats();

  private static emptyStats(): FaultStats {
    const byKind = { status_500: 0, status_503: 0, status_429: 0, latency: 0, timeout: 0, reset: 0 } as Record<FaultKind, number>;
    return { injected: 0, byKind, byRule: {} };
  }

  constructor(initial: FaultRule[] = []) {
    if (initial.length > 0) this.add(initial);
  }

  add(rule: FaultRule | FaultRule[]): FaultRule[] {
    const input = Array.isArray(rule) ? rule : [rule];
    const compiled = input.map((r, i) => this.compile(r, `faults[${i}]`));
    this.rules.push(...compiled);
    return compiled.map((c) => this.describe(c));
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.rule.id !== id);
    return this.rules.length !== before;
  }

  clear(): void {
    this.rules = [];
  }

  list(): FaultRule[] {
    return this.rules.map((c) => this.describe(c));
  }

  stats(): FaultStats {
    return { injected: this.statsData.injected, byKind: { ...this.statsData.byKind }, byRule: { ...this.statsData.byRule } };
  }

  resetStats(): void {
    this.statsData = FaultInjector.emptyStats();
  }

  /** Decides (and consumes) the faults for one request, in rule order, at most one per phase. */
  plan(method: string, path: string): FaultPlan {
    const plan: FaultPlan = {};
    if (this.rules.length === 0) return plan;
    const segments = path === '/' ? [] : path.replace(/^\//, '').split('/');
    const upper = method.toUpperCase();
    for (const c of this.rules) {
      if (c.method && c.method !== upper) continue;
      if (!matches(c.segments, segments)) continue;
      if (c.rule.times !== undefined && c.injected >= c.rule.times) continue;
      let spec: FaultSpec | null | undefined;
      if (c.remaining) {
        if (c.remaining.length === 0) continue;
        spec = c.remaining.shift();
      } else if (c.rule.fault) {
        spec = c.random() < (c.rule.probability ?? 1) ? c.rule.fault : null;
      }
      if (!spec) continue;
      const phase: FaultWhen = spec.when ?? c.rule.when ?? 'before';
      if (plan[phase]) continue;
      c.injected++;
      plan[phase] = { spec, ruleId: c.rule.id };
    }
    return plan;
  }

  /** Counts a fault when it is actually applied. */
  record(spec: FaultSpec, ruleId: string): void {
    this.statsData.injected++;
    this.statsData.byKind[faultKind(spec)]++;
    this.statsData.byRule[ruleId] = (this.statsData.byRule[ruleId] ?? 0) + 1;
  }

  private compile(rule: FaultRule, where: string): CompiledRule {
    if (!rule || typeof rule !== 'object' || Array.isArray(rule)) throw new TypeError(`${where}: a fault rule must be an object`);
    const known = ['id', 'route', 'method', 'when', 'probability', 'seed', 'fault', 'sequence', 'times'];
    const unknown = Object.keys(rule).find((k) => !known.includes(k));
    if (unknown) throw new TypeError(`${where}: unknown field "${unknown}"`);
    if (rule.route !== undefined && typeof rule.route !== 'string') throw new TypeError(`${where}.route must be a string`);
    if (rule.method !== undefined && typeof rule.method !== 'string') throw new TypeError(`${where}.method must be a string`);
    if (rule.id !== undefined && (typeof rule.id !== 'string' || rule.id === '')) throw new TypeError(`${where}.id must be a non-empty string`);
    if (rule.when !== undefined && rule.when !== 'before' && rule.when !== 'after') throw new TypeError(`${where}.when must be "before" or "after"`);
    const hasSequence = rule.sequence !== undefined;
    const hasFault = rule.fault !== undefined;
    if (hasSequence === hasFault) throw new TypeError(`${where}: give either "fault" (with "probability") or "sequence"`);
    if (rule.probability !== undefined) {
      if (hasSequence) throw new TypeError(`${where}: "probability" goes with "fault", not "sequence"`);
      if (typeof rule.probability !== 'number' || !(rule.probability >= 0 && rule.probability <= 1)) {
        throw new TypeError(`${where}.probability must be a number between 0 and 1`);
      }
    }
    if (rule.seed !== undefined && (typeof rule.seed !== 'number' || !Number.isFinite(rule.seed))) throw new TypeError(`${where}.seed must be a number`);
    if (rule.times !== undefined && (typeof rule.times !== 'number' || !Number.isInteger(rule.times) || rule.times < 0)) {
      throw new TypeError(`${where}.times must be an integer >= 0`);
    }
    let remaining: Array<FaultSpec | null> | undefined;
    if (hasSequence) {
      if (!Array.isArray(rule.sequence)) throw new TypeError(`${where}.sequence must be an array`);
      remaining = rule.sequence.map((s, i) => (s === null ? null : validateSpec(s, `${where}.sequence[${i}]`)));
    }
    const fault = hasFault ? validateSpec(rule.fault, `${where}.fault`) : undefined;
    const { method, segments } = compileRoute(rule.route, rule.method);
    const id = rule.id ?? `fault_${++this.counter}`;
    if (this.rules.some((r) => r.rule.id === id)) throw new TypeError(`${where}: a rule with id "${id}" already exists`);
    const seed = rule.seed ?? randomBytes(4).readUInt32LE(0);
    return {
      rule: { ...rule, id, fault, sequence: remaining ? [...remaining] : undefined },
      method,
      segments,
      random: rule.seed !== undefined ? seededRandom(seed) : Math.random,
      remaining,
      injected: 0,
    };
  }

  private describe(c: CompiledRule): FaultRule {
    const out: FaultRule = { id: c.rule.id, route: c.rule.route ?? '*' };
    if (c.rule.method) out.method = c.rule.method;
    out.when = c.rule.when ?? 'before';
    if (c.remaining) out.sequence = [...c.remaining];
    if (c.rule.fault) {
      out.fault = c.rule.fault;
      out.probability = c.rule.probability ?? 1;
    }
    if (c.rule.seed !== undefined) out.seed = c.rule.seed;
    if (c.rule.times !== undefined) out.times = c.rule.times;
    return out;
  }
}
