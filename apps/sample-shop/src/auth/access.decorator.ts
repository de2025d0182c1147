import { SetMetadata } from '@nestjs/common';

/**
 * Who may call a route:
 * - `public`: anyone (the checkout pages, creating an order, Paymnt's webhook, which is verified by
 *   its signature instead);
 * - `customer`: the holder of the order's access token (returned when the order is created, and
 *   kept in a cookie by the checkout page), or the shop's admin;
 * - `account`: the holder of the account's token (route parameter `:accountId`), or the shop's admin;
 * - `admin`: the shop's admin token only (`SHOP_ADMIN_TOKEN`).
 */
export type ShopAccess = 'public' | 'customer' | 'account' | 'admin';

export const SHOP_ACCESS = 'shop:access';

/** Declares who may call a route (or every route of a controller). A route without it is refused. */
export const Access = (access: ShopAccess): MethodDecorator & ClassDecorator => SetMetadata(SHOP_ACCESS, access);
