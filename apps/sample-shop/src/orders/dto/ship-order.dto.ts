import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { AMOUNT_MESSAGE, MAX_AMOUNT } from './money';

/** `POST /orders/:id/ship`: captures the authorized amount, or less (the rest is released). */
export class ShipOrderDto {
  /** Minor units to capture; everything authorized when omitted. */
  @IsOptional()
  @IsInt({ message: AMOUNT_MESSAGE })
  @Min(1, { message: AMOUNT_MESSAGE })
  @Max(MAX_AMOUNT, { message: AMOUNT_MESSAGE })
  amount?: number;
}
