import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(scryptCb) as (password: string, salt: Buffer, keylen: number, options: { N: number; r: number; p: number; maxmem: number }) => Promise<Buffer>;

/** scrypt cost: 2^14 × 8 × 128 B = 16 MiB and tens of milliseconds per code, on the libuv pool (not the event loop). */
const N = 1 << 14;
const R = 8;
const P = 1;
const KEYLEN = 32;
const MAXMEM = 64 * 1024 * 1024;

/**
 * A 监考口令 or staff code as the venue keeps it: scrypt with a per-record salt
 * (`scrypt$N$r$p$salt$hash`, base64url), so a copied database does not give the codes away.
 */
export async function hashAccessCode(code: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(code, salt, KEYLEN, { N, r: R, p: P, maxmem: MAXMEM });
  return ['scrypt', N, R, P, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

/** Constant-time check of a code against a stored hash (scrypt, or the unsalted SHA-256 of packages imported before). */
export async function accessCodeMatches(code: string, stored: string | null | undefined): Promise<boolean> {
  if (!stored) return false;
  if (stored.startsWith('scrypt$')) {
    const [, n, r, p, salt, hash] = stored.split('$');
    const expected = Buffer.from(hash, 'base64url');
    const given = await scrypt(code, Buffer.from(salt, 'base64url'), expected.length, { N: Number(n), r: Number(r), p: Number(p), maxmem: MAXMEM });
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
  const legacy = Buffer.from(createHash('sha256').update(`kaowu-room-access:${code}`).digest('hex'));
  const held = Buffer.from(stored);
  return legacy.length === held.length && timingSafeEqual(legacy, held);
}
