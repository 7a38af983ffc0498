// @vitest-environment node
import { webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AnswerSealer } from './sealed-answer-queue';

const event = { seq: 7, itemId: 'C1', value: { kind: 'text' as const, text: '借：银行存款 1200' } };

describe('AnswerSealer (the encrypted offline queue)', () => {
  const sealer = new AnswerSealer(webcrypto.subtle as SubtleCrypto);

  it('seals an answer event so its text is not in the stored bytes, and opens it again', async () => {
    const key = await sealer.newKey();
    expect(key.extractable).toBe(false);
    const sealed = await sealer.seal(key, 'A-1', event);
    const bytes = new TextDecoder().decode(sealed.data);
    expect(bytes).not.toContain('银行存款');
    expect(bytes).not.toContain('C1');
    expect(await sealer.open(key, sealed)).toEqual(event);
  });

  it('does not open an event moved to another seq or attempt, tampered with, or under another key', async () => {
    const key = await sealer.newKey();
    const sealed = await sealer.seal(key, 'A-1', event);
    expect(await sealer.open(key, { ...sealed, seq: 8 })).toBeNull();
    expect(await sealer.open(key, { ...sealed, attemptId: 'A-2' })).toBeNull();
    const flipped = new Uint8Array(sealed.data.slice(0));
    flipped[0] ^= 1;
    expect(await sealer.open(key, { ...sealed, data: flipped.buffer })).toBeNull();
    expect(await sealer.open(await sealer.newKey(), sealed)).toBeNull();
  });
});
