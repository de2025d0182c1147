import { Module } from '@nestjs/common';
import { AccountsController } from './accounts.controller';
import { AccountsRepository } from './accounts.repository';
import { AccountsService } from './accounts.service';
import { SavedCardsListener } from './saved-cards.listener';

/** Shop accounts, each with its Paymnt customer, and their saved cards. */
@Module({
  controllers: [AccountsController],
  providers: [AccountsRepository, AccountsService, SavedCardsListener],
  exports: [AccountsService, AccountsRepository],
})
export class AccountsModule {}
