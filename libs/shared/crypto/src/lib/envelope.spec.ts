import { toBase64 } from './encoding';
import {
  decryptBlob,
  encryptBlob,
  newDataKey,
  openBlob,
  openSealedDataKey,
  sealBlob,
  sealDataKey,
  unwrapKey,
  wrapKey,
} from './envelope';
import { generatePartyKeys, PartyKeys } from './keys';
import { initCrypto } from './sodium';

const code = (c: string) => expect.objectContaining({ code: c });
const KiB = 1024;
const CHUNK_OVERHEAD = 17;

// Deterministic filler: libsodium's randombytes_buf needs seconds for 200 KiB in WASM.
function testBytes(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

// toEqual walks typed arrays slowly on 200 KiB; report the first differing offset instead.
function expectSameBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual).toBeInstanceOf(Uint8Array);
  expect(actual.length).toBe(expected.length);
  let firstDiff = -1;
  for (let i = 0; i < actual.length && firstDiff < 0; i++) if (actual[i] !== expected[i]) firstDiff = i;
  expect(firstDiff).toBe(-1);
}

function flipped(bytes: Uint8Array, at: number): Uint8Array {
  const copy = bytes.slice();
  copy[at] ^= 0x01;
  return copy;
}

describe('data keys', () => {
  let province: PartyKeys;
  let venue: PartyKeys;

  beforeAll(async () => {
    await initCrypto();
    province = generatePartyKeys('province');
    venue = generatePartyKeys('venue-0101');
  });

  it('newDataKey gives 32 fresh random bytes', () => {
    const a = newDataKey();
    expect(a).toHaveLength(32);
    expect(a).not.toEqual(newDataKey());
  });

  it('seals a data key to a recipient (raw or base64 public key)', () => {
    const key = newDataKey();
    expect(openSealedDataKey(sealDataKey(key, province.box.publicKey), province)).toEqual(key);
    expect(openSealedDataKey(sealDataKey(key, toBase64(province.box.publicKey)), province)).toEqual(key);
  });

  it('only the recipient opens a sealed key: others get WRONG_RECIPIENT', () => {
    const sealed = sealDataKey(newDataKey(), province.box.publicKey);
    expect(() => openSealedDataKey(sealed, venue)).toThrow(code('WRONG_RECIPIENT'));
  });

  it('wrapKey/unwrapKey round-trip; a wrong wrapping key or an altered byte is TAMPERED', () => {
    const key = newDataKey();
    const kek = newDataKey();
    const wrapped = wrapKey(key, kek);
    expect(wrapped).toHaveLength(24 + 32 + 16);
    expect(unwrapKey(wrapped, kek)).toEqual(key);
    expect(() => unwrapKey(wrapped, newDataKey())).toThrow(code('TAMPERED'));
    expect(() => unwrapKey(flipped(wrapped, 3), kek)).toThrow(code('TAMPERED'));
    expect(() => unwrapKey(flipped(wrapped, 40), kek)).toThrow(code('TAMPERED'));
    expect(() => unwrapKey(wrapped.subarray(0, 20), kek)).toThrow(code('TAMPERED'));
    expect(() => wrapKey(key, new Uint8Array(16))).toThrow(code('BAD_FORMAT'));
  });
});

