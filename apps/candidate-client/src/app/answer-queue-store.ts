import type { AnswerEvent } from './answer-outbox';

/**
 * Where an exam machine keeps the answer events the venue has not acknowledged yet, per attempt,
 * so they survive a reload or a kiosk restart and are resent once the candidate is back in. The
 * browser uses the encrypted IndexedDB queue (sealed-answer-queue.ts); tests use the memory one.
 */
export interface AnswerQueueStore {
  /** Every stored event of the attempt, in seq order. */
  load(attemptId: string): Promise<AnswerEvent[]>;
  append(attemptId: string, event: AnswerEvent): Promise<void>;
  /** The venue acknowledged everything up to `seq`: those events need not be kept. */
  dropThrough(attemptId: string, seq: number): Promise<void>;
}

export class MemoryAnswerQueueStore implements AnswerQueueStore {
  readonly attempts = new Map<string, AnswerEvent[]>();

  async load(attemptId: string): Promise<AnswerEvent[]> {
    return [...(this.attempts.get(attemptId) ?? [])].sort((a, b) => a.seq - b.seq);
  }

  async append(attemptId: string, event: AnswerEvent): Promise<void> {
    const events = (this.attempts.get(attemptId) ?? []).filter((e) => e.seq !== event.seq);
    this.attempts.set(attemptId, [...events, structuredClone(event)]);
  }

  async dropThrough(attemptId: string, seq: number): Promise<void> {
    const events = this.attempts.get(attemptId);
    if (events) this.attempts.set(attemptId, events.filter((e) => e.seq > seq));
  }
}
