import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { Access } from '../auth/access.decorator';
import { RunRenewalsDto } from './dto/run-renewals.dto';
import { SubscribeDto } from './dto/subscribe.dto';
import type { RenewalResult, Subscription } from './subscription';
import { SubscriptionsService } from './subscriptions.service';

/** Subscriptions of an account, and the renewal run (what a monthly scheduler would call). */
@Controller()
export class SubscriptionsController {
  constructor(private readonly subscriptions: SubscriptionsService) {}

  @Post('accounts/:accountId/subscriptions')
  @Access('account')
  subscribe(@Param('accountId') accountId: string, @Body() dto: SubscribeDto): Subscription {
    return this.subscriptions.subscribe(accountId, dto);
  }

  @Get('accounts/:accountId/subscriptions')
  @Access('account')
  list(@Param('accountId') accountId: string): Subscription[] {
    return this.subscriptions.listForAccount(accountId);
  }

  /**
   * Renews every subscription for `period` (the current month by default): each one charged
   * off-session once, however many times the run is sent.
   */
  @Post('subscriptions/renewals')
  @Access('admin')
  @HttpCode(HttpStatus.OK)
  async renew(@Body() dto: RunRenewalsDto): Promise<{ results: RenewalResult[] }> {
    return { results: await this.subscriptions.renewAll(dto.period) };
  }
}
