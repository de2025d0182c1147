import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AccountsModule } from '../accounts/accounts.module';
import { OrdersModule } from '../orders/orders.module';
import { ShopAuthGuard } from './shop-auth.guard';

/** Puts `ShopAuthGuard` in front of every route of the app. */
@Module({
  imports: [OrdersModule, AccountsModule],
  providers: [{ provide: APP_GUARD, useClass: ShopAuthGuard }],
})
export class AuthModule {}
