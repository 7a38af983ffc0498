import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { checkHealth } from '@kaowu/server-kit';
import { PROVINCIAL_CONTEXT, ProvincialContext } from '../provincial-context';

/** /health (database, disk, clock) and Prometheus /metrics. */
@Controller()
export class ProvincialOpsController {
  constructor(@Inject(PROVINCIAL_CONTEXT) private readonly ctx: ProvincialContext) {}

  @Get('health')
  async health(@Res() res: Response) {
    const report = await checkHealth({
      dataSource: this.ctx.db.dataSource,
      kind: this.ctx.db.kind,
      location: this.ctx.db.location,
      dataDir: this.ctx.config.PROVINCIAL_DATA_DIR,
      appNow: () => this.ctx.clock.now(),
    });
    res.status(report.status === 'ok' ? 200 : 503).json(report);
  }

  @Get('metrics')
  @Header('content-type', 'text/plain; version=0.0.4')
  metrics() {
    return this.ctx.metrics.registry.metrics();
  }
}
