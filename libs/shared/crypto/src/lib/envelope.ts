import { fromBase64, toBase64 } from './encoding';
import { CryptoError } from './errors';
import { BOX_PUBLIC_KEY_BYTES, keyBytes, PartyKeys } from './keys';
import { lib } from './sodium';

export const DATA_KEY_BYTES = 32;
const XNONCE_BYTES = 24;
const AEAD_MAC_BYTES = 16;

/** Fresh random 32-byte key for XChaCha20-Poly1305 / secretstream. */
export function newDataKey(): Uint8Array {
  return lib().randombytes_buf(DATA_KEY_BYTES);
}

function checkKey(key: Uint8Array, what: string): void {
  if (!(key instanceof Uint8Array) || key.length !== DATA_KEY_BYTES) {
    throw new CryptoError('BAD_FORMAT', `${what} must be ${DATA_KEY_BYTES} bytes`);
  }
}

/** Anonymous public-key encryption (crypto_box_seal) of a data key; base64. */
export function sealDataKey(dataKey: Uint8Array, recipientBoxPublicKey: Uint8Array | string): string {
  checkKey(dataKey, 'data key');
  const pk = keyBytes(recipientBoxPublicKey, BOX_PUBLIC_KEY_BYTES, 'recipient box public key');
  return toBase64(lib().crypto_box_seal(dataKey, pk));
}

export function openSealedDataKey(sealedB64: string, recipient: PartyKeys): Uint8Array {
  const sealed = fromBase64(sealedB64);
  let key: Uint8Array;
  try {
    key = lib().crypto_box_seal_open(sealed, recipient.box.publicKey, recipient.box.privateKey);
  } catch {
    // A sealed box only tells us it did not open: either not for us or altered.
    throw new CryptoError('WRONG_RECIPIENT', 'sealed key cannot be opened with these keys');
  }
  if (key.length !== DATA_KEY_BYTES) throw new CryptoError('BAD_FORMAT', 'sealed payload is not a data key');
  return key;
}

/** nonce(24) || XChaCha20-Poly1305(key) under wrappingKey. */
export function wrapKey(key: Uint8Array, wrappingKey: Uint8Array): Uint8Array {
  checkKey(wrappingKey, 'wrapping key');
  const s = lib();
  const nonce = s.randombytes_buf(XNONCE_BYTES);
  const ct = s.crypto_aead_xchacha20poly1305_ietf_encrypt(key, null, null, nonce, wrappingKey);
  const out = new Uint8Array(XNONCE_BYTES + ct.length);
  out.set(nonce, 0);
  out.set(ct, XNONCE_BYTES);
  return out;
}

export function unwrapKey(wrapped: Uint8Array, wrappingKey: Uint8Array): Uint8Array {
  checkKey(wrappingKey, 'wrapping key');
  if (!(wrapped instanceof Uint8Array) || wrapped.length < XNONCE_BYTES + AEAD_MAC_BYTES) {
    throw new CryptoError('TAMPERED', 'wrapped key is too short');
  }
  try {
    return lib().crypto_aead_xchacha20poly1305_ietf_decrypt(
      null,
      wrapped.subarray(XNONCE_BYTES),
      null,
      wrapped.subarray(0, XNONCE_BYTES),
      wrappingKey,
    );
  } catch {
    throw new CryptoError('TAMPERED', 'wrapped key does not authenticate (wrong wrapping key or altered)');
  }
}

// ---------------------------------------------------------------------------------------------
// Blob format (KWF1):
//   'KWF1' | secretstream header (24) | descriptor chunk | data chunk* (last one tagged FINAL)
// The descriptor chunk (TAG_MESSAGE) carries the plaintext length as u64 LE: authenticated, it
// lets a cut inside a chunk be told apart from a flipped byte (TRUNCATED vs TAMPERED).
// Data chunks carry 64 KiB of plaintext each, the last one 0..64 KiB (always at least one).

const MAGIC = new Uint8Array([0x4b, 0x57, 0x46, 0x31]); // 'KWF1'
export const BLOB_CHUNK_BYTES = 64 * 1024;
const STREAM_HEADER_BYTES = 24;
const STREAM_ABYTES = 17;
const DESCRIPTOR_BYTES = 8;
const PREAMBLE_BYTES = MAGIC.length + STREAM_HEADER_BYTES + DESCRIPTOR_BYTES + STREAM_ABYTES;

function dataChunkCount(plaintextLength: number): number {
  return Math.max(1, Math.ceil(plaintextLength / BLOB_CHUNK_BYTES));
}

