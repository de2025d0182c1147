import { randomUUID } from 'node:crypto';
import type { AccountView } from '../accounts/account';
import type { OrderItem, OrderView } from '../orders/order';
import type { RenewalResult, Subscription } from '../subscriptions/subscription';
import type { Timeline } from './timeline';

export interface ShopResponse<T> {
  status: number;
  body: T;
}

/** A card as the shop's `POST /orders/:id/pay` takes it. */
export interface DemoCard {
  number: string;
  expMonth: string;
  expYear: string;
  cvc: string;
}

/** Error bodies of the shop: Nest's (`message` may be a list) or `PaymntExceptionFilter`'s. */
interface ErrorBody {
  message?: string | string[];
}

function summary(status: number, body: unknown): string {
  if (status >= 400) {
    const message = (body as ErrorBody | null)?.message;
    return Array.isArray(message) ? message.join('; ') : String(message ?? '');
  }
  const results = (body as { results?: RenewalResult[] } | null)?.results;
  if (Array.isArray(results)) return results.map((r) => `${r.subscriptionId} ${r.period}: ${r.outcome}${r.orderId ? ` ${r.orderId}` : ''}`).join('; ');
  const order = (body as { order?: OrderView }).order ?? (body as OrderView);
  if (typeof order?.status !== 'string') return '';
  const redirect = (body as { redirectUrl?: string | null }).redirectUrl ? ' (3DS: redirect the customer)' : '';
  const reason = order.status === 'payment_failed' && order.failureReason ? ` (${order.failureReason})` : '';
  return `${order.id} ${order.status}${reason}${redirect}`;
}

function total(items: OrderItem[]): number {
  return items.reduce((sum, item) => sum + item.quantity * item.unitAmount, 0);
}

/** `POST /orders/:id/checkout`: the order and what the browser confirms its payment with. */
export interface CheckoutView {
  order: OrderView;
  paymentId: string;
  clientSecret: string;
  publishableKey: string;
  apiBaseUrl: string;
}

/** The credential of a request: a bearer token, or none. */
export interface RequestOptions {
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** Leave the call off the timeline (used to poll). */
  quiet?: boolean;
}

/**
 * The demo's client of the shop's HTTP API: plain `fetch`, each call on the timeline. It plays both
 * sides: the customer, with each order's access token (kept from `POST /orders`), and the merchant,
 * with the admin token. Neither token is ever printed.
 */
export class ShopApi {
  private readonly orderTokens = new Map<string, string>();
  private readonly accountTokens = new Map<string, string>();

  constructor(
    readonly baseUrl: string,
    private readonly timeline: Timeline,
    private readonly adminToken: string,
  ) {}

  async request<T>(method: 'GET' | 'POST', path: string, body?: unknown, options: RequestOptions = {}): Promise<ShopResponse<T>> {
    const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    const parsed = (text === '' ? null : JSON.parse(text)) as T;
    if (options.quiet !== true) this.timeline.add('shop', `${method} ${path} → ${response.status} ${summary(response.status, parsed)}`.trimEnd());
    return { status: response.status, body: parsed };
  }

  /** The admin token, for requests made as the merchant. */
  get admin(): RequestOptions {
    return { token: this.adminToken };
  }

  /** The order's access token, as its customer (known for the orders this client created). */
  customerOf(orderId: string): RequestOptions {
    return { token: this.orderTokens.get(orderId) };
  }

  /** The account's token, as its holder (known for the accounts this client created). */
  accountOf(accountId: string): RequestOptions {
    return { token: this.accountTokens.get(accountId) };
  }

  async createOrder(items: OrderItem[], currency = 'USD'): Promise<ShopResponse<OrderView & { accessToken: string }>> {
    return this.keepOrderToken(await this.request<OrderView & { accessToken: string }>('POST', '/orders', { amount: total(items), currency, items }));
  }

  pay(orderId: string, card: DemoCard, options: { saveCard?: boolean } = {}): Promise<ShopResponse<{ order: OrderView; redirectUrl: string | null }>> {
    return this.request('POST', `/orders/${orderId}/pay`, { card, ...options }, this.customerOf(orderId));
  }

  /** What the checkout page gets to confirm the order's payment in the browser. */
  checkout(orderId: string): Promise<ShopResponse<CheckoutView>> {
    return this.request('POST', `/orders/${orderId}/checkout`, {}, this.customerOf(orderId));
  }

