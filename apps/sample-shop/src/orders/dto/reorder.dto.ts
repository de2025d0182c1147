import { IsOptional, Matches } from 'class-validator';

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** `POST /accounts/:accountId/reorder`: the same items again, charged to a saved card. */
export class ReorderDto {
  /** An earlier order of the account. */
  @Matches(ID, { message: '$property must be an order id such as ord_…' })
  orderId!: string;

  /**
   * Made by the page once per click of "reorder" and sent again on a retry: a repeated request
   * (double click, retry after a timeout) answers the first reorder instead of charging again.
   */
  @Matches(ID, { message: '$property must be 1 to 64 letters, digits, _ or -, the same for retries of one reorder' })
  idempotencyKey!: string;

  /** The saved card to charge (its mandate); the newest active one when omitted. */
  @IsOptional()
  @Matches(ID, { message: '$property must be a mandate id such as man_…' })
  mandateId?: string;
}
