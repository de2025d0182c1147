import { type CanActivate, type ExecutionContext, ForbiddenException, Injectable, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Reflector } from '@nestjs/core';
import type { ShopEnvironment } from '../config/shop-environment';
import { AccountsRepository } from '../accounts/accounts.repository';
import { OrdersRepository } from '../orders/orders.repository';
import { SHOP_ACCESS, type ShopAccess } from './access.decorator';
import { bearerToken, cookieValue, hashToken, matchesHash, orderCookieName } from './tokens';

/** What the guard reads of a request, the same on Express and Fastify. */
interface GuardedRequest {
  headers: Record<string, string | string[] | undefined>;
  params?: Record<string, string | undefined>;
}

/**
 * The shop's only authentication, registered globally (`APP_GUARD`) so that it fails closed: a
 * route must declare `@Access(...)`, and one that does not is refused. 401 when no credential is
 * sent, 403 when it does not grant access. Tokens are compared through their SHA-256 digests with
 * `timingSafeEqual`, so the comparison takes the same time however much of a guess is right.
 */
@Injectable()
export class ShopAuthGuard implements CanActivate {
  private readonly adminTokenHash: string;

  constructor(
    private readonly reflector: Reflector,
    private readonly orders: OrdersRepository,
    private readonly accounts: AccountsRepository,
    config: ConfigService<ShopEnvironment, true>,
  ) {
    this.adminTokenHash = hashToken(config.get('SHOP_ADMIN_TOKEN', { infer: true }));
  }

  canActivate(context: ExecutionContext): boolean {
    const access = this.reflector.getAllAndOverride<ShopAccess | undefined>(SHOP_ACCESS, [context.getHandler(), context.getClass()]);
    if (access === 'public') return true;
    if (access === undefined) throw new ForbiddenException('This route declares no access rule, so nobody may call it');
    const request = context.switchToHttp().getRequest<GuardedRequest>();
    const bearer = bearerToken(request.headers.authorization);
    if (access === 'admin') {
      if (bearer === undefined) throw new UnauthorizedException('This is an admin action: send Authorization: Bearer <SHOP_ADMIN_TOKEN>');
      if (!this.isAdmin(bearer)) throw new ForbiddenException('This token may not perform admin actions');
      return true;
    }
    if (access === 'account') return this.canUseAccount(request, bearer);
    return this.canSeeOrder(request, bearer);
  }

  /** The account's own token (header only: accounts are an API), or the admin token. */
  protected canUseAccount(request: GuardedRequest, bearer: string | undefined): boolean {
    const accountId = request.params?.accountId ?? '';
    if (bearer === undefined) throw new UnauthorizedException(`Account ${accountId} needs its access token: send Authorization: Bearer <token>`);
    if (this.isAdmin(bearer)) return true;
    const account = this.accounts.findById(accountId);
    if (account === undefined) throw new NotFoundException(`Account ${accountId} not found`);
    if (!matchesHash(bearer, account.accessTokenHash)) throw new ForbiddenException(`This token does not give access to account ${accountId}`);
    return true;
  }

  /** The order's own token (header, or the checkout page's cookie), or the admin token. */
  protected canSeeOrder(request: GuardedRequest, bearer: string | undefined): boolean {
    const orderId = request.params?.id ?? '';
    const token = bearer ?? cookieValue(request.headers.cookie, orderCookieName(orderId));
    if (token === undefined) throw new UnauthorizedException(`Order ${orderId} needs its access token: send Authorization: Bearer <token>`);
    if (this.isAdmin(token)) return true;
    const order = this.orders.findById(orderId);
    if (order === undefined) throw new NotFoundException(`Order ${orderId} not found`);
    if (!matchesHash(token, order.accessTokenHash)) throw new ForbiddenException(`This token does not give access to order ${orderId}`);
    return true;
  }

  protected isAdmin(token: string): boolean {
    return matchesHash(token, this.adminTokenHash);
  }
}
