import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Req } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Request } from 'express';
import type { ShopEnvironment } from '../config/shop-environment';
import { CreateOrderDto } from './dto/create-order.dto';
import { PayOrderDto } from './dto/pay-order.dto';
import { RefundOrderDto } from './dto/refund-order.dto';
import { ShipOrderDto } from './dto/ship-order.dto';
import { toOrderView, type OrderView } from './order';
import { type RefundResult, OrdersService } from './orders.service';

/**
 * The shop's JSON API. Bodies are validated by the global `ValidationPipe` (400 with the broken
 * rules); an unknown order is a 404, an order in the wrong state a 409, an amount above what can
 * be captured or refunded a 400; Paymnt's own refusals are mapped by `PaymntExceptionFilter`.
 */
@Controller('orders')
export class OrdersController {
  constructor(
    private readonly orders: OrdersService,
    private readonly config: ConfigService<ShopEnvironment, true>,
  ) {}

  @Post()
  create(@Body() dto: CreateOrderDto): OrderView {
    return toOrderView(this.orders.create(dto));
  }

  @Get()
  list(): OrderView[] {
    return this.orders.list().map(toOrderView);
  }

  @Get(':id')
  get(@Param('id') id: string): OrderView {
    return toOrderView(this.orders.get(id));
  }

  /** `{ order, redirectUrl }`: send the customer to `redirectUrl` when it is not null (3DS). */
  @Post(':id/pay')
  @HttpCode(HttpStatus.OK)
  async pay(@Param('id') id: string, @Body() dto: PayOrderDto, @Req() request: Request): Promise<{ order: OrderView; redirectUrl: string | null }> {
    const returnUrl = `${this.publicUrl(request)}/checkout/return/${encodeURIComponent(id)}`;
    const { order, redirectUrl } = await this.orders.pay(id, dto.card, returnUrl);
    return { order: toOrderView(order), redirectUrl };
  }

  @Post(':id/ship')
  @HttpCode(HttpStatus.OK)
  async ship(@Param('id') id: string, @Body() dto: ShipOrderDto): Promise<OrderView> {
    return toOrderView(await this.orders.ship(id, dto));
  }

  @Post(':id/cancel')
  @HttpCode(HttpStatus.OK)
  async cancel(@Param('id') id: string): Promise<OrderView> {
    return toOrderView(await this.orders.cancel(id));
  }

  @Post(':id/refund')
  async refund(@Param('id') id: string, @Body() dto: RefundOrderDto): Promise<{ order: OrderView; refund: RefundResult['refund'] }> {
    const { order, refund } = await this.orders.refund(id, dto);
    return { order: toOrderView(order), refund };
  }

  /** Pulls the payment's state from Paymnt (for when webhooks cannot reach the shop). */
  @Post(':id/sync')
  @HttpCode(HttpStatus.OK)
  async sync(@Param('id') id: string): Promise<OrderView> {
    return toOrderView(await this.orders.sync(id));
  }

  private publicUrl(request: Request): string {
    const configured = this.config.get('SHOP_PUBLIC_URL', { infer: true });
    return (configured ?? `${request.protocol}://${request.get('host')}`).replace(/\/+$/, '');
  }
}
