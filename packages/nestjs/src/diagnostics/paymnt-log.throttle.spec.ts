import { PaymntLogThrottle } from './paymnt-log.throttle';

describe('PaymntLogThrottle', () => {
  it('lets one line per key through per interval and counts the ones held back', () => {
    const throttle = new PaymntLogThrottle(60_000);
    expect(throttle.take('no_match', 1_000)).toBe(0);
    expect(throttle.take('no_match', 2_000)).toBeUndefined();
    expect(throttle.take('no_match', 60_999)).toBeUndefined();
    expect(throttle.take('missing_header', 3_000)).toBe(0);
    expect(throttle.take('no_match', 61_000)).toBe(2);
    expect(throttle.take('no_match', 61_001)).toBeUndefined();
    expect(throttle.take('no_match', 200_000)).toBe(1);
  });
});
