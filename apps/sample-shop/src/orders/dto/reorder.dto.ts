import { IsOptional, Matches } from 'class-validator';

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** `POST /accounts/:accountId/reorder`: the same items again, charged to a saved card. */
export class ReorderDto {
  /** An earlier order of the account. */
  @Matches(ID, { message: '$property must be an order id such as ord_…' })
  orderId!: string;

  /** The saved card to charge (its mandate); the newest active one when omitted. */
  @IsOptional()
  @Matches(ID, { message: '$property must be a mandate id such as man_…' })
  mandateId?: string;
}
