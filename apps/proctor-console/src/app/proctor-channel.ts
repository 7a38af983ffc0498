import {
  AcknowledgeAnomaly,
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
  PauseResume,
  PauseResumeAck,
  ProctorEvent,
  ProctorJoin,
  RecordIdentityCheck,
  RecordProcedureStep,
  ResetLoginLock,
  RecordViolation,
  RoomProcedure,
  RoomSeatsPush,
  RoomVerification,
  ChiefOverview,
  type Ack,
} from '@kaowu/contracts';
import { z } from 'zod';
import { ChannelUnavailableError, onConnectionChange, onParsedPush, requestAck, type ClientSocket } from '@kaowu/ui';

const IdentityCheckAck = z.object({ ticketNo: z.string(), result: z.enum(['verified', 'mismatch']), incident: Incident.nullable() });
export type IdentityCheckAck = z.infer<typeof IdentityCheckAck>;
const MarkAbsentAck = z.object({ ticketNo: z.string(), markedAt: z.string() });
export type MarkAbsentAck = z.infer<typeof MarkAbsentAck>;

/**
 * Namespace `/proctor`: join a room, receive its seat map, act on its candidates. Every outbound
 * payload is parsed with its contract before it leaves, every inbound one on arrival.
 */
export class ProctorChannel {
  constructor(
    private readonly socket: ClientSocket,
    private readonly timeoutMs = 10_000,
  ) {}

  connect(): void {
    this.socket.connect();
  }

  close(): void {
    this.socket.disconnect();
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  onConnectionChange(listener: (connected: boolean) => void): () => void {
    return onConnectionChange(this.socket, listener);
  }

  onSeats(listener: (push: RoomSeatsPush) => void): () => void {
    return onParsedPush(this.socket, ProctorEvent.seats, RoomSeatsPush, listener);
  }

  /** Resolves with the server's answer; null when it could not be reached. */
  join(join: ProctorJoin): Promise<Ack<RoomSeatsPush> | null> {
    return this.request(ProctorEvent.join, ProctorJoin.parse(join), RoomSeatsPush);
  }

  /** 换机 */
  moveSeat(move: MoveSeat): Promise<Ack<MoveSeatAck> | null> {
    return this.request(ProctorEvent.moveSeat, MoveSeat.parse(move), MoveSeatAck);
  }

  /** 补时: applied at once up to the threshold, else a request for the 主考. */
  extend(extend: ExtendTime): Promise<Ack<ExtendAck> | null> {
    return this.request(ProctorEvent.extend, ExtendTime.parse(extend), ExtendAck);
  }

  /** 主考: the venue overview, pushed again after every change. */
  onOverview(listener: (overview: ChiefOverview) => void): () => void {
    return onParsedPush(this.socket, ChiefEvent.overview, ChiefOverview, listener);
  }

  chiefJoin(join: ChiefJoin): Promise<Ack<ChiefOverview> | null> {
    return this.request(ChiefEvent.join, ChiefJoin.parse(join), ChiefOverview);
  }

  openRoom(open: ChiefOpenRoom): Promise<Ack<RoomSeatsPush> | null> {
    return this.request(ChiefEvent.openRoom, ChiefOpenRoom.parse(open), RoomSeatsPush);
  }

  leaveRoom(): Promise<Ack<ChiefOverview> | null> {
    return this.request(ChiefEvent.leaveRoom, {}, ChiefOverview);
  }

  /** 补时审批 */
  decideExtension(d: DecideExtension): Promise<Ack<ExtensionRequest> | null> {
    return this.request(ChiefEvent.decideExtension, DecideExtension.parse(d), ExtensionRequest);
  }

  /** 暂停: one candidate, or the whole room without `attemptId`. */
  pause(pause: PauseResume): Promise<Ack<PauseResumeAck> | null> {
    return this.request(ProctorEvent.pause, PauseResume.parse(pause), PauseResumeAck);
  }

  /** 恢复: one candidate, or the whole room without `attemptId`. */
  resume(resume: PauseResume): Promise<Ack<PauseResumeAck> | null> {
    return this.request(ProctorEvent.resume, PauseResume.parse(resume), PauseResumeAck);
  }

  /** 考试操作规程 */
  procedure(): Promise<Ack<RoomProcedure> | null> {
    return this.request(ProctorEvent.procedure, {}, RoomProcedure);
  }

  recordStep(r: RecordProcedureStep): Promise<Ack<RoomProcedure> | null> {
    return this.request(ProctorEvent.recordStep, RecordProcedureStep.parse(r), RoomProcedure);
  }

  /** 考生信息 with the registration photo. */
  candidateCard(req: CandidateCardRequest): Promise<Ack<CandidateCard> | null> {
    return this.request(ProctorEvent.candidate, CandidateCardRequest.parse(req), CandidateCard);
  }

  /** 身份核验 / 签到 */
  identityCheck(check: RecordIdentityCheck): Promise<Ack<IdentityCheckAck> | null> {
    return this.request(ProctorEvent.identityCheck, RecordIdentityCheck.parse(check), IdentityCheckAck);
  }

  /** 违纪 */
  violation(v: RecordViolation): Promise<Ack<Incident> | null> {
    return this.request(ProctorEvent.violation, RecordViolation.parse(v), Incident);
  }

  /** 缺考 */
  markAbsent(m: MarkAbsent): Promise<Ack<MarkAbsentAck> | null> {
    return this.request(ProctorEvent.markAbsent, MarkAbsent.parse(m), MarkAbsentAck);
  }

  /** 强制交卷 */
  forceHandIn(f: ForceHandIn): Promise<Ack<Incident> | null> {
    return this.request(ProctorEvent.forceHandIn, ForceHandIn.parse(f), Incident);
  }

  /** 广播 */
  resetLoginLock(r: ResetLoginLock): Promise<Ack<{ ticketNo: string; lifted: boolean }> | null> {
    return this.request(ProctorEvent.resetLoginLock, ResetLoginLock.parse(r), z.object({ ticketNo: z.string(), lifted: z.boolean() }));
  }

  broadcast(b: BroadcastMessage): Promise<Ack<BroadcastAck> | null> {
    return this.request(ProctorEvent.broadcast, BroadcastMessage.parse(b), BroadcastAck);
  }

  /** 核查考生答题信息 */
  verification(): Promise<Ack<RoomVerification> | null> {
    return this.request(ProctorEvent.verification, {}, RoomVerification);
  }

  acknowledgeAnomaly(a: AcknowledgeAnomaly): Promise<Ack<RoomVerification> | null> {
    return this.request(ProctorEvent.acknowledgeAnomaly, AcknowledgeAnomaly.parse(a), RoomVerification);
  }

  /** 核查无误 */
  confirmRoom(): Promise<Ack<RoomVerification> | null> {
    return this.request(ProctorEvent.confirmRoom, {}, RoomVerification);
  }

  private async request<T extends z.ZodTypeAny>(event: string, body: unknown, ackSchema: T): Promise<Ack<z.infer<T>> | null> {
    try {
      return await requestAck(this.socket, event, body, ackSchema, this.timeoutMs);
    } catch (error) {
      if (error instanceof ChannelUnavailableError) return null;
      throw error;
    }
  }
}
