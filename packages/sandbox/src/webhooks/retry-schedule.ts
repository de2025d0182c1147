/**
 * HS's default outgoing-webhook retry mapping (`pt_mapping_outgoing_webhooks`): retry 1 one minute
 * after the event, retries 2-3 every 5 min, 4-8 every 10 min, 9-13 hourly, 14-16 every 6 h.
 * 16 retries over about 24 h, then RETRIES_EXCEEDED.
 */
export const RETRY_DELAYS_SECONDS: readonly number[] = [
  60,
  ...Array<number>(2).fill(5 * 60),
  ...Array<number>(5).fill(10 * 60),
  ...Array<number>(5).fill(60 * 60),
  ...Array<number>(3).fill(6 * 60 * 60),
];

export const MAX_AUTOMATIC_RETRIES = RETRY_DELAYS_SECONDS.length;

/** Delay before automatic retry number `retry` (1-based), scaled; undefined once retries are exhausted. */
export function retryDelayMs(retry: number, timeScale: number): number | undefined {
  const seconds = RETRY_DELAYS_SECONDS[retry - 1];
  return seconds === undefined ? undefined : seconds * 1000 * timeScale;
}
