import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { ResultPackage } from '@kaowu/contracts';
import { SessionPhase, autoSealAt, roomClosedAt } from '@kaowu/exam-domain';
import { VENUE_CONTEXT, VenueContext } from '../venue-context';
import { VenuePackageService } from '../package/venue-package.service';
import { ResultSealer } from '../results/result-sealer.service';
import { ResultUploader, backoffMs } from '../results/result-uploader.service';
import { AuditLog } from '../store/audit-log';
import { ExamRoomService } from './exam-room.service';
import { SessionRegistry } from './session-registry';
import { RoomEvents } from './room-events';

const TICK_MS = 200;

/**
 * Drives every room through the timeline on the server clock: pulls the paper key at release
 * time, starts at T0 (never earlier), ends each candidate at their own end, then seals and
 * uploads each room with retries. A tick loop (rather than one timer per instant) survives
 * restarts and compressed clocks alike: each tick compares the clock with the schedule.
 */
@Injectable()
export class SessionScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private phases = new Map<string, SessionPhase>();
  private uploadBackoff = new Map<string, { nextAt: number; failures: number }>();
  private uploading = new Map<string, Promise<void>>();
  private sealed = new Map<string, ResultPackage>();
  /** Sessions whose every room has its receipt: nothing left to do on the tick. */
  private collected = new Set<string>();

  constructor(
    @Inject(VENUE_CONTEXT) private readonly ctx: VenueContext,
    @Inject(SessionRegistry) private readonly sessions: SessionRegistry,
    @Inject(VenuePackageService) private readonly packages: VenuePackageService,
    @Inject(ExamRoomService) private readonly rooms: ExamRoomService,
    @Inject(ResultSealer) private readonly sealer: ResultSealer,
    @Inject(ResultUploader) private readonly uploader: ResultUploader,
    @Inject(AuditLog) private readonly audit: AuditLog,
    @Inject(RoomEvents) private readonly events: RoomEvents,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.sessions.reload();
    this.timer = setInterval(() => void this.tick(), TICK_MS);
  }

  /** Stop ticking and let a tick in flight finish before the database closes. */
  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
    this.uploader.stop();
    await Promise.allSettled([...this.uploading.values()]);
  }

  tick(): Promise<void> {
    if (this.running) return this.running;
    this.running = this.runTick().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async runTick(): Promise<void> {
    try {
      await this.packages.ensureReleased();
      for (const session of this.sessions.all()) await this.advance(session);
    } catch (error) {
      this.ctx.logger.error({ err: error }, 'session tick failed');
    }
  }

  private async roomCodes(): Promise<string[]> {
    const rows: { room_code: string }[] = await this.ctx.db.dataSource.query('SELECT DISTINCT room_code FROM candidate ORDER BY room_code');
    return rows.map((r) => r.room_code);
  }

  private async advance(session: ReturnType<SessionRegistry['all']>[number]): Promise<void> {
    const id = session.schedule.sessionId;
    const now = this.ctx.clock.now();
    const phase = session.timeline.phaseAt(now);
    const before = this.phases.get(id);
    if (phase !== before) {
      this.phases.set(id, phase);
      if (phase === 'in_progress') await this.rooms.markStarted(session);
      if (before !== undefined) await this.audit.record({ actor: 'system', action: `session.${phase}`, subject: id, details: { at: now.toISOString() } });
      for (const room of await this.roomCodes()) this.events.emit('sessionPhase', room, id);
    }
    if (phase === 'in_progress') this.rooms.remindDue(session);
    if (now < session.timeline.scheduledEndAt || this.collected.has(id)) return;

    await this.rooms.endDueAttempts(session);
    // A room is sealed once nobody in it is still answering (补时 keeps only that room open) and its
    // proctors have confirmed the verification (核查无误), or the grace after its close has run out.
    const rooms: { room_code: string; open: string; received: boolean; stored: boolean | null; credited: number | null; confirmed: boolean | null }[] = await this.ctx.db.dataSource.query(
      `SELECT c.room_code,
              count(a.attempt_id) FILTER (WHERE a.status IN ('logged_in', 'in_progress')) AS open,
              bool_or(u.receipt IS NOT NULL) AS received,
              bool_or(u.package_id IS NOT NULL) AS stored,
              max(a.credited_minutes) AS credited,
              bool_or(rc.session_id IS NOT NULL) AS confirmed
       FROM candidate c
       LEFT JOIN attempt a ON a.candidate_id = c.candidate_id AND a.session_id = $1
       LEFT JOIN result_upload u ON u.room_code = c.room_code AND u.session_id = $1
       LEFT JOIN room_confirmation rc ON rc.room_code = c.room_code AND rc.session_id = $1
       WHERE c.session_id = $1
       GROUP BY c.room_code ORDER BY c.room_code`,
      [id],
    );
    if (rooms.every((r) => r.received)) {
      this.collected.add(id);
      return;
    }
    // Seal every closed room first (fast, local), then upload: a slow province never delays sealing.
    const packages = [];
    for (const r of rooms) {
      if (r.received || Number(r.open) > 0) continue;
      const key = `${id}/${r.room_code}`;
      const closedAt = roomClosedAt(session.timeline.scheduledEndAt, Number(r.credited ?? 0));
      if (!this.sealed.has(key) && !r.stored && !r.confirmed && now < autoSealAt(closedAt, this.ctx.config.RESULT_CONFIRMATION_GRACE_MINUTES)) continue;
      const pkg = this.sealed.get(key) ?? (await this.sealer.sealRoom(session, r.room_code));
      this.sealed.set(key, pkg);
      packages.push(pkg);
    }
    // Uploads run beside the tick: a slow or unreachable province never holds up the timeline.
    for (const pkg of packages) {
      const key = pkg.manifest.body.packageId;
      const backoff = this.uploadBackoff.get(key);
      if (this.uploading.has(key) || (backoff && Date.now() < backoff.nextAt)) continue;
      const run = this.uploader
        .upload(pkg)
        .then((outcome) => {
          if (outcome.ok) {
            this.uploadBackoff.delete(key);
            this.events.emit('roomChanged', pkg.manifest.body.roomCode);
            return;
          }
          // A refused package waits longer: someone has to act (register a key, fix the roster).
          const failures = (backoff?.failures ?? 0) + 1;
          const delay = backoffMs(failures, outcome.refusedCode ? 10_000 : 1_000, outcome.refusedCode ? 300_000 : 30_000);
          this.uploadBackoff.set(key, { nextAt: Date.now() + delay, failures });
        })
        .catch((error) => this.ctx.logger.error({ err: error, packageId: key }, 'result upload failed'))
        .finally(() => this.uploading.delete(key));
      this.uploading.set(key, run);
    }
  }
}
