import { Inject, Injectable } from '@nestjs/common';
import { ErrorBody, IntakeSession, ResultManifest, RoomCompleteness, RoomIntakeState, RoomPackageDetail, SessionCompleteness, SignedReceipt } from '@kaowu/contracts';
import type { SignedDocument } from '@kaowu/crypto';
import { DomainError } from '@kaowu/server-kit';
import { PROVINCIAL_CONTEXT, ProvincialContext } from '../provincial-context';
import { ROSTER_CTE } from '../reporting/session-roster';

/** 考后30分钟内上传: the work plan's deadline for every room's data, from the session's end. */
export const UPLOAD_DEADLINE_MINUTES = 30;

/**
 * 回收完整性: every venue × room of a session against the 30-minute deadline — what has
 * arrived verified, what is on its way, what was refused, what is late — and who is missing.
 */
@Injectable()
export class CompletenessService {
  constructor(@Inject(PROVINCIAL_CONTEXT) private readonly ctx: ProvincialContext) {}

  async sessions(): Promise<IntakeSession[]> {
    const rows: { session_id: string; starts_at: Date; duration_minutes: number; venues: string }[] = await this.ctx.db.dataSource.query(
      `SELECT s.session_id, s.starts_at, e.duration_minutes, count(vp.venue_code) AS venues
       FROM exam_session s JOIN exam e ON e.exam_code = s.exam_code JOIN venue_package vp ON vp.session_id = s.session_id
       GROUP BY s.session_id, s.starts_at, e.duration_minutes ORDER BY s.starts_at, s.session_id`,
    );
    return rows.map((r) => ({
      sessionId: r.session_id,
      startsAt: new Date(r.starts_at).toISOString(),
      endsAt: new Date(new Date(r.starts_at).getTime() + r.duration_minutes * 60_000).toISOString(),
      venues: Number(r.venues),
    }));
  }

  async session(sessionId: string): Promise<SessionCompleteness> {
    const ds = this.ctx.db.dataSource;
    const sessions: { starts_at: Date; duration_minutes: number }[] = await ds.query(
      'SELECT s.starts_at, e.duration_minutes FROM exam_session s JOIN exam e ON e.exam_code = s.exam_code WHERE s.session_id = $1',
      [sessionId],
    );
    if (sessions.length === 0) throw new DomainError('NOT_FOUND', `场次 ${sessionId} 不存在`, `no session ${sessionId}`, 'sessionId');
    const now = this.ctx.clock.now();
    const startsAt = new Date(sessions[0].starts_at);
    const endsAt = new Date(startsAt.getTime() + sessions[0].duration_minutes * 60_000);
    const deadlineAt = new Date(endsAt.getTime() + UPLOAD_DEADLINE_MINUTES * 60_000);

    // The rooms expected: every room with candidates on the session's roster (the allocation, or the venues that received the package).
    const rooms: { venue_code: string; name: string; room_code: string; expected: string }[] = await ds.query(
      `WITH ${ROSTER_CTE}
       SELECT v.venue_code, v.name, p.room_code, count(*) AS expected
       FROM placed p JOIN venue v ON v.venue_code = p.venue_code
       GROUP BY v.venue_code, v.name, p.room_code ORDER BY v.venue_code, p.room_code`,
      [[sessionId]],
    );
    const packages: { venue_code: string; room_code: string; package_id: string; received_at: Date; manifest: SignedDocument<ResultManifest> }[] = await ds.query(
      'SELECT venue_code, room_code, package_id, received_at, manifest FROM result_package WHERE session_id = $1',
      [sessionId],
    );
    const uploads: { venue_code: string; room_code: string; package_id: string; state: string; confirmed_bytes: string; total_bytes: string; error: ErrorBody | null }[] = await ds.query(
      `SELECT DISTINCT ON (venue_code, room_code) venue_code, room_code, package_id, state, confirmed_bytes, total_bytes, error
       FROM result_upload WHERE session_id = $1 ORDER BY venue_code, room_code, updated_at DESC`,
      [sessionId],
    );
    const key = (v: string, r: string) => `${v}/${r}`;
    const pkgBy = new Map(packages.map((p) => [key(p.venue_code, p.room_code), p]));
    const upBy = new Map(uploads.map((u) => [key(u.venue_code, u.room_code), u]));

    const rows: RoomCompleteness[] = rooms.map((r) => {
      const pkg = pkgBy.get(key(r.venue_code, r.room_code));
      const up = upBy.get(key(r.venue_code, r.room_code));
      const receivedAt = pkg ? new Date(pkg.received_at) : null;
      let state: RoomIntakeState;
      if (pkg) state = 'verified';
      else if (up?.state === 'refused') state = 'failed';
      else if (now >= deadlineAt) state = 'late';
      else if (up) state = Number(up.confirmed_bytes) >= Number(up.total_bytes) ? 'uploaded' : 'sealed';
      else if (now < startsAt) state = 'not_started';
      else if (now < endsAt) state = 'in_progress';
      else state = 'awaiting_upload';
      return {
        venueCode: r.venue_code,
        venueName: r.name,
        roomCode: r.room_code,
        sessionId,
        state,
        startsAt: startsAt.toISOString(),
        endsAt: endsAt.toISOString(),
        deadlineAt: deadlineAt.toISOString(),
        secondsToDeadline: Math.round((deadlineAt.getTime() - now.getTime()) / 1000),
        expectedCandidates: Number(r.expected),
        presentCandidates: pkg ? pkg.manifest.body.presentCandidates : null,
        packageId: pkg?.package_id ?? up?.package_id ?? null,
        receivedAt: receivedAt?.toISOString() ?? null,
        receivedLate: receivedAt !== null && receivedAt > deadlineAt,
        confirmedBytes: up ? Number(up.confirmed_bytes) : null,
        totalBytes: up ? Number(up.total_bytes) : null,
        errorCode: !pkg && up?.error ? up.error.code : null,
        errorMessage: !pkg && up?.error ? up.error.message : null,
      };
    });
    const counts = Object.fromEntries(RoomIntakeState.options.map((s) => [s, rows.filter((r) => r.state === s).length])) as Record<RoomIntakeState, number>;
    return { sessionId, serverTime: now.toISOString(), counts, rooms: rows };
  }

  /** 数据包详情: the verified manifest (attempts, incidents, audit head), its receipt and the absent candidates. */
  async packageDetail(packageId: string): Promise<RoomPackageDetail> {
    const ds = this.ctx.db.dataSource;
    const rows: { manifest: SignedDocument<ResultManifest>; receipt: SignedReceipt }[] = await ds.query('SELECT manifest, receipt FROM result_package WHERE package_id = $1', [packageId]);
    if (rows.length === 0) throw new DomainError('NOT_FOUND', `数据包 ${packageId} 尚未接收`, `package ${packageId} has not been received`, 'packageId');
    const absent: { ticket_no: string; name: string }[] = await ds.query(
      `SELECT a.ticket_no, coalesce(c.name, r.name, '') AS name FROM attempt_result a
       LEFT JOIN candidate c ON c.candidate_id = a.candidate_id LEFT JOIN registrant r ON r.registrant_id::text = a.candidate_id
       WHERE a.package_id = $1 AND a.status = 'absent' ORDER BY a.ticket_no`,
      [packageId],
    );
    return { manifest: rows[0].manifest, receipt: rows[0].receipt, absent: absent.map((a) => ({ ticketNo: a.ticket_no, name: a.name })) };
  }
}
