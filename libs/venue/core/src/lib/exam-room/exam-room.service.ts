import { BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import { timingSafeEqual, randomUUID } from 'node:crypto';
import {
  AnswerValue,
  AttemptRef,
  AttemptStatus,
  CandidateLogin,
  CandidateLoginAck,
  FetchPaperAck,
  Item,
  MachineHello,
  MachineHelloAck,
  SaveAnswer,
  SaveAnswerAck,
  SessionView,
  SubmitAttemptAck,
} from '@kaowu/contracts';
import { contiguousHigh, maskIdNo } from '@kaowu/exam-domain';
import { DomainError } from '@kaowu/server-kit';
import { returnedRows } from '@kaowu/persistence';
import { VENUE_CONTEXT, VenueContext } from '../venue-context';
import { AnswerJournal } from '../store/answer-journal';
import { AuditLog } from '../store/audit-log';
import { VenuePackageService } from '../package/venue-package.service';
import { LoadedSession, SessionRegistry } from './session-registry';
import { RoomEvents } from './room-events';

/** What the server knows about one connection from an exam machine. */
export interface MachineConnection {
  connectionId: string;
  machineId?: string;
  roomCode?: string;
  seatNo?: number;
  attemptId?: string;
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

function answerIsEmpty(v: AnswerValue): boolean {
  return v.kind === 'choice' ? v.selected.length === 0 : v.text.trim() === '';
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
  private readonly answersAcked;

  constructor(
    @Inject(VENUE_CONTEXT) private readonly ctx: VenueContext,
    @Inject(AnswerJournal) private readonly journal: AnswerJournal,
    @Inject(AuditLog) private readonly audit: AuditLog,
    @Inject(VenuePackageService) private readonly packages: VenuePackageService,
    @Inject(SessionRegistry) private readonly sessions: SessionRegistry,
    @Inject(RoomEvents) private readonly events: RoomEvents,
  ) {
    this.answersAcked = ctx.metrics.counter('kaowu_answers_acked_total', 'Answer events acknowledged as durable');
  }

  // ---- machines -------------------------------------------------------------------------

  async hello(conn: MachineConnection, hello: MachineHello): Promise<MachineHelloAck> {
    const expected = Buffer.from(this.ctx.kioskKey);
    const given = Buffer.from(hello.attestation);
    if (expected.length !== given.length || !timingSafeEqual(expected, given))
      throw refuse('MACHINE_NOT_ATTESTED', '本机不是本考点配置的考试机（考试机认证失败），请联系机房管理员', 'this machine does not run the venue kiosk configuration', 'attestation');
    const rooms: { seats: { seatNo: number }[] }[] = await this.ctx.db.dataSource.query('SELECT seats FROM room WHERE room_code = $1', [hello.roomCode]);
    if (rooms.length === 0 || !rooms[0].seats.some((s) => s.seatNo === hello.seatNo))
      throw refuse('MACHINE_UNKNOWN', `考场 ${hello.roomCode} 没有 ${hello.seatNo} 号座位`, `room ${hello.roomCode} has no seat ${hello.seatNo}`, 'seatNo');
    Object.assign(conn, { machineId: hello.machineId, roomCode: hello.roomCode, seatNo: hello.seatNo });
    this.machines.set(conn.connectionId, conn);
    this.events.emit('roomChanged', hello.roomCode);
    return { serverTime: this.ctx.clock.now().toISOString(), venueName: await this.packages.venueName(), roomCode: hello.roomCode, seatNo: hello.seatNo };
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

  onlineSeats(roomCode: string): Set<number> {
    return new Set([...this.machines.values()].filter((m) => m.roomCode === roomCode && m.seatNo).map((m) => m.seatNo!));
  }

  // ---- login ----------------------------------------------------------------------------

  async login(conn: MachineConnection, login: CandidateLogin): Promise<CandidateLoginAck> {
    if (!conn.roomCode) throw refuse('MACHINE_UNKNOWN', '考试机尚未登记，请刷新页面后重试', 'machine has not said hello');
    const ds = this.ctx.db.dataSource;
    const rows: CandidateRow[] = await ds.query('SELECT * FROM candidate WHERE ticket_no = $1', [login.ticketNo]);
    const cand = rows[0];
    if (!cand || cand.id_no.toUpperCase() !== login.idNo.toUpperCase())
      throw refuse('LOGIN_FAILED', '准考证号或证件号码不正确，请核对后重新输入', 'ticket number or ID number is wrong', 'ticketNo');
    if (cand.room_code !== conn.roomCode || cand.seat_no !== conn.seatNo)
      throw refuse('WRONG_SEAT', `您的座位是 ${cand.room_code} 考场 ${cand.seat_no} 号，请到本人座位登录`, `your seat is room ${cand.room_code} seat ${cand.seat_no}`, 'seatNo');
    const now = this.ctx.clock.now();
    const session = this.sessions.current(now);
    if (!session) throw refuse('SESSION_CLOSED', '本考点当前没有考试场次', 'no exam session at this venue');

    const existing: { attempt_id: string; status: AttemptStatus; logged_in_at: Date | null; machine_id: string | null; last_seen_at: Date | null }[] = await ds.query(
      'SELECT attempt_id, status, logged_in_at, machine_id, last_seen_at FROM attempt WHERE session_id = $1 AND candidate_id = $2',
      [session.schedule.sessionId, cand.candidate_id],
    );
    const prior = existing[0];
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

    const answers: { item_id: string; seq: number; value: AnswerValue }[] = await ds.query('SELECT item_id, seq, value FROM current_answer WHERE attempt_id = $1', [attemptId]);
    return {
      attemptId,
      leaseEpoch,
      lastAckedSeq: state.contiguous,
      status: state.status,
      candidate: { name: cand.name, gender: cand.gender, ticketNo: cand.ticket_no, idNoMasked: maskIdNo(cand.id_no), roomCode: cand.room_code, seatNo: cand.seat_no },
      session: this.sessionView(session, state.creditedMinutes),
      answers: answers.map((a) => ({ itemId: a.item_id, seq: Number(a.seq), value: a.value })),
    };
  }

  /**
   * 换机: the candidate continues on another machine. The minutes between the old machine's last
   * sign of life (the server's record) and this login are credited to the candidate's end.
   */
  private async creditMachineChange(attemptId: string, prior: { machine_id: string | null; last_seen_at: Date | null }, session: LoadedSession, now: Date, newMachine: string) {
    const live = this.attempts.get(attemptId);
    const seen = [live?.lastSeenAt, prior.last_seen_at ? new Date(prior.last_seen_at) : undefined, live?.lastSaveAt ?? undefined].filter((d): d is Date => !!d);
    if (seen.length === 0 || now < session.timeline.startsAt) return;
    const lastSeen = new Date(Math.max(session.timeline.startsAt.getTime(), ...seen.map((d) => d.getTime())));
    // whole minutes, to the nearest: the schedule and the proctor both count in minutes
    const minutes = Math.min(MAX_AUTOMATIC_CREDIT_MINUTES, Math.round((now.getTime() - lastSeen.getTime()) / 60_000));
    if (minutes <= 0) return;
    await this.ctx.db.dataSource.query('UPDATE attempt SET credited_minutes = credited_minutes + $2 WHERE attempt_id = $1', [attemptId, minutes]);
    await this.audit.record({
      actor: 'system',
      action: 'attempt.credited',
      subject: attemptId,
      reason: '换机：考试机故障，按服务器记录自动补时',
      details: { minutes, from: prior.machine_id, to: newMachine, lastSeenAt: lastSeen.toISOString(), loginAt: now.toISOString() },
    });
  }

  private async loadAttempt(attemptId: string): Promise<AttemptState> {
    const rows: { attempt_id: string; session_id: string; candidate_id: string; status: AttemptStatus; lease_epoch: number; credited_minutes: number; room_code: string; seat_no: number }[] =
      await this.ctx.db.dataSource.query(
        `SELECT a.attempt_id, a.session_id, a.candidate_id, a.status, a.lease_epoch, a.credited_minutes, c.room_code, c.seat_no
         FROM attempt a JOIN candidate c ON c.candidate_id = a.candidate_id WHERE a.attempt_id = $1`,
        [attemptId],
      );
    const r = rows[0];
    const seqs = await this.journal.storedSeqs(attemptId);
    const answers: { item_id: string; value: AnswerValue }[] = await this.ctx.db.dataSource.query('SELECT item_id, value FROM current_answer WHERE attempt_id = $1', [attemptId]);
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
    };
    this.attempts.set(attemptId, state);
    return state;
  }

  sessionView(session: LoadedSession, creditedMinutes = 0): SessionView {
    const now = this.ctx.clock.now();
    return {
      sessionId: session.schedule.sessionId,
      subjectName: session.schedule.subjectName,
      phase: session.timeline.phaseAt(now),
      startsAt: session.timeline.startsAt.toISOString(),
      endsAt: session.timeline.candidateEndsAt(creditedMinutes).toISOString(),
      serverTime: now.toISOString(),
      minMinutesBeforeHandIn: session.schedule.minMinutesBeforeHandIn,
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
    if (state.status === 'submitted' || state.status === 'ended' || now >= session.timeline.candidateEndsAt(state.creditedMinutes))
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
    if (!session.timeline.canHandIn(now))
      throw refuse('HAND_IN_TOO_EARLY', `开考 ${session.schedule.minMinutesBeforeHandIn} 分钟后方可交卷`, `hand-in opens ${session.schedule.minMinutesBeforeHandIn} minutes after the start`);
    await this.endAttempt(state.attemptId, 'submitted', now, `candidate`);
    return { attemptId: state.attemptId, submittedAt: now.toISOString(), ackedSeq: state.contiguous };
  }

  /** End one attempt (hand-in, time up, forced); idempotent. */
  async endAttempt(attemptId: string, reason: 'submitted' | 'time_up' | 'forced', at: Date, actor: string): Promise<void> {
    const status: AttemptStatus = reason === 'submitted' ? 'submitted' : 'ended';
    const rows = returnedRows<{ room_code: string }>(await this.ctx.db.dataSource.query(
      `UPDATE attempt a SET status = $2, ended_at = $3, end_reason = $4 FROM candidate c
       WHERE a.attempt_id = $1 AND c.candidate_id = a.candidate_id AND a.status NOT IN ('submitted', 'ended') RETURNING c.room_code`,
      [attemptId, status, at.toISOString(), reason],
    ));
    const state = this.attempts.get(attemptId);
    if (state) state.status = status;
    if (rows.length === 0) return;
    await this.audit.record({ actor, action: `attempt.${reason}`, subject: attemptId });
    this.events.emit('attemptEnded', { attemptId, reason, endedAt: at.toISOString() }, rows[0].room_code);
    this.events.emit('roomChanged', rows[0].room_code);
  }

  /** Time-up for every attempt of the session whose own end has passed (server clock). */
  async endDueAttempts(session: LoadedSession): Promise<number> {
    const now = this.ctx.clock.now();
    const due: { attempt_id: string }[] = await this.ctx.db.dataSource.query(
      `SELECT attempt_id FROM attempt WHERE session_id = $1 AND status IN ('logged_in', 'in_progress')
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
      if (a.sessionId !== session.schedule.sessionId || a.reminded || (a.status !== 'in_progress' && a.status !== 'logged_in')) continue;
      const endsAt = session.timeline.candidateEndsAt(a.creditedMinutes);
      if (now >= session.timeline.reminderAt(a.creditedMinutes) && now < endsAt) {
        a.reminded = true;
        this.events.emit('reminder', { attemptId: a.attemptId, minutesLeft: Math.max(1, Math.ceil((endsAt.getTime() - now.getTime()) / 60_000)), endsAt: endsAt.toISOString() });
      }
    }
  }

  /** At the start: everyone logged in is now answering. */
  async markStarted(session: LoadedSession): Promise<void> {
    await this.ctx.db.dataSource.query(`UPDATE attempt SET status = 'in_progress' WHERE session_id = $1 AND status = 'logged_in'`, [session.schedule.sessionId]);
    for (const a of this.attempts.values()) if (a.sessionId === session.schedule.sessionId && a.status === 'logged_in') a.status = 'in_progress';
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
  if (item.type === 'text') {
    if (value.kind !== 'text') throw refuse('VALIDATION_FAILED', '该题应以文字作答', 'this item takes a text answer', 'value');
    if (value.text.length > item.maxLength) throw refuse('VALIDATION_FAILED', `作答超过 ${item.maxLength} 字的上限`, `answer longer than ${item.maxLength}`, 'value.text');
    return;
  }
  if (value.kind !== 'choice') throw refuse('VALIDATION_FAILED', '该题应选择选项作答', 'this item takes a choice', 'value');
  const keys = new Set(item.options.map((o) => o.key));
  if (value.selected.some((k) => !keys.has(k))) throw refuse('VALIDATION_FAILED', '所选选项不在本题中', 'selected option not on this item', 'value.selected');
  if (new Set(value.selected).size !== value.selected.length) throw refuse('VALIDATION_FAILED', '选项重复', 'duplicate option', 'value.selected');
  if ((item.type === 'single' || item.type === 'judge') && value.selected.length > 1)
    throw refuse('VALIDATION_FAILED', '单选题和判断题只能选择一个选项', 'single-choice and true/false items take one option', 'value.selected');
}
