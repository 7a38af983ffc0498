import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  AcknowledgeAnomaly,
  Anomaly,
  AttemptStatus,
  BroadcastAck,
  CandidateCard,
  BroadcastMessage,
  ForceHandIn,
  Incident,
  IncidentKind,
  MarkAbsent,
  RecordIdentityCheck,
  RecordViolation,
  RoomVerification,
  VerificationRow,
  ViolationCategory,
} from '@kaowu/contracts';
import { DomainError } from '@kaowu/server-kit';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { autoSealAt, roomClosedAt } from '@kaowu/exam-domain';
import { VENUE_CONTEXT, VenueContext } from '../venue-context';
import { AuditLog } from '../store/audit-log';
import { ActionScope, ExamRoomService } from '../exam-room/exam-room.service';
import { RoomEvents } from '../exam-room/room-events';
import { LoadedSession, SessionRegistry } from '../exam-room/session-registry';
import { VenuePackageService } from '../package/venue-package.service';
import { accessCodeMatches } from '../staff/access-code-hash';
import { VenueStatusService } from '../http/venue-status.service';

/** Wrong 监考口令 from one network address before it may not try again for 15 minutes. */
const PROCTOR_CODE_FAILURES = 10;

/** A proctor acts for one room; the venue-wide scope has no business here. */
export interface RoomScope extends ActionScope {
  roomCode: string;
}

interface RoomCandidate {
  candidate_id: string;
  ticket_no: string;
  name: string;
  seat_no: number;
  attempt_id: string | null;
  status: AttemptStatus | null;
  end_reason: string | null;
  last_seen_at: Date | null;
  answered: string;
  identity: 'verified' | 'mismatch' | null;
  incidents: string;
  absent_marked: boolean;
}

interface IncidentRow {
  incident_id: string;
  kind: IncidentKind;
  ticket_no: string | null;
  name: string | null;
  seat_no: number | null;
  category: ViolationCategory | null;
  description: string;
  evidence: string | null;
  actor: string;
  recorded_at: Date;
}

const refuse = (code: ConstructorParameters<typeof DomainError>[0], zh: string, en: string, field?: string) => new DomainError(code, zh, en, field);
const iso = (d: Date | string) => new Date(d).toISOString();
const hhmmss = (d: Date | string) => iso(d).slice(11, 19);

/**
 * What a proctor records about the people in the room: 身份核验 / 签到, 违纪, 缺考, 强制交卷,
 * 广播, and the end-of-session 核查 (anomalies acknowledged, then the room confirmed for sealing).
 */
@Injectable()
export class ProctoringService {
  /** Wrong 监考口令 per network address: after 10 in 15 minutes, none is tried until the window passes. */
  private readonly codeTries = new RateLimiterMemory({ keyPrefix: 'proctor-code', points: 1_000_000, duration: 15 * 60 });

  constructor(
    @Inject(VENUE_CONTEXT) private readonly ctx: VenueContext,
    @Inject(AuditLog) private readonly audit: AuditLog,
    @Inject(ExamRoomService) private readonly rooms: ExamRoomService,
    @Inject(SessionRegistry) private readonly sessions: SessionRegistry,
    @Inject(VenuePackageService) private readonly packages: VenuePackageService,
    @Inject(RoomEvents) private readonly events: RoomEvents,
    @Inject(VenueStatusService) private readonly status: VenueStatusService,
  ) {}

  private get ds() {
    return this.ctx.db.dataSource;
  }

  private session(): LoadedSession {
    return this.sessions.require(this.ctx.clock.now());
  }

  /** The candidate with this 准考证号 in the proctor's room (by roster), with the current attempt. */
  private async candidate(scope: RoomScope, sessionId: string, ticketNo: string): Promise<RoomCandidate> {
    const rows = await this.roomCandidates(scope.roomCode, sessionId, ticketNo);
    if (!rows[0]) throw refuse('NOT_FOUND', `本考场没有准考证号为 ${ticketNo} 的考生`, `no candidate ${ticketNo} in this room`, 'ticketNo');
    return rows[0];
  }

