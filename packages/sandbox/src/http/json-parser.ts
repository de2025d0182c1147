/**
 * A small JSON parser that keeps source positions, so that errors can be reported the way
 * serde_json (and therefore Hyperswitch) reports them: `<reason> at line L column C`, where C
 * counts the bytes consumed on the line when the error was raised.
 */

export type JsonNode =
  | { t: 'object'; entries: JsonEntry[]; start: number; end: number }
  | { t: 'array'; items: JsonNode[]; start: number; end: number }
  | { t: 'string'; value: string; start: number; end: number }
  | { t: 'number'; raw: string; start: number; end: number }
  | { t: 'boolean'; value: boolean; start: number; end: number }
  | { t: 'null'; start: number; end: number };

export interface JsonEntry {
  key: string;
  /** Index just after the key's closing quote. */
  keyEnd: number;
  value: JsonNode;
}

/** A serde_json style error: `reason` and the index (exclusive) at which it was raised. */
export class JsonPositionError extends Error {
  constructor(
    readonly reason: string,
    readonly index: number,
  ) {
    super(reason);
  }
}

/** serde_json's `position_of_index`: 1-based line, column = bytes consumed on that line. */
export function lineColumn(text: string, index: number): { line: number; column: number } {
  const upTo = text.slice(0, Math.max(0, Math.min(index, text.length)));
  const lastNewline = upTo.lastIndexOf('\n');
  let line = 1;
  for (let i = 0; i < upTo.length; i++) if (upTo.charCodeAt(i) === 10) line++;
  return { line, column: Buffer.byteLength(upTo.slice(lastNewline + 1), 'utf8') };
}

export function formatJsonError(text: string, err: JsonPositionError): string {
  const { line, column } = lineColumn(text, err.index);
  return `${err.reason} at line ${line} column ${column}`;
}

const MAX_DEPTH = 128;