  async createAccount(email: string): Promise<ShopResponse<AccountView & { accessToken: string }>> {
    const response = await this.request<AccountView & { accessToken: string }>('POST', '/accounts', { email });
    if (response.status === 201) this.accountTokens.set(response.body.id, response.body.accessToken);
    return response;
  }

  account(accountId: string): Promise<ShopResponse<AccountView>> {
    return this.request('GET', `/accounts/${accountId}`, undefined, { ...this.accountOf(accountId), quiet: true });
  }

  /** An order placed from the account (so that paying it may save the card). */
  async createAccountOrder(accountId: string, items: OrderItem[], currency = 'USD'): Promise<ShopResponse<OrderView & { accessToken: string }>> {
    const body = { amount: total(items), currency, items };
    return this.keepOrderToken(await this.request<OrderView & { accessToken: string }>('POST', `/accounts/${accountId}/orders`, body, this.accountOf(accountId)));
  }

  /** One-click reorder: the items of `orderId` again, charged to a saved card (a new key per click unless given). */
  async reorder(accountId: string, orderId: string, mandateId?: string, idempotencyKey: string = randomUUID()): Promise<ShopResponse<OrderView & { accessToken: string }>> {
    const body = mandateId === undefined ? { orderId, idempotencyKey } : { orderId, idempotencyKey, mandateId };
    return this.keepOrderToken(await this.request<OrderView & { accessToken: string }>('POST', `/accounts/${accountId}/reorder`, body, this.accountOf(accountId)));
  }

  revokeCard(accountId: string, mandateId: string): Promise<ShopResponse<AccountView>> {
    return this.request('POST', `/accounts/${accountId}/cards/${mandateId}/revoke`, {}, this.accountOf(accountId));
  }

  ship(orderId: string, amount?: number): Promise<ShopResponse<OrderView>> {
    return this.request('POST', `/orders/${orderId}/ship`, amount === undefined ? {} : { amount }, this.admin);
  }

  cancel(orderId: string): Promise<ShopResponse<OrderView>> {
    return this.request('POST', `/orders/${orderId}/cancel`, {}, this.admin);
  }

  refund(orderId: string, amount?: number): Promise<ShopResponse<{ order: OrderView; refund: { refund_id: string; status: string } }>> {
    return this.request('POST', `/orders/${orderId}/refund`, amount === undefined ? {} : { amount }, this.admin);
  }

  sync(orderId: string): Promise<ShopResponse<OrderView>> {
    return this.request('POST', `/orders/${orderId}/sync`, {}, this.admin);
  }

  /** Challenges the order's chargeback, as the merchant. */
  submitEvidence(orderId: string, evidence: { productDescription: string; shippingCarrier?: string; shippingTrackingNumber?: string; note?: string }): Promise<ShopResponse<OrderView>> {
    return this.request('POST', `/orders/${orderId}/dispute/evidence`, evidence, this.admin);
  }

  /** Accepts the order's chargeback, as the merchant. */
  acceptDispute(orderId: string): Promise<ShopResponse<OrderView>> {
    return this.request('POST', `/orders/${orderId}/dispute/accept`, {}, this.admin);
  }

  subscribe(accountId: string, orderId: string): Promise<ShopResponse<Subscription>> {
    return this.request('POST', `/accounts/${accountId}/subscriptions`, { orderId }, this.accountOf(accountId));
  }

  /** The renewal run for `period`, as the merchant's monthly job. */
  renewals(period: string): Promise<ShopResponse<{ results: RenewalResult[] }>> {
    return this.request('POST', '/subscriptions/renewals', { period }, this.admin);
  }

  private keepOrderToken<T extends { id: string; accessToken: string }>(response: ShopResponse<T>): ShopResponse<T> {
    if (response.status === 201) this.orderTokens.set(response.body.id, response.body.accessToken);
    return response;
  }

  /** Reads an order as its customer (as the merchant for orders made elsewhere), without putting it on the timeline (used to poll). */
  async order(orderId: string): Promise<OrderView> {
    const as = this.orderTokens.has(orderId) ? this.customerOf(orderId) : this.admin;
    return (await this.request<OrderView>('GET', `/orders/${orderId}`, undefined, { ...as, quiet: true })).body;
  }

  /** Every order, as the merchant. */
  async orders(): Promise<OrderView[]> {
    return (await this.request<OrderView[]>('GET', '/orders', undefined, { ...this.admin, quiet: true })).body;
  }
}
