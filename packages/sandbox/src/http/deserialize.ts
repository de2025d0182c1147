/**
 * Schema-driven checks of a parsed JSON body with serde's error wording, so that a bad body gets
 * the same `Json deserialize error: …` message Hyperswitch's actix/serde stack produces
 * (unknown field, unknown variant, invalid type, missing field, custom validation).
 */
import { JsonPositionError, toPlain, type JsonEntry, type JsonNode } from './json-parser';

export type IntegerType = 'i64' | 'i32' | 'u64' | 'u32' | 'u16' | 'u8';

export type Schema =
  | {
      kind: 'struct';
      name: string;
      fields: Record<string, Schema>;
      required?: readonly string[];
      /** `#[serde(deny_unknown_fields)]` */
      denyUnknown?: boolean;
    }
  | { kind: 'string'; check?: (value: string) => string | undefined }
  | { kind: 'integer'; type: IntegerType }
  /** HS's `Amount` visitor: a non-negative integer, "expected amount as integer". */
  | { kind: 'amount' }
  | { kind: 'bool' }
  | { kind: 'enum'; variants: readonly string[] }
  | { kind: 'seq'; item: Schema }
  /** A JSON object with any values (metadata). */
  | { kind: 'map' }
  | { kind: 'any' }
  /**
   * `#[serde(flatten)]` of an externally tagged enum next to plain fields (PaymentMethodDataRequest):
   * errors inside are reported at the end of the enclosing object, as serde's buffered content is.
   */
  | { kind: 'flattenedEnum'; name: string; variants: Record<string, Schema>; fields: Record<string, Schema> };

const INTEGER_BOUNDS: Record<IntegerType, [bigint, bigint]> = {
  i64: [-(2n ** 63n), 2n ** 63n - 1n],
  i32: [-(2n ** 31n), 2n ** 31n - 1n],
  u64: [0n, 2n ** 64n - 1n],
  u32: [0n, 2n ** 32n - 1n],
  u16: [0n, 2n ** 16n - 1n],
  u8: [0n, 2n ** 8n - 1n],
};

/** Rust's `{:?}` of a string, as serde's `Unexpected::Str` prints it. */
export function rustDebugString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0) as number;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code === 0) out += '\\0';
    else if (code < 0x20 || code === 0x7f) out += `\\u{${code.toString(16)}}`;
    else out += ch;
  }
  return out + '"';
}

function expandExponent(s: string): string {
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const [, sign, d0, rest = '', expStr] = m;
  const digits = (d0 as string) + rest;
  const exp = Number(expStr);
  if (exp >= 0) {
    const intLen = 1 + exp;
    return sign + (digits.length <= intLen ? digits.padEnd(intLen, '0') : `${digits.slice(0, intLen)}.${digits.slice(intLen)}`);
  }
  return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
}

/** Rust's Display of an f64 with serde's "always show a decimal point". */
export function rustFloat(raw: string): string {
  const x = Number(raw);
  let s: string;
  if (Number.isInteger(x)) s = (Object.is(x, -0) ? '-' : '') + BigInt(x).toString();
  else s = expandExponent(x.toString());
  if (!s.includes('.')) s += '.0';
  return s;
}

type NumberClass = { kind: 'unsigned'; value: bigint } | { kind: 'signed'; value: bigint } | { kind: 'float'; raw: string };

function classifyNumber(node: Extract<JsonNode, { t: 'number' }>): NumberClass {
  const raw = node.raw;
  if (!Number.isFinite(Number(raw))) throw new JsonPositionError('number out of range', node.end);
  if (/[.eE]/.test(raw)) return { kind: 'float', raw };
  const value = BigInt(raw);
  // serde_json parses integers that overflow u64 / i64 as f64.
  if (value > 2n ** 64n - 1n || value < -(2n ** 63n)) return { kind: 'float', raw };
  return value < 0n ? { kind: 'signed', value } : { kind: 'unsigned', value };
}

