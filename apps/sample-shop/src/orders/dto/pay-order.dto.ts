import { Type } from 'class-transformer';
import { IsBoolean, IsDefined, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';

/**
 * A card as the checkout form sends it. Only the sandbox's test cards should ever reach this
 * sample: a real shop collects cards with Paymnt's hosted fields, never on its own server.
 */
export class CardDto {
  @Matches(/^\d{12,19}$/, { message: '$property must be 12 to 19 digits' })
  number!: string;

  @Matches(/^(0[1-9]|1[0-2])$/, { message: '$property must be two digits, 01 to 12' })
  expMonth!: string;

  @Matches(/^(\d{2}|\d{4})$/, { message: '$property must be two or four digits' })
  expYear!: string;

  @Matches(/^\d{3,4}$/, { message: '$property must be 3 or 4 digits' })
  cvc!: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  holderName?: string;
}

/** `POST /orders/:id/pay`. */
export class PayOrderDto {
  @IsDefined()
  @ValidateNested()
  @Type(() => CardDto)
  card!: CardDto;

  /**
   * "Save my card": the customer agrees to later charges of this card (one-click reorders,
   * renewals). Only for an account's order (`POST /accounts/:accountId/orders`).
   */
  @IsOptional()
  @IsBoolean()
  saveCard?: boolean;
}