export function encryptBlob(plaintext: Uint8Array, dataKey: Uint8Array): Uint8Array {
  checkKey(dataKey, 'data key');
  const s = lib();
  const n = plaintext.length;
  const chunks = dataChunkCount(n);
  const out = new Uint8Array(PREAMBLE_BYTES + n + chunks * STREAM_ABYTES);
  out.set(MAGIC, 0);
  const { state, header } = s.crypto_secretstream_xchacha20poly1305_init_push(dataKey);
  out.set(header, MAGIC.length);
  let off = MAGIC.length + STREAM_HEADER_BYTES;

  const descriptor = new Uint8Array(DESCRIPTOR_BYTES);
  const lo = n >>> 0;
  const hi = Math.floor(n / 4294967296);
  for (let i = 0; i < 4; i++) {
    descriptor[i] = (lo >>> (8 * i)) & 0xff;
    descriptor[4 + i] = (hi >>> (8 * i)) & 0xff;
  }
  const d = s.crypto_secretstream_xchacha20poly1305_push(state, descriptor, null, s.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
  out.set(d, off);
  off += d.length;

  for (let i = 0; i < chunks; i++) {
    const start = i * BLOB_CHUNK_BYTES;
    const last = i === chunks - 1;
    const tag = last ? s.crypto_secretstream_xchacha20poly1305_TAG_FINAL : s.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
    const c = s.crypto_secretstream_xchacha20poly1305_push(state, plaintext.subarray(start, Math.min(n, start + BLOB_CHUNK_BYTES)), null, tag);
    out.set(c, off);
    off += c.length;
  }
  return out;
}

/** TRUNCATED: bytes missing at the end; TAMPERED: any altered byte (or bytes added); BAD_FORMAT: not a KWF1 blob. */
export function decryptBlob(ciphertext: Uint8Array, dataKey: Uint8Array): Uint8Array {
  checkKey(dataKey, 'data key');
  if (!(ciphertext instanceof Uint8Array)) throw new CryptoError('BAD_FORMAT', 'ciphertext must be a Uint8Array');
  const total = ciphertext.length;
  for (let i = 0; i < Math.min(total, MAGIC.length); i++) {
    if (ciphertext[i] !== MAGIC[i]) throw new CryptoError('BAD_FORMAT', 'not a KWF1 blob (bad magic)');
  }
  if (total < PREAMBLE_BYTES) throw new CryptoError('TRUNCATED', 'blob is truncated (incomplete preamble)');

  const s = lib();
  const TAG_FINAL = s.crypto_secretstream_xchacha20poly1305_TAG_FINAL;
  const TAG_MESSAGE = s.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
  let off = MAGIC.length;
  const state = s.crypto_secretstream_xchacha20poly1305_init_pull(ciphertext.subarray(off, off + STREAM_HEADER_BYTES), dataKey);
  off += STREAM_HEADER_BYTES;

  const d = s.crypto_secretstream_xchacha20poly1305_pull(state, ciphertext.subarray(off, off + DESCRIPTOR_BYTES + STREAM_ABYTES), null);
  if (!d || d.tag !== TAG_MESSAGE || d.message.length !== DESCRIPTOR_BYTES) {
    throw new CryptoError('TAMPERED', 'blob does not authenticate (header or descriptor altered, or wrong key)');
  }
  off += DESCRIPTOR_BYTES + STREAM_ABYTES;
  const m = d.message;
  const lo = (m[0] | (m[1] << 8) | (m[2] << 16) | (m[3] << 24)) >>> 0;
  const hi = (m[4] | (m[5] << 8) | (m[6] << 16) | (m[7] << 24)) >>> 0;
  if (hi > 0x1fffff) throw new CryptoError('BAD_FORMAT', 'blob length out of range');
  const n = hi * 4294967296 + lo;
  const chunks = dataChunkCount(n);
  const expected = PREAMBLE_BYTES + n + chunks * STREAM_ABYTES;
  if (total < expected) throw new CryptoError('TRUNCATED', `blob is truncated (${total} of ${expected} bytes)`);
  if (total > expected) throw new CryptoError('TAMPERED', 'blob has trailing bytes');

  const out = new Uint8Array(n);
  for (let i = 0; i < chunks; i++) {
    const len = Math.min(BLOB_CHUNK_BYTES, n - i * BLOB_CHUNK_BYTES) + STREAM_ABYTES;
    const r = s.crypto_secretstream_xchacha20poly1305_pull(state, ciphertext.subarray(off, off + len), null);
    const last = i === chunks - 1;
    if (!r || r.tag !== (last ? TAG_FINAL : TAG_MESSAGE)) {
      throw new CryptoError('TAMPERED', `blob chunk ${i} does not authenticate`);
    }
    out.set(r.message, i * BLOB_CHUNK_BYTES);
    off += len;
  }
  return out;
}

/** One fresh data key per blob, sealed to the recipient. */
export function sealBlob(
  plaintext: Uint8Array,
  recipientBoxPublicKey: Uint8Array | string,
): { sealedKey: string; ciphertext: Uint8Array } {
  const key = newDataKey();
  try {
    const sealedKey = sealDataKey(key, recipientBoxPublicKey);
    return { sealedKey, ciphertext: encryptBlob(plaintext, key) };
  } finally {
    lib().memzero(key);
  }
}

export function openBlob(sealedKey: string, ciphertext: Uint8Array, recipient: PartyKeys): Uint8Array {
  const key = openSealedDataKey(sealedKey, recipient);
  try {
    return decryptBlob(ciphertext, key);
  } finally {
    lib().memzero(key);
  }
}