/** serde's `Unexpected` rendering of a node. */
function unexpected(node: JsonNode): string {
  switch (node.t) {
    case 'string':
      return `string ${rustDebugString(node.value)}`;
    case 'number': {
      const c = classifyNumber(node);
      return c.kind === 'float' ? `floating point \`${rustFloat(c.raw)}\`` : `integer \`${c.value}\``;
    }
    case 'boolean':
      return `boolean \`${node.value}\``;
    case 'null':
      return 'null';
    case 'array':
      return 'sequence';
    case 'object':
      return 'map';
  }
}

function expecting(schema: Schema): string {
  switch (schema.kind) {
    case 'struct':
      return `struct ${schema.name}`;
    case 'flattenedEnum':
      return `struct ${schema.name}`;
    case 'string':
      return 'a string';
    case 'integer':
      return schema.type;
    case 'amount':
      return 'amount as integer';
    case 'bool':
      return 'a boolean';
    case 'enum':
      return 'enum';
    case 'seq':
      return 'a sequence';
    case 'map':
      return 'a map';
    case 'any':
      return 'any valid JSON value';
  }
}

/** Where serde reports a type mismatch: after a consumed scalar, before an unconsumed `[`/`{`. */
function typeErrorAt(node: JsonNode): number {
  return node.t === 'object' || node.t === 'array' ? node.start : node.end;
}

function invalidType(node: JsonNode, schema: Schema): JsonPositionError {
  return new JsonPositionError(`invalid type: ${unexpected(node)}, expected ${expecting(schema)}`, typeErrorAt(node));
}

export function oneOf(names: readonly string[]): string {
  if (names.length === 0) return 'there are no fields';
  if (names.length === 1) return `expected \`${names[0]}\``;
  if (names.length === 2) return `expected \`${names[0]}\` or \`${names[1]}\``;
  return `expected one of ${names.map((v) => `\`${v}\``).join(', ')}`;
}

function defineOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Checks `node` against `schema` and returns the plain value. Throws `JsonPositionError` with
 * serde's wording on the first problem in document order. `optional`: null is accepted (Option<T>).
 */
export function deserialize(node: JsonNode, schema: Schema, optional = false, errorAt?: number): unknown {
  const at = (index: number): number => errorAt ?? index;
  const fail = (reason: string, index: number): JsonPositionError => new JsonPositionError(reason, at(index));
  if (node.t === 'null' && optional) return null;

  switch (schema.kind) {
    case 'any':
      return toPlain(node);
    case 'map':
      if (node.t !== 'object') throw fail(invalidType(node, schema).reason, typeErrorAt(node));
      return toPlain(node);
    case 'string':
      if (node.t !== 'string') throw fail(invalidType(node, schema).reason, typeErrorAt(node));
      if (schema.check) {
        const problem = schema.check(node.value);
        if (problem) throw fail(problem, node.end);
      }
      return node.value;
    case 'bool':
      if (node.t !== 'boolean') throw fail(invalidType(node, schema).reason, typeErrorAt(node));
      return node.value;
    case 'enum':
      if (node.t !== 'string') {
        // serde_json's deserialize_enum peeks for `"` or `{` and otherwise reports "expected value".
        if (node.t === 'object') throw fail(`invalid type: map, expected enum`, node.start);
        throw fail('expected value', node.start + 1);
      }
      if (!schema.variants.includes(node.value)) {
        throw fail(`unknown variant \`${node.value}\`, ${oneOf(schema.variants)}`, node.end);
      }
      return node.value;
    case 'integer': {
      if (node.t !== 'number') throw fail(invalidType(node, schema).reason, typeErrorAt(node));
      const c = classifyNumber(node);
      if (c.kind === 'float') throw fail(invalidType(node, schema).reason, node.end);
      const [min, max] = INTEGER_BOUNDS[schema.type];
      if (c.value < min || c.value > max) throw fail(`invalid value: integer \`${c.value}\`, expected ${schema.type}`, node.end);
      return Number(c.value);
    }
    case 'amount': {
      if (node.t !== 'number') throw fail(invalidType(node, schema).reason, typeErrorAt(node));
      const c = classifyNumber(node);
      if (c.kind === 'float') throw fail(invalidType(node, schema).reason, node.end);
      if (c.value > 2n ** 63n - 1n) {
        throw fail(`invalid value \`${c.value}\`, expected an integer between 0 and ${2n ** 63n - 1n}`, node.end);
      }
      if (c.value < 0n) throw fail(`invalid value \`${c.value}\`, expected a positive integer`, node.end);
      // Amounts beyond Number's exact range are far above the API maximum; clamp for the IR_16 check.
      return c.value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(c.value);
    }
    case 'seq': {
      if (node.t !== 'array') throw fail(invalidType(node, schema).reason, typeErrorAt(node));
      return node.items.map((item) => deserialize(item, schema.item, false, errorAt));
    }
    case 'struct':
      return deserializeStruct(node, schema, errorAt);
    case 'flattenedEnum':
      return deserializeFlattenedEnum(node, schema, errorAt);
  }
}

