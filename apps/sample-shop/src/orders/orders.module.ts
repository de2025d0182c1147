import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AccountOrdersController } from './account-orders.controller';
import { ChargebacksController } from './chargebacks.controller';
import { ChargebacksService } from './chargebacks.service';
import { OrderEventsListener } from './order-events.listener';
import { OrdersController } from './orders.controller';
import { OrdersRepository } from './orders.repository';
import { OrdersService } from './orders.service';

/** Orders and their payments. `PaymntModule` is global, so its services are injectable here. */
@Module({
  imports: [AccountsModule],
  controllers: [OrdersController, AccountOrdersController, ChargebacksController],
  providers: [OrdersRepository, OrdersService, OrderEventsListener, ChargebacksService],
  exports: [OrdersService, OrdersRepository],
})
export class OrdersModule {}
