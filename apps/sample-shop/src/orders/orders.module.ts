import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AccountOrdersController } from './account-orders.controller';
import { OrderEventsListener } from './order-events.listener';
import { OrdersController } from './orders.controller';
import { OrdersRepository } from './orders.repository';
import { OrdersService } from './orders.service';

/** Orders and their payments. `PaymntModule` is global, so its services are injectable here. */
@Module({
  imports: [AccountsModule],
  controllers: [OrdersController, AccountOrdersController],
  providers: [OrdersRepository, OrdersService, OrderEventsListener],
  exports: [OrdersService, OrdersRepository],
})
export class OrdersModule {}
