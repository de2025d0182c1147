import { Body, Controller, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { Access } from '../auth/access.decorator';
import { ChargebacksService } from './chargebacks.service';
import { DisputeEvidenceDto } from './dto/dispute-evidence.dto';
import { type OrderView, toOrderView } from './order';

/** The merchant's answers to an order's chargeback (back office: admin token). */
@Controller('orders/:id/dispute')
@Access('admin')
export class ChargebacksController {
  constructor(private readonly chargebacks: ChargebacksService) {}

  /** Challenges the chargeback: the order becomes `dispute_challenged` until the verdict's webhook. */
  @Post('evidence')
  @HttpCode(HttpStatus.OK)
  async submitEvidence(@Param('id') id: string, @Body() dto: DisputeEvidenceDto): Promise<OrderView> {
    return toOrderView(await this.chargebacks.submitEvidence(id, dto));
  }

  /** Accepts the chargeback: the order becomes `charged_back`. */
  @Post('accept')
  @HttpCode(HttpStatus.OK)
  async accept(@Param('id') id: string): Promise<OrderView> {
    return toOrderView(await this.chargebacks.accept(id));
  }
}
