import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { Access } from '../auth/access.decorator';
import { type AccountView, toAccountView } from './account';
import { AccountsService } from './accounts.service';
import { CreateAccountDto } from './dto/create-account.dto';

/** `/accounts`: a customer's account and saved cards. Orders and reorders of an account are in `AccountOrdersController`. */
@Controller('accounts')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  /** The account and, once only, its `accessToken`. Creates the account's Paymnt customer. */
  @Post()
  @Access('public')
  async create(@Body() dto: CreateAccountDto): Promise<AccountView & { accessToken: string }> {
    const { account, accessToken } = await this.accounts.create(dto);
    return { ...toAccountView(account), accessToken };
  }

  @Get(':accountId')
  @Access('account')
  get(@Param('accountId') accountId: string): AccountView {
    return toAccountView(this.accounts.get(accountId));
  }

  /** Removes a saved card: its mandate is revoked at Paymnt, and no later charge can use it. */
  @Post(':accountId/cards/:mandateId/revoke')
  @Access('account')
  @HttpCode(HttpStatus.OK)
  async revoke(@Param('accountId') accountId: string, @Param('mandateId') mandateId: string): Promise<AccountView> {
    return toAccountView(await this.accounts.revokeCard(accountId, mandateId));
  }
}
