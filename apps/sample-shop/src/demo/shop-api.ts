import type { OrderItem, OrderView } from '../orders/order';
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
  const order = (body as { order?: OrderView }).order ?? (body as OrderView);
  if (typeof order?.status !== 'string') return '';
  const redirect = (body as { redirectUrl?: string | null }).redirectUrl ? ' (3DS: redirect the customer)' : '';
  const reason = order.status === 'payment_failed' && order.failureReason ? ` (${order.failureReason})` : '';
  return `${order.id} ${order.status}${reason}${redirect}`;
}

/** The demo's client of the shop's HTTP API: plain `fetch`, each call on the timeline. */
export class ShopApi {
  constructor(
    readonly baseUrl: string,
    private readonly timeline: Timeline,
  ) {}

  async request<T>(method: 'GET' | 'POST', path: string, body?: unknown, quiet = false): Promise<ShopResponse<T>> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const parsed = (text === '' ? null : JSON.parse(text)) as T;
    if (!quiet) this.timeline.add('shop', `${method} ${path} → ${response.status} ${summary(response.status, parsed)}`.trimEnd());
    return { status: response.status, body: parsed };
  }

  createOrder(items: OrderItem[], currency = 'USD'): Promise<ShopResponse<OrderView>> {
    const amount = items.reduce((sum, item) => sum + item.quantity * item.unitAmount, 0);
    return this.request('POST', '/orders', { amount, currency, items });
  }

  pay(orderId: string, card: DemoCard): Promise<ShopResponse<{ order: OrderView; redirectUrl: string | null }>> {
    return this.request('POST', `/orders/${orderId}/pay`, { card });
  }

  ship(orderId: string, amount?: number): Promise<ShopResponse<OrderView>> {
    return this.request('POST', `/orders/${orderId}/ship`, amount === undefined ? {} : { amount });
  }

  cancel(orderId: string): Promise<ShopResponse<OrderView>> {
    return this.request('POST', `/orders/${orderId}/cancel`, {});
  }

  refund(orderId: string, amount?: number): Promise<ShopResponse<{ order: OrderView; refund: { refund_id: string; status: string } }>> {
    return this.request('POST', `/orders/${orderId}/refund`, amount === undefined ? {} : { amount });
  }

  sync(orderId: string): Promise<ShopResponse<OrderView>> {
    return this.request('POST', `/orders/${orderId}/sync`, {});
  }

  /** Reads an order without putting it on the timeline (used to poll). */
  async order(orderId: string): Promise<OrderView> {
    return (await this.request<OrderView>('GET', `/orders/${orderId}`, undefined, true)).body;
  }

  async orders(): Promise<OrderView[]> {
    return (await this.request<OrderView[]>('GET', '/orders', undefined, true)).body;
  }
}
