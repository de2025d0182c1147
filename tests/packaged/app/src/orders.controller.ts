import { Body, Controller, Post } from '@nestjs/common';
import { type Payment, PaymntError } from '@paymnt/client';
import { PaymentsService, RefundsService } from '@paymnt/nestjs';

interface PayBody {
  amount: number;
  card: string;
}

@Controller('orders')
export class OrdersController {
  constructor(
    private readonly payments: PaymentsService,
    private readonly refunds: RefundsService,
  ) {}

  @Post('pay')
  async pay(@Body() body: PayBody): Promise<Pick<Payment, 'payment_id' | 'status'>> {
    const payment = await this.payments.create({
      amount: body.amount,
      currency: 'USD',
      confirm: true,
      authentication_type: 'no_three_ds',
      payment_method: 'card',
      payment_method_type: 'credit',
      payment_method_data: {
        card: { card_number: body.card, card_exp_month: '10', card_exp_year: '35', card_cvc: '123', card_holder_name: 'Jo Doe' },
      },
    });
    return { payment_id: payment.payment_id, status: payment.status };
  }

  @Post('bad-refund')
  async badRefund(): Promise<{ error: string; isPaymntError: boolean }> {
    try {
      await this.refunds.create({ payment_id: 'pay_doesnotexist000000000', amount: 100 });
      return { error: 'none', isPaymntError: false };
    } catch (error) {
      // The app's @paymnt/client is the module's: one copy, so instanceof holds.
      return { error: (error as Error).name, isPaymntError: error instanceof PaymntError };
    }
  }
}
