import { Controller, Get, Header, Param, Req, Res } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PaymntSignatureVerificationError, verifyRedirectSignature } from '@paymnt/client';
import { Access } from '../auth/access.decorator';
import type { ShopEnvironment } from '../config/shop-environment';
import type { Order } from '../orders/order';
import { OrdersService } from '../orders/orders.service';
import { renderCheckoutPage } from './checkout.page';
import { renderOrderPage, type ReturnCheck } from './order.page';

const HTML = 'text/html; charset=utf-8';

/**
 * The checkout pages: plain HTML and a little vanilla JS over the orders API. The pages are public
 * shells; the order's data comes from `GET /orders/:id`, which the browser calls with the order's
 * cookie (set when the order was created).
 */
@Controller()
@Access('public')
export class CheckoutController {
  constructor(
    private readonly orders: OrdersService,
    private readonly config: ConfigService<ShopEnvironment, true>,
  ) {}

  @Get()
  @Header('content-type', HTML)
  checkout(): string {
    return renderCheckoutPage();
  }

  @Get('checkout/orders/:id')
  @Header('content-type', HTML)
  orderPage(@Param('id') id: string): string {
    return renderOrderPage(this.orders.get(id).id);
  }

  /**
   * Where Paymnt sends the customer back after 3DS (`return_url`). The query is signed with the
   * profile's hash key: check it before showing the result. It changes nothing by itself: the
   * order moves when the payment event arrives (the page polls until it does).
   */
  @Get('checkout/return/:id')
  @Header('content-type', HTML)
  returned(
    @Param('id') id: string,
    @Req() request: { originalUrl?: string; url: string },
    @Res({ passthrough: true }) response: { status(code: number): unknown },
  ): string {
    const order = this.orders.get(id);
    const url = request.originalUrl ?? request.url;
    const check = this.checkReturn(order, url.includes('?') ? url.slice(url.indexOf('?') + 1) : '');
    if (!check.verified) response.status(400);
    return renderOrderPage(order.id, check);
  }

  private checkReturn(order: Order, query: string): ReturnCheck {
    let params: Record<string, string>;
    try {
      params = verifyRedirectSignature(query, this.config.get('PAYMNT_WEBHOOK_SECRET', { infer: true }));
    } catch (error) {
      if (!(error instanceof PaymntSignatureVerificationError)) throw error;
      return { verified: false, message: `This return link is not signed by Paymnt (${error.message}) Nothing was changed.` };
    }
    if (params.payment_id !== order.paymentId) {
      return { verified: false, message: 'This return link is signed for another payment. Nothing was changed.' };
    }
    return {
      verified: true,
      message: `Paymnt sent you back with status "${params.status ?? 'unknown'}" (signature verified). The order below changes when the payment event arrives.`,
    };
  }
}
