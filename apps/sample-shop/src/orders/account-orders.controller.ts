import { Body, Controller, Param, Post } from '@nestjs/common';
import { Access } from '../auth/access.decorator';
import { CreateOrderDto } from './dto/create-order.dto';
import { ReorderDto } from './dto/reorder.dto';
import { type OrderView, toOrderView } from './order';
import { OrdersService } from './orders.service';

/**
 * An account's orders. An order placed here can be paid with "save my card"
 * (`POST /orders/:id/pay` with `saveCard: true`); a later one-click reorder charges that card.
 * Each answer carries the new order's `accessToken`, as `POST /orders` does.
 */
@Controller('accounts/:accountId')
@Access('account')
export class AccountOrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Post('orders')
  create(@Param('accountId') accountId: string, @Body() dto: CreateOrderDto): OrderView & { accessToken: string } {
    // 404 before anything is stored when the account does not exist (the admin token passes the guard for any id).
    const { order, accessToken } = this.orders.createForAccount(accountId, dto);
    return { ...toOrderView(order), accessToken };
  }

  /** The order's items again, paid off-session with a saved card: `authorized`, ready to ship. */
  @Post('reorder')
  async reorder(@Param('accountId') accountId: string, @Body() dto: ReorderDto): Promise<OrderView & { accessToken: string }> {
    const { order, accessToken } = await this.orders.reorder(accountId, dto);
    return { ...toOrderView(order), accessToken };
  }
}
