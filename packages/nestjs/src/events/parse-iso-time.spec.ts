import { parseIsoTime } from './parse-iso-time';

describe('parseIsoTime', () => {
  it.each([
    '2026-06-01T12:34:56.789Z',
    '2026-06-01T12:34:56Z',
    '2026-06-01T12:34:56.7Z',
    '2026-06-01T12:34:56.78Z',
    '2026-06-01T12:34:56.789123Z',
    '2026-06-01T12:34:56.999999999Z',
    '2026-06-01T12:34:56.9999999999Z',
    '1970-01-01T00:00:00.000Z',
    '1969-12-31T23:59:59.999Z',
    '0000-01-01T00:00:00Z',
    '0099-03-01T00:00:00Z',
    '2000-02-29T00:00:00Z',
    '2100-02-29T00:00:00Z',
    '2026-02-30T00:00:00Z',
    '2026-04-31T23:59:59Z',
    '9999-12-31T23:59:59.999Z',
    // Left to Date.parse: other shapes and out-of-range fields.
    '2026-01-01T24:00:00Z',
    '2026-01-01T00:00:60Z',
    '2026-13-01T00:00:00Z',
    '2026-00-01T00:00:00Z',
    '2026-01-00T00:00:00Z',
    '2026-01-32T00:00:00Z',
    '2026-01-01T00:60:00Z',
    '2026-01-01T00:00:00.Z',
    '2026-01-01T00:00:00z',
    '2026-01-01t00:00:00Z',
    '2026-01-01T00:00:00+02:00',
    '2026-01-01T00:00:00',
    '2026-01-01',
    '+002026-01-01T00:00:00Z',
    '2026-01-01 00:00:00Z',
    '2026-01-01T00:00:00.12aZ',
    '2026-0a-01T00:00:00.000Z',
    'Thu, 01 Jan 2026 00:00:00 GMT',
    '',
    'not a date',
    '２０２６-01-01T00:00:00Z',
  ])('%j is what Date.parse says', (value) => {
    expect(parseIsoTime(value)).toBe(Date.parse(value));
  });

  it('agrees with Date.parse on 20,000 random timestamps (with 0 to 9 fraction digits)', () => {
    let seed = 20260601;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const mismatches: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const iso = new Date(Math.floor((random() * 2 - 0.5) * 4e12)).toISOString();
      const fractionDigits = Math.floor(random() * 10);
      const fraction = fractionDigits === 0 ? '' : `.${String(Math.floor(random() * 10 ** fractionDigits)).padStart(fractionDigits, '0')}`;
      const value = `${iso.slice(0, 19)}${fraction}Z`;
      if (!Object.is(parseIsoTime(value), Date.parse(value))) mismatches.push(value);
    }
    expect(mismatches).toEqual([]);
  });
});
