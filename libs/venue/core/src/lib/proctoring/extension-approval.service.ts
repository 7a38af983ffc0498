import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DecideExtension, EXTENSION_APPROVAL_THRESHOLD_MINUTES, ExtendAck, ExtendTime, ExtensionRequest, ExtensionRequestStatus } from '@kaowu/contracts';
import { DomainError } from '@kaowu/server-kit';
import { returnedRows } from '@kaowu/persistence';
import { VENUE_CONTEXT, VenueContext } from '../venue-context';
import { AuditLog } from '../store/audit-log';
import { ActionScope, ExamRoomService } from '../exam-room/exam-room.service';
import { RoomEvents } from '../exam-room/room-events';

interface RequestRow {
  request_id: string;
  attempt_id: string;
  room_code: string;
  seat_no: number;
  name: string;
  ticket_no: string;
  minutes: number;
  reason: string;
  requested_by: string;
  requested_at: Date;
  status: ExtensionRequestStatus;
  decided_by: string | null;
  decided_at: Date | null;
  decision_note: string | null;
}

const SELECT_REQUESTS = `SELECT r.request_id, r.attempt_id, r.room_code, COALESCE(a.seat_no, c.seat_no) AS seat_no, c.name, c.ticket_no, r.minutes, r.reason,
    r.requested_by, r.requested_at, r.status, r.decided_by, r.decided_at, r.decision_note
  FROM extension_request r JOIN attempt a ON a.attempt_id = r.attempt_id JOIN candidate c ON c.candidate_id = a.candidate_id`;

const toRequest = (r: RequestRow): ExtensionRequest => ({
  requestId: r.request_id,
  attemptId: r.attempt_id,
  roomCode: r.room_code,
  seatNo: Number(r.seat_no),
  candidateName: r.name,
  ticketNo: r.ticket_no,
  minutes: Number(r.minutes),
  reason: r.reason,
  requestedBy: r.requested_by,
  requestedAt: new Date(r.requested_at).toISOString(),
  status: r.status,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at ? new Date(r.decided_at).toISOString() : null,
  decisionNote: r.decision_note,
});

/** Who may grant more than the threshold at once: the chief examiner (主考). */
export const isChief = (scope: ActionScope) => scope.actor.startsWith('chief:');

/**
 * 补时 with the chief examiner's approval: a proctor grants up to the threshold at once; above it
 * the minutes wait as a request until the 主考 approves (then they are credited) or rejects it.
 * Every request and decision is audited with who, when and why.
 */
@Injectable()
export class ExtensionApprovalService {
  constructor(
    @Inject(VENUE_CONTEXT) private readonly ctx: VenueContext,
    @Inject(ExamRoomService) private readonly rooms: ExamRoomService,
    @Inject(RoomEvents) private readonly events: RoomEvents,
    @Inject(AuditLog) private readonly audit: AuditLog,
  ) {}

  private get ds() {
    return this.ctx.db.dataSource;
  }

  async extend(scope: ActionScope, x: ExtendTime): Promise<ExtendAck> {
    if (x.minutes <= EXTENSION_APPROVAL_THRESHOLD_MINUTES || isChief(scope)) return { status: 'applied', time: await this.rooms.extend(scope, x) };
    return { status: 'pending', request: await this.request(scope, x) };
  }

  private async request(scope: ActionScope, x: ExtendTime): Promise<ExtensionRequest> {
    // the same refusals as an immediate 补时: another room's candidate, or one who has finished
    const { session, row } = await this.rooms.scopedAttempt(scope, x.attemptId);
    const sessionId = session.schedule.sessionId;
    const requestId = randomUUID();
    const inserted = returnedRows<{ request_id: string }>(await this.ds.query(
      `INSERT INTO extension_request (request_id, session_id, attempt_id, room_code, minutes, reason, requested_by, requested_at)
       SELECT $1,$2,$3,$4,$5,$6,$7,$8 WHERE NOT EXISTS (SELECT 1 FROM extension_request WHERE attempt_id = $3 AND status = 'pending')
       RETURNING request_id`,
      [requestId, sessionId, x.attemptId, row.room_code, x.minutes, x.reason, scope.actor, this.ctx.clock.now().toISOString()],
    ));
    if (inserted.length === 0)
      throw new DomainError('EXTENSION_PENDING', '该考生已有一项补时申请等待主考审批', 'this candidate already has a request waiting for the chief examiner', 'attemptId');
    await this.audit.record({ actor: scope.actor, action: 'extension.requested', subject: x.attemptId, reason: x.reason, details: { requestId, minutes: x.minutes } });
    this.events.emit('roomChanged', row.room_code);
    return this.one(requestId);
  }

  /** 主考 decides: approve (the minutes are credited now, with both names in the reason) or reject. */
  async decide(chiefActor: string, d: DecideExtension): Promise<ExtensionRequest> {
    const request = await this.one(d.requestId);
    if (request.status !== 'pending')
      throw new DomainError('EXTENSION_DECIDED', `该申请已${request.status === 'approved' ? '批准' : '驳回'}（${request.decidedBy}）`, `the request was already ${request.status}`, 'requestId');
    if (d.approve) {
      const reason = `${request.reason}（${request.requestedBy} 申请，主考批准：${d.note}）`.slice(0, 500);
      await this.rooms.extend({ actor: chiefActor }, { attemptId: request.attemptId, minutes: request.minutes, reason });
    }
    const status: ExtensionRequestStatus = d.approve ? 'approved' : 'rejected';
    const updated = returnedRows<{ request_id: string }>(await this.ds.query(
      `UPDATE extension_request SET status = $2, decided_by = $3, decided_at = $4, decision_note = $5 WHERE request_id = $1 AND status = 'pending' RETURNING request_id`,
      [d.requestId, status, chiefActor, this.ctx.clock.now().toISOString(), d.note],
    ));
    if (updated.length === 0) throw new DomainError('EXTENSION_DECIDED', '该申请已被处理', 'the request was decided meanwhile', 'requestId');
    await this.audit.record({ actor: chiefActor, action: `extension.${status}`, subject: request.attemptId, reason: d.note, details: { requestId: d.requestId, minutes: request.minutes, requestedBy: request.requestedBy } });
    this.events.emit('roomChanged', request.roomCode);
    return this.one(d.requestId);
  }

  private async one(requestId: string): Promise<ExtensionRequest> {
    const rows: RequestRow[] = await this.ds.query(`${SELECT_REQUESTS} WHERE r.request_id = $1`, [requestId]);
    if (rows.length === 0) throw new DomainError('NOT_FOUND', '补时申请不存在', 'no such extension request', 'requestId');
    return toRequest(rows[0]);
  }

  /** The session's requests, pending first, then the latest decisions; one room or the whole venue. */
  async list(sessionId: string, roomCode?: string): Promise<ExtensionRequest[]> {
    const rows: RequestRow[] = await this.ds.query(
      `${SELECT_REQUESTS} WHERE r.session_id = $1 AND ($2::text IS NULL OR r.room_code = $2)
       ORDER BY (r.status = 'pending') DESC, r.requested_at DESC LIMIT 200`,
      [sessionId, roomCode ?? null],
    );
    return rows.map(toRequest);
  }
}
