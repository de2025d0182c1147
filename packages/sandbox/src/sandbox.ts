import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Dispute, Payment, Refund } from '@paymnt/client';
import { FaultInjector, type FaultController } from './faults/fault-injector';
import { createPipeline, type PipelineHooks } from './http/server';
import { Router } from './http/router';
import type { RouteDef } from './http/route-types';
import { IdempotencyStore } from './idempotency/idempotency-store';
import { controlRoutes } from './routes/control.routes';
import { customerRoutes } from './routes/customers.routes';
import { disputeControlRoutes } from './routes/dispute-control.routes';
import { disputeRoutes } from './routes/disputes.routes';
import { eventRoutes } from './routes/events.routes';
import { mandateRoutes } from './routes/mandates.routes';
import { paymentMethodRoutes } from './routes/payment-methods.routes';
import { paymentRoutes } from './routes/payments.routes';
import { refundRoutes } from './routes/refunds.routes';
import { threeDsRoutes } from './routes/three-ds.routes';
import type { SandboxApp } from './sandbox-app';
import { resolveOptions, type SandboxOptions } from './sandbox-options';
import { newCounters, type SandboxCounters } from './state/counters';
import { CustomerService } from './state/customer-service';
import { DisputeService } from './state/dispute-service';
import { KeyedLock } from './state/keyed-lock';
import { MandateService } from './state/mandate-service';
import { PaymentMethodService } from './state/payment-method-service';
import { RecurringPayments } from './state/recurring-payments';
import { PaymentService } from './state/payment-service';
import { RefundService } from './state/refund-service';
import { SandboxStore } from './state/sandbox-store';
import { refundView } from './state/views';
import { WebhookDispatcher, type DeliveryAttemptRecord, type WebhookEventRecord } from './webhooks/webhook-dispatcher';

/** A profile as configured (secrets included: this is the test's own sandbox). */
export interface SandboxProfileInfo {
  profileId: string;
  webhookUrl: string | null;
  webhookSecret: string;
  returnUrl: string | null;
  manualRetryEnabled: boolean;
}

export interface SandboxMerchantInfo {
  merchantId: string;
  apiKey: string;
  publishableKey: string;
  profiles: SandboxProfileInfo[];
}

/** An outgoing webhook event, as recorded (read-only copy). */
export type SandboxWebhookEvent = Readonly<WebhookEventRecord>;
/** One delivery attempt of an event, as recorded (read-only copy). */
export type SandboxDeliveryAttempt = Readonly<DeliveryAttemptRecord>;

/** Read-only inspection of the sandbox's state, for tests. Objects are the API's views. */
export interface SandboxState {
  /** A payment by id (any merchant unless `merchantId` is given). */
  getPayment(paymentId: string, merchantId?: string): Payment | undefined;
  getRefund(refundId: string, merchantId?: string): Refund | undefined;
  /** Payments, oldest first. */
  listPayments(merchantId?: string): Payment[];
  /** Refunds, oldest first. */
  listRefunds(merchantId?: string): Refund[];
  getDispute(disputeId: string, merchantId?: string): Dispute | undefined;
  /** Disputes, oldest first. */
  listDisputes(merchantId?: string): Dispute[];
  /** Webhook events (one per object and event type), oldest first. */
  listEvents(): SandboxWebhookEvent[];
  /** Delivery attempts, oldest first; only those of one event when `eventId` is given. */
  listDeliveryAttempts(eventId?: string): SandboxDeliveryAttempt[];
  /** Running totals (a snapshot). */
  readonly counters: Readonly<SandboxCounters>;
}