describe('blob encryption (KWF1)', () => {
  let province: PartyKeys;
  let venue: PartyKeys;
  const big = 200 * KiB + 3;
  let plaintext: Uint8Array;
  let key: Uint8Array;
  let ct: Uint8Array;

  beforeAll(async () => {
    await initCrypto();
    province = generatePartyKeys('province');
    venue = generatePartyKeys('venue-0101');
    plaintext = testBytes(big, 7);
    key = newDataKey();
    ct = encryptBlob(plaintext, key);
  });

  it.each([
    ['empty', 0],
    ['1 byte', 1],
    ['exactly 64 KiB', 64 * KiB],
    ['200 KiB + 3 bytes', 200 * KiB + 3],
  ])('round-trips %s', (_name, size) => {
    const data = testBytes(size, size + 1);
    const k = newDataKey();
    const blob = encryptBlob(data, k);
    expect(Array.from(blob.subarray(0, 4))).toEqual([0x4b, 0x57, 0x46, 0x31]); // 'KWF1'
    expectSameBytes(decryptBlob(blob, k), data);
  });

  it('uses 64 KiB chunks', () => {
    // magic + header + length descriptor + 4 data chunks (3 full, 1 partial)
    expect(ct.length).toBe(4 + 24 + (8 + CHUNK_OVERHEAD) + big + 4 * CHUNK_OVERHEAD);
  });

  it('detects one flipped byte in the stream header, the middle and the last chunk as TAMPERED', () => {
    for (const at of [4, 4 + 23, 4 + 24 + 3, Math.floor(ct.length / 2), ct.length - 20, ct.length - 1]) {
      expect(() => decryptBlob(flipped(ct, at), key)).toThrow(code('TAMPERED'));
    }
  });

  it('detects swapped chunks and appended bytes as TAMPERED', () => {
    const start = 4 + 24 + 8 + CHUNK_OVERHEAD;
    const full = 64 * KiB + CHUNK_OVERHEAD;
    const swapped = ct.slice();
    swapped.set(ct.subarray(start, start + full), start + full);
    swapped.set(ct.subarray(start + full, start + 2 * full), start);
    expect(() => decryptBlob(swapped, key)).toThrow(code('TAMPERED'));
    const longer = new Uint8Array(ct.length + 1);
    longer.set(ct);
    expect(() => decryptBlob(longer, key)).toThrow(code('TAMPERED'));
  });

  it('detects a cut-off last chunk and a cut in the middle as TRUNCATED', () => {
    const lastChunk = (big % (64 * KiB)) + CHUNK_OVERHEAD;
    expect(() => decryptBlob(ct.subarray(0, ct.length - lastChunk), key)).toThrow(code('TRUNCATED'));
    expect(() => decryptBlob(ct.subarray(0, Math.floor(ct.length / 2)), key)).toThrow(code('TRUNCATED'));
    expect(() => decryptBlob(ct.subarray(0, ct.length - 1), key)).toThrow(code('TRUNCATED'));
    expect(() => decryptBlob(ct.subarray(0, 30), key)).toThrow(code('TRUNCATED'));
    expect(() => decryptBlob(ct.subarray(0, 2), key)).toThrow(code('TRUNCATED'));
    const empty = encryptBlob(new Uint8Array(), key);
    expect(() => decryptBlob(empty.subarray(0, empty.length - 1), key)).toThrow(code('TRUNCATED'));
  });

  it('rejects a wrong magic as BAD_FORMAT and a wrong key as TAMPERED', () => {
    expect(() => decryptBlob(flipped(ct, 0), key)).toThrow(code('BAD_FORMAT'));
    expect(() => decryptBlob(new Uint8Array([1, 2]), key)).toThrow(code('BAD_FORMAT'));
    expect(() => decryptBlob(ct, newDataKey())).toThrow(code('TAMPERED'));
  });

  it('sealBlob/openBlob round-trip; another party gets WRONG_RECIPIENT', () => {
    const { sealedKey, ciphertext } = sealBlob(plaintext, province.box.publicKey);
    expectSameBytes(openBlob(sealedKey, ciphertext, province), plaintext);
    expect(() => openBlob(sealedKey, ciphertext, venue)).toThrow(code('WRONG_RECIPIENT'));
    const other = sealBlob(plaintext, toBase64(province.box.publicKey));
    expect(other.sealedKey).not.toBe(sealedKey); // one fresh data key per blob
    expect(() => openBlob(other.sealedKey, ciphertext, province)).toThrow(code('TAMPERED'));
  });
});
