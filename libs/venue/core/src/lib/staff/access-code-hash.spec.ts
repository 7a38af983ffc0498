import { createHash } from 'node:crypto';
import { accessCodeMatches, hashAccessCode } from './access-code-hash';

describe('access code hashes (监考口令, staff codes)', () => {
  it('salts every record: the same code hashes differently, and only the code matches', async () => {
    const [a, b] = [await hashAccessCode('3f9a1c2b7d4e'), await hashAccessCode('3f9a1c2b7d4e')];
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('3f9a1c2b7d4e');
    expect(await accessCodeMatches('3f9a1c2b7d4e', a)).toBe(true);
    expect(await accessCodeMatches('3f9a1c2b7d4f', a)).toBe(false);
    expect(await accessCodeMatches('3f9a1c2b7d4e', null)).toBe(false);
  });

  it('still opens packages imported before (unsalted SHA-256), so an upgrade mid-sitting locks nobody out', async () => {
    const legacy = createHash('sha256').update('kaowu-room-access:abc123def456').digest('hex');
    expect(await accessCodeMatches('abc123def456', legacy)).toBe(true);
    expect(await accessCodeMatches('abc123def457', legacy)).toBe(false);
  });
});
