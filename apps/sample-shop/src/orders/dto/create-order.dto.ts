import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsISO4217CurrencyCode,
  IsNotEmpty,
  IsObject,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { AMOUNT_MESSAGE, MAX_AMOUNT } from './money';

export class OrderItemDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name!: string;

  @IsInt({ message: '$property must be an integer from 1 to 1000' })
  @Min(1, { message: '$property must be an integer from 1 to 1000' })
  @Max(1000, { message: '$property must be an integer from 1 to 1000' })
  quantity!: number;

  /** Price of one unit, in minor units. */
  @IsInt({ message: AMOUNT_MESSAGE })
  @Min(1, { message: AMOUNT_MESSAGE })
  @Max(MAX_AMOUNT, { message: AMOUNT_MESSAGE })
  unitAmount!: number;
}

/** `POST /orders`. The amount must equal the items' total (checked by `OrdersService`). */
export class CreateOrderDto {
  /** The order total in minor units: 6540 is 65.40. */
  @IsInt({ message: AMOUNT_MESSAGE })
  @Min(1, { message: AMOUNT_MESSAGE })
  @Max(MAX_AMOUNT, { message: AMOUNT_MESSAGE })
  amount!: number;

  @Matches(/^[A-Z]{3}$/, { message: '$property must be an uppercase ISO 4217 code such as USD' })
  @IsISO4217CurrencyCode({ message: '$property must be an uppercase ISO 4217 code such as USD' })
  currency!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsObject({ each: true, message: 'each value in items must be an object { name, quantity, unitAmount }' })
  @ValidateNested({ each: true })
  @Type(() => OrderItemDto)
  items!: OrderItemDto[];
}
