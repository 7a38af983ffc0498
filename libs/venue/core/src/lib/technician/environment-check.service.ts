import { Inject, Injectable } from '@nestjs/common';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, statfsSync } from 'node:fs';
import { open, unlink } from 'node:fs/promises';
import { cpus, freemem, loadavg } from 'node:os';
import { join } from 'node:path';
import type { EnvironmentCheck, EnvironmentReport, MachineCheck } from '@kaowu/contracts';
import { DomainError } from '@kaowu/server-kit';
import { VENUE_CONTEXT, VenueContext } from '../venue-context';
import { AuditLog } from '../store/audit-log';
import { ExamRoomService } from '../exam-room/exam-room.service';
import { SessionRegistry } from '../exam-room/session-registry';

const GB = 1024 ** 3;
/** 考前环境检查 thresholds: what a venue server needs for one session with margin. */
const MIN_FREE_DATA_BYTES = 5 * GB;
const MIN_FREE_BACKUP_BYTES = 2 * GB;
const MIN_FREE_MEMORY_BYTES = 1 * GB;
const MAX_LOAD_PER_CPU = 0.8;
const MAX_PROVINCE_OFFSET_MS = 2_000;
const MAX_MACHINE_SKEW_MS = 5_000;
/** A save must come back within the exam screen's 150 ms target: a LAN round trip above this needs looking at. */
const MAX_MACHINE_LATENCY_MS = 100;
const MIN_CERT_DAYS = 7;
const DAY = 86_400_000;

/**
 * 环境检查 for the technician (技术负责人): the venue server (database, disks, the backup on a
 * separate device and writable, memory, CPU, clock against the province, TLS certificate, the
 * package for the next session) and each connected exam machine (attested kiosk, clock skew, latency). 封场
 * needs every server check green and records who sealed the venue.
 */
@Injectable()
export class EnvironmentCheckService {
  constructor(
    @Inject(VENUE_CONTEXT) private readonly ctx: VenueContext,
    @Inject(AuditLog) private readonly audit: AuditLog,
    @Inject(ExamRoomService) private readonly rooms: ExamRoomService,
    @Inject(SessionRegistry) private readonly sessions: SessionRegistry,
  ) {}

  async report(): Promise<EnvironmentReport> {
    const checks = await Promise.all([this.database(), this.dataDisk(), this.backup(), this.memory(), this.cpu(), this.provinceClock(), this.certificate(), this.packageReady()]);
    const machines: MachineCheck[] = this.rooms.machineConnections().map((m) => {
      const skew = m.clockSkewMs ?? null;
      const latency = m.latencyMs ?? null;
      return {
        machineId: m.machineId ?? m.connectionId,
        roomCode: m.roomCode ?? null,
        seatNo: m.seatNo ?? null,
        // the attestation key derives from the shipped kiosk configuration and version: only that kiosk gets in
        attested: true,
        clockSkewMs: skew,
        latencyMs: latency,
        ok: (skew === null || Math.abs(skew) <= MAX_MACHINE_SKEW_MS) && (latency === null || latency <= MAX_MACHINE_LATENCY_MS),
      };
    });
    const sealed: { actor: string; at: Date; reason: string | null }[] = await this.ctx.db.dataSource.query(
      "SELECT actor, at, reason FROM audit_event WHERE action = 'venue.sealed' ORDER BY id DESC LIMIT 1",
    );
    return {
      venueCode: this.ctx.config.VENUE_CODE,
      checkedAt: this.ctx.clock.now().toISOString(),
      passed: checks.every((c) => c.ok),
      checks,
      machines,
      sealed: sealed[0] ? { by: sealed[0].reason ?? sealed[0].actor, actor: sealed[0].actor, at: new Date(sealed[0].at).toISOString() } : null,
    };
  }

  /** 封场: only with every server check green; the chief and the technician who sign are recorded. */
  async sealVenue(actor: string, signedBy: string): Promise<EnvironmentReport> {
    const report = await this.report();
    const failed = report.checks.filter((c) => !c.ok);
    if (failed.length > 0)
      throw new DomainError('CHECKS_FAILED', `环境检查有 ${failed.length} 项未通过（${failed.map((c) => c.label).join('、')}），不能封场`, `${failed.length} checks failed; the venue cannot be sealed`);
    await this.audit.record({ actor, action: 'venue.sealed', subject: this.ctx.config.VENUE_CODE, reason: signedBy, details: { checks: report.checks.map((c) => ({ code: c.code, detail: c.detail })) } });
    return this.report();
  }

  private check(code: string, label: string, ok: boolean, detail: string): EnvironmentCheck {
    return { code, label, ok, detail };
  }