function deserializeStruct(node: JsonNode, schema: Extract<Schema, { kind: 'struct' }>, errorAt?: number): Record<string, unknown> {
  const at = (index: number): number => errorAt ?? index;
  if (node.t !== 'object') {
    if (node.t === 'array') throw new JsonPositionError(`invalid type: sequence, expected struct ${schema.name}`, at(node.start));
    throw new JsonPositionError(`invalid type: ${unexpected(node)}, expected struct ${schema.name}`, at(typeErrorAt(node)));
  }
  const out: Record<string, unknown> = {};
  const seen = new Set<string>();
  const names = Object.keys(schema.fields);
  for (const entry of node.entries) {
    const field = Object.prototype.hasOwnProperty.call(schema.fields, entry.key) ? schema.fields[entry.key] : undefined;
    if (!field) {
      if (schema.denyUnknown) throw new JsonPositionError(`unknown field \`${entry.key}\`, ${oneOf(names)}`, at(entry.keyEnd));
      continue;
    }
    if (seen.has(entry.key)) throw new JsonPositionError(`duplicate field \`${entry.key}\``, at(entry.keyEnd));
    seen.add(entry.key);
    const required = schema.required?.includes(entry.key) ?? false;
    defineOwn(out, entry.key, deserialize(entry.value, field, !required, errorAt));
  }
  for (const name of schema.required ?? []) {
    if (!seen.has(name)) throw new JsonPositionError(`missing field \`${name}\``, at(node.end));
  }
  return out;
}

function deserializeFlattenedEnum(
  node: JsonNode,
  schema: Extract<Schema, { kind: 'flattenedEnum' }>,
  errorAt?: number,
): Record<string, unknown> {
  if (node.t !== 'object') {
    throw new JsonPositionError(`invalid type: ${unexpected(node)}, expected struct ${schema.name}`, errorAt ?? typeErrorAt(node));
  }
  // Buffered (flattened) content: serde reports these errors once the whole object is consumed.
  const end = errorAt ?? node.end;
  const out: Record<string, unknown> = {};
  let variant: JsonEntry | undefined;
  for (const entry of node.entries) {
    if (Object.prototype.hasOwnProperty.call(schema.fields, entry.key)) {
      defineOwn(out, entry.key, deserialize(entry.value, schema.fields[entry.key] as Schema, true, end));
      continue;
    }
    if (Object.prototype.hasOwnProperty.call(schema.variants, entry.key)) {
      if (variant === undefined) variant = entry;
      continue;
    }
    // Unknown keys are left for the enum; a flattened enum ignores what it does not recognise only
    // if a variant matched, otherwise it reports that none did.
  }
  if (!variant) {
    const hasOnlyKnown = node.entries.every((e) => Object.prototype.hasOwnProperty.call(schema.fields, e.key));
    if (!hasOnlyKnown || node.entries.length === 0) {
      const unknownKey = node.entries.find((e) => !Object.prototype.hasOwnProperty.call(schema.fields, e.key))?.key;
      if (unknownKey !== undefined) {
        throw new JsonPositionError(`unknown variant \`${unknownKey}\`, ${oneOf(Object.keys(schema.variants))}`, end);
      }
    }
    return out;
  }
  if (variant.value.t === 'null') return out;
  defineOwn(out, variant.key, deserialize(variant.value, schema.variants[variant.key] as Schema, false, end));
  return out;
}
