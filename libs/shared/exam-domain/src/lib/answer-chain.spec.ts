import { initCrypto } from '@kaowu/crypto';
import { attemptChainHead, finalAnswers, finalAnswersDigest } from './answer-chain';

const choice = (...selected: string[]) => ({ kind: 'choice' as const, selected });
const at = '2026-09-09T02:10:00.000Z';

describe('final answers of an attempt', () => {
  beforeAll(() => initCrypto());

  it('keeps the answer with the highest seq per item, whatever order the events come in', () => {
    const events = [
      { seq: 3, itemId: 'S1', value: choice('C') },
      { seq: 1, itemId: 'S1', value: choice('A') },
      { seq: 2, itemId: 'M1', value: choice('A', 'B') },
    ];
    expect(finalAnswers(events)).toEqual([
      { itemId: 'M1', seq: 2, value: choice('A', 'B') },
      { itemId: 'S1', seq: 3, value: choice('C') },
    ]);
    expect(finalAnswersDigest(finalAnswers(events))).toBe(finalAnswersDigest(finalAnswers([...events].reverse())));
  });

  it('changes the digest when any final answer changes, and the chain head when any event changes', () => {
    const events = [{ seq: 1, itemId: 'S1', value: choice('A'), receivedAt: at }];
    const changed = [{ seq: 1, itemId: 'S1', value: choice('B'), receivedAt: at }];
    expect(finalAnswersDigest(finalAnswers(events))).not.toBe(finalAnswersDigest(finalAnswers(changed)));
    expect(attemptChainHead(events)).not.toBe(attemptChainHead(changed));
  });
});