  private async database(): Promise<EnvironmentCheck> {
    const started = process.hrtime.bigint();
    try {
      await this.ctx.db.dataSource.query('SELECT 1');
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      return this.check('database', '数据库', true, `${this.ctx.db.kind}，响应 ${ms.toFixed(1)} ms`);
    } catch (error) {
      return this.check('database', '数据库', false, `无法访问：${(error as Error).message}`);
    }
  }

  private async dataDisk(): Promise<EnvironmentCheck> {
    const free = freeBytes(this.ctx.config.VENUE_DATA_DIR);
    return this.check('data_disk', '数据盘空间', free >= MIN_FREE_DATA_BYTES, `可用 ${(free / GB).toFixed(1)} GB（至少 ${MIN_FREE_DATA_BYTES / GB} GB）`);
  }

  /** The backup journal must be writable (and flushed to disk) and, in a venue, on another device. */
  private async backup(): Promise<EnvironmentCheck> {
    const dir = this.ctx.config.BACKUP_DIR;
    try {
      mkdirSync(dir, { recursive: true });
      const probe = join(dir, `.write-check-${process.pid}`);
      const fh = await open(probe, 'w');
      await fh.writeFile('kaowu');
      await fh.sync();
      await fh.close();
      await unlink(probe);
    } catch (error) {
      return this.check('backup', '答题备份盘', false, `${dir} 不可写：${(error as Error).message}`);
    }
    const separate = statSync(dir).dev !== statSync(this.ctx.config.VENUE_DATA_DIR).dev;
    const free = freeBytes(dir);
    const ok = separate && free >= MIN_FREE_BACKUP_BYTES;
    return this.check(
      'backup',
      '答题备份盘',
      ok,
      `${dir} 可写，可用 ${(free / GB).toFixed(1)} GB；${separate ? '与数据盘为不同设备' : '与数据盘在同一设备上（备份必须放在另一块磁盘）'}`,
    );
  }

  private async memory(): Promise<EnvironmentCheck> {
    const free = freemem();
    return this.check('memory', '内存', free >= MIN_FREE_MEMORY_BYTES, `可用 ${(free / GB).toFixed(1)} GB`);
  }

  private async cpu(): Promise<EnvironmentCheck> {
    const perCpu = loadavg()[0] / Math.max(1, cpus().length);
    return this.check('cpu', 'CPU 负载', perCpu <= MAX_LOAD_PER_CPU, `1 分钟平均负载 ${loadavg()[0].toFixed(2)}（${cpus().length} 核）`);
  }

  /** The venue's clock against the province's (HTTP Date, to the second, halved round trip). */
  private async provinceClock(): Promise<EnvironmentCheck> {
    const sentAt = Date.now();
    try {
      const res = await fetch(`${this.ctx.config.PROVINCE_URL}/health`, { signal: AbortSignal.timeout(5_000) });
      const receivedAt = Date.now();
      const date = res.headers.get('date');
      if (!date) return this.check('clock', '时间同步', false, '省级服务器未返回时间');
      const offset = Date.parse(date) + 500 - (sentAt + receivedAt) / 2;
      return this.check('clock', '时间同步', Math.abs(offset) <= MAX_PROVINCE_OFFSET_MS, `与省级服务器相差约 ${(offset / 1000).toFixed(1)} 秒（允许 ±${MAX_PROVINCE_OFFSET_MS / 1000} 秒）`);
    } catch (error) {
      return this.check('clock', '时间同步', false, `无法连接省级服务器：${(error as Error).message}`);
    }
  }

  private async certificate(): Promise<EnvironmentCheck> {
    const path = join(this.ctx.config.VENUE_DATA_DIR, 'tls', 'venue-server.crt.pem');
    if (!existsSync(path)) return this.check('tls', '考点证书', this.ctx.config.VENUE_TLS === 'off', 'HTTPS 未启用（仅限本机调试）');
    const cert = new X509Certificate(readFileSync(path));
    const days = Math.floor((Date.parse(cert.validTo) - this.ctx.clock.now().getTime()) / DAY);
    return this.check('tls', '考点证书', days >= MIN_CERT_DAYS, `有效期还剩 ${days} 天`);
  }

  private async packageReady(): Promise<EnvironmentCheck> {
    const session = this.sessions.current(this.ctx.clock.now());
    if (!session) return this.check('package', '考试数据包', false, '尚未导入考试数据包');
    return this.check('package', '考试数据包', true, `场次 ${session.schedule.sessionId}（${session.schedule.subjectName}）已导入，开考 ${session.schedule.startsAt}`);
  }
}

function freeBytes(dir: string): number {
  mkdirSync(dir, { recursive: true });
  const fs = statfsSync(dir);
  return fs.bavail * fs.bsize;
}
