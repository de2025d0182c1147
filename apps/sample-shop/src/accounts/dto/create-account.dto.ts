import { IsEmail, MaxLength } from 'class-validator';

/** `POST /accounts`. */
export class CreateAccountDto {
  @IsEmail({}, { message: '$property must be an email address' })
  @MaxLength(255)
  email!: string;
}
