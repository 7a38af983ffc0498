import { Inject, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import type { ZodType } from 'zod';
import {
  Ack,
  AcknowledgeAnomaly,
  AttemptStatus,
  AttemptTimePush,
  BroadcastAck,
  BroadcastMessage,
  CandidateCard,
  CandidateCardRequest,
  ExtendTime,
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
  RoomSeatsPush,
  RoomVerification,
  SeatStatus,
} from '@kaowu/contracts';
import { z } from 'zod';
import { DomainError, parseInput, toErrorBody } from '@kaowu/server-kit';
import { VENUE_CONTEXT, VenueContext } from '../venue-context';
import { VenuePackageService } from '../package/venue-package.service';
import { ProctoringService, RoomScope } from '../proctoring/proctoring.service';
import { RoomProcedureService } from '../proctoring/room-procedure.service';
import { ExamRoomService } from './exam-room.service';
import { RoomEvents } from './room-events';
import { SessionRegistry } from './session-registry';

const PUSH_EVERY_MS = 300;
const NoInput = z.object({}).strict();
const proctorChannel = (roomCode: string) => `proctor:${roomCode}`;

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

  @SubscribeMessage(ProctorEvent.join)
  async join(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): Promise<Ack<RoomSeatsPush>> {
    try {
      const join = parseInput(ProctorJoin, body, '监考登录');
      await this.proctoring.authenticate(join.roomCode, join.accessCode);
      await socket.join(proctorChannel(join.roomCode));
      socket.data = { roomCode: join.roomCode };
      return { ok: true, data: await this.snapshot(join.roomCode) };
    } catch (error) {
      return { ok: false, error: toErrorBody(error) };
    }
  }

  /** A proctor action: only after joining, only on the proctor's own room, input parsed with contracts. */
  private async act<I, O>(socket: Socket, schema: ZodType<I>, body: unknown, where: string, fn: (scope: RoomScope, input: I) => Promise<O>): Promise<Ack<O>> {
    try {
      const roomCode = (socket.data as { roomCode?: string } | undefined)?.roomCode;
      if (!roomCode) throw new DomainError('UNAUTHORIZED', '请先以监考员身份登录考场', 'join a room as its proctor first');
      const input = parseInput(schema, body, where);
      return { ok: true, data: await fn({ actor: `proctor:${roomCode}`, roomCode }, input) };
    } catch (error) {
      const body = toErrorBody(error);
      if (body.code === 'INTERNAL') this.ctx.logger.error({ err: error, where }, 'proctor action failed');
      return { ok: false, error: body };
    }
  }

  @SubscribeMessage(ProctorEvent.moveSeat)
  moveSeat(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): Promise<Ack<MoveSeatAck>> {
    return this.act(socket, MoveSeat, body, '换机', (scope, move) => this.rooms.moveSeat(scope, move));
  }

  @SubscribeMessage(ProctorEvent.extend)
  extend(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): Promise<Ack<AttemptTimePush>> {
    return this.act(socket, ExtendTime, body, '补时', (scope, x) => this.rooms.extend(scope, x));
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
       LEFT JOIN attempt a ON a.candidate_id = c.candidate_id AND a.session_id = $2 WHERE c.room_code = $1`,
      [roomCode, session?.schedule.sessionId ?? ''],
    );
    const counts: { attempt_id: string; answered: string; last_save: Date | null }[] = await ds.query(
      `SELECT ca.attempt_id, count(*) AS answered, max(e.received_at) AS last_save FROM current_answer ca
       JOIN attempt a ON a.attempt_id = ca.attempt_id JOIN candidate c ON c.candidate_id = a.candidate_id
       LEFT JOIN answer_event e ON e.attempt_id = ca.attempt_id AND e.seq = ca.seq
       WHERE c.room_code = $1 AND (ca.value->'selected' IS NULL OR jsonb_array_length(ca.value->'selected') > 0)
       GROUP BY ca.attempt_id`,
      [roomCode],
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
    };
  }
}
