import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SessionPhase } from '@kaowu/exam-domain';
import { VENUE_CONTEXT, VenueContext } from '../venue-context';
import { VenuePackageService } from '../package/venue-package.service';
import { ResultSealer } from '../results/result-sealer.service';
import { ResultUploader } from '../results/result-uploader.service';
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
  private uploadBackoff = new Map<string, { nextAt: number; delay: number }>();
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
    const open: { n: string }[] = await this.ctx.db.dataSource.query(`SELECT count(*) AS n FROM attempt WHERE session_id = $1 AND status IN ('logged_in', 'in_progress')`, [id]);
    if (Number(open[0].n) > 0) return; // someone with credited time is still answering

    const pending: { room_code: string }[] = await this.ctx.db.dataSource.query(
      `SELECT DISTINCT c.room_code FROM candidate c
       WHERE NOT EXISTS (SELECT 1 FROM result_upload u WHERE u.room_code = c.room_code AND u.session_id = $1 AND u.receipt IS NOT NULL)
       ORDER BY c.room_code`,
      [id],
    );
    if (pending.length === 0) {
      this.collected.add(id);
      return;
    }
    // Seal every room first (fast, local), then upload: a slow province never delays sealing.
    const packages = [];
    for (const { room_code } of pending) packages.push(await this.sealer.sealRoom(session, room_code));
    await Promise.all(
      packages.map(async (pkg) => {
        const key = pkg.manifest.body.packageId;
        const backoff = this.uploadBackoff.get(key);
        if (backoff && Date.now() < backoff.nextAt) return;
        const outcome = await this.uploader.upload(pkg);
        if (outcome.ok) {
          this.uploadBackoff.delete(key);
          this.events.emit('roomChanged', pkg.manifest.body.roomCode);
        } else {
          const delay = Math.min(30_000, (backoff?.delay ?? 500) * 2);
          this.uploadBackoff.set(key, { nextAt: Date.now() + delay, delay });
        }
      }),
    );
  }
}
