import { AckError, ProctorEvent, ProctorJoin, RoomSeatsPush, ackOk, validationError, type Ack } from '@kaowu/contracts';
import { z } from 'zod';

/** The part of a socket.io client socket the console uses (a fake in tests). */
export interface ProctorSocket {
  readonly connected: boolean;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  off(event: string, listener: (...args: unknown[]) => void): unknown;
  timeout(ms: number): { emitWithAck(event: string, payload: unknown): Promise<unknown> };
  connect(): unknown;
  disconnect(): unknown;
}

const JoinReply = z.union([ackOk(RoomSeatsPush), AckError]);

/** Namespace `/proctor`: join a room, then receive its seat map. Every inbound message is parsed. */
export class ProctorChannel {
  constructor(
    private readonly socket: ProctorSocket,
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
    const up = () => listener(true);
    const down = () => listener(false);
    this.socket.on('connect', up);
    this.socket.on('disconnect', down);
    return () => {
      this.socket.off('connect', up);
      this.socket.off('disconnect', down);
    };
  }

  onSeats(listener: (push: RoomSeatsPush) => void): () => void {
    const handler = (raw: unknown) => {
      const parsed = RoomSeatsPush.safeParse(raw);
      if (parsed.success) listener(parsed.data);
      else console.warn('[proctor] dropped malformed room:seats push', parsed.error.issues);
    };
    this.socket.on(ProctorEvent.seats, handler);
    return () => this.socket.off(ProctorEvent.seats, handler);
  }

  /** Resolves with the server's answer; null when it could not be reached. */
  async join(join: ProctorJoin): Promise<Ack<RoomSeatsPush> | null> {
    const body = ProctorJoin.parse(join);
    if (!this.socket.connected) return null;
    let raw: unknown;
    try {
      raw = await this.socket.timeout(this.timeoutMs).emitWithAck(ProctorEvent.join, body);
    } catch {
      return null;
    }
    const parsed = JoinReply.safeParse(raw);
    return parsed.success ? (parsed.data as Ack<RoomSeatsPush>) : { ok: false, error: validationError(parsed.error, '考场数据') };
  }
}
