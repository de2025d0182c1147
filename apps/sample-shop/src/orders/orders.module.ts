import { Module } from '@nestjs/common';
import { OrderEventsListener } from './order-events.listener';
import { OrdersController } from './orders.controller';
import { OrdersRepository } from './orders.repository';
import { OrdersService } from './orders.service';

/** Orders and their payments. `PaymntModule` is global, so its services are injectable here. */
@Module({
  controllers: [OrdersController],
  providers: [OrdersRepository, OrdersService, OrderEventsListener],
  exports: [OrdersService, OrdersRepository],
})
export class OrdersModule {}
