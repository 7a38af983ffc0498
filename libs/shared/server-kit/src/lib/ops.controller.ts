import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { DataSource } from 'typeorm';
import { checkHealth, Metrics } from './health';
import { Public } from './route-policy';

/** What /health and /metrics look at; each server provides it from its own context. */
export interface OpsProbe {
  dataSource: DataSource;
  kind: string;
  location: string;
  dataDir: string;
  now: () => Date;
  metrics: Metrics;
}
export const OPS_PROBE = Symbol('OPS_PROBE');

/** /health (database, disk, clock) and Prometheus /metrics, the same on every server. */
@Controller()
export class OpsController {
  constructor(@Inject(OPS_PROBE) private readonly probe: OpsProbe) {}

  @Get('health')
  @Public('liveness for the proxy and the orchestrator: database, disk and clock status, no exam data')
  async health(@Res() res: Response) {
    const p = this.probe;
    const report = await checkHealth({ dataSource: p.dataSource, kind: p.kind, location: p.location, dataDir: p.dataDir, appNow: p.now });
    res.status(report.status === 'ok' ? 200 : 503).json(report);
  }

  @Get('metrics')
  @Public('Prometheus counters and timings, no exam data')
  @Header('content-type', 'text/plain; version=0.0.4')
  metrics() {
    return this.probe.metrics.registry.metrics();
  }
}
