import { createSandbox, type Sandbox, type SandboxOptions, type SandboxWebhookEvent } from '@paymnt/sandbox';
import type { PaymntModuleOptions } from '../options/paymnt-module-options.interface';

/** Options of `waitForWebhooksAcknowledged`. */
export interface WaitForWebhooksOptions {
  /**
   * Give up (reject) after this many milliseconds.
   * @default 10000
   */
  timeoutMs?: number;
}

/** An in-process sandbox wired for a `PaymntModule` under test. */
export interface PaymntTestingSandbox {
  /** The running sandbox: `url`, `apiKey`, `webhookSecret`, `state`, `faults`... */
  readonly sandbox: Sandbox;
  /**
   * `PaymntModule` options pointing at this sandbox (its key and publishable key, URL, profile and
   * webhook secret), with short client retry delays. `webhookPath` adds the built-in webhook route.
   */
  moduleOptions(webhookPath?: string): PaymntModuleOptions;
  /** Sends the default profile's webhooks to `url` (e.g. `await app.getUrl() + '/webhooks/paymnt'`). */
  pointWebhooksAt(url: string): void;
  /**
   * Resolves once every webhook recorded so far was acknowledged (2xx), retries included;
   * rejects when one ran out of retries or on timeout.
   */
  waitForWebhooksAcknowledged(options?: WaitForWebhooksOptions): Promise<readonly SandboxWebhookEvent[]>;
  /** Stops the sandbox (server, webhook retries, timers). */
  close(): Promise<void>;
}

/**
 * Starts `@paymnt/sandbox` in-process on 127.0.0.1 (port 0), with HS's webhook retry schedule
 * scaled down to milliseconds (`webhookRetryTimeScale: 0.001` unless given), and returns what a
 * test needs to wire `PaymntModule` to it.
 *
 * ```ts
 * const paymnt = await createPaymntTestingSandbox();
 * const moduleRef = await Test.createTestingModule({ imports: [EventEmitterModule.forRoot(), PaymntModule.forRoot(paymnt.moduleOptions('webhooks/paymnt'))] }).compile();
 * ```
 */
export async function createPaymntTestingSandbox(options: SandboxOptions = {}): Promise<PaymntTestingSandbox> {
  const sandbox = await createSandbox({ port: 0, webhookRetryTimeScale: 0.001, ...options });
  return {
    sandbox,
    moduleOptions(webhookPath?: string): PaymntModuleOptions {
      return {
        apiKey: sandbox.apiKey,
        publishableKey: sandbox.publishableKey,
        baseUrl: sandbox.url,
        profileId: sandbox.profileId,
        merchantId: sandbox.merchantId,
        initialRetryDelayMs: 20,
        maxRetryDelayMs: 200,
        webhook: webhookPath === undefined ? { secret: sandbox.webhookSecret } : { secret: sandbox.webhookSecret, path: webhookPath },
      };
    },
    pointWebhooksAt(url: string): void {
      sandbox.setWebhookUrl(url);
    },
    waitForWebhooksAcknowledged(waitOptions: WaitForWebhooksOptions = {}): Promise<readonly SandboxWebhookEvent[]> {
      return waitForAcknowledged(sandbox, waitOptions.timeoutMs ?? 10_000);
    },
    close(): Promise<void> {
      return sandbox.close();
    },
  };
}

async function waitForAcknowledged(sandbox: Sandbox, timeoutMs: number): Promise<readonly SandboxWebhookEvent[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await sandbox.waitForWebhooks();
    const events = sandbox.state.listEvents();
    const exhausted = events.find((event) => event.retriesExhausted);
    if (exhausted !== undefined) {
      throw new Error(`Webhook ${exhausted.eventId} (${exhausted.eventType}) was never acknowledged: its retries ran out.`);
    }
    const pending = events.filter((event) => event.isDeliverySuccessful !== true);
    if (pending.length === 0) return events;
    if (Date.now() > deadline) {
      throw new Error(`Webhooks not acknowledged after ${timeoutMs} ms: ${pending.map((e) => `${e.eventType} ${e.eventId}`).join(', ')}`);
    }
    // Scheduled retries are not "in flight": wait a little for the next one.
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
