import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { PaymntHealthIndicator } from '@paymnt/nestjs';
import { Access } from '../auth/access.decorator';

/**
 * `GET /health` for load balancers and orchestrators: 200 `{ status: 'ok' }` while Paymnt's API
 * answers the shop's key (and its event store, and intake when configured, are up), 503 with the
 * part that is down otherwise. Public: probes carry no token, and it shows no key or order.
 */
@Controller('health')
@Access('public')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly paymnt: PaymntHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.paymnt.isHealthy('paymnt')]);
  }
}