export interface Sandbox {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** The default merchant's secret key (`api-key` header). */
  readonly apiKey: string;
  readonly merchantId: string;
  /** The default merchant's default profile. */
  readonly profileId: string;
  /** The default profile's `payment_response_hash_key`: verifies webhooks and 3DS redirects. */
  readonly webhookSecret: string;
  readonly publishableKey: string;
  /** Every merchant (the default one first) with its profiles. */
  readonly merchants: readonly SandboxMerchantInfo[];
  /** Fault rules, like the `/__sandbox/faults` route. */
  readonly faults: FaultController;
  readonly state: SandboxState;
  /** Where a profile's webhooks go (default profile when `profileId` is omitted); null: nowhere. */
  setWebhookUrl(url: string | null, profileId?: string): void;
  /** Switches webhook delivery off (events are still recorded, never sent automatically) and on. */
  setWebhooksEnabled(enabled: boolean): void;
  /**
   * Opens a dispute on a payment that captured money (the default merchant's unless `merchantId`
   * is given), like `POST /__sandbox/disputes`: `amount` defaults to the captured amount.
   */
  openDispute(paymentId: string, opts?: { amount?: number; reason?: string; merchantId?: string }): Dispute;
  /** The processor's verdict on a dispute, like `POST /__sandbox/disputes/{id}`. */
  settleDispute(disputeId: string, status: 'won' | 'lost' | 'expired' | 'cancelled', merchantId?: string): Promise<Dispute>;
  /** Resolves when no webhook delivery is in flight (scheduled future retries do not count). */
  waitForWebhooks(): Promise<void>;
  /** Stops the server, pending webhook retries and timers; drops hanging connections. */
  close(): Promise<void>;
}

/** Every route the sandbox serves (its router is built from this list; tests check their coverage against it). */
export const ALL_ROUTES: readonly RouteDef<SandboxApp>[] = [
  ...paymentRoutes,
  ...refundRoutes,
  ...customerRoutes,
  ...paymentMethodRoutes,
  ...mandateRoutes,
  ...disputeRoutes,
  ...eventRoutes,
  ...threeDsRoutes,
  ...controlRoutes,
  ...disputeControlRoutes,
];

