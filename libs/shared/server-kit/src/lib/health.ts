import { statfsSync, mkdirSync } from 'node:fs';
import type { DataSource } from 'typeorm';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface HealthReport {
  status: 'ok' | 'degraded';
  time: string;
  database: { ok: boolean; kind: string; location: string; latencyMs?: number; error?: string };
  disk: { path: string; freeBytes: number; ok: boolean };
  clock: { serverTime: string; appTime: string; offsetMs: number };
}

const MIN_FREE_BYTES = 1024 ** 3; // 1 GiB: below this answers and journals are at risk

/** /health: database reachable, disk free under the data path, the app clock against the system clock. */
export async function checkHealth(opts: { dataSource: DataSource; kind: string; location: string; dataDir: string; appNow: () => Date }): Promise<HealthReport> {
  const started = Date.now();
  let database: HealthReport['database'];
  try {
    await opts.dataSource.query('SELECT 1');
    database = { ok: true, kind: opts.kind, location: opts.location, latencyMs: Date.now() - started };
  } catch (error) {
    database = { ok: false, kind: opts.kind, location: opts.location, error: (error as Error).message };
  }
  mkdirSync(opts.dataDir, { recursive: true });
  const fs = statfsSync(opts.dataDir);
  const freeBytes = fs.bavail * fs.bsize;
  const disk = { path: opts.dataDir, freeBytes, ok: freeBytes > MIN_FREE_BYTES };
  const now = new Date();
  const app = opts.appNow();
  const clock = { serverTime: now.toISOString(), appTime: app.toISOString(), offsetMs: app.getTime() - now.getTime() };
  return { status: database.ok && disk.ok ? 'ok' : 'degraded', time: now.toISOString(), database, disk, clock };
}

/** One Prometheus registry per server, with default process metrics. */
export function createMetrics(app: string) {
  const registry = new Registry();
  registry.setDefaultLabels({ app });
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    counter: (name: string, help: string, labelNames: string[] = []) => new Counter({ name, help, labelNames, registers: [registry] }),
    histogram: (name: string, help: string, buckets: number[], labelNames: string[] = []) => new Histogram({ name, help, buckets, labelNames, registers: [registry] }),
    /** A gauge whose `collect` refreshes it at scrape time. */
    gauge: (name: string, help: string, labelNames: string[] = [], collect?: () => void | Promise<void>) => new Gauge({ name, help, labelNames, registers: [registry], collect }),
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
