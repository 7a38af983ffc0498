import { Inject, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import type { ZodType } from 'zod';
import {
  Ack,
  AcknowledgeAnomaly,
  AttemptStatus,
  BroadcastAck,
  BroadcastMessage,
  CandidateCard,
  CandidateCardRequest,
  ChiefEvent,
  ChiefJoin,
  ChiefOpenRoom,
  DecideExtension,
  ExtendAck,
  ExtendTime,
  ExtensionRequest,
  ForceHandIn,
  Incident,
  MarkAbsent,
  MoveSeat,
  MoveSeatAck,
  PROCTOR_NAMESPACE,
  PauseResume,
  PauseResumeAck,
  ProctorEvent,
  ProctorJoin,
  RecordIdentityCheck,
  RecordProcedureStep,
  RoomProcedure,
  RecordViolation,
  ResetLoginLock,
  RoomSeatsPush,
  RoomVerification,
  SeatStatus,
  ChiefOverview,
} from '@kaowu/contracts';
import { z } from 'zod';
import { DomainError, parseInput, toErrorBody } from '@kaowu/server-kit';
import { VENUE_CONTEXT, VenueContext } from '../venue-context';
import { VenuePackageService } from '../package/venue-package.service';
import { ProctoringService, RoomScope } from '../proctoring/proctoring.service';
import { RoomProcedureService } from '../proctoring/room-procedure.service';
import { ExtensionApprovalService } from '../proctoring/extension-approval.service';
import { VenueOverviewService } from '../proctoring/venue-overview.service';
import { VenueStaffService } from '../staff/venue-staff.service';
import { ExamRoomService } from './exam-room.service';
import { RoomEvents } from './room-events';
import { SessionRegistry } from './session-registry';

const PUSH_EVERY_MS = 300;
const NoInput = z.object({}).strict();
const proctorChannel = (roomCode: string) => `proctor:${roomCode}`;
const CHIEF_CHANNEL = 'chief';

/** Who is on a console socket: a room's proctors (one room), or the chief examiner (any room they open). */
interface ConsoleSocketData {
  role?: 'proctor' | 'chief';
  actor?: string;
  roomCode?: string;
}
const dataOf = (socket: Socket) => (socket.data ?? {}) as ConsoleSocketData;

/** Live seat map for the room's proctors: a snapshot on join, then coalesced pushes on change. */
@WebSocketGateway({ namespace: PROCTOR_NAMESPACE, cors: { origin: true }, transports: ['websocket', 'polling'] })
export class ProctorGateway implements OnModuleInit, OnModuleDestroy {
  @WebSocketServer() private server!: Namespace;
  private dirty = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;

  constructor(
    @Inject(VENUE_CONTEXT) private readonly ctx: VenueContext,
    @Inject(ExamRoomService) private readonly rooms: ExamRoomService,
    @Inject(SessionRegistry) private readonly sessions: SessionRegistry,
    @Inject(VenuePackageService) private readonly packages: VenuePackageService,
    @Inject(RoomEvents) private readonly events: RoomEvents,
    @Inject(ProctoringService) private readonly proctoring: ProctoringService,
    @Inject(RoomProcedureService) private readonly procedureSteps: RoomProcedureService,
    @Inject(ExtensionApprovalService) private readonly extensions: ExtensionApprovalService,
    @Inject(VenueOverviewService) private readonly venueOverview: VenueOverviewService,
    @Inject(VenueStaffService) private readonly staff: VenueStaffService,
  ) {}

  onModuleInit(): void {
    this.events.on('roomChanged', (room) => this.dirty.add(room));
    this.events.on('sessionPhase', (room) => this.dirty.add(room));
    this.timer = setInterval(() => {
      this.flushing ??= this.flush().finally(() => (this.flushing = undefined));
    }, PUSH_EVERY_MS);
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flushing;
  }

  private async flush(): Promise<void> {
    const rooms = [...this.dirty];
    this.dirty.clear();
    if (rooms.length > 0 && (this.server?.adapter.rooms.get(CHIEF_CHANNEL)?.size ?? 0) > 0) {
      try {
        this.server.to(CHIEF_CHANNEL).emit(ChiefEvent.overview, await this.venueOverview.overview());
      } catch (error) {
        this.ctx.logger.error({ err: error }, 'venue overview push failed');
      }
    }
    for (const room of rooms) {
      const listeners = this.server?.adapter.rooms.get(proctorChannel(room));
      if (!listeners || listeners.size === 0) continue;
      try {
        this.server.to(proctorChannel(room)).emit(ProctorEvent.seats, await this.snapshot(room));
      } catch (error) {
        this.ctx.logger.error({ err: error, room }, 'seat map push failed');
      }
    }
  }

  /** Every console request answers with an Ack: the data, or the refusal (an unexpected failure is logged). */
  private async answer<O>(where: string, fn: () => Promise<O>): Promise<Ack<O>> {
    try {
      return { ok: true, data: await fn() };
    } catch (error) {
      const body = toErrorBody(error);
      if (body.code === 'INTERNAL') this.ctx.logger.error({ err: error, where }, 'console request failed');
      return { ok: false, error: body };
    }
  }

  @SubscribeMessage(ProctorEvent.join)
  async join(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): Promise<Ack<RoomSeatsPush>> {
    return this.answer('监考登录', async () => {
      const join = parseInput(ProctorJoin, body, '监考登录');
      await this.proctoring.authenticate(join.roomCode, join.accessCode, socket.handshake.address);
      await socket.join(proctorChannel(join.roomCode));
      socket.data = { role: 'proctor', actor: `proctor:${join.roomCode}`, roomCode: join.roomCode } satisfies ConsoleSocketData;
      return this.snapshot(join.roomCode);
    });
  }

  /** 主考: the venue overview, live; then any room can be opened and acted on as its proctors would. */
  @SubscribeMessage(ChiefEvent.join)
  async chiefJoin(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): Promise<Ack<ChiefOverview>> {
    return this.answer('主考登录', async () => {
      const { token } = parseInput(ChiefJoin, body, '主考登录');
      const member = this.staff.byToken(token);
      if (!member) throw new DomainError('UNAUTHORIZED', '登录已失效，请重新登录', 'sign-in expired or unknown; sign in again');
      if (member.role !== 'chief') throw new DomainError('FORBIDDEN', '考点总览仅限主考使用', 'the venue overview is for the chief examiner');
      await socket.join(CHIEF_CHANNEL);
      socket.data = { role: 'chief', actor: `chief:${member.staffNo}` } satisfies ConsoleSocketData;
      return this.venueOverview.overview();
    });
  }

  private requireChief(socket: Socket): ConsoleSocketData & { actor: string } {
    const data = dataOf(socket);
    if (data.role !== 'chief' || !data.actor) throw new DomainError('FORBIDDEN', '该操作仅限主考', 'only the chief examiner may do this');
    return { ...data, actor: data.actor };
  }

  @SubscribeMessage(ChiefEvent.openRoom)
  async openRoom(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): Promise<Ack<RoomSeatsPush>> {
    return this.answer('进入考场', async () => {
      const chief = this.requireChief(socket);
      const { roomCode } = parseInput(ChiefOpenRoom, body, '进入考场');
      const known: unknown[] = await this.ctx.db.dataSource.query('SELECT 1 FROM room WHERE room_code = $1', [roomCode]);
      if (known.length === 0) throw new DomainError('NOT_FOUND', `本考点没有考场 ${roomCode}`, `no room ${roomCode} at this venue`, 'roomCode');
      if (chief.roomCode) await socket.leave(proctorChannel(chief.roomCode));
      await socket.join(proctorChannel(roomCode));
      socket.data = { ...dataOf(socket), roomCode } satisfies ConsoleSocketData;
      return this.snapshot(roomCode);
    });
  }

  @SubscribeMessage(ChiefEvent.leaveRoom)
  async leaveRoom(@ConnectedSocket() socket: Socket): Promise<Ack<ChiefOverview>> {
    return this.answer('返回考点总览', async () => {
      const chief = this.requireChief(socket);
      if (chief.roomCode) await socket.leave(proctorChannel(chief.roomCode));
      socket.data = { role: 'chief', actor: chief.actor } satisfies ConsoleSocketData;
      return this.venueOverview.overview();
    });
  }

  @SubscribeMessage(ChiefEvent.decideExtension)
  async decideExtension(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): Promise<Ack<ExtensionRequest>> {
    return this.answer('补时审批', async () => {
      const chief = this.requireChief(socket);
      const d = parseInput(DecideExtension, body, '补时审批');
      return this.extensions.decide(chief.actor, d);
    });
  }

  /** A proctor action: only after joining, only on the proctor's own room, input parsed with contracts. */
  private async act<I, O>(socket: Socket, schema: ZodType<I>, body: unknown, where: string, fn: (scope: RoomScope, input: I) => Promise<O>): Promise<Ack<O>> {
    return this.answer(where, async () => {
      const { roomCode, actor } = dataOf(socket);
      if (!roomCode) throw new DomainError('UNAUTHORIZED', '请先以监考员身份登录考场', 'join a room as its proctor first');
      return fn({ actor: actor ?? `proctor:${roomCode}`, roomCode }, parseInput(schema, body, where));
    });
  }


  @SubscribeMessage(ProctorEvent.moveSeat)
  moveSeat(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): Promise<Ack<MoveSeatAck>> {
    return this.act(socket, MoveSeat, body, '换机', (scope, move) => this.rooms.moveSeat(scope, move));
  }

  @SubscribeMessage(ProctorEvent.extend)
  extend(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): Promise<Ack<ExtendAck>> {
    return this.act(socket, ExtendTime, body, '补时', (scope, x) => this.extensions.extend(scope, x));
  }

  @SubscribeMessage(ProctorEvent.pause)
  pause(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): Promise<Ack<PauseResumeAck>> {
    return this.act(socket, PauseResume, body, '暂停考试', async (scope, p) => ({ attempts: await this.rooms.pause(scope, p.attemptId, p.reason) }));
  }

  @SubscribeMessage(ProctorEvent.resume)
  resume(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): Promise<Ack<PauseResumeAck>> {
    return this.act(socket, PauseResume, body, '恢复考试', async (scope, p) => ({ attempts: await this.rooms.resume(scope, p.attemptId, p.reason) }));
  }

  @SubscribeMessage(ProctorEvent.procedure)
  procedure(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): Promise<Ack<RoomProcedure>> {
    return this.act(socket, NoInput, body ?? {}, '考试操作规程', (scope) => this.procedureSteps.view(scope));
  }

  @SubscribeMessage(ProctorEvent.recordStep)
  recordStep(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): Promise<Ack<RoomProcedure>> {
    return this.act(socket, RecordProcedureStep, body, '记录操作步骤', (scope, r) => this.procedureSteps.record(scope, r));
  }

  @SubscribeMessage(ProctorEvent.candidate)
  candidate(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): Promise<Ack<CandidateCard>> {
    return this.act(socket, CandidateCardRequest, body, '考生信息', (scope, c) => this.proctoring.candidateCard(scope, c.ticketNo));
  }

  @SubscribeMessage(ProctorEvent.identityCheck)
  identityCheck(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown) {
    return this.act(socket, RecordIdentityCheck, body, '身份核验', (scope, c) => this.proctoring.identityCheck(scope, c));
  }

  @SubscribeMessage(ProctorEvent.violation)
  violation(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): Promise<Ack<Incident>> {
    return this.act(socket, RecordViolation, body, '违纪记录', (scope, v) => this.proctoring.recordViolation(scope, v));
  }

  @SubscribeMessage(ProctorEvent.markAbsent)
  markAbsent(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown) {
    return this.act(socket, MarkAbsent, body, '缺考', (scope, m) => this.proctoring.markAbsent(scope, m));
  }

  @SubscribeMessage(ProctorEvent.forceHandIn)
  forceHandIn(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): Promise<Ack<Incident>> {
    return this.act(socket, ForceHandIn, body, '强制交卷', (scope, f) => this.proctoring.forceHandIn(scope, f));
  }

  @SubscribeMessage(ProctorEvent.broadcast)
  broadcast(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): Promise<Ack<BroadcastAck>> {
    return this.act(socket, BroadcastMessage, body, '广播', (scope, b) => this.proctoring.broadcast(scope, b));
  }

  @SubscribeMessage(ProctorEvent.verification)
  verification(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): Promise<Ack<RoomVerification>> {
    return this.act(socket, NoInput, body ?? {}, '核查', (scope) => this.proctoring.verification(scope));
  }

  @SubscribeMessage(ProctorEvent.resetLoginLock)
  resetLoginLock(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): Promise<Ack<{ ticketNo: string; lifted: boolean }>> {
    return this.act(socket, ResetLoginLock, body, '解除登录锁定', (scope, r) => this.rooms.resetLoginLock(scope, r.ticketNo, r.reason));
  }

  @SubscribeMessage(ProctorEvent.acknowledgeAnomaly)
  acknowledgeAnomaly(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): Promise<Ack<RoomVerification>> {
    return this.act(socket, AcknowledgeAnomaly, body, '确认异常情况', (scope, a) => this.proctoring.acknowledgeAnomaly(scope, a));
  }

  @SubscribeMessage(ProctorEvent.confirmRoom)
  confirmRoom(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): Promise<Ack<RoomVerification>> {
    return this.act(socket, NoInput, body ?? {}, '核查无误', (scope) => this.proctoring.confirmRoom(scope));
  }

  async snapshot(roomCode: string): Promise<RoomSeatsPush> {
    const ds = this.ctx.db.dataSource;
    const now = this.ctx.clock.now();
    const session = this.sessions.current(now);
    const room: { name: string; seats: { seatNo: number; row: number; col: number }[] }[] = await ds.query('SELECT name, seats FROM room WHERE room_code = $1', [roomCode]);
    // identity and incidents ride along in the same query: the seat map is rebuilt on every change
    const people: {
      seat_no: number;
      roster_seat: number;
      name: string;
      ticket_no: string;
      attempt_id: string | null;
      status: AttemptStatus | null;
      credited_minutes: number | null;
      paused_at: Date | null;
      focus_losses: number | null;
      identity: 'verified' | 'mismatch' | null;
      incidents: string;
    }[] = await ds.query(
      `SELECT COALESCE(a.seat_no, c.seat_no) AS seat_no, c.seat_no AS roster_seat, c.name, c.ticket_no, a.attempt_id, a.status, a.credited_minutes, a.paused_at, a.focus_losses,
       (SELECT ic.result FROM identity_check ic WHERE ic.session_id = $2 AND ic.candidate_id = c.candidate_id ORDER BY ic.check_id DESC LIMIT 1) AS identity,
       (SELECT count(*) FROM incident i WHERE i.session_id = $2 AND i.candidate_id = c.candidate_id) AS incidents
       FROM candidate c
       LEFT JOIN attempt a ON a.candidate_id = c.candidate_id AND a.session_id = $2 WHERE c.room_code = $1 AND c.session_id = $2`,
      [roomCode, session?.schedule.sessionId ?? ''],
    );
    const counts: { attempt_id: string; answered: string; last_save: Date | null }[] = await ds.query(
      `SELECT ca.attempt_id, count(*) AS answered, max(e.received_at) AS last_save FROM current_answer ca
       JOIN attempt a ON a.attempt_id = ca.attempt_id JOIN candidate c ON c.candidate_id = a.candidate_id
       LEFT JOIN answer_event e ON e.attempt_id = ca.attempt_id AND e.seq = ca.seq
       WHERE c.room_code = $1 AND a.session_id = $2 AND (ca.value->'selected' IS NULL OR jsonb_array_length(ca.value->'selected') > 0)
       GROUP BY ca.attempt_id`,
      [roomCode, session?.schedule.sessionId ?? ''],
    );
    const byAttempt = new Map(counts.map((c) => [c.attempt_id, c]));
    const bySeat = new Map(people.map((p) => [Number(p.seat_no), p]));
    const online = this.rooms.onlineSeats(roomCode);
    const total = session ? (this.packages.paperFor(session.schedule.sessionId)?.paper.items.length ?? 0) : 0;
    const absentAfterCutoff = session ? now >= session.timeline.lateLoginCutoffAt : false;
    const seats: SeatStatus[] = (room[0]?.seats ?? []).map((s) => {
      const p = bySeat.get(s.seatNo);
      const c = p?.attempt_id ? byAttempt.get(p.attempt_id) : undefined;
      const status: AttemptStatus = p?.status ?? (p && absentAfterCutoff ? 'absent' : 'not_logged_in');
      return {
      seatNo: s.seatNo,
      row: s.row,
      col: s.col,
      machineOnline: online.has(s.seatNo),
      candidate: p ? { name: p.name, ticketNo: p.ticket_no } : null,
      status,
      answered: c ? Number(c.answered) : 0,
      total,
      lastSaveAt: c?.last_save ? new Date(c.last_save).toISOString() : null,
      creditedMinutes: Number(p?.credited_minutes ?? 0),
      paused: !!p?.paused_at,
      attemptId: p?.attempt_id ?? null,
      movedFromSeatNo: p && Number(p.roster_seat) !== Number(p.seat_no) ? Number(p.roster_seat) : null,
      focusLosses: Number(p?.focus_losses ?? 0),
      identity: p?.identity ?? 'unchecked',
      incidents: Number(p?.incidents ?? 0),
      };
    });
    return {
      roomCode,
      roomName: room[0]?.name ?? roomCode,
      sessionId: session?.schedule.sessionId ?? '',
      phase: session ? session.timeline.phaseAt(now) : 'scheduled',
      serverTime: now.toISOString(),
      seats,
      extensionRequests: session ? await this.extensions.list(session.schedule.sessionId, roomCode) : [],
      loginLocks: this.rooms.loginLocksIn(roomCode).map((l) => {
        const p = people.find((x) => x.ticket_no === l.ticketNo);
        return { ticketNo: l.ticketNo, candidateName: p?.name ?? null, seatNo: p ? Number(p.roster_seat) : null, lockedUntil: l.lockedUntil.toISOString() };
      }),
    };
  }
}