function hostForUrl(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/** Starts a sandbox; resolves once it is listening. */
export async function createSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const resolved = resolveOptions(options);
  const counters = newCounters();
  const store = new SandboxStore(resolved.merchants);
  const lock = new KeyedLock();
  const logger = resolved.logger;
  const log = (line: string): void => {
    if (!logger) return;
    try {
      logger(line);
    } catch {
      // A throwing logger must not break the sandbox.
    }
  };
  const webhooks = new WebhookDispatcher({
    store,
    counters,
    enabled: resolved.webhooksEnabled,
    timeScale: resolved.webhookRetryTimeScale,
    timeoutMs: resolved.webhookTimeoutMs,
    logger: logger ? log : undefined,
  });
  let listeningUrl = '';
  const baseUrl = (): string => resolved.publicUrl ?? listeningUrl;
  const disputes = new DisputeService({ store, lock, webhooks, disputeDelayMs: resolved.disputeDelayMs, log });
  const customers = new CustomerService();
  const paymentMethods = new PaymentMethodService(customers);
  const mandates = new MandateService(webhooks);
  const recurring = new RecurringPayments({ customers, paymentMethods, mandates });
  const payments = new PaymentService({
    store,
    lock,
    webhooks,
    counters,
    connectorLatencyMs: resolved.connectorLatencyMs,
    baseUrl,
    recurring,
    onChanged: (p) => disputes.watchPayment(p),
  });
  const refunds = new RefundService({ store, lock, webhooks, counters, payments, connectorLatencyMs: resolved.connectorLatencyMs });
  const faults = new FaultInjector(resolved.faults);
  const idempotency = new IdempotencyStore();
  const app: SandboxApp = { options: resolved, store, payments, refunds, customers, paymentMethods, mandates, disputes, webhooks, faults, idempotency, counters, baseUrl, log };

  const hooks: PipelineHooks = { hanging: new Set(), sleepers: new Set() };
  const sockets = new Set<Socket>();
  const server: Server = createServer({ keepAliveTimeout: 5_000 }, createPipeline(app, new Router(ALL_ROUTES), hooks));
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_err, socket: Socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(resolved.port, resolved.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    disputes.close();
    idempotency.close();
    await webhooks.close();
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  listeningUrl = `http://${hostForUrl(resolved.host)}:${port}`;

  const main = resolved.merchants[0] as (typeof resolved.merchants)[number];
  const mainProfile = main.profiles[0] as (typeof main.profiles)[number];

  const merchantsOf = (merchantId?: string) => (merchantId ? resolved.merchants.filter((m) => m.merchantId === merchantId) : resolved.merchants);
  const state: SandboxState = {
    getPayment(paymentId, merchantId) {
      for (const m of merchantsOf(merchantId)) {
        const p = store.getPayment(m.merchantId, paymentId);
        if (p) return payments.view(p, { expandAttempts: true, expandCaptures: true });
      }
      return undefined;
    },
    getRefund(refundId, merchantId) {
      for (const m of merchantsOf(merchantId)) {
        const r = store.getRefund(m.merchantId, refundId);
        if (r) return refundView(r);
      }
      return undefined;
    },
    listPayments(merchantId) {
      return store
        .allPayments()
        .filter((p) => !merchantId || p.merchantId === merchantId)
        .map((p) => payments.view(p));
    },
    listRefunds(merchantId) {
      return store
        .allRefunds()
        .filter((r) => !merchantId || r.merchantId === merchantId)
        .map(refundView);
    },
    getDispute(disputeId, merchantId) {
      for (const m of merchantsOf(merchantId)) {
        const d = store.getDispute(m.merchantId, disputeId);
        if (d) return disputes.view(d);
      }
      return undefined;
    },
    listDisputes(merchantId) {
      return store
        .allDisputes()
        .filter((d) => !merchantId || d.merchantId === merchantId)
        .map((d) => disputes.view(d));
    },
    listEvents() {
      return webhooks.listEvents().map((e) => ({ ...e, headers: e.headers.map((h) => [...h] as [string, string]) }));
    },
    listDeliveryAttempts(eventId) {
      return webhooks.listAttempts(eventId).map((a) => ({ ...a, request: { ...a.request }, response: { ...a.response } }));
    },
    get counters() {
      return { ...counters };
    },
  };

  let closing: Promise<void> | undefined;
  const sandbox: Sandbox = {
    url: listeningUrl,
    port,
    apiKey: main.apiKey,
    merchantId: main.merchantId,
    profileId: mainProfile.profileId,
    webhookSecret: mainProfile.webhookSecret,
    publishableKey: main.publishableKey,
    get merchants() {
      return resolved.merchants.map((m) => ({
        merchantId: m.merchantId,
        apiKey: m.apiKey,
        publishableKey: m.publishableKey,
        profiles: m.profiles.map((p) => ({
          profileId: p.profileId,
          webhookUrl: p.webhookUrl,
          webhookSecret: p.webhookSecret,
          returnUrl: p.returnUrl,
          manualRetryEnabled: p.manualRetryEnabled,
        })),
      }));
    },
    faults,
    state,
    setWebhookUrl(url, profileId) {
      const profile = store.profile(profileId ?? mainProfile.profileId);
      if (!profile) throw new TypeError(`setWebhookUrl: unknown profile ${profileId}`);
      if (url !== null && (typeof url !== 'string' || !/^https?:\/\//.test(url))) {
        throw new TypeError('setWebhookUrl: url must be an http(s) URL or null');
      }
      profile.webhookUrl = url;
    },
    setWebhooksEnabled(enabled) {
      webhooks.setEnabled(enabled);
    },
    openDispute(paymentId, opts = {}) {
      return disputes.open(opts.merchantId ?? main.merchantId, paymentId, { amount: opts.amount, reason: opts.reason });
    },
    settleDispute(disputeId, status, merchantId) {
      return disputes.settle(merchantId ?? main.merchantId, disputeId, status);
    },
    waitForWebhooks() {
      return webhooks.idle();
    },
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const s of hooks.sleepers) {
          clearTimeout(s.timer);
          s.resolve();
        }
        hooks.sleepers.clear();
        for (const socket of hooks.hanging) socket.destroy();
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
        disputes.close();
        idempotency.close();
        await webhooks.close();
        await closed;
      })();
      return closing;
    },
  };
  return sandbox;
}
