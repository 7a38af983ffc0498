import { BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import { timingSafeEqual, randomUUID } from 'node:crypto';
import {
  AnswerValue,
  AttemptRef,
  AttemptStatus,
  AttemptTimePush,
  ExtendTime,
  MoveSeat,
  MoveSeatAck,
  CandidateLogin,
  CandidatePhoto,
  CandidateLoginAck,
  FetchPaperAck,
  FocusLost,
  FocusLostAck,
  Item,
  MachineHello,
  MachineHelloAck,
  SaveAnswer,
  SaveAnswerAck,
  SessionView,
  SubmitAttemptAck,
} from '@kaowu/contracts';
import { checkAnswerFitsItem, contiguousHigh, isAnswerEmpty, maskIdNo } from '@kaowu/exam-domain';
import { DomainError } from '@kaowu/server-kit';
import { returnedRows } from '@kaowu/persistence';
import { VENUE_CONTEXT, VenueContext } from '../venue-context';
import { AnswerJournal } from '../store/answer-journal';
import { AuditLog } from '../store/audit-log';
import { VenuePackageService } from '../package/venue-package.service';
import { LoadedSession, SessionRegistry } from './session-registry';
import { RoomEvents } from './room-events';
import { LoginGuard } from './login-guard';

/** What the server knows about one connection from an exam machine. */
export interface MachineConnection {
  connectionId: string;
  machineId?: string;
  roomCode?: string;
  seatNo?: number;
  attemptId?: string;
  /** Server clock − machine clock at the last time sync (ms, one-way latency included). */
  clockSkewMs?: number;
  /** Round trip of the machine's last completed time sync (ms), as it reported it. */
  latencyMs?: number;
  /** The network address the machine's socket came from (for login rate limits). */
  sourceAddress?: string;
}

/** Live state of one attempt, rebuilt from the database at login. */
export interface AttemptState {
  attemptId: string;
  sessionId: string;
  candidateId: string;
  roomCode: string;
  seatNo: number;
  status: AttemptStatus;
  leaseEpoch: number;
  creditedMinutes: number;
  contiguous: number;
  above: Set<number>;
  answered: Map<string, boolean>;
  lastSaveAt: Date | null;
  connectionId: string | null;
  /** Last sign of life from the machine holding the lease (login, save, or its disconnect). */
  lastSeenAt?: Date;
  reminded?: boolean;
  /** Set while paused (暂停): the candidate's clock is stopped. */
  pausedAt: Date | null;
  /** The answers read by the last load, handed to the login ack once. */
  loadedAnswers?: { item_id: string; seq: number; value: AnswerValue }[];
  /** The registration photo, read in the same query for the login ack, then dropped. */
  loadedPhoto?: CandidatePhoto | null;
}

/** The roster is per session: the same 准考证号 sits several sessions, in a room and seat each. */
const ticketKey = (sessionId: string, ticketNo: string) => `${sessionId}/${ticketNo}`;

interface RosterView {
  /** By session and 准考证号 (`ticketKey`). */
  byTicket: Map<string, CandidateRow>;
  seats: Map<string, Set<number>>;
  venueName: string;
}

/** Who may act on which attempts: a room's proctor, or the venue (chief examiner, technician). */
export interface ActionScope {
  actor: string;
  /** Only attempts of this room; undefined = the whole venue. */
  roomCode?: string;
}

/** Longest credit 换机 grants by itself; more needs the chief examiner (proctor console). */
export const MAX_AUTOMATIC_CREDIT_MINUTES = 30;

interface CandidateRow {
  candidate_id: string;
  ticket_no: string;
  id_no: string;
  name: string;
  gender: 'M' | 'F';
  room_code: string;
  seat_no: number;
}

const refuse = (code: ConstructorParameters<typeof DomainError>[0], zh: string, en: string, field?: string) => new DomainError(code, zh, en, field);

/**
 * 换机 credit: whole minutes (to the nearest — the schedule and the proctor count in minutes)
 * from the old machine's last sign of life (not before the start) to now, at most 30.
 */
function machineChangeCredit(session: LoadedSession, lastSeen: Date | null, now: Date): number {
  if (!lastSeen || now < session.timeline.startsAt) return 0;
  const from = Math.max(session.timeline.startsAt.getTime(), lastSeen.getTime());
  return Math.max(0, Math.min(MAX_AUTOMATIC_CREDIT_MINUTES, Math.round((now.getTime() - from) / 60_000)));
}

export interface ScopedAttempt {
  attempt_id: string;
  status: AttemptStatus;
  room_code: string;
  roster_seat: number;
  seat_no: number;
  credited_minutes: number;
  paused_at: Date | null;
  last_seen_at: Date | null;
}

function answerIsEmpty(v: AnswerValue): boolean {
  return isAnswerEmpty(v);
}

/**
 * The exam room use cases for exam machines: machine hello, candidate login, paper delivery,
 * answer saves (acked only when durable) and hand-in — every rule checked on the server clock.
 */
@Injectable()
export class ExamRoomService implements BeforeApplicationShutdown {
  private closing = false;
  private attempts = new Map<string, AttemptState>();
  private machines = new Map<string, MachineConnection>(); // connectionId → machine
  /** The roster, rooms and venue name, read once per package import (a login storm reads no roster rows). */
  private roster?: Promise<RosterView>;
  private rosterGeneration = -1;
  private readonly answersAcked;

  constructor(
    @Inject(VENUE_CONTEXT) private readonly ctx: VenueContext,
    @Inject(AnswerJournal) private readonly journal: AnswerJournal,
    @Inject(AuditLog) private readonly audit: AuditLog,
    @Inject(VenuePackageService) private readonly packages: VenuePackageService,
    @Inject(SessionRegistry) private readonly sessions: SessionRegistry,
    @Inject(RoomEvents) private readonly events: RoomEvents,
    @Inject(LoginGuard) private readonly loginGuard: LoginGuard,
  ) {
    this.answersAcked = ctx.metrics.counter('kaowu_answers_acked_total', 'Answer events acknowledged as durable');
  }

  // ---- machines -------------------------------------------------------------------------

  async hello(conn: MachineConnection, hello: MachineHello): Promise<MachineHelloAck> {
    const expected = Buffer.from(this.ctx.kioskKey);
    const given = Buffer.from(hello.attestation);
    if (expected.length !== given.length || !timingSafeEqual(expected, given))
      throw refuse('MACHINE_NOT_ATTESTED', '本机不是本考点配置的考试机（考试机认证失败），请联系机房管理员', 'this machine does not run the venue kiosk configuration', 'attestation');
    const roster = await this.rosterView();
    if (!roster.seats.get(hello.roomCode)?.has(hello.seatNo))
      throw refuse('MACHINE_UNKNOWN', `考场 ${hello.roomCode} 没有 ${hello.seatNo} 号座位`, `room ${hello.roomCode} has no seat ${hello.seatNo}`, 'seatNo');
    Object.assign(conn, { machineId: hello.machineId, roomCode: hello.roomCode, seatNo: hello.seatNo });
    this.machines.set(conn.connectionId, conn);
    this.events.emit('roomChanged', hello.roomCode);
    return { serverTime: this.ctx.clock.now().toISOString(), venueName: roster.venueName, roomCode: hello.roomCode, seatNo: hello.seatNo };
  }

  /** The server is stopping: record when every connected machine was last heard from, once. */
  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    const connected = [...this.attempts.values()].filter((a) => a.connectionId);
    if (connected.length === 0) return;
    await this.ctx.db.dataSource.query('UPDATE attempt SET last_seen_at = $2 WHERE attempt_id = ANY($1::text[])', [
      connected.map((a) => a.attemptId),
      this.ctx.clock.now().toISOString(),
    ]);
  }

  async disconnected(conn: MachineConnection): Promise<void> {
    this.machines.delete(conn.connectionId);
    if (conn.attemptId && !this.closing) {
      const a = this.attempts.get(conn.attemptId);
      if (a && a.connectionId === conn.connectionId) {
        a.connectionId = null;
        a.lastSeenAt = this.ctx.clock.now();
        // the server's own record of when this machine was last heard from (换机 credit)
        await this.ctx.db.dataSource.query('UPDATE attempt SET last_seen_at = $2 WHERE attempt_id = $1', [a.attemptId, a.lastSeenAt.toISOString()]);
      }
    }
    if (conn.roomCode) this.events.emit('roomChanged', conn.roomCode);
  }

  /** The exam machines connected now (each passed the attestation at hello). */
  machineConnections(): MachineConnection[] {
    return [...this.machines.values()].filter((m) => m.machineId);
  }

  /** A time sync from a machine: its clock against the server's, for the technician's check. */
  noteClockSkew(conn: MachineConnection, clientSentAt: number, lastRttMs?: number): void {
    conn.clockSkewMs = this.ctx.clock.now().getTime() - clientSentAt;
    if (lastRttMs !== undefined) conn.latencyMs = lastRttMs;
  }

  onlineSeats(roomCode: string): Set<number> {
    return new Set([...this.machines.values()].filter((m) => m.roomCode === roomCode && m.seatNo).map((m) => m.seatNo!));
  }

  // ---- login ----------------------------------------------------------------------------

  async login(conn: MachineConnection, login: CandidateLogin): Promise<CandidateLoginAck> {
    if (!conn.roomCode) throw refuse('MACHINE_UNKNOWN', '考试机尚未登记，请刷新页面后重试', 'machine has not said hello');
    const ds = this.ctx.db.dataSource;
    const now = this.ctx.clock.now();
    const session = this.sessions.require(now);
    const cand = (await this.rosterView()).byTicket.get(ticketKey(session.schedule.sessionId, login.ticketNo));
    const attempts = await this.loginGuard.attempt(login.ticketNo, cand?.room_code ?? null, conn.machineId, conn.sourceAddress);
    if (!cand || cand.id_no.toUpperCase() !== login.idNo.toUpperCase()) {
      await this.loginFailed(login.ticketNo, cand?.room_code ?? null, conn, attempts, 'wrong_credentials');
      throw refuse('LOGIN_FAILED', '准考证号或证件号码不正确，请核对后重新输入', 'ticket number or ID number is wrong', 'ticketNo');
    }

    const existing: { attempt_id: string; status: AttemptStatus; logged_in_at: Date | null; machine_id: string | null; last_seen_at: Date | null; seat_no: number | null }[] = await ds.query(
      'SELECT attempt_id, status, logged_in_at, machine_id, last_seen_at, seat_no FROM attempt WHERE session_id = $1 AND candidate_id = $2',
      [session.schedule.sessionId, cand.candidate_id],
    );
    const prior = existing[0];
    // the roster seat, or the spare seat a proctor moved the candidate to (换机)
    const seatNo = prior?.seat_no ?? cand.seat_no;
    // Never name the seat: whoever holds a ticket's numbers must not learn where its candidate sits.
    if (cand.room_code !== conn.roomCode || seatNo !== conn.seatNo) {
      await this.loginFailed(login.ticketNo, cand.room_code, conn, attempts, 'wrong_seat');
      throw refuse('WRONG_SEAT', '本考试机不是您的座位，请核对准考证上的考场和座位号，或举手联系监考员', 'this machine is not your seat; check your admission ticket or ask the proctor', 'seatNo');
    }
    // the right person at the right seat: not a guess, whatever the timeline says next
    await this.loginGuard.succeeded(login.ticketNo, conn.machineId, conn.sourceAddress);
    if (prior && (prior.status === 'submitted' || prior.status === 'ended'))
      throw refuse('ATTEMPT_ENDED', '您本场考试已交卷或已结束，不能再次登录', 'this attempt has already ended');
    const decision = session.timeline.loginDecision(now, !!prior?.logged_in_at);
    if (!decision.ok) {
      if (decision.reason === 'too_early') throw refuse('LOGIN_TOO_EARLY', '尚未到登录时间（开考前 30 分钟开始登录）', 'login opens 30 minutes before the start');
      if (decision.reason === 'too_late') throw refuse('LOGIN_TOO_LATE', '开考 30 分钟后不得入场登录，按缺考处理', 'login closed 30 minutes after the start (absent)');
      throw refuse('SESSION_CLOSED', '本场考试已经结束', 'the session has ended');
    }

    const status: AttemptStatus = now >= session.timeline.startsAt ? 'in_progress' : 'logged_in';
    let attemptId: string;
    let leaseEpoch: number;
    if (prior) {
      attemptId = prior.attempt_id;
      // A new login leases the attempt to this machine; the old one is refused from now on.
      const upd = returnedRows<{ lease_epoch: number }>(await ds.query(
        `UPDATE attempt SET lease_epoch = lease_epoch + 1, machine_id = $2, status = CASE WHEN status = 'logged_in' THEN $3 ELSE status END
         WHERE attempt_id = $1 RETURNING lease_epoch`,
        [attemptId, conn.machineId, status],
      ));
      leaseEpoch = Number(upd[0].lease_epoch);
      if (prior.machine_id && prior.machine_id !== conn.machineId) await this.creditMachineChange(attemptId, prior, session, now, conn.machineId ?? '');
    } else {
      attemptId = randomUUID();
      leaseEpoch = 1;
      const created: unknown[] = await ds.query(
        `INSERT INTO attempt (attempt_id, session_id, candidate_id, status, lease_epoch, machine_id, logged_in_at) VALUES ($1,$2,$3,$4,$5,$6,$7)
         ON CONFLICT (session_id, candidate_id) DO NOTHING RETURNING attempt_id`,
        [attemptId, session.schedule.sessionId, cand.candidate_id, status, leaseEpoch, conn.machineId, now.toISOString()],
      );
      // two machines logging the same candidate in at the same instant: the other one won
      if (created.length === 0) throw refuse('CONFLICT', '该考生正在另一台考试机登录，请稍后重试', 'the candidate is logging in on another machine; try again');
    }
    const state = await this.loadAttempt(attemptId);
    state.connectionId = conn.connectionId;
    state.lastSeenAt = now;
    conn.attemptId = attemptId;
    this.events.emit('leaseMoved', attemptId, leaseEpoch);
    await this.audit.record({ actor: `candidate:${cand.ticket_no}`, action: prior ? 'candidate.relogin' : 'candidate.login', subject: attemptId, details: { machineId: conn.machineId, leaseEpoch } });
    this.events.emit('roomChanged', cand.room_code);

    const answers = state.loadedAnswers ?? [];
    const photo = state.loadedPhoto;
    state.loadedAnswers = undefined;
    state.loadedPhoto = undefined;
    return {
      attemptId,
      leaseEpoch,
      lastAckedSeq: state.contiguous,
      status: state.status,
      candidate: { name: cand.name, gender: cand.gender, ticketNo: cand.ticket_no, idNoMasked: maskIdNo(cand.id_no), roomCode: cand.room_code, seatNo: cand.seat_no, ...(photo ? { photo } : {}) },
      session: this.sessionView(session, state.creditedMinutes, state.pausedAt),
      answers: answers.map((a) => ({ itemId: a.item_id, seq: Number(a.seq), value: a.value })),
    };
  }

  /** 解除登录锁定 by a proctor of the ticket's room; logged with the reason. */
  async resetLoginLock(scope: { actor: string; roomCode: string }, ticketNo: string, reason: string): Promise<{ ticketNo: string; lifted: boolean }> {
    if (!this.loginGuard.locksIn(scope.roomCode).some((l) => l.ticketNo === ticketNo))
      throw refuse('NOT_FOUND', `本考场没有被锁定的准考证号 ${ticketNo}`, `no locked ticket ${ticketNo} in this room`, 'ticketNo');
    const lifted = await this.loginGuard.reset(ticketNo);
    await this.audit.record({ actor: scope.actor, action: 'candidate.login-unlocked', subject: ticketNo, reason });
    this.events.emit('roomChanged', scope.roomCode);
    return { ticketNo, lifted };
  }

  /** Tickets of a room locked after failed logins. */
  loginLocksIn(roomCode: string) {
    return this.loginGuard.locksIn(roomCode);
  }

  /** A failed login counts against the ticket, the machine and the address; a lock is logged and shown to the room's proctors. */
  private async loginFailed(ticketNo: string, roomCode: string | null, conn: MachineConnection, attempts: number, why: 'wrong_credentials' | 'wrong_seat'): Promise<void> {
    const lockedNow = this.loginGuard.failed(ticketNo, roomCode, attempts);
    if (!lockedNow) return;
    await this.audit.record({ actor: 'system', action: 'candidate.login-locked', subject: ticketNo, details: { machineId: conn.machineId ?? null, machineRoom: conn.roomCode ?? null, machineSeat: conn.seatNo ?? null, source: conn.sourceAddress ?? null, last: why } });
    if (roomCode) this.events.emit('roomChanged', roomCode);
  }

  /**
   * 换机: the candidate continues on another machine. The minutes between the old machine's last
   * sign of life (the server's record) and this login are credited to the candidate's end.
   */
  private async creditMachineChange(attemptId: string, prior: { machine_id: string | null; last_seen_at: Date | null }, session: LoadedSession, now: Date, newMachine: string) {
    const lastSeen = this.lastSeen(attemptId, prior.last_seen_at);
    const minutes = machineChangeCredit(session, lastSeen, now);
    if (!lastSeen || minutes <= 0) return;
    await this.ctx.db.dataSource.query('UPDATE attempt SET credited_minutes = credited_minutes + $2 WHERE attempt_id = $1', [attemptId, minutes]);
    await this.audit.record({
      actor: 'system',
      action: 'attempt.credited',
      subject: attemptId,
      reason: '换机：考试机故障，按服务器记录自动补时',
      details: { minutes, from: prior.machine_id, to: newMachine, lastSeenAt: lastSeen.toISOString(), loginAt: now.toISOString() },
    });
  }

  /** The server's last sign of life from the machine holding the attempt. */
  private lastSeen(attemptId: string, stored: Date | null): Date | null {
    const live = this.attempts.get(attemptId);
    const seen = [live?.lastSeenAt, stored ? new Date(stored) : undefined, live?.lastSaveAt ?? undefined].filter((d): d is Date => !!d);
    return seen.length ? new Date(Math.max(...seen.map((d) => d.getTime()))) : null;
  }

  /** 考生照片 for the proctor's identity check (logins read it with the attempt; the roster cache holds none). */
  async candidatePhoto(candidateId: string): Promise<CandidatePhoto | null> {
    const rows: { photo_media_type: CandidatePhoto['mediaType'] | null; photo_data: string | null }[] = await this.ctx.db.dataSource.query(
      'SELECT photo_media_type, photo_data FROM candidate WHERE candidate_id = $1',
      [candidateId],
    );
    const r = rows[0];
    return r?.photo_media_type && r.photo_data ? { mediaType: r.photo_media_type, data: r.photo_data } : null;
  }

  private rosterView(): Promise<RosterView> {
    if (!this.roster || this.rosterGeneration !== this.sessions.generation) {
      this.rosterGeneration = this.sessions.generation;
      const ds = this.ctx.db.dataSource;
      this.roster = (async () => {
        const candidates: (CandidateRow & { session_id: string })[] = await ds.query('SELECT candidate_id, session_id, ticket_no, id_no, name, gender, room_code, seat_no FROM candidate');
        const rooms: { room_code: string; seats: { seatNo: number }[] }[] = await ds.query('SELECT room_code, seats FROM room');
        return {
          byTicket: new Map(candidates.map((c) => [ticketKey(c.session_id, c.ticket_no), { ...c, seat_no: Number(c.seat_no) }])),
          seats: new Map(rooms.map((r) => [r.room_code, new Set(r.seats.map((s) => s.seatNo))])),
          venueName: await this.packages.venueName(),
        };
      })();
      this.roster.catch(() => (this.roster = undefined)); // a failed read is retried by the next caller
    }
    return this.roster;
  }

  /** One round trip: the attempt, its stored seqs, its current answers and the candidate's photo (the login ack). */
  private async loadAttempt(attemptId: string): Promise<AttemptState> {
    const rows: {
      attempt_id: string; session_id: string; candidate_id: string; status: AttemptStatus; lease_epoch: number; credited_minutes: number; room_code: string; seat_no: number; paused_at: Date | null;
      photo_media_type: CandidatePhoto['mediaType'] | null; photo_data: string | null;
      seqs: number[]; answers: { item_id: string; seq: number; value: AnswerValue }[];
    }[] = await this.ctx.db.dataSource.query(
      `SELECT a.attempt_id, a.session_id, a.candidate_id, a.status, a.lease_epoch, a.credited_minutes, c.room_code, COALESCE(a.seat_no, c.seat_no) AS seat_no, a.paused_at,
              c.photo_media_type, c.photo_data,
              COALESCE((SELECT array_agg(e.seq ORDER BY e.seq) FROM answer_event e WHERE e.attempt_id = a.attempt_id), '{}') AS seqs,
              COALESCE((SELECT json_agg(json_build_object('item_id', ca.item_id, 'seq', ca.seq, 'value', ca.value)) FROM current_answer ca WHERE ca.attempt_id = a.attempt_id), '[]') AS answers
       FROM attempt a JOIN candidate c ON c.candidate_id = a.candidate_id WHERE a.attempt_id = $1`,
      [attemptId],
    );
    const r = rows[0];
    const seqs = r.seqs.map(Number);
    const answers = typeof r.answers === 'string' ? (JSON.parse(r.answers) as typeof r.answers) : r.answers;
    const above = new Set(seqs);
    const contiguous = contiguousHigh(0, above);
    for (let s = 1; s <= contiguous; s++) above.delete(s);
    const state: AttemptState = {
      attemptId,
      sessionId: r.session_id,
      candidateId: r.candidate_id,
      roomCode: r.room_code,
      seatNo: r.seat_no,
      status: r.status,
      leaseEpoch: Number(r.lease_epoch),
      creditedMinutes: Number(r.credited_minutes),
      contiguous,
      above,
      answered: new Map(answers.map((a) => [a.item_id, !answerIsEmpty(a.value)])),
      lastSaveAt: null,
      connectionId: null,
      pausedAt: r.paused_at ? new Date(r.paused_at) : null,
      loadedAnswers: answers,
      loadedPhoto: r.photo_media_type && r.photo_data ? { mediaType: r.photo_media_type, data: r.photo_data } : null,
    };
    this.attempts.set(attemptId, state);
    return state;
  }

  sessionView(session: LoadedSession, creditedMinutes = 0, pausedAt: Date | null = null): SessionView {
    const now = this.ctx.clock.now();
    return {
      sessionId: session.schedule.sessionId,
      subjectName: session.schedule.subjectName,
      phase: session.timeline.phaseAt(now),
      startsAt: session.timeline.startsAt.toISOString(),
      endsAt: session.timeline.candidateEndsAt(creditedMinutes).toISOString(),
      serverTime: now.toISOString(),
      minMinutesBeforeHandIn: session.schedule.minMinutesBeforeHandIn,
      pausedAt: pausedAt ? pausedAt.toISOString() : null,
    };
  }

  // ---- answering ------------------------------------------------------------------------

  /** The attempt this connection may act on, with the lease and status checked. */
  private own(conn: MachineConnection, ref: AttemptRef): AttemptState {
    const state = this.attempts.get(ref.attemptId);
    if (!state || conn.attemptId !== ref.attemptId) throw refuse('ATTEMPT_NOT_YOURS', '该作答记录不属于本机登录的考生', 'this attempt is not logged in on this machine', 'attemptId');
    if (state.leaseEpoch !== ref.leaseEpoch)
      throw refuse('LEASE_SUPERSEDED', '您已在其他考试机登录，本机已停止作答', 'the attempt continues on another machine', 'leaseEpoch');
    return state;
  }

  private activeSession(state: AttemptState): LoadedSession {
    const session = this.sessions.get(state.sessionId);
    if (!session) throw refuse('SESSION_CLOSED', '考试场次不存在', 'session not found');
    return session;
  }

  fetchPaper(conn: MachineConnection, ref: AttemptRef): FetchPaperAck {
    const state = this.own(conn, ref);
    const session = this.activeSession(state);
    const now = this.ctx.clock.now();
    if (now < session.timeline.startsAt) throw refuse('NOT_STARTED', '考试尚未开始，试卷将在开考时自动显示', 'the exam has not started');
    if (state.status === 'submitted' || state.status === 'ended') throw refuse('ATTEMPT_ENDED', '您的考试已结束', 'the attempt has ended');
    const paper = this.packages.paperFor(state.sessionId);
    if (!paper) throw refuse('NOT_STARTED', '试卷尚未解密，请稍候', 'the paper has not been released yet');
    return { paper: paper.paper };
  }

  async saveAnswer(conn: MachineConnection, save: SaveAnswer): Promise<SaveAnswerAck> {
    const state = this.own(conn, save);
    const session = this.activeSession(state);
    const now = this.ctx.clock.now();
    // while paused the clock is stopped: judge the end at the moment of the pause
    if (state.status === 'submitted' || state.status === 'ended' || (state.pausedAt ?? now) >= session.timeline.candidateEndsAt(state.creditedMinutes))
      throw refuse('ATTEMPT_ENDED', '考试时间已到或已交卷，作答不再被接受', 'the attempt has ended; answers are no longer accepted');
    if (now < session.timeline.startsAt) throw refuse('NOT_STARTED', '考试尚未开始', 'the exam has not started');
    const paper = this.packages.paperFor(state.sessionId);
    const item = paper?.paper.items.find((i) => i.itemId === save.itemId);
    if (!item) throw refuse('UNKNOWN_ITEM', `试题 ${save.itemId} 不在本场试卷中`, `item ${save.itemId} is not on this paper`, 'itemId');
    checkValueFits(item, save.value);

    await this.journal.save({ attemptId: save.attemptId, sessionId: state.sessionId, candidateId: state.candidateId, seq: save.seq, itemId: save.itemId, value: save.value, receivedAt: now });
    this.answersAcked.inc();
    // durable: advance the contiguous ack
    if (save.seq > state.contiguous) state.above.add(save.seq);
    const high = contiguousHigh(state.contiguous, state.above);
    for (let s = state.contiguous + 1; s <= high; s++) state.above.delete(s);
    state.contiguous = high;
    state.answered.set(save.itemId, !answerIsEmpty(save.value));
    state.lastSaveAt = now;
    state.lastSeenAt = now;
    if (state.status === 'logged_in') state.status = 'in_progress';
    this.events.emit('roomChanged', state.roomCode);
    return { attemptId: save.attemptId, ackedSeq: state.contiguous };
  }

  async submit(conn: MachineConnection, ref: AttemptRef): Promise<SubmitAttemptAck> {
    const state = this.own(conn, ref);
    const session = this.activeSession(state);
    const now = this.ctx.clock.now();
    if (state.status === 'submitted') {
      // a repeated 交卷 (a retry after a lost ack) gets the same answer
      const rows: { ended_at: Date }[] = await this.ctx.db.dataSource.query('SELECT ended_at FROM attempt WHERE attempt_id = $1', [state.attemptId]);
      return { attemptId: state.attemptId, submittedAt: new Date(rows[0].ended_at).toISOString(), ackedSeq: state.contiguous };
    }
    if (state.status === 'ended') throw refuse('ATTEMPT_ENDED', '考试时间已到，已自动交卷', 'the attempt has already ended');
    if (state.pausedAt) throw refuse('EXAM_PAUSED', '考试已暂停，恢复后方可交卷', 'the exam is paused; hand in after it resumes');
    if (!session.timeline.canHandIn(now))
      throw refuse('HAND_IN_TOO_EARLY', `开考 ${session.schedule.minMinutesBeforeHandIn} 分钟后方可交卷`, `hand-in opens ${session.schedule.minMinutesBeforeHandIn} minutes after the start`);
    await this.endAttempt(state.attemptId, 'submitted', now, `candidate`);
    return { attemptId: state.attemptId, submittedAt: now.toISOString(), ackedSeq: state.contiguous };
  }

  /** End one attempt (hand-in, time up, forced); idempotent. */
  async endAttempt(attemptId: string, reason: 'submitted' | 'time_up' | 'forced', at: Date, actor: string, why?: string): Promise<void> {
    const status: AttemptStatus = reason === 'submitted' ? 'submitted' : 'ended';
    const rows = returnedRows<{ room_code: string }>(await this.ctx.db.dataSource.query(
      `UPDATE attempt a SET status = $2, ended_at = $3, end_reason = $4 FROM candidate c
       WHERE a.attempt_id = $1 AND c.candidate_id = a.candidate_id AND a.status NOT IN ('submitted', 'ended') RETURNING c.room_code`,
      [attemptId, status, at.toISOString(), reason],
    ));
    const state = this.attempts.get(attemptId);
    if (state) state.status = status;
    if (rows.length === 0) return;
    await this.audit.record({ actor, action: `attempt.${reason}`, subject: attemptId, ...(why ? { reason: why } : {}) });
    this.events.emit('attemptEnded', { attemptId, reason, endedAt: at.toISOString() }, rows[0].room_code);
    this.events.emit('roomChanged', rows[0].room_code);
  }

  /** Time-up for every attempt of the session whose own end has passed (server clock). */
  async endDueAttempts(session: LoadedSession): Promise<number> {
    const now = this.ctx.clock.now();
    const due: { attempt_id: string }[] = await this.ctx.db.dataSource.query(
      `SELECT attempt_id FROM attempt WHERE session_id = $1 AND status IN ('logged_in', 'in_progress') AND paused_at IS NULL
       AND $2::timestamptz >= $3::timestamptz + credited_minutes * interval '1 minute'`,
      [session.schedule.sessionId, now.toISOString(), session.timeline.scheduledEndAt.toISOString()],
    );
    for (const d of due) await this.endAttempt(d.attempt_id, 'time_up', now, 'system');
    return due.length;
  }

  /** 10 minutes before each answering candidate's own end, once per attempt. */
  remindDue(session: LoadedSession): void {
    const now = this.ctx.clock.now();
    for (const a of this.attempts.values()) {
      if (a.sessionId !== session.schedule.sessionId || a.reminded || a.pausedAt || (a.status !== 'in_progress' && a.status !== 'logged_in')) continue;
      const endsAt = session.timeline.candidateEndsAt(a.creditedMinutes);
      if (now >= session.timeline.reminderAt(a.creditedMinutes) && now < endsAt) {
        a.reminded = true;
        this.events.emit('reminder', { attemptId: a.attemptId, minutesLeft: Math.max(1, Math.ceil((endsAt.getTime() - now.getTime()) / 60_000)), endsAt: endsAt.toISOString() });
      }
    }
  }

  // ---- proctor and venue actions (换机, 暂停/恢复, 补时) ------------------------------------------

  /** One attempt of the current session within the actor's scope, or a refusal that says why. */
  /** An attempt of the current session within the scope (a proctor's room), still open; refused otherwise. */
  async scopedAttempt(scope: ActionScope, attemptId: string): Promise<{ session: LoadedSession; row: ScopedAttempt }> {
    const session = this.sessions.require(this.ctx.clock.now());
    const rows: ScopedAttempt[] = await this.ctx.db.dataSource.query(
      `SELECT a.attempt_id, a.status, c.room_code, c.seat_no AS roster_seat, COALESCE(a.seat_no, c.seat_no) AS seat_no, a.credited_minutes, a.paused_at, a.last_seen_at
       FROM attempt a JOIN candidate c ON c.candidate_id = a.candidate_id WHERE a.attempt_id = $1 AND a.session_id = $2`,
      [attemptId, session.schedule.sessionId],
    );
    const row = rows[0];
    if (!row || (scope.roomCode && row.room_code !== scope.roomCode))
      throw refuse('NOT_FOUND', '本考场没有该考生的作答记录（考生须先登录一次）', 'no such attempt in this room (the candidate must have logged in once)', 'attemptId');
    if (row.status === 'submitted' || row.status === 'ended') throw refuse('ATTEMPT_ENDED', '该考生已交卷或考试已结束', 'the attempt has already ended', 'attemptId');
    return { session, row: { ...row, credited_minutes: Number(row.credited_minutes), seat_no: Number(row.seat_no), roster_seat: Number(row.roster_seat) } };
  }

  private timePush(session: LoadedSession, attemptId: string, change: AttemptTimePush['change'], minutes: number, creditedMinutes: number, pausedAt: Date | null, reason: string): AttemptTimePush {
    const state = this.attempts.get(attemptId);
    if (state) {
      state.creditedMinutes = creditedMinutes;
      state.pausedAt = pausedAt;
      // more time: the 10-minute reminder is due again at the new end
      if (state.reminded && this.ctx.clock.now() < session.timeline.reminderAt(creditedMinutes)) state.reminded = false;
    }
    return { attemptId, change, minutes, creditedMinutes, endsAt: session.timeline.candidateEndsAt(creditedMinutes).toISOString(), pausedAt: pausedAt ? pausedAt.toISOString() : null, reason };
  }

  /**
   * 换机 to a spare seat: the proctor authorises the candidate to continue at `toSeatNo` of the same
   * room. The candidate logs in there; the lost minutes are credited at that login from the server's
   * own record. Returns what would be credited if the login happened now, for the proctor to confirm.
   */
  async moveSeat(scope: ActionScope, move: MoveSeat): Promise<MoveSeatAck> {
    const { session, row } = await this.scopedAttempt(scope, move.attemptId);
    const ds = this.ctx.db.dataSource;
    if (move.toSeatNo === row.seat_no) throw refuse('VALIDATION_FAILED', `考生已在 ${move.toSeatNo} 号座位`, `the candidate is already at seat ${move.toSeatNo}`, 'toSeatNo');
    const room: { seats: { seatNo: number }[] }[] = await ds.query('SELECT seats FROM room WHERE room_code = $1', [row.room_code]);
    if (!room[0]?.seats.some((s) => s.seatNo === move.toSeatNo))
      throw refuse('VALIDATION_FAILED', `考场 ${row.room_code} 没有 ${move.toSeatNo} 号座位`, `room ${row.room_code} has no seat ${move.toSeatNo}`, 'toSeatNo');
    const taken: { who: string }[] = await ds.query(
      `SELECT c.ticket_no AS who FROM candidate c WHERE c.session_id = $4 AND c.room_code = $1 AND c.seat_no = $2 AND c.candidate_id <> (SELECT candidate_id FROM attempt WHERE attempt_id = $3)
       UNION ALL
       SELECT c.ticket_no FROM attempt a JOIN candidate c ON c.candidate_id = a.candidate_id
       WHERE a.session_id = $4 AND c.room_code = $1 AND a.seat_no = $2 AND a.attempt_id <> $3 AND a.status NOT IN ('submitted', 'ended')`,
      [row.room_code, move.toSeatNo, move.attemptId, session.schedule.sessionId],
    );
    if (taken.length > 0) throw refuse('SEAT_TAKEN', `${move.toSeatNo} 号座位已安排考生（${taken[0].who}），请选择备用座位`, `seat ${move.toSeatNo} belongs to another candidate`, 'toSeatNo');
    await ds.query('UPDATE attempt SET seat_no = $2 WHERE attempt_id = $1', [move.attemptId, move.toSeatNo === row.roster_seat ? null : move.toSeatNo]);
    const live = this.attempts.get(move.attemptId);
    if (live) live.seatNo = move.toSeatNo;
    const lastSeen = this.lastSeen(move.attemptId, row.last_seen_at);
    const credit = machineChangeCredit(session, lastSeen, this.ctx.clock.now());
    await this.audit.record({
      actor: scope.actor,
      action: 'attempt.seat_moved',
      subject: move.attemptId,
      reason: move.reason,
      details: { roomCode: row.room_code, fromSeatNo: row.seat_no, toSeatNo: move.toSeatNo, lastSeenAt: lastSeen?.toISOString() ?? null, creditIfLoggedInNow: credit },
    });
    this.events.emit('roomChanged', row.room_code);
    return { attemptId: move.attemptId, fromSeatNo: row.seat_no, toSeatNo: move.toSeatNo, lastSeenAt: lastSeen?.toISOString() ?? null, creditIfLoggedInNow: credit };
  }

  /** 补时: extra minutes for one candidate, pushed to their machine. */
  async extend(scope: ActionScope, x: ExtendTime): Promise<AttemptTimePush> {
    const { session, row } = await this.scopedAttempt(scope, x.attemptId);
    const rows = returnedRows<{ credited_minutes: number }>(await this.ctx.db.dataSource.query(
      `UPDATE attempt SET credited_minutes = credited_minutes + $2 WHERE attempt_id = $1 AND status NOT IN ('submitted', 'ended') RETURNING credited_minutes`,
      [x.attemptId, x.minutes],
    ));
    if (rows.length === 0) throw refuse('ATTEMPT_ENDED', '该考生已交卷或考试已结束', 'the attempt has already ended', 'attemptId');
    const push = this.timePush(session, x.attemptId, 'extended', x.minutes, Number(rows[0].credited_minutes), row.paused_at ? new Date(row.paused_at) : null, x.reason);
    await this.audit.record({ actor: scope.actor, action: 'attempt.extended', subject: x.attemptId, reason: x.reason, details: { minutes: x.minutes, creditedMinutes: push.creditedMinutes, endsAt: push.endsAt } });
    this.events.emit('timeChanged', push);
    this.events.emit('roomChanged', row.room_code);
    return push;
  }

  /**
   * 暂停: stop the clock of one candidate, of a room, or of the whole venue (an outage). Answers
   * typed before the pause still arrive and are kept; hand-in and the automatic end wait.
   */
  async pause(scope: ActionScope, attemptId: string | undefined, reason: string): Promise<AttemptTimePush[]> {
    const now = this.ctx.clock.now();
    const session = attemptId ? (await this.scopedAttempt(scope, attemptId)).session : this.sessions.require(now);
    if (now < session.timeline.startsAt) throw refuse('NOT_STARTED', '考试开始后方可暂停', 'a pause is possible only after the start');
    const rows = returnedRows<{ attempt_id: string; credited_minutes: number; room_code: string }>(await this.ctx.db.dataSource.query(
      `UPDATE attempt a SET paused_at = $2 FROM candidate c
       WHERE c.candidate_id = a.candidate_id AND a.session_id = $1 AND a.status IN ('logged_in', 'in_progress') AND a.paused_at IS NULL
         AND $2::timestamptz < $3::timestamptz + a.credited_minutes * interval '1 minute'
         AND ($4::text IS NULL OR c.room_code = $4) AND ($5::text IS NULL OR a.attempt_id = $5)
       RETURNING a.attempt_id, a.credited_minutes, c.room_code`,
      [session.schedule.sessionId, now.toISOString(), session.timeline.scheduledEndAt.toISOString(), scope.roomCode ?? null, attemptId ?? null],
    ));
    if (attemptId && rows.length === 0) throw refuse('CONFLICT', '该考生的考试已处于暂停状态', 'this attempt is already paused', 'attemptId');
    const pushes = rows.map((r) => this.timePush(session, r.attempt_id, 'paused', 0, Number(r.credited_minutes), now, reason));
    await this.recordTimeChanges(scope, attemptId, 'paused', reason, pushes, rows);
    return pushes;
  }

  /** 恢复: restart the clocks paused in scope; each candidate gets the paused minutes back (rounded up). */
  async resume(scope: ActionScope, attemptId: string | undefined, reason: string): Promise<AttemptTimePush[]> {
    const now = this.ctx.clock.now();
    const session = attemptId ? (await this.scopedAttempt(scope, attemptId)).session : this.sessions.require(now);
    const rows = returnedRows<{ attempt_id: string; credited_minutes: number; room_code: string; minutes: number; paused_at: Date }>(await this.ctx.db.dataSource.query(
      `WITH target AS (
         SELECT a.attempt_id, a.paused_at, c.room_code,
                GREATEST(1, CEIL(EXTRACT(EPOCH FROM ($2::timestamptz - a.paused_at)) / 60))::int AS minutes
         FROM attempt a JOIN candidate c ON c.candidate_id = a.candidate_id
         WHERE a.session_id = $1 AND a.paused_at IS NOT NULL AND a.status IN ('logged_in', 'in_progress')
           AND ($3::text IS NULL OR c.room_code = $3) AND ($4::text IS NULL OR a.attempt_id = $4))
       UPDATE attempt a SET credited_minutes = a.credited_minutes + t.minutes, paused_at = NULL FROM target t
       WHERE a.attempt_id = t.attempt_id
       RETURNING a.attempt_id, a.credited_minutes, t.room_code, t.minutes, t.paused_at`,
      [session.schedule.sessionId, now.toISOString(), scope.roomCode ?? null, attemptId ?? null],
    ));
    if (attemptId && rows.length === 0) throw refuse('CONFLICT', '该考生的考试没有暂停', 'this attempt is not paused', 'attemptId');
    const pushes = rows.map((r) => this.timePush(session, r.attempt_id, 'resumed', Number(r.minutes), Number(r.credited_minutes), null, reason));
    await this.recordTimeChanges(scope, attemptId, 'resumed', reason, pushes, rows);
    return pushes;
  }

  private async recordTimeChanges(scope: ActionScope, attemptId: string | undefined, change: 'paused' | 'resumed', reason: string, pushes: AttemptTimePush[], rows: { room_code: string }[]) {
    const target = attemptId ? 'attempt' : scope.roomCode ? 'room' : 'venue';
    if (target !== 'attempt')
      await this.audit.record({ actor: scope.actor, action: `${target}.${change}`, subject: scope.roomCode ?? this.ctx.config.VENUE_CODE, reason, details: { attempts: pushes.length } });
    for (const p of pushes) {
      await this.audit.record({ actor: scope.actor, action: `attempt.${change}`, subject: p.attemptId, reason, details: { minutes: p.minutes, creditedMinutes: p.creditedMinutes, endsAt: p.endsAt } });
      this.events.emit('timeChanged', p);
    }
    for (const room of new Set(rows.map((r) => r.room_code))) this.events.emit('roomChanged', room);
  }

  /** 强制交卷 by a proctor: ends the attempt now; the machine is told (reason `forced`). */
  async forceHandIn(scope: ActionScope, attemptId: string, reason: string): Promise<void> {
    await this.scopedAttempt(scope, attemptId);
    await this.endAttempt(attemptId, 'forced', this.ctx.clock.now(), scope.actor, reason);
  }

  /** At the start: everyone logged in is now answering. */
  async markStarted(session: LoadedSession): Promise<void> {
    await this.ctx.db.dataSource.query(`UPDATE attempt SET status = 'in_progress' WHERE session_id = $1 AND status = 'logged_in'`, [session.schedule.sessionId]);
    for (const a of this.attempts.values()) if (a.sessionId === session.schedule.sessionId && a.status === 'logged_in') a.status = 'in_progress';
  }

  /** The exam screen lost focus, was hidden or left fullscreen: counted for the proctor (kept across a restart), audited. */
  async focusLost(conn: MachineConnection, report: FocusLost): Promise<FocusLostAck> {
    const state = this.own(conn, report);
    const rows = returnedRows<{ focus_losses: number }>(
      await this.ctx.db.dataSource.query('UPDATE attempt SET focus_losses = focus_losses + 1 WHERE attempt_id = $1 RETURNING focus_losses', [state.attemptId]),
    );
    const count = Number(rows[0]?.focus_losses ?? 0);
    await this.audit.record({ actor: `machine:${conn.machineId ?? conn.connectionId}`, action: 'attempt.focus_lost', subject: state.attemptId, details: { kind: report.kind, at: report.at, count } });
    this.events.emit('roomChanged', state.roomCode);
    return { attemptId: state.attemptId, focusLosses: count };
  }

  attemptState(attemptId: string): AttemptState | undefined {
    return this.attempts.get(attemptId);
  }

  liveAttempts(): AttemptState[] {
    return [...this.attempts.values()];
  }
}

/** The value must be of the item's kind and use only its options. */
function checkValueFits(item: Item, value: AnswerValue): void {
  const problem = checkAnswerFitsItem(item, value);
  if (problem) throw refuse(problem.code, problem.message, problem.messageEn, problem.field);
}