  private async roomCandidates(roomCode: string, sessionId: string, ticketNo?: string): Promise<RoomCandidate[]> {
    const rows: RoomCandidate[] = await this.ds.query(
      `SELECT c.candidate_id, c.ticket_no, c.name, COALESCE(a.seat_no, c.seat_no) AS seat_no, a.attempt_id, a.status, a.end_reason, a.last_seen_at,
         (SELECT count(*) FROM current_answer ca WHERE ca.attempt_id = a.attempt_id
            AND (ca.value->'selected' IS NULL OR jsonb_array_length(ca.value->'selected') > 0)) AS answered,
         (SELECT ic.result FROM identity_check ic WHERE ic.session_id = $2 AND ic.candidate_id = c.candidate_id ORDER BY ic.check_id DESC LIMIT 1) AS identity,
         (SELECT count(*) FROM incident i WHERE i.session_id = $2 AND i.candidate_id = c.candidate_id) AS incidents,
         EXISTS (SELECT 1 FROM absence ab WHERE ab.session_id = $2 AND ab.candidate_id = c.candidate_id) AS absent_marked
       FROM candidate c LEFT JOIN attempt a ON a.candidate_id = c.candidate_id AND a.session_id = $2
       WHERE c.room_code = $1 AND c.session_id = $2 AND ($3::text IS NULL OR c.ticket_no = $3) ORDER BY 4, c.ticket_no`,
      [roomCode, sessionId, ticketNo ?? null],
    );
    return rows.map((r) => ({ ...r, seat_no: Number(r.seat_no) }));
  }

