/**
 * The API's OpenAPI document as a strict validator of the sandbox's answers (the test side only).
 *
 * The document is read from `../shared/api/` beside the repository, as
 * packages/client/test/models-vs-openapi.spec.ts finds it (never copied into it, never read by
 * product code). Strictness added here, which the document leaves open:
 * - every object schema that declares properties is closed (`additionalProperties: false`); `allOf`
 *   compositions (serde `flatten`) are merged first so that closing one part does not refuse the
 *   fields of another;
 * - `nullable` becomes `anyOf [.., null]`; required fields and enum values are ajv's own checks.
 * Where the real API and the document disagree (PAYMNT_API.md section 8, and Hyperswitch's source),
 * the document is patched in `SPEC_PATCHES`, the one place.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

export const SPEC_PATH = path.resolve(__dirname, '../../../../shared/api/openapi_spec_v1.json');
export const specAvailable = fs.existsSync(SPEC_PATH);

type Json = any;

const REF = '#/components/schemas/';

/**
 * Where the API and its document disagree, each with why; applied to the raw document before the
 * schemas are closed. Error bodies: ApiErrorResponse below (8.1).
 */
const SPEC_PATCHES: ReadonlyArray<[why: string, patch: (spec: Json) => void]> = [
  [
    '§8.1 the error schema is a flat {error_type,message,code}; the real body is {"error":{type,message,code,…}} (JSON body errors: error_type)',
    (spec) => {
      const inner = (typeKey: string) => ({
        type: 'object',
        required: [typeKey, 'message', 'code'],
        properties: {
          [typeKey]: { type: 'string', enum: ['invalid_request', 'api', 'connector', 'blocked'] },
          message: { type: 'string' },
          code: { type: 'string', pattern: '^([A-Z]{2}_[0-9]{2}|idempotency_key_mismatch|idempotency_key_in_use|rate_limit_exceeded)$' },
          // crates/router/src/compatibility or core/errors: ApiErrorResponse's flattened extras.
          ...(typeKey === 'type'
            ? { reason: { type: 'string' }, data: {}, connector: { type: 'string' }, payment_id: { type: 'string' } }
            : {}),
        },
      });
      spec.components.schemas.ApiErrorResponse = {
        type: 'object',
        required: ['error'],
        properties: { error: { oneOf: [inner('type'), inner('error_type')] } },
      };
    },
  ],
  [
    '§8.2 GET /payments/list is documented as an array of PaymentListResponse; it returns one {size, data}',
    (spec) => (spec.paths['/payments/list'].get.responses['200'].content['application/json'].schema = { $ref: `${REF}PaymentListResponse` }),
  ],
  [
    '§8.3 payment_method is required and non-nullable in the document, but null before a payment method is attached',
    (spec) => {
      for (const name of ['PaymentsResponse', 'PaymentsCreateResponseOpenApi']) {
        const s = spec.components.schemas[name];
        s.properties.payment_method = { allOf: [{ $ref: `${REF}PaymentMethod` }], nullable: true };
      }
    },
  ],
  [
    '§8.6 the /cancel 200 response has no schema; it returns PaymentsResponse',
    (spec) => (spec.paths['/payments/{payment_id}/cancel'].post.responses['200'] = jsonResponse('PaymentsResponse')),
  ],
  [
    'create, update and confirm are documented with PaymentsCreateResponseOpenApi, a documentation-only subset ' +
      '(#[generate_schemas] + #[remove_in] in crates/api_models/src/payments.rs) without customer, capture_on, ' +
      'unified_code, unified_message; the router serializes PaymentsResponse',
    (spec) => {
      for (const p of ['/payments', '/payments/{payment_id}', '/payments/{payment_id}/confirm']) {
        spec.paths[p].post.responses['200'] = jsonResponse('PaymentsResponse');
      }
    },
  ],
  [
    'PaymentsResponse.payment_id: min/maxLength 30 describe an old id format; HS generates pay_ + 20 (24 chars) ' +
      'and takes merchant ids of 1..64 (id_type::PaymentId is a LengthId<64, 1>)',
    (spec) => {
      for (const name of ['PaymentsResponse', 'PaymentsCreateResponseOpenApi']) {
        Object.assign(spec.components.schemas[name].properties.payment_id, { minLength: 1, maxLength: 64 });
      }
    },
  ],
  [
    'PaymentsResponse.amount_capturable: minimum 100 is an example-like bound; it is 0 once captured, voided or failed',
    (spec) => {
      for (const name of ['PaymentsResponse', 'PaymentsCreateResponseOpenApi']) {
        spec.components.schemas[name].properties.amount_capturable.minimum = 0;
      }
    },
  ],
  [
    'RefundResponse.amount: minimum 100 is not enforced by HS (any positive amount is refundable, crates/router/src/core/refunds.rs)',
    (spec) => (spec.components.schemas.RefundResponse.properties.amount.minimum = 1),
  ],
  [
    'GET /mandates/list is not in the document; HS serves it (crates/router/src/routes/app.rs, Mandates::server: "/list" → ' +
      'retrieve_mandates_list) and answers Vec<MandateResponse> (crates/router/src/core/mandate.rs, crates/api_models/src/mandates.rs)',
    (spec) => {
      const byId = spec.paths['/mandates/{mandate_id}'].get;
      spec.paths['/mandates/list'] = {
        get: { ...byId, operationId: 'List Mandates', responses: { '200': jsonArrayResponse('MandateResponse') } },
      };
    },
  ],
  [
    'the default-method route is documented at /{customer_id}/payment_methods/{payment_method_id}/default; HS mounts it in ' +
      'the /customers scope (crates/router/src/routes/app.rs, Customers::server → default_payment_method_set_api)',
    (spec) => {
      const from = '/{customer_id}/payment_methods/{payment_method_id}/default';
      spec.paths[`/customers${from}`] = spec.paths[from];
      delete spec.paths[from];
    },
  ],
];

