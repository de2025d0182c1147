import { IsOptional, Matches } from 'class-validator';

/** `POST /subscriptions/renewals`: what the monthly job sends (the current month when omitted). */
export class RunRenewalsDto {
  @IsOptional()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: '$property must be a month such as 2026-12' })
  period?: string;
}
