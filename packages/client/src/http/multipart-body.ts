import { randomBytes } from 'node:crypto';

/** A text field or a file of a multipart/form-data body. */
export type MultipartField = { name: string; value: string } | { name: string; fileName: string; contentType: string; data: Uint8Array };

/**
 * Builds a multipart/form-data body by hand (RFC 7578): the bytes are ready before the first
 * attempt, so a retry resends exactly the same body. Names and file names are validated by the
 * caller (no quotes or line breaks).
 */
export function buildMultipart(fields: readonly MultipartField[]): { contentType: string; data: Uint8Array } {
  const boundary = `----paymnt-${randomBytes(12).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const field of fields) {
    if ('value' in field) {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field.name}"\r\n\r\n${field.value}\r\n`, 'utf8'));
    } else {
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${field.name}"; filename="${field.fileName}"\r\nContent-Type: ${field.contentType}\r\n\r\n`,
          'utf8',
        ),
        Buffer.from(field.data.buffer, field.data.byteOffset, field.data.byteLength),
        Buffer.from('\r\n'),
      );
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { contentType: `multipart/form-data; boundary=${boundary}`, data: Buffer.concat(chunks) };
}
