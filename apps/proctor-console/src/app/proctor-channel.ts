import { ProctorEvent, ProctorJoin, RoomSeatsPush, type Ack } from '@kaowu/contracts';
import { ChannelUnavailableError, onConnectionChange, onParsedPush, requestAck, type ClientSocket } from '@kaowu/ui';

/** Namespace `/proctor`: join a room, then receive its seat map. Every inbound message is parsed. */
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
  async join(join: ProctorJoin): Promise<Ack<RoomSeatsPush> | null> {
    try {
      return await requestAck(this.socket, ProctorEvent.join, ProctorJoin.parse(join), RoomSeatsPush, this.timeoutMs);
    } catch (error) {
      if (error instanceof ChannelUnavailableError) return null;
      throw error;
    }
  }
}
