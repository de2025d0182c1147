import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

/** `POST /orders/:id/dispute/evidence`: the shop's answer to a chargeback (the receipt PDF is attached by the shop). */
export class DisputeEvidenceDto {
  /** What was sold, as the cardholder would recognise it. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  productDescription!: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  shippingCarrier?: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  shippingTrackingNumber?: string;

  /** e.g. `2026-12-01`. */
  @IsOptional()
  @IsString()
  @MaxLength(30)
  shippingDate?: string;

  /** Anything else the issuer should read. */
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}
