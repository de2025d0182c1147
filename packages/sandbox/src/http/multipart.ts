/**
 * A multipart/form-data reader for the one route that takes files (`PUT /disputes/evidence`).
 * Like HS's loop over actix-multipart (`while let Ok(Some(field))`), a malformed stream just ends
 * the parts: the route then reports the first required part that is missing.
 */

export interface MultipartPart {
  name: string;
  filename: string | null;
  contentType: string | null;
  data: Buffer;
}

/** The boundary of a `multipart/form-data` Content-Type, or undefined. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  const [essence, ...params] = contentType.split(';');
  if ((essence as string).trim().toLowerCase() !== 'multipart/form-data') return undefined;
  for (const param of params) {
    const eq = param.indexOf('=');
    if (eq < 0 || param.slice(0, eq).trim().toLowerCase() !== 'boundary') continue;
    const value = param.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
    return value.length > 0 && value.length <= 200 ? value : undefined;
  }
  return undefined;
}

function dispositionParam(header: string, name: string): string | null {
  const m = new RegExp(`(?:^|;)\\s*${name}="([^"]*)"`, 'i').exec(header) ?? new RegExp(`(?:^|;)\\s*${name}=([^;\\s]*)`, 'i').exec(header);
  return m ? (m[1] as string) : null;
}

/** The parts read before the end (or the first malformed byte) of the body. */
export function parseMultipart(contentType: string | undefined, body: Buffer): MultipartPart[] {
  const boundary = multipartBoundary(contentType);
  if (!boundary) return [];
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let pos = body.indexOf(delimiter);
  if (pos < 0) return parts;
  for (;;) {
    pos += delimiter.length;
    // `--` after a delimiter closes the stream.
    if (body.subarray(pos, pos + 2).toString('latin1') === '--') return parts;
    if (body.subarray(pos, pos + 2).toString('latin1') !== '\r\n') return parts;
    pos += 2;
    const headerEnd = body.indexOf('\r\n\r\n', pos);
    if (headerEnd < 0) return parts;
    const headers = body.subarray(pos, headerEnd).toString('utf8').split('\r\n');
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd + 4);
    if (next < 0) return parts;
    let disposition = '';
    let partType: string | null = null;
    for (const line of headers) {
      const colon = line.indexOf(':');
      if (colon < 0) continue;
      const key = line.slice(0, colon).trim().toLowerCase();
      if (key === 'content-disposition') disposition = line.slice(colon + 1).trim();
      else if (key === 'content-type') partType = line.slice(colon + 1).trim();
    }
    const name = dispositionParam(disposition, 'name');
    if (name === null || !/^form-data\b/i.test(disposition)) return parts;
    parts.push({ name, filename: dispositionParam(disposition, 'filename'), contentType: partType, data: body.subarray(headerEnd + 4, next) });
    pos = next + 2;
  }
}