function jsonArrayResponse(schema: string): Json {
  return { description: 'patched', content: { 'application/json': { schema: { type: 'array', items: { $ref: `${REF}${schema}` } } } } };
}

function jsonResponse(schema: string): Json {
  return { description: 'patched', content: { 'application/json': { schema: { $ref: `${REF}${schema}` } } } };
}

/** Follows `$ref`s (and single-part `allOf` wrappers) to the schema they name. */
function deref(schemas: Json, node: Json): Json {
  let n = node;
  for (let i = 0; i < 20 && n; i++) {
    if (typeof n.$ref === 'string') n = schemas[n.$ref.slice(REF.length)];
    else if (Array.isArray(n.allOf) && n.allOf.length === 1 && !n.properties) n = n.allOf[0];
    else break;
  }
  return n;
}

/**
 * Merges the parts of an `allOf` into one object schema (serde `flatten`): properties and required
 * fields joined; a part that is a `oneOf` is distributed (each variant joined with the other parts).
 * A nullable flattened part (`Option<T>` flattened) contributes its fields as optional.
 */
function mergeAllOf(schemas: Json, parts: Json[]): Json {
  const resolved = parts.map((p) => ({ node: deref(schemas, p), optional: p.nullable === true }));
  const variantPart = resolved.findIndex((r) => Array.isArray(r.node?.oneOf));
  if (variantPart >= 0) {
    const rest = resolved.filter((_, i) => i !== variantPart).map((r) => r.node);
    const { node, optional } = resolved[variantPart] as { node: Json; optional: boolean };
    const variants = node.oneOf.map((v: Json) => mergeAllOf(schemas, [v, ...rest]));
    if (optional) variants.push(mergeAllOf(schemas, rest));
    return { oneOf: variants };
  }
  const out: Json = { type: 'object', properties: {}, required: [] };
  for (const { node, optional } of resolved) {
    const part = node && Array.isArray(node.allOf) ? mergeAllOf(schemas, node.allOf) : node;
    if (!part || (!part.properties && part.type !== 'object')) return { allOf: parts }; // not a plain object: leave as is
    Object.assign(out.properties, part.properties ?? {});
    if (!optional) out.required.push(...(part.required ?? []));
    if (part.additionalProperties !== undefined) out.additionalProperties = part.additionalProperties;
    if (part.description && !out.description) out.description = part.description;
  }
  if (out.required.length === 0) delete out.required;
  return out;
}

/** Flattens multi-part `allOf`s, then closes every object schema that declares properties. */
function close(schemas: Json, node: Json): Json {
  if (Array.isArray(node)) return node.map((n) => close(schemas, n));
  if (!node || typeof node !== 'object') return node;
  let n = node;
  if (Array.isArray(n.allOf) && n.allOf.length > 1) {
    const merged = mergeAllOf(schemas, n.allOf);
    n = { ...merged, ...(n.nullable ? { nullable: true } : {}) };
  }
  const out: Json = {};
  for (const [k, v] of Object.entries(n)) out[k] = k === 'properties' ? mapValues(v as Json, (x) => close(schemas, x)) : close(schemas, v);
  if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

/** OpenAPI 3.0 → JSON Schema: `nullable` becomes `anyOf [.., null]`; annotations ajv does not know go. */
function toJsonSchema(node: Json): Json {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (['nullable', 'example', 'examples', 'discriminator', 'xml', 'externalDocs', 'deprecated'].includes(key)) continue;
    out[key] = key === 'properties' ? mapValues(value as Json, toJsonSchema) : toJsonSchema(value);
  }
  return node.nullable === true ? { anyOf: [out, { type: 'null' }] } : out;
}

