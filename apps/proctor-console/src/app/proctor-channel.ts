import { AttemptTimePush, ExtendTime, MoveSeat, MoveSeatAck, PauseResume, PauseResumeAck, ProctorEvent, ProctorJoin, RoomSeatsPush, type Ack } from '@kaowu/contracts';
import { ChannelUnavailableError, onConnectionChange, onParsedPush, requestAck, type ClientSocket } from '@kaowu/ui';
import type { z } from 'zod';

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

  /** 补时 */
  extend(extend: ExtendTime): Promise<Ack<AttemptTimePush> | null> {
    return this.request(ProctorEvent.extend, ExtendTime.parse(extend), AttemptTimePush);
  }

  /** 暂停: one candidate, or the whole room without `attemptId`. */
  pause(pause: PauseResume): Promise<Ack<PauseResumeAck> | null> {
    return this.request(ProctorEvent.pause, PauseResume.parse(pause), PauseResumeAck);
  }

  /** 恢复: one candidate, or the whole room without `attemptId`. */
  resume(resume: PauseResume): Promise<Ack<PauseResumeAck> | null> {
    return this.request(ProctorEvent.resume, PauseResume.parse(resume), PauseResumeAck);
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
