import { IsOptional, Matches } from 'class-validator';

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** `POST /accounts/:accountId/subscriptions`: renew an order's items every month with a saved card. */
export class SubscribeDto {
  /** The account's order to deliver again each month (paid with "save my card", say). */
  @Matches(ID, { message: '$property must be an order id such as ord_…' })
  orderId!: string;

  /** The saved card renewals charge (its mandate); the newest active one when omitted. */
  @IsOptional()
  @Matches(ID, { message: '$property must be a mandate id such as man_…' })
  mandateId?: string;
}
