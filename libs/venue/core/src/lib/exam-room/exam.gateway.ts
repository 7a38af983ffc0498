import { Inject, Logger, OnModuleInit } from '@nestjs/common';
import { ConnectedSocket, MessageBody, OnGatewayDisconnect, SubscribeMessage, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import { ZodType } from 'zod';
import {
  Ack,
  AttemptEndedPush,
  CandidateLogin,
  EXAM_NAMESPACE,
  ExamEvent,
  FetchPaper,
  FocusLost,
  MachineHello,
  SaveAnswer,
  SubmitAttempt,
  TimeSync,
} from '@kaowu/contracts';
import { parseInput, toErrorBody } from '@kaowu/server-kit';
import { ExamRoomService, MachineConnection } from './exam-room.service';
import { RoomEvents } from './room-events';
import { SessionRegistry } from './session-registry';
import { VENUE_CONTEXT, VenueContext } from '../venue-context';

const roomChannel = (roomCode: string) => `room:${roomCode}`;
const attemptChannel = (attemptId: string) => `attempt:${attemptId}`;

/** Socket.io gateway for exam machines: parse with contracts, call the service, ack. */
@WebSocketGateway({ namespace: EXAM_NAMESPACE, cors: { origin: true }, transports: ['websocket', 'polling'] })
export class ExamGateway implements OnGatewayDisconnect, OnModuleInit {
  @WebSocketServer() private server!: Namespace;
  private readonly log = new Logger('ExamGateway');

  constructor(
    @Inject(ExamRoomService) private readonly rooms: ExamRoomService,
    @Inject(RoomEvents) private readonly events: RoomEvents,
    @Inject(SessionRegistry) private readonly sessions: SessionRegistry,
    @Inject(VENUE_CONTEXT) private readonly ctx: VenueContext,
  ) {}

  onModuleInit(): void {
    this.events.on('sessionPhase', (roomCode, sessionId) => {
      const session = this.sessions.get(sessionId);
      if (!session) return;
      for (const socket of this.socketsIn(roomChannel(roomCode))) {
        const conn = socket.data as MachineConnection;
        const state = conn.attemptId ? this.rooms.attemptState(conn.attemptId) : undefined;
        socket.emit(ExamEvent.sessionState, this.rooms.sessionView(session, state?.creditedMinutes ?? 0, state?.pausedAt ?? null));
      }
    });
    this.events.on('reminder', (push) => {
      this.server?.to(attemptChannel(push.attemptId)).emit(ExamEvent.reminder, push);
    });
    this.events.on('timeChanged', (push) => {
      this.server?.to(attemptChannel(push.attemptId)).emit(ExamEvent.timeChanged, push);
    });
    this.events.on('roomMessage', (push) => {
      this.server?.to(roomChannel(push.roomCode)).emit(ExamEvent.roomMessage, push);
    });
    this.events.on('attemptEnded', (push: AttemptEndedPush) => {
      this.server?.to(attemptChannel(push.attemptId)).emit(ExamEvent.attemptEnded, push);
    });
    this.events.on('leaseMoved', (attemptId, epoch) => {
      // the previous machine of this attempt leaves the channel; its writes carry the old epoch
      for (const socket of this.socketsIn(attemptChannel(attemptId))) {
        const conn = socket.data as MachineConnection;
        const state = this.rooms.attemptState(attemptId);
        if (state && state.connectionId !== conn.connectionId) {
          socket.leave(attemptChannel(attemptId));
          this.log.log(`attempt ${attemptId} moved to lease ${epoch}`);
        }
      }
    });
  }

  private socketsIn(channel: string): Socket[] {
    if (!this.server) return [];
    const ids = this.server.adapter.rooms.get(channel);
    return ids ? [...ids].map((id) => this.server.sockets.get(id)).filter((s): s is Socket => !!s) : [];
  }

  private conn(socket: Socket): MachineConnection {
    if (!socket.data.connectionId) socket.data = { connectionId: socket.id, sourceAddress: socket.handshake.address } satisfies MachineConnection;
    return socket.data as MachineConnection;
  }

  private async handle<I, O>(schema: ZodType<I>, input: unknown, where: string, fn: (value: I) => Promise<O> | O): Promise<Ack<O>> {
    try {
      const value = parseInput(schema, input, where);
      return { ok: true, data: await fn(value) };
    } catch (error) {
      const body = toErrorBody(error);
      if (body.code === 'INTERNAL') this.ctx.logger.error({ err: error, where }, 'exam socket handler failed');
      return { ok: false, error: body };
    }
  }

  handleDisconnect(socket: Socket): void {
    this.rooms.disconnected(this.conn(socket)).catch((error) => this.ctx.logger.error({ err: error }, 'recording a disconnect failed'));
  }

  @SubscribeMessage(ExamEvent.hello)
  hello(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown) {
    return this.handle(MachineHello, body, '考试机登记', async (hello) => {
      const ack = await this.rooms.hello(this.conn(socket), hello);
      socket.join(roomChannel(hello.roomCode));
      return ack;
    });
  }

  @SubscribeMessage(ExamEvent.timeSync)
  timeSync(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown) {
    return this.handle(TimeSync, body, '时间同步', (t) => {
      this.rooms.noteClockSkew(this.conn(socket), t.clientSentAt, t.lastRttMs);
      return { clientSentAt: t.clientSentAt, serverTime: this.ctx.clock.now().getTime() };
    });
  }

  @SubscribeMessage(ExamEvent.login)
  login(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown) {
    return this.handle(CandidateLogin, body, '考生登录', async (login) => {
      const ack = await this.rooms.login(this.conn(socket), login);
      socket.join(attemptChannel(ack.attemptId));
      return ack;
    });
  }

  @SubscribeMessage(ExamEvent.fetchPaper)
  fetchPaper(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown) {
    return this.handle(FetchPaper, body, '试卷请求', (ref) => this.rooms.fetchPaper(this.conn(socket), ref));
  }

  @SubscribeMessage(ExamEvent.saveAnswer)
  save(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown) {
    return this.handle(SaveAnswer, body, '作答保存', (save) => this.rooms.saveAnswer(this.conn(socket), save));
  }

  @SubscribeMessage(ExamEvent.focusLost)
  focusLost(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown) {
    return this.handle(FocusLost, body, '离开考试界面', (report) => this.rooms.focusLost(this.conn(socket), report));
  }

  @SubscribeMessage(ExamEvent.submit)
  submit(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown) {
    return this.handle(SubmitAttempt, body, '交卷', (ref) => this.rooms.submit(this.conn(socket), ref));
  }
}
