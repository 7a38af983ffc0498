import { Inject, Injectable } from '@nestjs/common';
import { ChiefOverview } from '@kaowu/contracts';
import { VENUE_CONTEXT, VenueContext } from '../venue-context';
import { ExamRoomService } from '../exam-room/exam-room.service';
import { SessionRegistry } from '../exam-room/session-registry';
import { VenuePackageService } from '../package/venue-package.service';
import { ExtensionApprovalService } from './extension-approval.service';

/** 考点总览 for the chief examiner: every room's counts in one query, and the 补时 requests. */
@Injectable()
export class VenueOverviewService {
  constructor(
    @Inject(VENUE_CONTEXT) private readonly ctx: VenueContext,
    @Inject(ExamRoomService) private readonly rooms: ExamRoomService,
    @Inject(SessionRegistry) private readonly sessions: SessionRegistry,
    @Inject(VenuePackageService) private readonly packages: VenuePackageService,
    @Inject(ExtensionApprovalService) private readonly extensions: ExtensionApprovalService,
  ) {}

  async overview(): Promise<ChiefOverview> {
    const now = this.ctx.clock.now();
    const session = this.sessions.current(now);
    const sessionId = session?.schedule.sessionId ?? '';
    const rows: {
      room_code: string;
      name: string;
      expected: string;
      logged_in: string;
      answering: string;
      submitted: string;
      absent_marked: string;
      incidents: string;
      pending: string;
    }[] = await this.ctx.db.dataSource.query(
      `SELECT r.room_code, r.name,
         count(c.candidate_id) AS expected,
         count(a.attempt_id) AS logged_in,
         count(a.attempt_id) FILTER (WHERE a.status IN ('logged_in', 'in_progress')) AS answering,
         count(a.attempt_id) FILTER (WHERE a.status IN ('submitted', 'ended')) AS submitted,
         (SELECT count(*) FROM absence ab WHERE ab.session_id = $1 AND ab.room_code = r.room_code) AS absent_marked,
         (SELECT count(*) FROM incident i WHERE i.session_id = $1 AND i.room_code = r.room_code) AS incidents,
         (SELECT count(*) FROM extension_request x WHERE x.session_id = $1 AND x.room_code = r.room_code AND x.status = 'pending') AS pending
       FROM room r
       LEFT JOIN candidate c ON c.room_code = r.room_code AND c.session_id = $1
       LEFT JOIN attempt a ON a.candidate_id = c.candidate_id AND a.session_id = $1
       GROUP BY r.room_code, r.name ORDER BY r.room_code`,
      [sessionId],
    );
    const afterCutoff = session ? now >= session.timeline.lateLoginCutoffAt : false;
    return {
      venueName: await this.packages.venueName(),
      sessionId: session?.schedule.sessionId ?? null,
      phase: session ? session.timeline.phaseAt(now) : null,
      serverTime: now.toISOString(),
      rooms: rows.map((r) => {
        const expected = Number(r.expected);
        const loggedIn = Number(r.logged_in);
        return {
          roomCode: r.room_code,
          name: r.name,
          expected,
          loggedIn,
          answering: Number(r.answering),
          submitted: Number(r.submitted),
          // the seat map's rule: after the late-login cutoff whoever never logged in is absent
          absent: afterCutoff ? expected - loggedIn : Number(r.absent_marked),
          machinesOnline: this.rooms.onlineSeats(r.room_code).size,
          incidents: Number(r.incidents),
          pendingExtensions: Number(r.pending),
        };
      }),
      extensionRequests: session ? await this.extensions.list(sessionId) : [],
    };
  }
}
