import { createSandbox, type Sandbox, type SandboxOptions } from '@paymnt/sandbox';
import { PaymntClient } from '@paymnt/client';

export interface SandboxClientFixture {
  readonly sandbox: Sandbox;
  readonly client: PaymntClient;
  /** Requests the client has sent so far (to prove a refusal happened before the network). */
  readonly requests: number;
}

/** A fresh sandbox and a client on it for the enclosing `describe`, started and closed by Jest hooks. */
export function useSandboxClient(options: SandboxOptions = { webhooksEnabled: false }): SandboxClientFixture {
  const state = { sandbox: undefined as unknown as Sandbox, client: undefined as unknown as PaymntClient, requests: 0 };
  beforeAll(async () => {
    state.sandbox = await createSandbox(options);
    state.client = new PaymntClient({ apiKey: state.sandbox.apiKey, baseUrl: state.sandbox.url, initialRetryDelayMs: 1, maxRetryDelayMs: 20 });
    state.client.on('request', () => state.requests++);
  });
  afterAll(async () => {
    await state.client.close();
    await state.sandbox.close();
  });
  return state;
}

/** What a promise rejected with, or undefined when it resolved. */
export function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (e: unknown) => e,
  );
}
