import { CHAIN_GENESIS, chainHead, chainNext, verifyChain } from './chain';
import { canonicalJson, sha256Hex } from './encoding';
import { initCrypto } from './sodium';

const code = (c: string) => expect.objectContaining({ code: c });

describe('hash chains', () => {
  const entries = [
    { seq: 0, itemId: 'q1', answer: 'A' },
    { seq: 1, itemId: 'q2', answer: 'C', flagged: true },
    { seq: 2, itemId: 'q1', answer: 'B' },
    { seq: 3, itemId: 'q3', answer: '' },
  ];
  let head: string;

  beforeAll(async () => {
    await initCrypto();
    head = chainHead(entries);
  });

  it('starts at 64 zeros and links sha256Hex(prev + canonicalJson(entry))', () => {
    expect(CHAIN_GENESIS).toBe('0'.repeat(64));
    expect(chainNext(CHAIN_GENESIS, entries[0])).toBe(sha256Hex(CHAIN_GENESIS + canonicalJson(entries[0])));
    expect(chainHead([])).toBe(CHAIN_GENESIS);
    expect(chainHead(entries.slice(1), chainNext(CHAIN_GENESIS, entries[0]))).toBe(head);
  });

  it('verifies the intact chain, independent of key order in entries', () => {
    expect(() => verifyChain(entries, head)).not.toThrow();
    const reordered = entries.map((e) => Object.fromEntries(Object.entries(e).reverse()));
    expect(() => verifyChain(reordered, head)).not.toThrow();
  });

  it('detects a dropped, a reordered and an altered entry as CHAIN_BROKEN', () => {
    expect(() => verifyChain(entries.filter((_, i) => i !== 1), head)).toThrow(code('CHAIN_BROKEN'));
    expect(() => verifyChain([entries[0], entries[2], entries[1], entries[3]], head)).toThrow(code('CHAIN_BROKEN'));
    expect(() => verifyChain(entries.map((e, i) => (i === 2 ? { ...e, answer: 'D' } : e)), head)).toThrow(code('CHAIN_BROKEN'));
    expect(() => verifyChain(entries.slice(0, 3), head)).toThrow(code('CHAIN_BROKEN'));
    expect(() => verifyChain(entries, head, sha256Hex('another start'))).toThrow(code('CHAIN_BROKEN'));
  });

  it('rejects a malformed previous hash', () => {
    expect(() => chainNext('xyz', {})).toThrow(code('BAD_FORMAT'));
    expect(() => chainHead([], 'ABC')).toThrow(code('BAD_FORMAT'));
  });
});
