import { Readable } from 'node:stream';
import { isDeepStrictEqual } from 'node:util';

/** What the app's JSON body parser did with a small request run through it in memory. */
export interface JsonParserProbe {
  /** It parsed the body into the expected object (`false` also when no parser took it). */
  parsed: boolean;
  /** It kept the exact bytes as `request.rawBody` (Nest's `{ rawBody: true }`). */
  rawBody: boolean;
  /** It refused the body (an error). */
  refused: boolean;
}

/** How long a probe may take before it counts as "cannot tell". */
const PROBE_TIMEOUT_MS = 500;

type ParserDone = (error: unknown, body?: unknown) => void;

interface ExpressLayer {
  name?: string;
  handle?: (req: unknown, res: unknown, next: (error?: unknown) => void) => void;
  /** router 2 (Express 5): a middleware mounted at the root. */
  slash?: boolean;
  /** Express 4: a middleware mounted at the root. */
  regexp?: { fast_slash?: boolean };
}

interface FastifyParser {
  asString?: boolean;
  asBuffer?: boolean;
  fn?: (request: unknown, body: unknown, done: ParserDone) => unknown;
}

function withTimeout<T>(probe: Promise<T | undefined>): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), PROBE_TIMEOUT_MS);
    timer.unref();
  });
  return Promise.race([probe.catch(() => undefined), timeout]).finally(() => clearTimeout(timer));
}

/**
 * Express: runs the app's root-mounted JSON parsers (body-parser's `jsonParser` layers, Nest's
 * included) in order on an in-memory request. `undefined` when there is none.
 */
function probeExpress(instance: Record<string, any>, body: string, expected: unknown): Promise<JsonParserProbe | undefined> {
  const router = instance.router ?? instance._router;
  const stack: unknown = router?.stack;
  if (!Array.isArray(stack)) return Promise.resolve(undefined);
  const parsers = (stack as ExpressLayer[]).filter(
    (layer) => layer?.name === 'jsonParser' && typeof layer.handle === 'function' && (layer.slash === true || layer.regexp?.fast_slash === true),
  );
  if (parsers.length === 0) return Promise.resolve(undefined);
  const bytes = Buffer.from(body);
  const request = Object.assign(Readable.from([bytes]), {
    method: 'POST',
    url: '/',
    headers: { 'content-type': 'application/json', 'content-length': String(bytes.length) },
  }) as Readable & { body?: unknown; rawBody?: unknown };
  return new Promise((resolve) => {
    let index = 0;
    const next = (error?: unknown): void => {
      if (error !== undefined && error !== null) return resolve({ parsed: false, rawBody: false, refused: true });
      const layer = parsers[index++];
      if (layer === undefined) return resolve({ parsed: isDeepStrictEqual(request.body, expected), rawBody: Buffer.isBuffer(request.rawBody), refused: false });
      layer.handle!(request, {}, next);
    };
    next();
  });
}

/**
 * Fastify: runs the instance's `application/json` content-type parser (Nest's, or the app's own)
 * on an in-memory request. `undefined` when it cannot be found, or another plugin may keep the raw body.
 */
function probeFastify(instance: Record<string | symbol, any>, body: string, expected: unknown): Promise<JsonParserProbe | undefined> {
  if (typeof instance.hasPlugin === 'function' && instance.hasPlugin('fastify-raw-body')) return Promise.resolve(undefined);
  const symbol = Object.getOwnPropertySymbols(instance).find((s) => s.description === 'fastify.contentTypeParser');
  const parsers = symbol === undefined ? undefined : instance[symbol]?.customParsers;
  const parser: FastifyParser | undefined = typeof parsers?.get === 'function' ? parsers.get('application/json') : undefined;
  if (typeof parser?.fn !== 'function' || (parser.asString !== true && parser.asBuffer !== true)) return Promise.resolve(undefined);
  const request: { headers: Record<string, string>; rawBody?: unknown } = { headers: { 'content-type': 'application/json' } };
  const payload = parser.asBuffer === true ? Buffer.from(body) : body;
  return new Promise((resolve) => {
    const done: ParserDone = (error, parsed) => {
      if (error !== undefined && error !== null) return resolve({ parsed: false, rawBody: false, refused: true });
      resolve({ parsed: isDeepStrictEqual(parsed, expected), rawBody: Buffer.isBuffer(request.rawBody), refused: false });
    };
    // Fastify parsers are callback-style (three arguments) or async (two).
    if (parser.fn!.length >= 3) {
      parser.fn!(request, payload, done);
    } else {
      Promise.resolve(parser.fn!(request, payload, done)).then((parsed) => done(null, parsed), (error: unknown) => done(error ?? new Error('refused')));
    }
  });
}

/**
 * Runs `body` through the JSON body parser of the app behind `httpAdapter` (Express or Fastify),
 * in memory, without a request reaching any route. `undefined` when it cannot tell (another
 * adapter, a parser it cannot find or run): callers then say nothing rather than guess.
 */
export function probeJsonBodyParser(httpAdapter: unknown, body: string, expected: unknown): Promise<JsonParserProbe | undefined> {
  try {
    const adapter = httpAdapter as { getType?: () => string; getInstance?: () => Record<string | symbol, any> } | undefined;
    const type = adapter?.getType?.();
    const instance = adapter?.getInstance?.();
    if (instance === undefined || instance === null) return Promise.resolve(undefined);
    if (type === 'express') return withTimeout(probeExpress(instance, body, expected));
    if (type === 'fastify') return withTimeout(probeFastify(instance, body, expected));
  } catch {
    // An adapter shaped otherwise: cannot tell.
  }
  return Promise.resolve(undefined);
}
