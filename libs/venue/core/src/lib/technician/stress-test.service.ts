import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { FileHandle, open, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { io, type Socket as ClientSocket } from 'socket.io-client';
import { STRESS_NAMESPACE, STRESS_SAVE_P95_TARGET_MS, StartStressTest, StressSave, StressSecond, StressTestRun } from '@kaowu/contracts';
import { DomainError, parseInput } from '@kaowu/server-kit';
import { VENUE_CONTEXT, VenueContext } from '../venue-context';
import { AuditLog } from '../store/audit-log';
import { SessionRegistry } from '../exam-room/session-registry';

interface PendingSave {
  save: StressSave;
  done: (error?: Error) => void;
}

interface Running {
  run: StressTestRun;
  token: string;
  file: FileHandle;
  filePath: string;
  sockets: ClientSocket[];
  timers: NodeJS.Timeout[];
  /** Latencies of the current second, and of the whole run. */
  bucket: number[];
  bucketErrors: number;
  bucketSaves: number;
  all: number[];
  errors: number;
  connectFailures: number;
}

/** An answer-sized record: a journal entry's value is a few hundred bytes. */
const PAYLOAD = 'x'.repeat(240);

const quantile = (sorted: number[], q: number): number | null =>
  sorted.length === 0 ? null : Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] * 10) / 10;

/**
 * 压力测试 (work plan 五(一)): the venue server plays N exam machines over its own socket.io
 * endpoint (TLS included) and each saves an answer-sized record every few seconds; the server
 * group-commits them to a sandbox table and appends + fsyncs them on the backup disk, as it does
 * with answers, then acknowledges. Latency per second is the chart; the verdict is the exam
 * screen's save target. Refused while candidates are at the machines; the sandbox is emptied
 * afterwards. (The simulated machines share the server's CPU, so the figure is an upper bound.)
 */
@Injectable()
export class StressTestService implements OnModuleDestroy {
  private current: Running | undefined;
  private latest: StressTestRun | undefined;
  private pending: PendingSave[] = [];
  private flushing = false;

  constructor(
    @Inject(VENUE_CONTEXT) private readonly ctx: VenueContext,
    @Inject(SessionRegistry) private readonly sessions: SessionRegistry,
    @Inject(AuditLog) private readonly audit: AuditLog,
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
  ) {}

  status(): StressTestRun | null {
    return this.current?.run ?? this.latest ?? null;
  }

  /** The run's token, for the /stress namespace's handshake: nobody else may write the sandbox. */
  acceptsToken(token: unknown): boolean {
    return !!this.current && typeof token === 'string' && token === this.current.token;
  }

  async start(actor: string, input: unknown): Promise<StressTestRun> {
    const spec = parseInput(StartStressTest, input, '压力测试');
    if (this.current) throw new DomainError('CONFLICT', '压力测试正在进行，请等待其结束', 'a stress test is already running');
    const now = this.ctx.clock.now();
    const busy = this.sessions.all().find((s) => ['login_open', 'in_progress'].includes(s.timeline.phaseAt(now)));
    if (busy) throw new DomainError('CONFLICT', `场次 ${busy.schedule.sessionId} 考生正在登录或作答，考试期间不得进行压力测试`, 'candidates are at the machines; no stress test during an exam');
    const runId = randomUUID();
    mkdirSync(this.ctx.config.BACKUP_DIR, { recursive: true });
    const filePath = join(this.ctx.config.BACKUP_DIR, `stress-${runId}.tmp`);
    const run: StressTestRun = {
      runId,
      status: 'running',
      actor,
      startedAt: now.toISOString(),
      finishedAt: null,
      machines: spec.machines,
      seconds: spec.seconds,
      saveEverySeconds: spec.saveEverySeconds,
      series: [],
      summary: null,
      verdict: null,
    };
    const r: Running = { run, token: randomBytes(24).toString('base64url'), file: await open(filePath, 'w', 0o600), filePath, sockets: [], timers: [], bucket: [], bucketErrors: 0, bucketSaves: 0, all: [], errors: 0, connectFailures: 0 };
    this.current = r;
    await this.audit.record({ actor, action: 'stress_test.started', subject: runId, details: { machines: spec.machines, seconds: spec.seconds, saveEverySeconds: spec.saveEverySeconds } });
    void this.drive(r, spec).catch((error) => this.ctx.logger.error({ err: error, runId }, 'stress test failed to run'));
    return run;
  }

