import { Inject, Injectable } from '@nestjs/common';
import type { SignedReceipt } from '@kaowu/contracts';
import { VENUE_CONTEXT, VenueContext } from '../venue-context';
import { SessionRegistry } from '../exam-room/session-registry';

/** A room is at risk once this close to its deadline without a receipt, or once the province refused it. */
export const AT_RISK_BEFORE_DEADLINE_MS = 10 * 60_000;

export type RoomUploadState = 'sealed' | 'uploading' | 'uploaded' | 'refused';

export interface RoomUploadStatus {
  roomCode: string;
  sessionId: string;
  packageId: string;
  sealedAt: string;
  /** The room's end (scheduled end + the most credited time); the 30-minute upload deadline runs from here. */
  closedAt: string | null;
  deadlineAt: string | null;
  /** Seconds left to the deadline on the server clock (negative: late). */
  secondsToDeadline: number | null;
  state: RoomUploadState;
  atRisk: boolean;
  totalBytes: number | null;
  confirmedBytes: number;
  uploadAttempts: number;
  uploadedAt: string | null;
  lastError: string | null;
  refusedCode: string | null;
  exportedAt: string | null;
  receipt: SignedReceipt | null;
}

export interface VenueStatus {
  venueCode: string;
  serverTime: string;
  sessions: { sessionId: string; phase: string; startsAt: string; endsAt: string }[];
  answerEvents: number;
  attempts: Record<string, number>;
  rooms: RoomUploadStatus[];
}

interface UploadRow {
  room_code: string;
  session_id: string;
  package_id: string;
  sealed_at: Date;
  closed_at: Date | null;
  deadline_at: Date | null;
  total_bytes: string | null;
  confirmed_bytes: string;
  upload_attempts: number;
  uploaded_at: Date | null;
  last_error: string | null;
  refused_code: string | null;
  exported_at: Date | null;
  receipt: SignedReceipt | null;
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

@Injectable()
export class VenueStatusService {
  constructor(
    @Inject(VENUE_CONTEXT) private readonly ctx: VenueContext,
    @Inject(SessionRegistry) private readonly sessions: SessionRegistry,
  ) {
    // 上传时限: seconds to each room's deadline and whether it is at risk, fresh at every scrape (rooms without a receipt).
    const pending = async () => (await this.roomUploads()).filter((r) => r.state !== 'uploaded');
    const deadline = ctx.metrics.gauge('kaowu_room_upload_deadline_seconds', 'Seconds left to the room package upload deadline (negative: late), rooms without a receipt', ['room', 'session'], async () => {
      deadline.reset();
      for (const r of await pending()) if (r.secondsToDeadline !== null) deadline.set({ room: r.roomCode, session: r.sessionId }, r.secondsToDeadline);
    });
    const atRisk = ctx.metrics.gauge('kaowu_room_upload_at_risk', '1 when a room package is near or past its upload deadline without a receipt, or refused', ['room', 'session'], async () => {
      atRisk.reset();
      for (const r of await pending()) atRisk.set({ room: r.roomCode, session: r.sessionId }, r.atRisk ? 1 : 0);
    });
  }

  async roomUploads(): Promise<RoomUploadStatus[]> {
    const now = this.ctx.clock.now();
    const rows: UploadRow[] = await this.ctx.db.dataSource.query(
      `SELECT room_code, session_id, package_id, sealed_at, closed_at, deadline_at, total_bytes, confirmed_bytes, upload_attempts,
              uploaded_at, last_error, refused_code, exported_at, receipt
       FROM result_upload ORDER BY session_id, room_code`,
    );
    return rows.map((u) => {
      const deadlineMs = u.deadline_at ? new Date(u.deadline_at).getTime() : null;
      const state: RoomUploadState = u.receipt ? 'uploaded' : u.refused_code ? 'refused' : u.upload_attempts > 0 ? 'uploading' : 'sealed';
      const atRisk = !u.receipt && (u.refused_code !== null || (deadlineMs !== null && now.getTime() >= deadlineMs - AT_RISK_BEFORE_DEADLINE_MS));
      return {
        roomCode: u.room_code,
        sessionId: u.session_id,
        packageId: u.package_id,
        sealedAt: new Date(u.sealed_at).toISOString(),
        closedAt: iso(u.closed_at),
        deadlineAt: iso(u.deadline_at),
        secondsToDeadline: deadlineMs === null ? null : Math.round((deadlineMs - now.getTime()) / 1000),
        state,
        atRisk,
        totalBytes: u.total_bytes === null ? null : Number(u.total_bytes),
        confirmedBytes: Number(u.confirmed_bytes),
        uploadAttempts: u.upload_attempts,
        uploadedAt: iso(u.uploaded_at),
        lastError: u.last_error,
        refusedCode: u.refused_code,
        exportedAt: iso(u.exported_at),
        receipt: u.receipt,
      };
    });
  }

  async status(): Promise<VenueStatus> {
    const ds = this.ctx.db.dataSource;
    const now = this.ctx.clock.now();
    const events: { n: string }[] = await ds.query('SELECT count(*) AS n FROM answer_event');
    const attempts: { status: string; n: string }[] = await ds.query('SELECT status, count(*) AS n FROM attempt GROUP BY status');
    return {
      venueCode: this.ctx.config.VENUE_CODE,
      serverTime: now.toISOString(),
      sessions: this.sessions.all().map((s) => ({
        sessionId: s.schedule.sessionId,
        phase: s.timeline.phaseAt(now),
        startsAt: s.timeline.startsAt.toISOString(),
        endsAt: s.timeline.scheduledEndAt.toISOString(),
      })),
      answerEvents: Number(events[0].n),
      attempts: Object.fromEntries(attempts.map((a) => [a.status, Number(a.n)])),
      rooms: await this.roomUploads(),
    };
  }
}
