/**
 * The file's type from its first bytes, as HS does with the `infer` crate (the name and the part's
 * Content-Type are not trusted). The common document and image formats are recognised; others
 * (plain text included, which `infer` cannot tell either) are not.
 */
const SIGNATURES: ReadonlyArray<{ mime: string; test: (b: Buffer) => boolean }> = [
  { mime: 'application/pdf', test: (b) => b.subarray(0, 4).toString('latin1') === '%PDF' },
  { mime: 'image/png', test: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { mime: 'image/jpeg', test: (b) => b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { mime: 'image/gif', test: (b) => /^GIF8[79]a/.test(b.subarray(0, 6).toString('latin1')) },
  { mime: 'image/webp', test: (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP' },
  { mime: 'image/tiff', test: (b) => ['II*\u0000', 'MM\u0000*'].includes(b.subarray(0, 4).toString('latin1')) },
  { mime: 'image/bmp', test: (b) => b.subarray(0, 2).toString('latin1') === 'BM' && b.length >= 14 },
  { mime: 'application/zip', test: (b) => b.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04])) },
];

export function sniffFileType(data: Buffer): string | undefined {
  return SIGNATURES.find((s) => s.test(data))?.mime;
}
