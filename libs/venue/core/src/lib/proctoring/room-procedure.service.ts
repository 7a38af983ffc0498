import { Inject, Injectable } from '@nestjs/common';
import type { AttemptStatus, RecordProcedureStep, RoomProcedure } from '@kaowu/contracts';
import { ROOM_PROCEDURE, procedureDueAt, procedureState, type ProcedureEvidence } from '@kaowu/exam-domain';
import { DomainError } from '@kaowu/server-kit';
import { VENUE_CONTEXT, VenueContext } from '../venue-context';
import { AuditLog } from '../store/audit-log';
import { ExamRoomService } from '../exam-room/exam-room.service';
import { LoadedSession, SessionRegistry } from '../exam-room/session-registry';
import type { RoomScope } from './proctoring.service';

interface Person {
  seat_no: number;
  attempt_id: string | null;
  status: AttemptStatus | null;
  credited_minutes: number | null;
  entry_checked: boolean;
  rechecked: boolean;
  absent_marked: boolean;
}

/** A person's step may be recorded from this long before it is due (e.g. 监考员到位 a little early). */
const EARLY_RECORD_MINUTES = 30;
const refuse = (code: ConstructorParameters<typeof DomainError>[0], zh: string, en: string, field?: string) => new DomainError(code, zh, en, field);

/**
 * 考试操作规程 for one room: the work plan's 17 steps on the server clock. A person's step is
 * recorded by the proctor's button; a system step is recorded (as `system`) the first time the
 * venue sees its evidence, so it stays done when, say, the machines are switched off at the end.
 */
@Injectable()
export class RoomProcedureService {
  constructor(
    @Inject(VENUE_CONTEXT) private readonly ctx: VenueContext,
    @Inject(AuditLog) private readonly audit: AuditLog,
    @Inject(ExamRoomService) private readonly rooms: ExamRoomService,
    @Inject(SessionRegistry) private readonly sessions: SessionRegistry,
  ) {}

  private get ds() {
    return this.ctx.db.dataSource;
  }

  private session(): LoadedSession {
    return this.sessions.require(this.ctx.clock.now());
  }

  async view(scope: RoomScope): Promise<RoomProcedure> {
    const session = this.session();
    const sessionId = session.schedule.sessionId;
    const now = this.ctx.clock.now();
    const [people, recorded, confirmed] = await Promise.all([
      this.ds.query(
        `SELECT COALESCE(a.seat_no, c.seat_no) AS seat_no, a.attempt_id, a.status, a.credited_minutes,
           EXISTS (SELECT 1 FROM identity_check ic WHERE ic.session_id = $2 AND ic.candidate_id = c.candidate_id AND ic.phase = 'entry') AS entry_checked,
           EXISTS (SELECT 1 FROM identity_check ic WHERE ic.session_id = $2 AND ic.candidate_id = c.candidate_id AND ic.phase = 'recheck') AS rechecked,
           EXISTS (SELECT 1 FROM absence ab WHERE ab.session_id = $2 AND ab.candidate_id = c.candidate_id) AS absent_marked
         FROM candidate c LEFT JOIN attempt a ON a.candidate_id = c.candidate_id AND a.session_id = $2 WHERE c.room_code = $1 AND c.session_id = $2`,
        [scope.roomCode, sessionId],
      ) as Promise<Person[]>,
      this.ds.query('SELECT step_no, actor, done_at FROM room_step WHERE session_id = $1 AND room_code = $2', [sessionId, scope.roomCode]) as Promise<
        { step_no: number; actor: string; done_at: Date }[]
      >,
      this.ds.query('SELECT 1 FROM room_confirmation WHERE session_id = $1 AND room_code = $2', [sessionId, scope.roomCode]) as Promise<unknown[]>,
    ]);
    const latestEndAt = session.timeline.candidateEndsAt(Math.max(0, ...people.map((p) => Number(p.credited_minutes ?? 0))));
    const seen = this.evidence(session, people, confirmed.length > 0, scope.roomCode, now, latestEndAt);
    const done = new Map(recorded.map((r) => [Number(r.step_no), { by: r.actor, at: new Date(r.done_at).toISOString() }]));

    // system steps seen for the first time are kept, so they stay done
    for (const step of ROOM_PROCEDURE) {
      if (step.evidence === 'recorded' || done.has(step.no) || !seen.has(step.evidence)) continue;
      await this.ds.query(
        `INSERT INTO room_step (session_id, room_code, step_no, actor, done_at) VALUES ($1, $2, $3, 'system', $4) ON CONFLICT (session_id, room_code, step_no) DO NOTHING`,
        [sessionId, scope.roomCode, step.no, now.toISOString()],
      );
      done.set(step.no, { by: 'system', at: now.toISOString() });
    }
    return {
      roomCode: scope.roomCode,
      sessionId,
      serverTime: now.toISOString(),
      steps: ROOM_PROCEDURE.map((step) => {
        const dueAt = procedureDueAt(step, session.timeline, latestEndAt);
        return {
          no: step.no,
          text: step.text,
          roles: [...step.roles],
          dueAt: dueAt.toISOString(),
          state: procedureState(dueAt, done.has(step.no), now),
          recordable: step.evidence === 'recorded',
          done: done.get(step.no) ?? null,
        };
      }),
    };
  }

