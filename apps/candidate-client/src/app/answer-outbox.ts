import type { AnswerValue } from '@kaowu/contracts';

/** One answer change, numbered per attempt (1, 2, 3 …); the server stores each seq once. */
export interface AnswerEvent {
  seq: number;
  itemId: string;
  value: AnswerValue;
}

/**
 * The client's side of answer sync: numbers every change, keeps it until the server's
 * acknowledged seq (highest contiguous durable seq) covers it, and tells which events still
 * have to go out on the current connection. Pure and clock-free; the session drives it.
 */
export class AnswerOutbox {
  private acked: number;
  private last: number;
  private queue: AnswerEvent[] = [];
  /** Seqs already sent on the current link; cleared when the link drops or the server reports a gap. */
  private sent = new Set<number>();

  constructor(lastAckedSeq = 0) {
    this.acked = lastAckedSeq;
    this.last = lastAckedSeq;
  }

  /**
   * After a reload or a kiosk restart: the venue's acknowledged seq (login ack) and the events kept in
   * the local queue. Events the venue holds are dropped; the unbroken run after it keeps its seqs (the
   * venue may hold some of them and de-duplicates); anything after a gap is numbered on as new changes.
   */
  static restore(lastAckedSeq: number, stored: readonly AnswerEvent[]): AnswerOutbox {
    const outbox = new AnswerOutbox(lastAckedSeq);
    for (const event of [...stored].sort((a, b) => a.seq - b.seq)) {
      if (event.seq <= lastAckedSeq || outbox.queue.some((e) => e.seq === event.seq)) continue;
      if (event.seq === outbox.last + 1) {
        outbox.queue.push(event);
        outbox.last = event.seq;
      } else outbox.record(event.itemId, event.value);
    }
    return outbox;
  }

  get ackedSeq(): number {
    return this.acked;
  }

  /** Seq of the latest change, acked or not. */
  get lastSeq(): number {
    return this.last;
  }

  get pending(): readonly AnswerEvent[] {
    return this.queue;
  }

  /** "已保存": the server holds every change made so far. */
  get isSaved(): boolean {
    return this.acked >= this.last;
  }

  record(itemId: string, value: AnswerValue): AnswerEvent {
    const event: AnswerEvent = { seq: ++this.last, itemId, value };
    this.queue.push(event);
    return event;
  }

  /**
   * Apply an acknowledgement. Acks may arrive out of order; an older one never lowers the
   * mark. Returns whether anything changed.
   */
  acknowledge(ackedSeq: number): boolean {
    if (ackedSeq <= this.acked) return false;
    this.acked = ackedSeq;
    // The server cannot hold more than was numbered here unless another machine wrote on.
    if (ackedSeq > this.last) this.last = ackedSeq;
    this.queue = this.queue.filter((e) => e.seq > ackedSeq);
    for (const seq of this.sent) if (seq <= ackedSeq) this.sent.delete(seq);
    return true;
  }

  /** Events not yet sent on this link, in seq order; they count as sent from now on. */
  takeUnsent(): AnswerEvent[] {
    const out = this.queue.filter((e) => !this.sent.has(e.seq));
    for (const e of out) this.sent.add(e.seq);
    return out;
  }

  /** After a disconnect, a lost ack or a gap: everything unacked goes out again, in order. */
  markAllUnsent(): void {
    this.sent.clear();
  }

  /** Item ids whose latest change the server has not acknowledged yet. */
  unsavedItemIds(): Set<string> {
    return new Set(this.queue.map((e) => e.itemId));
  }
}
