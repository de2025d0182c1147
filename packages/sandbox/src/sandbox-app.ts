import type { FaultInjector } from './faults/fault-injector';
import type { IdempotencyStore } from './idempotency/idempotency-store';
import type { ResolvedOptions } from './sandbox-options';
import type { SandboxCounters } from './state/counters';
import type { CustomerService } from './state/customer-service';
import type { MandateService } from './state/mandate-service';
import type { PaymentMethodService } from './state/payment-method-service';
import type { DisputeService } from './state/dispute-service';
import type { PaymentService } from './state/payment-service';
import type { RefundService } from './state/refund-service';
import type { SandboxStore } from './state/sandbox-store';
import type { WebhookDispatcher } from './webhooks/webhook-dispatcher';

/** Everything a route handler may use. */
export interface SandboxApp {
  options: ResolvedOptions;
  store: SandboxStore;
  payments: PaymentService;
  refunds: RefundService;
  customers: CustomerService;
  paymentMethods: PaymentMethodService;
  mandates: MandateService;
  disputes: DisputeService;
  webhooks: WebhookDispatcher;
  faults: FaultInjector;
  idempotency: IdempotencyStore;
  counters: SandboxCounters;
  /** Base URL for links handed out (3DS), without trailing slash. */
  baseUrl(): string;
  log(line: string): void;
}
