// Portable Argon2id v1.3 (RFC 9106) with one lane, i.e. exactly what libsodium's
// crypto_pwhash(..., crypto_pwhash_ALG_ARGON2ID13) computes. The standard
// libsodium-wrappers build ships without crypto_pwhash (it is only in the "sumo" build),
// so this is the fallback; BLAKE2b itself still comes from libsodium (crypto_generichash).
// 64-bit words are held as (lo, hi) pairs of 32-bit integers because JS has no fast u64.
import { lib } from './sodium';

const BLOCK_WORDS = 256; // 1024-byte block as 32-bit words
const SYNC_POINTS = 4;
const ADDRESSES_PER_BLOCK = 128;
const ARGON2_VERSION = 0x13;
const ARGON2_TYPE_ID = 2;
// Bound once: inside some sandboxes (e.g. Jest's vm contexts) every global lookup in the
// hot loop is an interceptor call, which made this 15x slower.
const imul = Math.imul;

function le32(n: number): Uint8Array {
  return new Uint8Array([n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff]);
}

function concat(parts: Uint8Array[]): Uint8Array {
  let len = 0;
  for (const p of parts) len += p.length;
  const out = new Uint8Array(len);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

function blake2b(outLen: number, msg: Uint8Array): Uint8Array {
  return lib().crypto_generichash(outLen, msg, null);
}

/** H' of RFC 9106 §3.3: BLAKE2b stretched to an arbitrary output length. */
function blake2bLong(outLen: number, input: Uint8Array): Uint8Array {
  const x = concat([le32(outLen), input]);
  if (outLen <= 64) return blake2b(outLen, x);
  const out = new Uint8Array(outLen);
  const r = Math.ceil(outLen / 32) - 2;
  let v = blake2b(64, x);
  out.set(v.subarray(0, 32), 0);
  for (let i = 1; i < r; i++) {
    v = blake2b(64, v);
    out.set(v.subarray(0, 32), i * 32);
  }
  out.set(blake2b(outLen - 32 * r, v), r * 32);
  return out;
}

// The BLAKE2b round function with Argon2's multiplication-hardened G (BlaMka).
// a, b, c, d are indices of the low halves inside v.
function gb(v: Uint32Array, a: number, b: number, c: number, d: number): void {
  let al = v[a], ah = v[a + 1];
  let bl = v[b], bh = v[b + 1];
  let cl = v[c], ch = v[c + 1];
  let dl = v[d], dh = v[d + 1];
  let xl: number, xh: number, t: number, s: number, p1: number, p2: number, ml: number, mh: number;

  // a = a + b + 2 * lo(a) * lo(b)
  t = (al & 0xffff) * (bl & 0xffff);
  p1 = (al >>> 16) * (bl & 0xffff);
  p2 = (al & 0xffff) * (bl >>> 16);
  mh = (al >>> 16) * (bl >>> 16) + (p1 >>> 16) + (p2 >>> 16) + (((t >>> 16) + (p1 & 0xffff) + (p2 & 0xffff)) >>> 16);
  ml = imul(al, bl) >>> 0;
  mh = ((mh << 1) | (ml >>> 31)) >>> 0;
  ml = (ml << 1) >>> 0;
  s = al + bl + ml;
  al = s >>> 0;
  ah = (ah + bh + mh + ((s / 4294967296) | 0)) >>> 0;
  // d = rotr64(d ^ a, 32)
  xl = dl ^ al;
  xh = dh ^ ah;
  dl = xh >>> 0;
  dh = xl >>> 0;
  // c = c + d + 2 * lo(c) * lo(d)
  t = (cl & 0xffff) * (dl & 0xffff);
  p1 = (cl >>> 16) * (dl & 0xffff);
  p2 = (cl & 0xffff) * (dl >>> 16);
  mh = (cl >>> 16) * (dl >>> 16) + (p1 >>> 16) + (p2 >>> 16) + (((t >>> 16) + (p1 & 0xffff) + (p2 & 0xffff)) >>> 16);
  ml = imul(cl, dl) >>> 0;
  mh = ((mh << 1) | (ml >>> 31)) >>> 0;
  ml = (ml << 1) >>> 0;
  s = cl + dl + ml;
  cl = s >>> 0;
  ch = (ch + dh + mh + ((s / 4294967296) | 0)) >>> 0;
  // b = rotr64(b ^ c, 24)
  xl = bl ^ cl;
  xh = bh ^ ch;
  bl = ((xl >>> 24) | (xh << 8)) >>> 0;
  bh = ((xh >>> 24) | (xl << 8)) >>> 0;
  // a = a + b + 2 * lo(a) * lo(b)
  t = (al & 0xffff) * (bl & 0xffff);
  p1 = (al >>> 16) * (bl & 0xffff);
  p2 = (al & 0xffff) * (bl >>> 16);
  mh = (al >>> 16) * (bl >>> 16) + (p1 >>> 16) + (p2 >>> 16) + (((t >>> 16) + (p1 & 0xffff) + (p2 & 0xffff)) >>> 16);
  ml = imul(al, bl) >>> 0;
  mh = ((mh << 1) | (ml >>> 31)) >>> 0;
  ml = (ml << 1) >>> 0;
  s = al + bl + ml;
  al = s >>> 0;
  ah = (ah + bh + mh + ((s / 4294967296) | 0)) >>> 0;
  // d = rotr64(d ^ a, 16)
  xl = dl ^ al;
  xh = dh ^ ah;
  dl = ((xl >>> 16) | (xh << 16)) >>> 0;
  dh = ((xh >>> 16) | (xl << 16)) >>> 0;
  // c = c + d + 2 * lo(c) * lo(d)
  t = (cl & 0xffff) * (dl & 0xffff);
  p1 = (cl >>> 16) * (dl & 0xffff);
  p2 = (cl & 0xffff) * (dl >>> 16);
  mh = (cl >>> 16) * (dl >>> 16) + (p1 >>> 16) + (p2 >>> 16) + (((t >>> 16) + (p1 & 0xffff) + (p2 & 0xffff)) >>> 16);
  ml = imul(cl, dl) >>> 0;
  mh = ((mh << 1) | (ml >>> 31)) >>> 0;
  ml = (ml << 1) >>> 0;
  s = cl + dl + ml;
  cl = s >>> 0;
  ch = (ch + dh + mh + ((s / 4294967296) | 0)) >>> 0;
  // b = rotr64(b ^ c, 63), i.e. rotl 1
  xl = bl ^ cl;
  xh = bh ^ ch;
  bl = ((xl << 1) | (xh >>> 31)) >>> 0;
  bh = ((xh << 1) | (xl >>> 31)) >>> 0;

  v[a] = al; v[a + 1] = ah;
  v[b] = bl; v[b + 1] = bh;
  v[c] = cl; v[c + 1] = ch;
  v[d] = dl; v[d + 1] = dh;
}

/** BLAKE2 round without message over 16 u64 words given by their word indices (w0..w15). */
function round(
  v: Uint32Array,
  w0: number, w1: number, w2: number, w3: number, w4: number, w5: number, w6: number, w7: number,
  w8: number, w9: number, w10: number, w11: number, w12: number, w13: number, w14: number, w15: number,
): void {
  gb(v, 2 * w0, 2 * w4, 2 * w8, 2 * w12);
  gb(v, 2 * w1, 2 * w5, 2 * w9, 2 * w13);
  gb(v, 2 * w2, 2 * w6, 2 * w10, 2 * w14);
  gb(v, 2 * w3, 2 * w7, 2 * w11, 2 * w15);
  gb(v, 2 * w0, 2 * w5, 2 * w10, 2 * w15);
  gb(v, 2 * w1, 2 * w6, 2 * w11, 2 * w12);
  gb(v, 2 * w2, 2 * w7, 2 * w8, 2 * w13);
  gb(v, 2 * w3, 2 * w4, 2 * w9, 2 * w14);
}

/**
 * The compression G of RFC 9106 §3.5: next = (withXor ? next : 0) ^ R ^ P(R) with R = prev ^ ref.
 * Blocks are addressed as word offsets into their arrays.
 */
function fillBlock(
  mem: Uint32Array, prevOff: number,
  refMem: Uint32Array, refOff: number,
  outMem: Uint32Array, outOff: number,
  withXor: boolean,
  R: Uint32Array, T: Uint32Array,
): void {
  for (let i = 0; i < BLOCK_WORDS; i++) {
    const x = (refMem[refOff + i] ^ mem[prevOff + i]) >>> 0;
    R[i] = x;
    T[i] = withXor ? (x ^ outMem[outOff + i]) >>> 0 : x;
  }
  // Columns: 8 rows of 16 consecutive words.
  for (let i = 0; i < 8; i++) {
    const o = 16 * i;
    round(R, o, o + 1, o + 2, o + 3, o + 4, o + 5, o + 6, o + 7, o + 8, o + 9, o + 10, o + 11, o + 12, o + 13, o + 14, o + 15);
  }
  // Rows: word pairs strided by 16.
  for (let i = 0; i < 8; i++) {
    const o = 2 * i;
    round(R, o, o + 1, o + 16, o + 17, o + 32, o + 33, o + 48, o + 49, o + 64, o + 65, o + 80, o + 81, o + 96, o + 97, o + 112, o + 113);
  }
  for (let i = 0; i < BLOCK_WORDS; i++) outMem[outOff + i] = (T[i] ^ R[i]) >>> 0;
}

function bytesToWords(bytes: Uint8Array, out: Uint32Array, off: number): void {
  for (let i = 0; i < BLOCK_WORDS; i++) {
    const j = i * 4;
    out[off + i] = (bytes[j] | (bytes[j + 1] << 8) | (bytes[j + 2] << 16) | (bytes[j + 3] << 24)) >>> 0;
  }
}

function wordsToBytes(words: Uint32Array, off: number): Uint8Array {
  const out = new Uint8Array(BLOCK_WORDS * 4);
  for (let i = 0; i < BLOCK_WORDS; i++) {
    const w = words[off + i];
    out[i * 4] = w & 0xff;
    out[i * 4 + 1] = (w >>> 8) & 0xff;
    out[i * 4 + 2] = (w >>> 16) & 0xff;
    out[i * 4 + 3] = (w >>> 24) & 0xff;
  }
  return out;
}

/** High 32 bits of the 64-bit product of two u32 values. */
function mulHi(x: number, y: number): number {
  const t = (x & 0xffff) * (y & 0xffff);
  const p1 = (x >>> 16) * (y & 0xffff);
  const p2 = (x & 0xffff) * (y >>> 16);
  return ((x >>> 16) * (y >>> 16) + (p1 >>> 16) + (p2 >>> 16) + (((t >>> 16) + (p1 & 0xffff) + (p2 & 0xffff)) >>> 16)) >>> 0;
}

/**
 * Argon2id, one lane, no secret and no associated data — the parameters libsodium's
 * crypto_pwhash uses: `memlimitBytes / 1024` KiB of memory and `opslimit` passes.
 */
export function argon2idPortable(
  outLen: number,
  password: Uint8Array,
  salt: Uint8Array,
  opslimit: number,
  memlimitBytes: number,
): Uint8Array {
  const mCost = Math.floor(memlimitBytes / 1024);
  if (!Number.isInteger(opslimit) || opslimit < 1) throw new RangeError('argon2id: opslimit must be >= 1');
  if (mCost < 8) throw new RangeError('argon2id: memlimit must be >= 8 KiB');
  if (outLen < 16 || outLen > 64 * 1024) throw new RangeError('argon2id: bad output length');
  if (salt.length < 8) throw new RangeError('argon2id: salt too short');

  const laneLength = mCost - (mCost % SYNC_POINTS); // one lane holds all blocks
  const segmentLength = laneLength / SYNC_POINTS;
  const passes = opslimit;

  const h0 = blake2b(
    64,
    concat([
      le32(1), le32(outLen), le32(mCost), le32(passes), le32(ARGON2_VERSION), le32(ARGON2_TYPE_ID),
      le32(password.length), password, le32(salt.length), salt, le32(0), le32(0),
    ]),
  );

  const mem = new Uint32Array(laneLength * BLOCK_WORDS);
  bytesToWords(blake2bLong(1024, concat([h0, le32(0), le32(0)])), mem, 0);
  bytesToWords(blake2bLong(1024, concat([h0, le32(1), le32(0)])), mem, BLOCK_WORDS);

  const R = new Uint32Array(BLOCK_WORDS);
  const T = new Uint32Array(BLOCK_WORDS);
  const zero = new Uint32Array(BLOCK_WORDS);
  const input = new Uint32Array(BLOCK_WORDS);
  const address = new Uint32Array(BLOCK_WORDS);

  const nextAddresses = (): void => {
    input[12] = (input[12] + 1) >>> 0; // counter is u64 word 6; it never exceeds 2^32 here
    fillBlock(zero, 0, input, 0, address, 0, false, R, T);
    fillBlock(zero, 0, address, 0, address, 0, false, R, T);
  };

  for (let pass = 0; pass < passes; pass++) {
    for (let slice = 0; slice < SYNC_POINTS; slice++) {
      // Argon2id: data-independent addressing for the first half of the first pass only.
      const independent = pass === 0 && slice < SYNC_POINTS / 2;
      if (independent) {
        input.fill(0);
        input[0] = pass;
        input[2] = 0; // lane
        input[4] = slice;
        input[6] = laneLength;
        input[8] = passes;
        input[10] = ARGON2_TYPE_ID;
      }
      let start = 0;
      if (pass === 0 && slice === 0) {
        start = 2; // the first two blocks come from H'
        if (independent) nextAddresses();
      }
      let cur = slice * segmentLength + start;
      let prev = cur === 0 ? laneLength - 1 : cur - 1;
      for (let i = start; i < segmentLength; i++, cur++, prev++) {
        if (cur % laneLength === 1) prev = cur - 1;
        let rand: number;
        if (independent) {
          if (i % ADDRESSES_PER_BLOCK === 0) nextAddresses();
          rand = address[2 * (i % ADDRESSES_PER_BLOCK)];
        } else {
          rand = mem[prev * BLOCK_WORDS];
        }
        // index_alpha (RFC 9106 §3.4.1.2) for the single lane.
        let areaSize: number;
        if (pass === 0) {
          areaSize = slice * segmentLength + i - 1;
        } else {
          areaSize = laneLength - segmentLength + i - 1;
        }
        const x = mulHi(rand, rand);
        const rel = areaSize - 1 - mulHi(areaSize, x);
        const startPos = pass !== 0 && slice !== SYNC_POINTS - 1 ? (slice + 1) * segmentLength : 0;
        const ref = (startPos + rel) % laneLength;
        fillBlock(mem, prev * BLOCK_WORDS, mem, ref * BLOCK_WORDS, mem, cur * BLOCK_WORDS, pass !== 0, R, T);
      }
    }
  }

  const tag = blake2bLong(outLen, wordsToBytes(mem, (laneLength - 1) * BLOCK_WORDS));
  mem.fill(0); // do not leave password-derived memory around longer than needed
  return tag;
}
