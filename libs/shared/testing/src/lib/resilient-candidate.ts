import { io, Socket } from 'socket.io-client';
import { Ack, AnswerValue, CandidateLoginAck, EXAM_NAMESPACE, EXAM_PROTOCOL, ExamEvent, FetchPaperAck, Item, SaveAnswerAck } from '@kaowu/contracts';
import type { SeatAssignment } from './simulated-candidate';

interface Pending {
  seq: number;
  itemId: string;
  value: AnswerValue;
}

/**
 * An exam machine that behaves as the real client must when the venue server dies: unacked
 * events wait in an outbox; on every reconnect it says hello, logs in again (a new lease),
 * drops what the server says is durable and resends the rest in order. `acked` is exactly the
 * set of seqs the server acknowledged — what a fault test holds the venue to.
 */
export class ResilientCandidate {
  readonly socket: Socket;
  readonly acked = new Set<number>();
  items: Item[] = [];
  attemptId?: string;
  private leaseEpoch = 0;
  private nextSeq = 1;
  private outbox: Pending[] = [];
  private readyResolve?: () => void;
  private readyPromise: Promise<void>;
  /** Real time of the last (re)login, for recovery measurements. */
  lastLoginAt = 0;
  isReady = false;

  constructor(
    venueUrl: string,
    readonly seat: SeatAssignment,
    private readonly attestation: string,
  ) {
    this.readyPromise = new Promise((r) => (this.readyResolve = r));
    this.socket = io(venueUrl + EXAM_NAMESPACE, { transports: ['websocket'], reconnectionDelay: 200, reconnectionDelayMax: 1000, timeout: 5000 });
    this.socket.on('connect', () => void this.onConnect());
    this.socket.on('disconnect', () => {
      this.isReady = false;
      this.readyPromise = new Promise((r) => (this.readyResolve = r));
    });
  }

  private async call<T>(event: string, body: unknown, timeoutMs = 5000): Promise<T> {
    const ack = (await this.socket.timeout(timeoutMs).emitWithAck(event, body)) as Ack<T>;
    if (!ack.ok) throw new Error(`${ack.error.code}: ${ack.error.message}`);
    return ack.data;
  }

  private async onConnect(): Promise<void> {
    try {
      await this.call(ExamEvent.hello, {
        protocol: EXAM_PROTOCOL,
        machineId: `M-${this.seat.roomCode}-${String(this.seat.seatNo).padStart(3, '0')}`,
        roomCode: this.seat.roomCode,
        seatNo: this.seat.seatNo,
        attestation: this.attestation,
      });
      const login = await this.call<CandidateLoginAck>(ExamEvent.login, { ticketNo: this.seat.ticketNo, idNo: this.seat.idNo });
      this.attemptId = login.attemptId;
      this.leaseEpoch = login.leaseEpoch;
      this.markAcked(login.lastAckedSeq);
      this.nextSeq = Math.max(this.nextSeq, login.lastAckedSeq + 1);
      if (this.items.length === 0) this.items = (await this.call<FetchPaperAck>(ExamEvent.fetchPaper, { attemptId: login.attemptId, leaseEpoch: login.leaseEpoch })).paper.items;
      this.lastLoginAt = Date.now();
      this.isReady = true;
      this.readyResolve?.();
    } catch {
      // the server may be half up: drop the connection and let socket.io try again
      this.socket.disconnect();
      setTimeout(() => this.socket.connect(), 300);
    }
  }

  private markAcked(upTo: number): void {
    for (const p of this.outbox) if (p.seq <= upTo) this.acked.add(p.seq);
    this.outbox = this.outbox.filter((p) => p.seq > upTo);
  }

  /** Queue one change and keep sending until the venue acknowledges it. */
  async save(itemId: string, value: AnswerValue, giveUpAt = Date.now() + 60_000): Promise<void> {
    const seq = this.nextSeq++;
    this.outbox.push({ seq, itemId, value });
    while (this.outbox.some((p) => p.seq === seq) && Date.now() < giveUpAt) {
      await Promise.race([this.readyPromise, new Promise((r) => setTimeout(r, 1000))]);
      if (!this.isReady) continue;
      try {
        for (const p of [...this.outbox]) {
          const ack = await this.call<SaveAnswerAck>(ExamEvent.saveAnswer, { attemptId: this.attemptId, leaseEpoch: this.leaseEpoch, seq: p.seq, itemId: p.itemId, value: p.value }, 3000);
          this.markAcked(ack.ackedSeq);
        }
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  get unacked(): number {
    return this.outbox.length;
  }

  close(): void {
    this.socket.close();
  }
}