export function parseJson(text: string): JsonNode {
  let i = 0;
  const n = text.length;

  const isWs = (c: number): boolean => c === 32 || c === 10 || c === 9 || c === 13;
  const skipWs = (): void => {
    while (i < n && isWs(text.charCodeAt(i))) i++;
  };
  /** serde's peek_error: the position includes the offending character. */
  const peekError = (reason: string): JsonPositionError => new JsonPositionError(reason, Math.min(i + 1, n));

  const parseValue = (depth: number): JsonNode => {
    skipWs();
    if (i >= n) throw peekError('EOF while parsing a value');
    const c = text[i];
    const start = i;
    switch (c) {
      case '{':
        return parseObject(depth + 1);
      case '[':
        return parseArray(depth + 1);
      case '"':
        return { t: 'string', value: parseString(), start, end: i };
      case 't':
        parseIdent('true');
        return { t: 'boolean', value: true, start, end: i };
      case 'f':
        parseIdent('false');
        return { t: 'boolean', value: false, start, end: i };
      case 'n':
        parseIdent('null');
        return { t: 'null', start, end: i };
      default:
        if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return parseNumber();
        throw peekError('expected value');
    }
  };

  const parseIdent = (word: string): void => {
    i++;
    for (let k = 1; k < word.length; k++) {
      if (i >= n) throw new JsonPositionError('EOF while parsing a value', n);
      if (text[i] !== word[k]) throw peekError('expected ident');
      i++;
    }
  };

  const isDigit = (ch: string | undefined): boolean => ch !== undefined && ch >= '0' && ch <= '9';

  const parseNumber = (): JsonNode => {
    const start = i;
    if (text[i] === '-') {
      i++;
      if (i >= n) throw new JsonPositionError('EOF while parsing a value', n);
    }
    if (text[i] === '0') {
      i++;
      if (isDigit(text[i])) throw peekError('invalid number');
    } else if (isDigit(text[i])) {
      while (isDigit(text[i])) i++;
    } else {
      throw peekError('invalid number');
    }
    if (text[i] === '.') {
      i++;
      if (i >= n) throw new JsonPositionError('EOF while parsing a value', n);
      if (!isDigit(text[i])) throw peekError('invalid number');
      while (isDigit(text[i])) i++;
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      if (i >= n) throw new JsonPositionError('EOF while parsing a value', n);
      if (!isDigit(text[i])) throw peekError('invalid number');
      while (isDigit(text[i])) i++;
    }
    return { t: 'number', raw: text.slice(start, i), start, end: i };
  };

  const parseString = (): string => {
    // text[i] === '"'
    i++;
    let out = '';
    let chunkStart = i;
    for (;;) {
      if (i >= n) throw new JsonPositionError('EOF while parsing a string', n);
      const code = text.charCodeAt(i);
      if (code === 34) {
        out += text.slice(chunkStart, i);
        i++;
        return out;
      }
      if (code < 0x20) {
        i++;
        throw new JsonPositionError('control character (\\u0000-\\u001F) found while parsing a string', i);
      }
      if (code === 92) {
        out += text.slice(chunkStart, i);
        i++;
        if (i >= n) throw new JsonPositionError('EOF while parsing a string', n);
        const esc = text[i];
        i++;
        switch (esc) {
          case '"':
            out += '"';
            break;
          case '\\':
            out += '\\';
            break;
          case '/':
            out += '/';
            break;
          case 'b':
            out += '\b';
            break;
          case 'f':
            out += '\f';
            break;
          case 'n':
            out += '\n';
            break;
          case 'r':
            out += '\r';
            break;
          case 't':
            out += '\t';
            break;
          case 'u': {
            const hex = text.slice(i, i + 4);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
              if (i + 4 > n) throw new JsonPositionError('EOF while parsing a string', n);
              throw new JsonPositionError('invalid escape', i + 4);
            }
            i += 4;
            out += String.fromCharCode(parseInt(hex, 16));
            break;
          }
          default:
            throw new JsonPositionError('invalid escape', i);
        }
        chunkStart = i;
        continue;
      }
      i++;
    }
  };

  const parseObject = (depth: number): JsonNode => {
    if (depth > MAX_DEPTH) throw peekError('recursion limit exceeded');
    const start = i;
    i++; // {
    const entries: JsonEntry[] = [];
    skipWs();
    if (i >= n) throw new JsonPositionError('EOF while parsing an object', n);
    if (text[i] === '}') {
      i++;
      return { t: 'object', entries, start, end: i };
    }
    for (;;) {
      skipWs();
      if (i >= n) throw new JsonPositionError('EOF while parsing an object', n);
      if (text[i] !== '"') throw peekError('key must be a string');
      const key = parseString();
      const keyEnd = i;
      skipWs();
      if (i >= n) throw new JsonPositionError('EOF while parsing an object', n);
      if (text[i] !== ':') throw peekError('expected `:`');
      i++;
      const value = parseValue(depth);
      entries.push({ key, keyEnd, value });
      skipWs();
      if (i >= n) throw new JsonPositionError('EOF while parsing an object', n);
      if (text[i] === ',') {
        i++;
        skipWs();
        if (i >= n) throw new JsonPositionError('EOF while parsing a value', n);
        if (text[i] === '}') throw peekError('trailing comma');
        continue;
      }
      if (text[i] === '}') {
        i++;
        return { t: 'object', entries, start, end: i };
      }
      throw peekError('expected `,` or `}`');
    }
  };

  const parseArray = (depth: number): JsonNode => {
    if (depth > MAX_DEPTH) throw peekError('recursion limit exceeded');
    const start = i;
    i++; // [
    const items: JsonNode[] = [];
    skipWs();
    if (i >= n) throw new JsonPositionError('EOF while parsing a list', n);
    if (text[i] === ']') {
      i++;
      return { t: 'array', items, start, end: i };
    }
    for (;;) {
      items.push(parseValue(depth));
      skipWs();
      if (i >= n) throw new JsonPositionError('EOF while parsing a list', n);
      if (text[i] === ',') {
        i++;
        skipWs();
        if (i >= n) throw new JsonPositionError('EOF while parsing a value', n);
        if (text[i] === ']') throw peekError('trailing comma');
        continue;
      }
      if (text[i] === ']') {
        i++;
        return { t: 'array', items, start, end: i };
      }
      throw peekError('expected `,` or `]`');
    }
  };

  const root = parseValue(0);
  skipWs();
  if (i < n) throw peekError('trailing characters');
  return root;
}

/** Converts a node to a plain JS value (numbers through Number; callers check ranges on `raw`). */
export function toPlain(node: JsonNode): unknown {
  switch (node.t) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const e of node.entries) {
        // Own data property even for `__proto__`: parsed input never touches a prototype.
        Object.defineProperty(out, e.key, { value: toPlain(e.value), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    case 'array':
      return node.items.map(toPlain);
    case 'string':
    case 'boolean':
      return node.value;
    case 'number':
      return Number(node.raw);
    case 'null':
      return null;
  }
}
