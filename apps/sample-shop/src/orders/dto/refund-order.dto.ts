import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { AMOUNT_MESSAGE, MAX_AMOUNT } from './money';

/** `POST /orders/:id/refund`. */
export class RefundOrderDto {
  /** Minor units to refund; everything still refundable when omitted. */
  @IsOptional()
  @IsInt({ message: AMOUNT_MESSAGE })
  @Min(1, { message: AMOUNT_MESSAGE })
  @Max(MAX_AMOUNT, { message: AMOUNT_MESSAGE })
  amount?: number;

  @IsOptional()
  @IsString()
  @MaxLength(255)
  reason?: string;
}