const mapValues = (o: Json, f: (v: Json) => Json): Json => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)]));

/** A route template of the document for a concrete sandbox path (`/payments/pay_x/capture` → `/payments/{payment_id}/capture`). */
function templateFor(paths: string[], concrete: string): string | undefined {
  const segs = concrete.split('?')[0]!.split('/');
  let best: { t: string; literal: number } | undefined;
  for (const t of paths) {
    const ts = t.split('/');
    if (ts.length !== segs.length) continue;
    let literal = 0;
    const ok = ts.every((s, i) => {
      if (s.startsWith('{')) return true;
      literal++;
      return s === segs[i];
    });
    if (ok && (!best || literal > best.literal)) best = { t, literal };
  }
  return best?.t;
}

export interface ContractResult {
  ok: boolean;
  schema: string;
  errors: ErrorObject[];
}

export class OpenApiContract {
  readonly patches = SPEC_PATCHES.map(([why]) => why);
  private readonly ajv: Ajv;
  private readonly spec: Json;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor() {
    this.spec = JSON.parse(fs.readFileSync(SPEC_PATH, 'utf8'));
    for (const [, patch] of SPEC_PATCHES) patch(this.spec);
    const raw = this.spec.components.schemas;
    const schemas = toJsonSchema(mapValues(raw, (s) => close(raw, s)));
    this.ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(this.ajv);
    for (const f of ['int32', 'int64', 'float', 'double', 'binary', 'byte', 'password']) this.ajv.addFormat(f, true);
    this.ajv.addSchema({ $id: 'spec', components: { schemas } });
  }

  /** The response schema the document gives a route and status (JSON pointer into `spec`), or undefined. */
  responseSchema(method: string, concretePath: string, status: number): Json | undefined {
    if (status >= 400) return { $ref: 'spec#/components/schemas/ApiErrorResponse' };
    const t = templateFor(Object.keys(this.spec.paths), concretePath);
    const op = t ? this.spec.paths[t][method.toLowerCase()] : undefined;
    const schema = op?.responses?.[String(status)]?.content?.['application/json']?.schema;
    return schema ? this.rebase(toJsonSchema(schema)) : undefined;
  }

  /** Validates a body against a named component schema. */
  validateSchema(name: string, value: unknown): ContractResult {
    return this.run(name, { $ref: `spec#/components/schemas/${name}` }, value);
  }

  /** Validates an answer against what the document says the route returns. */
  validateResponse(method: string, concretePath: string, status: number, value: unknown): ContractResult {
    const schema = this.responseSchema(method, concretePath, status);
    if (!schema) return { ok: false, schema: `(none for ${method} ${concretePath} ${status})`, errors: [] };
    return this.run(JSON.stringify(schema), schema, value);
  }

  private run(key: string, schema: Json, value: unknown): ContractResult {
    let v = this.compiled.get(key);
    if (!v) {
      v = this.ajv.compile(schema);
      this.compiled.set(key, v);
    }
    const ok = v(value) as boolean;
    return { ok, schema: key.length > 80 ? key.slice(0, 80) + '…' : key, errors: v.errors ? [...v.errors] : [] };
  }

  private rebase(node: Json): Json {
    if (Array.isArray(node)) return node.map((n) => this.rebase(n));
    if (!node || typeof node !== 'object') return node;
    const out: Json = {};
    for (const [k, v] of Object.entries(node)) out[k] = k === '$ref' && typeof v === 'string' ? v.replace('#/', 'spec#/') : this.rebase(v);
    return out;
  }
}

/** The errors most useful to read first: undeclared fields, then the rest (oneOf noise last). */
export function describeErrors(errors: ErrorObject[]): string {
  const rank = (e: ErrorObject) => (e.keyword === 'additionalProperties' ? 0 : e.keyword === 'oneOf' || e.keyword === 'anyOf' ? 2 : 1);
  return [...errors]
    .sort((a, b) => rank(a) - rank(b))
    .slice(0, 8)
    .map((e) => `${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? `: ${e.params.additionalProperty}` : ''}`)
    .join('\n');
}