  private async addIncident(
    scope: RoomScope,
    sessionId: string,
    who: RoomCandidate | null,
    kind: IncidentKind,
    text: { category?: ViolationCategory; description: string; evidence?: string },
  ): Promise<Incident> {
    const incidentId = randomUUID();
    const at = this.ctx.clock.now();
    await this.ds.query(
      `INSERT INTO incident (incident_id, session_id, room_code, candidate_id, kind, category, description, evidence, actor, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [incidentId, sessionId, scope.roomCode, who?.candidate_id ?? null, kind, text.category ?? null, text.description, text.evidence ?? null, scope.actor, at.toISOString()],
    );
    await this.audit.record({ actor: scope.actor, action: `incident.${kind}`, subject: incidentId, reason: text.description, details: { ticketNo: who?.ticket_no, category: text.category, evidence: text.evidence } });
    return {
      incidentId,
      kind,
      ticketNo: who?.ticket_no ?? null,
      candidateName: who?.name ?? null,
      seatNo: who?.seat_no ?? null,
      category: text.category ?? null,
      description: text.description,
      evidence: text.evidence ?? null,
      actor: scope.actor,
      at: at.toISOString(),
    };
  }

  /** 监考口令 of the room, compared in constant time; refuses with one message whatever was wrong. */
  /**
   * 监考口令 of the room, compared in constant time. Wrong codes are counted per network address
   * (atomically, rate-limiter-flexible): after 10 in 15 minutes that address may not try again for a
   * while — per address, so nobody can lock a room's real proctors out by guessing at it.
   */
  async authenticate(roomCode: string, accessCode: string, source = 'unknown'): Promise<void> {
    // every try takes a point first (atomic), a success gives it back: concurrent guesses cannot outrun the count
    const tries = (await this.codeTries.consume(source)).consumedPoints;
    if (tries > PROCTOR_CODE_FAILURES) {
      if (tries === PROCTOR_CODE_FAILURES + 1) await this.audit.record({ actor: 'system', action: 'proctor.sign-in-locked', subject: roomCode, details: { source } });
      throw new DomainError('SIGN_IN_LOCKED', '监考口令错误次数过多，请 15 分钟后再试，或联系主考', 'too many wrong proctor codes from this address; try again in 15 minutes', 'accessCode');
    }
    // the code issued for the room with the current session's package (each session has its own)
    const sessionId = this.sessions.current(this.ctx.clock.now())?.schedule.sessionId ?? '';
    const rows: { access_code_hash: string }[] = await this.ds.query('SELECT access_code_hash FROM room_access WHERE room_code = $1 AND session_id = $2', [roomCode, sessionId]);
    if (!(await accessCodeMatches(accessCode, rows[0]?.access_code_hash)))
      throw refuse('UNAUTHORIZED', '考场号或监考口令不正确', 'room code or access code is wrong', 'accessCode');
    await this.codeTries.reward(source, 1);
  }

  /** The registration photo and details of one candidate of the room, with the checks so far. */
  async candidateCard(scope: RoomScope, ticketNo: string): Promise<CandidateCard> {
    const session = this.session();
    const who = await this.candidate(scope, session.schedule.sessionId, ticketNo);
    const [details, checks] = await Promise.all([
      this.ds.query('SELECT gender, id_no FROM candidate WHERE candidate_id = $1', [who.candidate_id]) as Promise<{ gender: 'M' | 'F'; id_no: string }[]>,
      this.ds.query('SELECT phase, result, note, actor, checked_at FROM identity_check WHERE session_id = $1 AND candidate_id = $2 ORDER BY check_id', [
        session.schedule.sessionId,
        who.candidate_id,
      ]) as Promise<{ phase: 'entry' | 'recheck'; result: 'verified' | 'mismatch'; note: string | null; actor: string; checked_at: Date }[]>,
    ]);
    return {
      ticketNo: who.ticket_no,
      name: who.name,
      gender: details[0].gender,
      idNo: details[0].id_no,
      seatNo: who.seat_no,
      photo: await this.rooms.candidatePhoto(who.candidate_id),
      checks: checks.map((c) => ({ phase: c.phase, result: c.result, note: c.note, actor: c.actor, at: iso(c.checked_at) })),
    };
  }

  /** 身份核验 / 签到. A mismatch raises an incident the verification view will not let pass unseen. */
  async identityCheck(scope: RoomScope, check: RecordIdentityCheck): Promise<{ ticketNo: string; result: RecordIdentityCheck['result']; incident: Incident | null }> {
    const session = this.session();
    const who = await this.candidate(scope, session.schedule.sessionId, check.ticketNo);
    const at = this.ctx.clock.now().toISOString();
    await this.ds.query(
      'INSERT INTO identity_check (session_id, room_code, candidate_id, phase, result, note, actor, checked_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
      [session.schedule.sessionId, scope.roomCode, who.candidate_id, check.phase, check.result, check.note ?? null, scope.actor, at],
    );
    await this.audit.record({ actor: scope.actor, action: `identity.${check.result}`, subject: who.ticket_no, reason: check.note, details: { phase: check.phase } });
    const incident =
      check.result === 'mismatch'
        ? await this.addIncident(scope, session.schedule.sessionId, who, 'identity_mismatch', { description: `人证不符（${check.phase === 'entry' ? '入场核验' : '考中复核'}）：${check.note ?? ''}` })
        : null;
    this.events.emit('roomChanged', scope.roomCode);
    return { ticketNo: who.ticket_no, result: check.result, incident };
  }

  /** 违纪: category, what happened and the evidence kept (e.g. 已拍照、已暂扣手机). */
  async recordViolation(scope: RoomScope, v: RecordViolation): Promise<Incident> {
    const session = this.session();
    const who = await this.candidate(scope, session.schedule.sessionId, v.ticketNo);
    const incident = await this.addIncident(scope, session.schedule.sessionId, who, 'violation', { category: v.category, description: v.description, evidence: v.evidence });
    this.events.emit('roomChanged', scope.roomCode);
    return incident;
  }

  /** 缺考: only after the late-login cutoff, only for a candidate who never logged in. */
  async markAbsent(scope: RoomScope, m: MarkAbsent): Promise<{ ticketNo: string; markedAt: string }> {
    const session = this.session();
    const now = this.ctx.clock.now();
    if (now < session.timeline.lateLoginCutoffAt)
      throw refuse('ABSENCE_TOO_EARLY', `开考 ${session.schedule.lateLoginCutoffMinutes} 分钟后（${hhmmss(session.timeline.lateLoginCutoffAt)} 以后）方可确认缺考`, 'absence can be confirmed only after the late-login cutoff');
    const who = await this.candidate(scope, session.schedule.sessionId, m.ticketNo);
    if (who.attempt_id) throw refuse('CONFLICT', '该考生已登录考试，不能标记缺考', 'the candidate has logged in; not absent', 'ticketNo');
    const rows: { marked_at: Date }[] = await this.ds.query(
      `INSERT INTO absence (session_id, candidate_id, room_code, note, actor, marked_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (session_id, candidate_id) DO UPDATE SET session_id = EXCLUDED.session_id RETURNING marked_at`,
      [session.schedule.sessionId, who.candidate_id, scope.roomCode, m.note ?? null, scope.actor, now.toISOString()],
    );
    await this.audit.record({ actor: scope.actor, action: 'candidate.absent', subject: who.ticket_no, reason: m.note });
    this.events.emit('roomChanged', scope.roomCode);
    return { ticketNo: who.ticket_no, markedAt: iso(rows[0].marked_at) };
  }

  /** 强制交卷: the attempt ends now, the machine is told, and the reason is an incident. */
  async forceHandIn(scope: RoomScope, f: ForceHandIn): Promise<Incident> {
    const session = this.session();
    const ticket: { ticket_no: string }[] = await this.ds.query(
      'SELECT c.ticket_no FROM attempt a JOIN candidate c ON c.candidate_id = a.candidate_id WHERE a.attempt_id = $1 AND c.room_code = $2',
      [f.attemptId, scope.roomCode],
    );
    if (!ticket[0]) throw refuse('NOT_FOUND', '本考场没有该考生的作答记录', 'no such attempt in this room', 'attemptId');
    await this.rooms.forceHandIn(scope, f.attemptId, f.reason);
    const who = await this.candidate(scope, session.schedule.sessionId, ticket[0].ticket_no);
    return this.addIncident(scope, session.schedule.sessionId, who, 'forced_hand_in', { description: `强制交卷：${f.reason}` });
  }

  /** 广播 to every exam screen of the room; returns how many machines were connected to get it. */
  async broadcast(scope: RoomScope, b: BroadcastMessage): Promise<BroadcastAck> {
    const at = this.ctx.clock.now().toISOString();
    const delivered = this.rooms.onlineSeats(scope.roomCode).size;
    this.events.emit('roomMessage', { roomCode: scope.roomCode, message: b.message, at });
    await this.audit.record({ actor: scope.actor, action: 'room.broadcast', subject: scope.roomCode, reason: b.message, details: { delivered } });
    return { delivered, at };
  }

  /** The room's incidents, oldest first (the room report and the result package carry them). */
  async incidents(sessionId: string, roomCode: string): Promise<Incident[]> {
    const rows: IncidentRow[] = await this.ds.query(
      `SELECT i.incident_id, i.kind, c.ticket_no, c.name, COALESCE(a.seat_no, c.seat_no) AS seat_no, i.category, i.description, i.evidence, i.actor, i.recorded_at
       FROM incident i LEFT JOIN candidate c ON c.candidate_id = i.candidate_id LEFT JOIN attempt a ON a.candidate_id = c.candidate_id AND a.session_id = i.session_id
       WHERE i.session_id = $1 AND i.room_code = $2 ORDER BY i.incident_seq`,
      [sessionId, roomCode],
    );
    return rows.map((r) => ({
      incidentId: r.incident_id,
      kind: r.kind,
      ticketNo: r.ticket_no,
      candidateName: r.name,
      seatNo: r.seat_no === null ? null : Number(r.seat_no),
      category: r.category,
      description: r.description,
      evidence: r.evidence,
      actor: r.actor,
      at: iso(r.recorded_at),
    }));
  }

  /** 核查考生答题信息: expected vs logged in vs submitted, per candidate, and what must be looked at. */
  async verification(scope: RoomScope): Promise<RoomVerification> {
    const session = this.session();
    const sessionId = session.schedule.sessionId;
    const now = this.ctx.clock.now();
    const afterCutoff = now >= session.timeline.lateLoginCutoffAt;
    const [people, incidents, acks, confirmation] = await Promise.all([
      this.roomCandidates(scope.roomCode, sessionId),
      this.incidents(sessionId, scope.roomCode),
      this.ds.query('SELECT anomaly_id, note, actor, acknowledged_at FROM anomaly_ack WHERE session_id = $1 AND room_code = $2', [sessionId, scope.roomCode]) as Promise<
        { anomaly_id: string; note: string; actor: string; acknowledged_at: Date }[]
      >,
      this.ds.query('SELECT actor, confirmed_at FROM room_confirmation WHERE session_id = $1 AND room_code = $2', [sessionId, scope.roomCode]) as Promise<{ actor: string; confirmed_at: Date }[]>,
    ]);
    const ackOf = new Map(acks.map((a) => [a.anomaly_id, { by: a.actor, at: iso(a.acknowledged_at), note: a.note }]));
    const online = this.rooms.onlineSeats(scope.roomCode);
    const total = this.packages.paperFor(sessionId)?.paper.items.length ?? 0;

    const rows: VerificationRow[] = [];
    const anomalies: Anomaly[] = [];
    const anomaly = (kind: Anomaly['kind'], p: RoomCandidate | null, key: string, detail: string) =>
      anomalies.push({ anomalyId: `${kind}:${key}`, kind, ticketNo: p?.ticket_no ?? null, candidateName: p?.name ?? null, seatNo: p?.seat_no ?? null, detail, acknowledged: ackOf.get(`${kind}:${key}`) ?? null });

    for (const p of people) {
      const status: AttemptStatus = p.status ?? (p.absent_marked || afterCutoff ? 'absent' : 'not_logged_in');
      const answered = Number(p.answered);
      rows.push({
        ticketNo: p.ticket_no,
        name: p.name,
        seatNo: p.seat_no,
        status,
        identity: p.identity ?? 'unchecked',
        answered,
        total,
        machineOnline: online.has(p.seat_no),
        incidents: Number(p.incidents),
      });
      if (p.status === 'logged_in' || p.status === 'in_progress') anomaly('still_answering', p, p.ticket_no, '考生仍在作答，考试结束后方可核查');
      if ((p.status === 'submitted' || p.status === 'ended') && answered === 0) anomaly('zero_answers', p, p.ticket_no, '考生已登录但未作答任何试题');
      if (p.status === 'ended' && p.end_reason === 'time_up' && !online.has(p.seat_no))
        anomaly('offline_at_end', p, p.ticket_no, `考试结束时考试机不在线${p.last_seen_at ? `（最后联系 ${hhmmss(p.last_seen_at)}）` : ''}`);
      if (p.attempt_id && !p.identity) anomaly('identity_unchecked', p, p.ticket_no, '考生已参加考试，但没有身份核验记录');
      if (!p.attempt_id && afterCutoff && !p.absent_marked) anomaly('absence_unconfirmed', p, p.ticket_no, '考生未登录，尚未确认缺考');
    }
    for (const i of incidents) {
      if (i.kind !== 'identity_mismatch' && i.kind !== 'violation') continue;
      const who = people.find((p) => p.ticket_no === i.ticketNo) ?? null;
      anomaly('open_incident', who, i.incidentId, i.description);
    }
    const canConfirm = anomalies.every((a) => a.kind !== 'still_answering' && a.acknowledged);
    const count = (s: AttemptStatus[]) => rows.filter((r) => s.includes(r.status)).length;
    const u = (await this.status.roomUploads()).find((x) => x.sessionId === sessionId && x.roomCode === scope.roomCode);
    const stillAnswering = anomalies.some((a) => a.kind === 'still_answering');
    const credited: { credited: number | null }[] = await this.ds.query(
      'SELECT max(a.credited_minutes) AS credited FROM attempt a JOIN candidate c ON c.candidate_id = a.candidate_id WHERE a.session_id = $1 AND c.room_code = $2',
      [sessionId, scope.roomCode],
    );
    const closedAt = roomClosedAt(session.timeline.scheduledEndAt, Number(credited[0]?.credited ?? 0));
    const autoSeal = !u && !stillAnswering && now >= session.timeline.scheduledEndAt ? autoSealAt(closedAt, this.ctx.config.RESULT_CONFIRMATION_GRACE_MINUTES).toISOString() : null;
    return {
      roomCode: scope.roomCode,
      sessionId,
      expected: rows.length,
      loggedIn: count(['logged_in', 'in_progress', 'submitted', 'ended']),
      submitted: count(['submitted']),
      ended: count(['ended']),
      absent: count(['absent']),
      rows,
      anomalies,
      incidents,
      canConfirm,
      confirmed: confirmation[0] ? { by: confirmation[0].actor, at: iso(confirmation[0].confirmed_at) } : null,
      autoSealAt: autoSeal,
      upload: u
        ? {
            state: u.state,
            packageId: u.packageId,
            sealedAt: u.sealedAt,
            deadlineAt: u.deadlineAt,
            secondsToDeadline: u.secondsToDeadline,
            atRisk: u.atRisk,
            confirmedBytes: u.confirmedBytes,
            totalBytes: u.totalBytes,
            lastError: u.lastError,
            receipt: u.receipt
              ? { packageId: u.receipt.body.packageId, manifestSha256: u.receipt.body.manifestSha256, attemptsImported: u.receipt.body.attemptsImported, receivedAt: u.receipt.body.receivedAt }
              : null,
          }
        : null,
    };
  }

  /** An anomaly seen, with what the proctor found (e.g. 考生交白卷，已签字确认). */
  async acknowledgeAnomaly(scope: RoomScope, a: AcknowledgeAnomaly): Promise<RoomVerification> {
    const before = await this.verification(scope);
    const target = before.anomalies.find((x) => x.anomalyId === a.anomalyId);
    if (!target) throw refuse('NOT_FOUND', '该异常情况不存在或已不再适用，请刷新核查列表', 'no such anomaly in this room now', 'anomalyId');
    if (target.kind === 'still_answering') throw refuse('CONFLICT', '考生仍在作答，不能确认；请等待考试结束或先处理该考生', 'the candidate is still answering', 'anomalyId');
    await this.ds.query(
      `INSERT INTO anomaly_ack (session_id, room_code, anomaly_id, note, actor, acknowledged_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (session_id, room_code, anomaly_id) DO NOTHING`,
      [before.sessionId, scope.roomCode, a.anomalyId, a.note, scope.actor, this.ctx.clock.now().toISOString()],
    );
    await this.audit.record({ actor: scope.actor, action: 'verification.anomaly_acknowledged', subject: a.anomalyId, reason: a.note, details: { roomCode: scope.roomCode } });
    return this.verification(scope);
  }

  /** 核查无误: every anomaly acknowledged and nobody answering; recorded once with what was confirmed. */
  async confirmRoom(scope: RoomScope): Promise<RoomVerification> {
    const v = await this.verification(scope);
    if (v.confirmed) return v;
    if (!v.canConfirm) {
      const open = v.anomalies.filter((a) => !a.acknowledged).length;
      throw refuse('ANOMALIES_OPEN', `还有 ${open} 项异常情况未确认，不能提交核查结果`, `${open} anomalies are not acknowledged yet`);
    }
    const summary = { expected: v.expected, loggedIn: v.loggedIn, submitted: v.submitted, ended: v.ended, absent: v.absent, incidents: v.incidents.length, anomalies: v.anomalies.length };
    await this.ds.query(
      `INSERT INTO room_confirmation (session_id, room_code, actor, confirmed_at, summary) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (session_id, room_code) DO NOTHING`,
      [v.sessionId, scope.roomCode, scope.actor, this.ctx.clock.now().toISOString(), JSON.stringify(summary)],
    );
    await this.audit.record({ actor: scope.actor, action: 'verification.confirmed', subject: `${v.sessionId}/${scope.roomCode}`, details: summary });
    this.events.emit('roomConfirmed', scope.roomCode, v.sessionId);
    return this.verification(scope);
  }
}
