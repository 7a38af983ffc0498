import { describe, expect, it } from 'vitest';
import { AnswerOutbox } from './answer-outbox';

const choice = (...selected: string[]) => ({ kind: 'choice' as const, selected });

describe('AnswerOutbox', () => {
  it('numbers changes from the login ack lastAckedSeq on', () => {
    const outbox = new AnswerOutbox(7);
    expect(outbox.isSaved).toBe(true);
    expect(outbox.record('Q1', choice('A')).seq).toBe(8);
    expect(outbox.record('Q2', choice('B')).seq).toBe(9);
    expect(outbox.lastSeq).toBe(9);
    expect(outbox.isSaved).toBe(false);
  });

  it('is saved only once the ack covers the latest change', () => {
    const outbox = new AnswerOutbox();
    outbox.record('Q1', choice('A'));
    outbox.record('Q1', choice('B'));
    outbox.record('Q2', choice('C'));
    outbox.acknowledge(2);
    expect(outbox.isSaved).toBe(false);
    expect(outbox.pending.map((e) => e.seq)).toEqual([3]);
    expect([...outbox.unsavedItemIds()]).toEqual(['Q2']);
    outbox.acknowledge(3);
    expect(outbox.isSaved).toBe(true);
    expect(outbox.pending).toEqual([]);
    expect(outbox.unsavedItemIds().size).toBe(0);
  });

  it('ignores an older ack that arrives after a newer one', () => {
    const outbox = new AnswerOutbox();
    for (const key of ['A', 'B', 'C']) outbox.record('Q1', choice(key));
    expect(outbox.acknowledge(3)).toBe(true);
    expect(outbox.acknowledge(1)).toBe(false);
    expect(outbox.ackedSeq).toBe(3);
    expect(outbox.isSaved).toBe(true);
    outbox.record('Q1', choice('D'));
    expect(outbox.acknowledge(2)).toBe(false);
    expect(outbox.pending.map((e) => e.seq)).toEqual([4]);
  });

  it('sends each event once per link and resends every unacked event in order after reconnect', () => {
    const outbox = new AnswerOutbox(10);
    outbox.record('Q1', choice('A'));
    outbox.record('Q2', choice('B'));
    expect(outbox.takeUnsent().map((e) => e.seq)).toEqual([11, 12]);
    expect(outbox.takeUnsent()).toEqual([]);
    outbox.record('Q3', choice('C'));
    expect(outbox.takeUnsent().map((e) => e.seq)).toEqual([13]);
    outbox.acknowledge(11);
    // link drops: 12 and 13 were sent but never acknowledged
    outbox.markAllUnsent();
    outbox.record('Q1', choice());
    const resend = outbox.takeUnsent();
    expect(resend.map((e) => e.seq)).toEqual([12, 13, 14]);
    expect(resend[2]).toEqual({ seq: 14, itemId: 'Q1', value: choice() });
    outbox.acknowledge(14);
    expect(outbox.isSaved).toBe(true);
    outbox.markAllUnsent();
    expect(outbox.takeUnsent()).toEqual([]);
  });

  it('keeps counting above a server ack that is ahead of it (continued on another machine)', () => {
    const outbox = new AnswerOutbox(2);
    outbox.acknowledge(5);
    expect(outbox.record('Q1', choice('A')).seq).toBe(6);
  });

  it('restores the local queue after a reload: drops what the venue holds, keeps the run after it, numbers on after a gap', () => {
    const stored = [
      { seq: 3, itemId: 'Q1', value: choice('A') },
      { seq: 5, itemId: 'Q2', value: choice('B') },
      { seq: 4, itemId: 'Q1', value: choice('C') },
      { seq: 8, itemId: 'Q3', value: choice('D') },
    ];
    const outbox = AnswerOutbox.restore(3, stored);
    expect(outbox.ackedSeq).toBe(3);
    expect(outbox.pending).toEqual([
      { seq: 4, itemId: 'Q1', value: choice('C') },
      { seq: 5, itemId: 'Q2', value: choice('B') },
      { seq: 6, itemId: 'Q3', value: choice('D') },
    ]);
    expect(outbox.isSaved).toBe(false);
    expect(outbox.record('Q4', choice('A')).seq).toBe(7);
    // the venue already holds everything that was kept
    expect(AnswerOutbox.restore(9, stored).pending).toEqual([]);
  });
});
