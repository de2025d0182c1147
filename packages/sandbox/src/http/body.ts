import type { IncomingMessage } from 'node:http';
import { ApiError } from './api-error';
import { deserialize, type Schema } from './deserialize';
import { formatJsonError, JsonPositionError, parseJson } from './json-parser';

export type BodyResult = { ok: true; body: Buffer } | { ok: false; error: ApiError };

/** Reads the request body, refusing more than `limit` bytes with actix's overflow message (413). */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.resolve({
      ok: false,
      error: ApiError.json(`JSON payload (${declared} bytes) is larger than allowed (limit: ${limit} bytes).`, 413),
    });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (result: BodyResult): void => {
      if (done) return;
      done = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onError);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        req.resume();
        finish({ ok: false, error: ApiError.json(`JSON payload has exceeded limit (${limit} bytes).`, 413) });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => finish({ ok: true, body: Buffer.concat(chunks, size) });
    const onError = (): void => finish({ ok: false, error: ApiError.json('Payload error: the request body could not be read', 400) });
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onError);
  });
}

/** actix's JSON content-type check: `application/json` or any `+json` subtype. */
export function isJsonContentType(header: string | undefined): boolean {
  if (!header) return false;
  const essence = (header.split(';')[0] as string).trim().toLowerCase();
  const [type, subtype] = essence.split('/');
  if (type !== 'application' || !subtype) return false;
  return subtype === 'json' || subtype.endsWith('+json');
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Parses and type-checks a JSON body as HS's actix/serde stack does, throwing the 400
 * `error_type` envelope with serde's message on any problem.
 */
export function parseJsonBody(contentType: string | undefined, raw: Buffer, schema: Schema | undefined): { value: unknown; text: string } {
  if (!isJsonContentType(contentType)) throw ApiError.json('Content type error');
  let text: string;
  try {
    text = utf8.decode(raw);
  } catch {
    throw ApiError.json('Json deserialize error: invalid unicode code point at line 1 column 1');
  }
  try {
    const node = parseJson(text);
    const value = schema ? deserialize(node, schema) : deserialize(node, { kind: 'any' });
    return { value, text };
  } catch (err) {
    if (err instanceof JsonPositionError) throw ApiError.json(`Json deserialize error: ${formatJsonError(text, err)}`);
    throw err;
  }
}
