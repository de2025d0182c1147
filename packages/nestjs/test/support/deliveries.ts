import { signWebhookPayload, WEBHOOK_SIGNATURE_HEADER } from '@paymnt/client';

/** One delivery attempt as the sender saw it. */
export interface DeliveryAttempt {
  /** What the test delivers (a transition key, an event id...). */
  key: string;
  url: string;
  /** HTTP status; 0 when no answer came within the sender's timeout (or the connection failed). */
  status: number;
  outcome: string | undefined;
  startedAt: number;
  endedAt: number;
}

/** POSTs a signed webhook like the API does, giving up after `timeoutMs` (status 0). */
export async function deliverOnce(key: string, url: string, body: string, secret: string, timeoutMs: number): Promise<DeliveryAttempt> {
  const startedAt = Date.now();
  let status = 0;
  let outcome: string | undefined;
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [WEBHOOK_SIGNATURE_HEADER]: signWebhookPayload(body, secret) },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    status = response.status;
    const text = await response.text();
    outcome = status < 300 ? (JSON.parse(text) as { outcome?: string }).outcome : undefined;
  } catch {
    status = 0;
  }
  return { key, url, status, outcome, startedAt, endedAt: Date.now() };
}

export interface DeliveryOptions {
  secret: string;
  /** The sender's own timeout of one attempt (the API's is 30 s). */
  timeoutMs: number;
  /** Pause between two attempts of one event. */
  retryDelayMs: number;
  /** Give up (throw) after this long. */
  deadlineMs: number;
}

/**
 * Delivers each event like the API: again while the answer is not 2xx, each attempt to the next URL
 * (round robin over instances), with `concurrency` events in flight. Every attempt is appended to `log`.
 */
export async function deliverAll(
  events: ReadonlyArray<{ key: string; body: string }>,
  urls: readonly string[],
  concurrency: number,
  options: DeliveryOptions,
  log: DeliveryAttempt[],
): Promise<void> {
  const deadline = Date.now() + options.deadlineMs;
  let next = 0;
  let turn = 0;
  const lane = async (): Promise<void> => {
    while (next < events.length) {
      const event = events[next++];
      for (;;) {
        const attempt = await deliverOnce(event.key, urls[turn++ % urls.length], event.body, options.secret, options.timeoutMs);
        log.push(attempt);
        if (attempt.status >= 200 && attempt.status < 300) break;
        if (Date.now() > deadline) throw new Error(`${event.key} was not acknowledged within ${options.deadlineMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, options.retryDelayMs));
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
}

/** Resolves once `check()` is true; throws after `timeoutMs`. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Median and maximum of durations, in milliseconds. */
export function durations(attempts: readonly DeliveryAttempt[]): { median: number; max: number } {
  const ms = attempts.map((a) => a.endedAt - a.startedAt).sort((x, y) => x - y);
  return { median: ms.length === 0 ? 0 : ms[Math.floor(ms.length / 2)], max: ms.length === 0 ? 0 : ms[ms.length - 1] };
}
