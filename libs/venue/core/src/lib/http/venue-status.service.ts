import { Inject, Injectable } from '@nestjs/common';
import type { SignedReceipt } from '@kaowu/contracts';
import { VENUE_CONTEXT, VenueContext } from '../venue-context';
import { SessionRegistry } from '../exam-room/session-registry';

export interface VenueStatus {
  venueCode: string;
  serverTime: string;
  sessions: { sessionId: string; phase: string; startsAt: string; endsAt: string }[];
  answerEvents: number;
  attempts: Record<string, number>;
  rooms: { roomCode: string; sessionId: string; packageId: string; sealedAt: string; uploadedAt: string | null; lastError: string | null; receipt: SignedReceipt | null }[];
}

@Injectable()
export class VenueStatusService {
  constructor(
    @Inject(VENUE_CONTEXT) private readonly ctx: VenueContext,
    @Inject(SessionRegistry) private readonly sessions: SessionRegistry,
  ) {}

  async status(): Promise<VenueStatus> {
    const ds = this.ctx.db.dataSource;
    const now = this.ctx.clock.now();
    const events: { n: string }[] = await ds.query('SELECT count(*) AS n FROM answer_event');
    const attempts: { status: string; n: string }[] = await ds.query('SELECT status, count(*) AS n FROM attempt GROUP BY status');
    const uploads: { room_code: string; session_id: string; package_id: string; sealed_at: Date; uploaded_at: Date | null; last_error: string | null; receipt: SignedReceipt | null }[] =
      await ds.query('SELECT room_code, session_id, package_id, sealed_at, uploaded_at, last_error, receipt FROM result_upload ORDER BY room_code');
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
      rooms: uploads.map((u) => ({
        roomCode: u.room_code,
        sessionId: u.session_id,
        packageId: u.package_id,
        sealedAt: new Date(u.sealed_at).toISOString(),
        uploadedAt: u.uploaded_at ? new Date(u.uploaded_at).toISOString() : null,
        lastError: u.last_error,
        receipt: u.receipt,
      })),
    };
  }
}
