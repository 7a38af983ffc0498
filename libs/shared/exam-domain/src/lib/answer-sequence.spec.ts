import { classifySeq, contiguousHigh } from './answer-sequence';

describe('answer sequence rules', () => {
  it('classifies retries and conflicts', () => {
    expect(classifySeq(undefined, 'a')).toBe('new');
    expect(classifySeq('a', 'a')).toBe('duplicate');
    expect(classifySeq('a', 'b')).toBe('conflict');
  });
  it('acks only the contiguous prefix', () => {
    expect(contiguousHigh(0, new Set([1, 2, 4]))).toBe(2);
    expect(contiguousHigh(2, new Set([4, 3, 5]))).toBe(5);
    expect(contiguousHigh(0, new Set([2]))).toBe(0);
  });
});
