/**
 * `--fault` values: a JSON rule, a JSON array of rules, or a compact `key=value,…` rule whose keys
 * are the JSON field names, with the fault's own fields inline:
 *   route=POST /payments,status=503,times=1
 *   route=GET /payments/:id,probability=0.2,seed=42,latencyMs=2000
 *   route=*,reset
 * A `sequence` needs the JSON form.
 */
import { FaultInjector } from '../faults/fault-injector';
import type { FaultRule } from '../faults/fault-types';
import { CliUsageError } from './cli-usage-error';

const RULE_TEXT = ['id', 'route', 'method', 'when'];
const RULE_NUMBERS = ['probability', 'seed', 'times'];
const FAULT_NUMBERS = ['status', 'retryAfterSeconds', 'latencyMs'];
const FAULT_FLAGS = ['timeout', 'reset'];
const KEYS = [...RULE_TEXT, ...RULE_NUMBERS, ...FAULT_NUMBERS, ...FAULT_FLAGS];

function compactRule(value: string, source: string): Record<string, unknown> {
  const rule: Record<string, unknown> = {};
  const fault: Record<string, unknown> = {};
  for (const part of value.split(',')) {
    const eq = part.indexOf('=');
    const key = (eq === -1 ? part : part.slice(0, eq)).trim();
    const raw = eq === -1 ? undefined : part.slice(eq + 1).trim();
    if (!KEYS.includes(key)) throw new CliUsageError(`${source}: unknown field "${key}" (known: ${KEYS.join(', ')})`);
    const target = FAULT_NUMBERS.includes(key) || FAULT_FLAGS.includes(key) ? fault : rule;
    if (key in target) throw new CliUsageError(`${source}: "${key}" is given twice`);
    if (FAULT_FLAGS.includes(key)) {
      // A bare `timeout` means `timeout=true`; any other value is left for the rule check to refuse.
      target[key] = raw === undefined || raw === 'true' ? true : raw;
    } else if (raw === undefined || raw === '') {
      throw new CliUsageError(`${source}: "${key}" needs a value (${key}=…)`);
    } else if (RULE_TEXT.includes(key)) {
      target[key] = raw;
    } else {
      const n = Number(raw);
      if (!Number.isFinite(n)) throw new CliUsageError(`${source}: "${key}" must be a number (got "${raw}")`);
      target[key] = n;
    }
  }
  // Always set, so a rule without any fault field gets the rule check's "give exactly one of…".
  rule.fault = fault;
  return rule;
}

/**
 * Parses one `--fault` value (or `PAYMNT_SANDBOX_FAULTS`) into rules, checked by the same
 * validation as `createSandbox({ faults })` and the control route.
 * @param source how the value is named in error messages (`--fault "…"`)
 */
export function parseFaultRules(value: string, source: string): FaultRule[] {
  const text = value.trim();
  if (text === '') throw new CliUsageError(`${source}: empty rule`);
  let parsed: unknown;
  if (text.startsWith('{') || text.startsWith('[')) {
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new CliUsageError(`${source}: not valid JSON (${err instanceof Error ? err.message : String(err)})`);
    }
  } else {
    parsed = compactRule(text, source);
  }
  const rules = (Array.isArray(parsed) ? parsed : [parsed]) as FaultRule[];
  try {
    new FaultInjector().add(rules); // add() checks each rule and throws a TypeError naming the field
  } catch (err) {
    throw new CliUsageError(`${source}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return rules;
}