  private selfUrl(): string {
    const address = this.adapterHost.httpAdapter.getHttpServer().address() as AddressInfo;
    const host = ['0.0.0.0', '::', ''].includes(this.ctx.config.VENUE_HOST) ? '127.0.0.1' : this.ctx.config.VENUE_HOST;
    return `${this.ctx.tlsCaPem ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  }

  private async drive(r: Running, spec: StartStressTest): Promise<void> {
    const url = `${this.selfUrl()}${STRESS_NAMESPACE}`;
    const startedAt = Date.now();
    const endAt = startedAt + spec.seconds * 1000;
    let second = 0;
    r.timers.push(
      setInterval(() => {
        const sorted = r.bucket.sort((a, b) => a - b);
        const entry: StressSecond = {
          second: second++,
          saves: r.bucketSaves,
          errors: r.bucketErrors,
          p50Ms: quantile(sorted, 0.5),
          p95Ms: quantile(sorted, 0.95),
          p99Ms: quantile(sorted, 0.99),
          connected: r.sockets.filter((s) => s.connected).length,
        };
        r.run.series.push(entry);
        r.bucket = [];
        r.bucketSaves = 0;
        r.bucketErrors = 0;
      }, 1000),
    );
    // machines connect in waves, as a room's machines do when the proctor says 开机
    for (let m = 0; m < spec.machines; m++) {
      const socket = io(url, {
        transports: ['websocket'],
        auth: { runToken: r.token },
        forceNew: true,
        reconnection: false,
        timeout: 10_000,
        // the venue talking to itself over loopback: its own certificate names the LAN host, not 127.0.0.1
        rejectUnauthorized: false,
      });
      r.sockets.push(socket);
      socket.on('connect_error', () => r.connectFailures++);
      let seq = 0;
      const saveEveryMs = spec.saveEverySeconds * 1000;
      const tick = () => {
        if (Date.now() >= endAt || !socket.connected) return;
        const sentAt = performance.now();
        socket
          .timeout(10_000)
          .emitWithAck('stress:save', { machine: m, seq: ++seq, payload: PAYLOAD })
          .then((ack: { ok: boolean }) => {
            const ms = performance.now() - sentAt;
            if (ack?.ok) {
              r.bucket.push(ms);
              r.all.push(ms);
              r.bucketSaves++;
            } else {
              r.errors++;
              r.bucketErrors++;
            }
          })
          .catch(() => {
            r.errors++;
            r.bucketErrors++;
          });
      };
      socket.on('connect', () => {
        r.timers.push(setTimeout(() => {
          tick();
          r.timers.push(setInterval(tick, saveEveryMs));
        }, Math.random() * saveEveryMs));
      });
      if (m % 50 === 49) await new Promise((res) => setTimeout(res, 20));
    }
    await new Promise((res) => setTimeout(res, Math.max(0, endAt - Date.now()) + 1500));
    await this.finish(r);
  }

  private async finish(r: Running): Promise<void> {
    for (const t of r.timers) clearInterval(t);
    for (const s of r.sockets) s.disconnect();
    const sorted = r.all.sort((a, b) => a - b);
    const seconds = Math.max(1, r.run.seconds);
    const summary = {
      saves: sorted.length,
      errors: r.errors,
      connectFailures: r.connectFailures,
      savesPerSecond: Math.round((sorted.length / seconds) * 10) / 10,
      p50Ms: quantile(sorted, 0.5),
      p95Ms: quantile(sorted, 0.95),
      p99Ms: quantile(sorted, 0.99),
    };
    const verdict =
      summary.connectFailures > 0
        ? `${summary.connectFailures} 台模拟考试机未能连接考点服务器，请检查网络与服务器连接数限制`
        : summary.errors > 0
          ? `${summary.errors} 次保存未得到确认，请检查数据库与备份盘`
          : summary.saves === 0
            ? '没有完成任何一次保存'
            : summary.p95Ms !== null && summary.p95Ms > STRESS_SAVE_P95_TARGET_MS
              ? `保存确认 p95 为 ${summary.p95Ms} ms，超过 ${STRESS_SAVE_P95_TARGET_MS} ms 的要求，请调整网络或软硬件设备`
              : null;
    const run: StressTestRun = { ...r.run, status: verdict ? 'failed' : 'passed', finishedAt: this.ctx.clock.now().toISOString(), summary, verdict };
    try {
      await r.file.close();
      await rm(r.filePath, { force: true });
      await this.ctx.db.dataSource.query('DELETE FROM stress_save WHERE run_id = $1', [r.run.runId]);
    } finally {
      this.latest = run;
      this.current = undefined;
    }
    await this.audit.record({ actor: r.run.actor, action: `stress_test.${run.status}`, subject: run.runId, reason: verdict ?? undefined, details: { ...summary, machines: run.machines, seconds: run.seconds } });
    this.ctx.logger.info({ runId: run.runId, status: run.status, ...summary }, 'stress test finished');
  }

  /** One simulated machine's save: acknowledged only once it is in the database and fsync'd on the backup disk. */
  accept(input: unknown): Promise<void> {
    const save = parseInput(StressSave, input, '压力测试数据');
    if (!this.current) return Promise.reject(new DomainError('CONFLICT', '没有正在进行的压力测试', 'no stress test is running'));
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ save, done: (e) => (e ? reject(e) : resolve()) });
      if (!this.flushing) setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, 2000);
        const r = this.current;
        try {
          if (!r) throw new DomainError('CONFLICT', '压力测试已结束', 'the stress test has ended');
          const at = this.ctx.clock.now().toISOString();
          await Promise.all([
            this.ctx.db.dataSource.query(
              `INSERT INTO stress_save (run_id, machine, seq, payload, received_at)
               SELECT $1, * FROM unnest($2::int[], $3::int[], $4::text[], $5::timestamptz[]) ON CONFLICT DO NOTHING`,
              [r.run.runId, batch.map((b) => b.save.machine), batch.map((b) => b.save.seq), batch.map((b) => b.save.payload), batch.map(() => at)],
            ),
            r.file.write(batch.map((b) => JSON.stringify(b.save)).join('\n') + '\n').then(() => r.file.sync()),
          ]);
          for (const b of batch) b.done();
        } catch (error) {
          for (const b of batch) b.done(error as Error);
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  async onModuleDestroy(): Promise<void> {
    const r = this.current;
    if (!r) return;
    for (const t of r.timers) clearInterval(t);
    for (const s of r.sockets) s.disconnect();
    await r.file.close().catch(() => undefined);
    await rm(r.filePath, { force: true });
  }
}
