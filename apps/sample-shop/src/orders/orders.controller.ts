import { Body, Controller, Get, Headers, HttpCode, HttpStatus, Param, Post, Req, Res, ServiceUnavailableException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { PaymntClientConfirmation } from '@paymnt/nestjs';
import { Access } from '../auth/access.decorator';
import { orderCookieName } from '../auth/tokens';
import type { ShopEnvironment } from '../config/shop-environment';
import { CreateOrderDto } from './dto/create-order.dto';
import { PayOrderDto } from './dto/pay-order.dto';
import { RefundOrderDto } from './dto/refund-order.dto';
import { ShipOrderDto } from './dto/ship-order.dto';
import { toOrderView, type OrderView } from './order';
import { type RefundResult, OrdersService } from './orders.service';

/** What the controller uses of a response, the same on Express and Fastify. */
interface HeaderSetter {
  header(name: string, value: string): unknown;
}

/** How long the checkout page's cookie keeps an order's token. */
const ORDER_COOKIE_MAX_AGE_SECONDS = 7 * 24 * 3600;

/**
 * The shop's JSON API. Bodies are validated by the global `ShopValidationPipe` (400 with the broken
 * rules); an unknown order is a 404, an order in the wrong state a 409, an amount above what can
 * be captured or refunded a 400; Paymnt's own refusals are mapped by `PaymntExceptionFilter`.
 * Who may call each route is declared with `@Access` and checked by `ShopAuthGuard`.
 */
@Controller('orders')
export class OrdersController {
  constructor(
    private readonly orders: OrdersService,
    private readonly config: ConfigService<ShopEnvironment, true>,
  ) {}

  /**
   * The order and, once only, its `accessToken`: the customer's key to it. Also set as an
   * HttpOnly cookie, so the checkout pages in the customer's browser can use it without scripts
   * ever reading it.
   */
  @Post()
  @Access('public')
  create(@Body() dto: CreateOrderDto, @Res({ passthrough: true }) response: HeaderSetter): OrderView & { accessToken: string } {
    const { order, accessToken } = this.orders.create(dto);
    const secure = this.config.get('SHOP_PUBLIC_URL', { infer: true })?.startsWith('https:') ? '; Secure' : '';
    response.header(
      'set-cookie',
      `${orderCookieName(order.id)}=${accessToken}; Path=/; Max-Age=${ORDER_COOKIE_MAX_AGE_SECONDS}; HttpOnly; SameSite=Lax${secure}`,
    );
    return { ...toOrderView(order), accessToken };
  }

  @Get()
  @Access('admin')
  list(): OrderView[] {
    return this.orders.list().map(toOrderView);
  }

  @Get(':id')
  @Access('customer')
  get(@Param('id') id: string): OrderView {
    return toOrderView(this.orders.get(id));
  }

  /**
   * What the checkout page needs to confirm the order's payment in the browser, with the card,
   * straight against Paymnt (`POST {apiBaseUrl}/payments/{paymentId}/confirm`, header
   * `api-key: publishableKey`, `client_secret` in the body): the shop's server never sees the card.
   * The customer comes back to `/checkout/return/:id` after 3DS; the order moves on the webhooks.
   */
  @Post(':id/checkout')
  @Access('customer')
  @HttpCode(HttpStatus.OK)
  async checkout(
    @Param('id') id: string,
    @Req() request: { protocol?: string },
    @Headers('host') host: string | undefined,
  ): Promise<{ order: OrderView } & PaymntClientConfirmation> {
    // Checked before a payment is created for nothing.
    if (this.config.get('PAYMNT_PUBLISHABLE_KEY', { infer: true }) === undefined) {
      throw new ServiceUnavailableException('Paying in the browser needs PAYMNT_PUBLISHABLE_KEY (the pk_snd_… key of the profile): see apps/sample-shop/README.md');
    }
    const returnUrl = `${this.publicUrl(request, host)}/checkout/return/${encodeURIComponent(id)}`;
    const { order, confirmation } = await this.orders.checkout(id, returnUrl);
    return { order: toOrderView(order), ...confirmation };
  }

  /**
   * Pays with card data sent to the shop (`{ order, redirectUrl }`: send the customer to
   * `redirectUrl` when it is not null, for 3DS). For the API tests, the demo and saving a card
   * with the sandbox's test cards; the checkout page uses `POST /orders/:id/checkout` instead.
   */
  @Post(':id/pay')
  @Access('customer')
  @HttpCode(HttpStatus.OK)
  async pay(
    @Param('id') id: string,
    @Body() dto: PayOrderDto,
    @Req() request: { protocol?: string; ip?: string },
    @Headers('host') host: string | undefined,
    @Headers('user-agent') userAgent: string | undefined,
  ): Promise<{ order: OrderView; redirectUrl: string | null }> {
    const returnUrl = `${this.publicUrl(request, host)}/checkout/return/${encodeURIComponent(id)}`;
    // The customer's online acceptance of later charges: where and with what they ticked "save my card".
    const consent = dto.saveCard === true ? { ipAddress: request.ip ?? 'unknown', userAgent: userAgent ?? 'unknown' } : undefined;
    const { order, redirectUrl } = await this.orders.pay(id, dto.card, returnUrl, consent);
    return { order: toOrderView(order), redirectUrl };
  }

  @Post(':id/ship')
  @Access('admin')
  @HttpCode(HttpStatus.OK)
  async ship(@Param('id') id: string, @Body() dto: ShipOrderDto): Promise<OrderView> {
    return toOrderView(await this.orders.ship(id, dto));
  }

  @Post(':id/cancel')
  @Access('admin')
  @HttpCode(HttpStatus.OK)
  async cancel(@Param('id') id: string): Promise<OrderView> {
    return toOrderView(await this.orders.cancel(id));
  }

  @Post(':id/refund')
  @Access('admin')
  async refund(@Param('id') id: string, @Body() dto: RefundOrderDto): Promise<{ order: OrderView; refund: RefundResult['refund'] }> {
    const { order, refund } = await this.orders.refund(id, dto);
    return { order: toOrderView(order), refund };
  }

  /** Pulls the payment's state from Paymnt (for when webhooks cannot reach the shop). */
  @Post(':id/sync')
  @Access('admin')
  @HttpCode(HttpStatus.OK)
  async sync(@Param('id') id: string): Promise<OrderView> {
    return toOrderView(await this.orders.sync(id));
  }

  private publicUrl(request: { protocol?: string }, host: string | undefined): string {
    const configured = this.config.get('SHOP_PUBLIC_URL', { infer: true });
    return (configured ?? `${request.protocol ?? 'http'}://${host ?? 'localhost'}`).replace(/\/+$/, '');
  }
}
