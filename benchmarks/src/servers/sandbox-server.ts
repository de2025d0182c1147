import { loadPackage } from '../lib/packages';
import type { ServerRole } from './role';

/** The part of @paymnt/sandbox the benchmark uses (loaded at run time, see lib/packages.ts). */
interface PaymntSandbox {
  createSandbox(options?: Record<string, unknown>): Promise<{ url: string; close(): Promise<void> }>;
}

/** A sandbox on 127.0.0.1 with a known key, webhooks off (no receiver: only the API is measured). */
export async function startSandboxServer(config: { apiKey: string }): Promise<ServerRole> {
  const { createSandbox } = loadPackage<PaymntSandbox>('@paymnt/sandbox', ['createSandbox']);
  const sandbox = await createSandbox({ apiKey: config.apiKey, port: 0, host: '127.0.0.1', webhooksEnabled: false });
  return { port: Number(new URL(sandbox.url).port), close: () => sandbox.close() };
}