  /** A person's step done (e.g. 9 考生须知已宣读): recorded once, with the actor and the time. */
  async record(scope: RoomScope, r: RecordProcedureStep): Promise<RoomProcedure> {
    const session = this.session();
    const step = ROOM_PROCEDURE.find((s) => s.no === r.stepNo);
    if (!step) throw refuse('NOT_FOUND', `没有第 ${r.stepNo} 步`, `no step ${r.stepNo}`, 'stepNo');
    if (step.evidence !== 'recorded') throw refuse('CONFLICT', `第 ${step.no} 步由系统根据考试情况自动确认，无需手工记录`, 'this step is confirmed by the system', 'stepNo');
    const now = this.ctx.clock.now();
    const dueAt = procedureDueAt(step, session.timeline);
    if (now.getTime() < dueAt.getTime() - EARLY_RECORD_MINUTES * 60_000)
      throw refuse('CONFLICT', `第 ${step.no} 步尚未到时间（应于 ${dueAt.toISOString().slice(11, 16)} UTC 前后进行）`, 'this step is not due yet', 'stepNo');
    const rows: unknown[] = await this.ds.query(
      `INSERT INTO room_step (session_id, room_code, step_no, actor, note, done_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (session_id, room_code, step_no) DO NOTHING RETURNING step_no`,
      [session.schedule.sessionId, scope.roomCode, step.no, scope.actor, r.note ?? null, now.toISOString()],
    );
    if (rows.length > 0) await this.audit.record({ actor: scope.actor, action: 'procedure.step_done', subject: `${scope.roomCode}#${step.no}`, reason: r.note, details: { text: step.text } });
    return this.view(scope);
  }

  private evidence(session: LoadedSession, people: Person[], confirmed: boolean, roomCode: string, now: Date, latestEndAt: Date): Set<ProcedureEvidence> {
    const seen = new Set<ProcedureEvidence>();
    const online = this.rooms.onlineSeats(roomCode);
    const present = people.filter((p) => p.attempt_id);
    if (people.length > 0 && people.every((p) => online.has(Number(p.seat_no)))) seen.add('machines_online');
    if (present.length > 0 && present.every((p) => p.entry_checked)) seen.add('identity_checked');
    if (present.length > 0 && present.every((p) => p.rechecked)) seen.add('identity_rechecked');
    if (people.length > 0 && people.every((p) => p.attempt_id || p.absent_marked)) seen.add('logged_in');
    if (now >= session.timeline.startsAt) seen.add('started');
    if (now >= latestEndAt && !people.some((p) => p.status === 'logged_in' || p.status === 'in_progress')) seen.add('ended');
    if (confirmed) seen.add('verified');
    return seen;
  }
}
