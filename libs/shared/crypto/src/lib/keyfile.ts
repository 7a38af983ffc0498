import { canonicalJson, concatBytes, fromBase64, toBase64, utf8 } from './encoding';
import { CryptoError } from './errors';
import {
  BOX_PUBLIC_KEY_BYTES,
  keyBytes,
  keyIdFor,
  keysAreConsistent,
  PartyKeys,
  SIGN_PRIVATE_KEY_BYTES,
  SIGN_PUBLIC_KEY_BYTES,
} from './keys';
import { lib } from './sodium';

/** Passphrase-protected private keys; JSON-serialisable, written to disk by the caller. */
export interface ProtectedKeyFile {
  format: 'kaowu.keyfile';
  version: 1;
  keyId: string;
  signingPublicKey: string;
  boxPublicKey: string;
  kdf: { alg: 'argon2id13'; salt: string; opslimit: number; memlimit: number };
  nonce: string;
  ciphertext: string;
}

// libsodium's crypto_pwhash_argon2id constants (fixed by libsodium; written into every key file).
export const PWHASH_OPSLIMIT_INTERACTIVE = 2;
export const PWHASH_MEMLIMIT_INTERACTIVE = 64 * 1024 * 1024;
export const PWHASH_OPSLIMIT_MODERATE = 3;
export const PWHASH_MEMLIMIT_MODERATE = 256 * 1024 * 1024;
const PWHASH_SALT_BYTES = 16;
const PWHASH_ALG_ARGON2ID13 = 2;
// Bounds on what a key file may ask for, so a crafted file cannot make us allocate gigabytes or spin for hours.
const MAX_OPSLIMIT = 10;
const MAX_MEMLIMIT = 1024 * 1024 * 1024;
const MIN_MEMLIMIT = 8 * 1024;

const KEY_BYTES = 32;
const NONCE_BYTES = 24;
const MAC_BYTES = 16;
const PLAINTEXT_BYTES = SIGN_PRIVATE_KEY_BYTES + 32;

function deriveKey(passphrase: string, salt: Uint8Array, opslimit: number, memlimit: number): Uint8Array {
  return lib().crypto_pwhash(KEY_BYTES, passphrase, salt, opslimit, memlimit, PWHASH_ALG_ARGON2ID13);
}

/** Everything but the ciphertext is bound as associated data, so no public field can be swapped. */
function associatedData(file: Omit<ProtectedKeyFile, 'nonce' | 'ciphertext'>): Uint8Array {
  return utf8(
    canonicalJson({
      format: file.format,
      version: file.version,
      keyId: file.keyId,
      signingPublicKey: file.signingPublicKey,
      boxPublicKey: file.boxPublicKey,
      kdf: file.kdf,
    }),
  );
}

/**
 * Encrypts both private keys under an Argon2id-derived key (XChaCha20-Poly1305).
 * 'moderate' (256 MiB, 3 passes) is for real key files; 'interactive' (64 MiB, 2 passes) for tests and low-end machines.
 */
export function protectPartyKeys(
  keys: PartyKeys,
  passphrase: string,
  strength: 'interactive' | 'moderate' = 'moderate',
): ProtectedKeyFile {
  if (typeof passphrase !== 'string' || passphrase.length === 0) {
    throw new CryptoError('BAD_FORMAT', 'protectPartyKeys: passphrase must be a non-empty string');
  }
  if (!keysAreConsistent(keys)) {
    throw new CryptoError('BAD_FORMAT', 'protectPartyKeys: private keys do not match public keys');
  }
  const s = lib();
  const opslimit = strength === 'interactive' ? PWHASH_OPSLIMIT_INTERACTIVE : PWHASH_OPSLIMIT_MODERATE;
  const memlimit = strength === 'interactive' ? PWHASH_MEMLIMIT_INTERACTIVE : PWHASH_MEMLIMIT_MODERATE;
  const salt = s.randombytes_buf(PWHASH_SALT_BYTES);
  const nonce = s.randombytes_buf(NONCE_BYTES);
  const header: Omit<ProtectedKeyFile, 'nonce' | 'ciphertext'> = {
    format: 'kaowu.keyfile',
    version: 1,
    keyId: keys.keyId,
    signingPublicKey: toBase64(keys.signing.publicKey),
    boxPublicKey: toBase64(keys.box.publicKey),
    kdf: { alg: 'argon2id13', salt: toBase64(salt), opslimit, memlimit },
  };
  const key = deriveKey(passphrase, salt, opslimit, memlimit);
  const plaintext = concatBytes(keys.signing.privateKey, keys.box.privateKey);
  try {
    const ciphertext = s.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, associatedData(header), null, nonce, key);
    return { ...header, nonce: toBase64(nonce), ciphertext: toBase64(ciphertext) };
  } finally {
    s.memzero(key);
    s.memzero(plaintext);
  }
}

function bad(message: string): CryptoError {
  return new CryptoError('BAD_FORMAT', `key file: ${message}`);
}

function isPositiveInt(n: unknown, max: number): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= max;
}

export function unlockPartyKeys(file: ProtectedKeyFile, passphrase: string): PartyKeys {
  if (typeof file !== 'object' || file === null) throw bad('not an object');
  if (file.format !== 'kaowu.keyfile' || file.version !== 1) throw bad('unknown format or version');
  if (typeof file.keyId !== 'string' || file.keyId.length === 0) throw bad('missing keyId');
  const kdf = file.kdf as ProtectedKeyFile['kdf'] | undefined;
  if (typeof kdf !== 'object' || kdf === null || kdf.alg !== 'argon2id13') throw bad('unsupported kdf');
  if (!isPositiveInt(kdf.opslimit, MAX_OPSLIMIT)) throw bad('kdf opslimit out of range');
  if (!isPositiveInt(kdf.memlimit, MAX_MEMLIMIT) || kdf.memlimit < MIN_MEMLIMIT) throw bad('kdf memlimit out of range');
  if (typeof passphrase !== 'string') throw new CryptoError('BAD_FORMAT', 'unlockPartyKeys: passphrase must be a string');

  let signingPublicKey: Uint8Array, boxPublicKey: Uint8Array, salt: Uint8Array, nonce: Uint8Array, ciphertext: Uint8Array;
  try {
    signingPublicKey = keyBytes(file.signingPublicKey, SIGN_PUBLIC_KEY_BYTES, 'signingPublicKey');
    boxPublicKey = keyBytes(file.boxPublicKey, BOX_PUBLIC_KEY_BYTES, 'boxPublicKey');
    salt = fromBase64(file.kdf.salt);
    nonce = fromBase64(file.nonce);
    ciphertext = fromBase64(file.ciphertext);
  } catch (e) {
    throw bad(e instanceof Error ? e.message : 'undecodable field');
  }
  if (salt.length !== PWHASH_SALT_BYTES) throw bad('bad salt length');
  if (nonce.length !== NONCE_BYTES) throw bad('bad nonce length');
  if (ciphertext.length !== PLAINTEXT_BYTES + MAC_BYTES) throw bad('bad ciphertext length');
  const label = file.keyId.slice(0, file.keyId.lastIndexOf(':'));
  if (keyIdFor(label, signingPublicKey) !== file.keyId) throw bad('keyId does not match signingPublicKey');

  const s = lib();
  const key = deriveKey(passphrase, salt, kdf.opslimit, kdf.memlimit);
  let plaintext: Uint8Array;
  try {
    plaintext = s.crypto_aead_xchacha20poly1305_ietf_decrypt(null, ciphertext, associatedData(file), nonce, key);
  } catch {
    // Indistinguishable by design: a wrong passphrase and an edited file both fail the MAC.
    throw new CryptoError('WRONG_PASSPHRASE', 'wrong passphrase (or the key file was modified)');
  } finally {
    s.memzero(key);
  }
  const keys: PartyKeys = {
    keyId: file.keyId,
    signing: { publicKey: signingPublicKey, privateKey: plaintext.slice(0, SIGN_PRIVATE_KEY_BYTES) },
    box: { publicKey: boxPublicKey, privateKey: plaintext.slice(SIGN_PRIVATE_KEY_BYTES) },
  };
  s.memzero(plaintext);
  if (!keysAreConsistent(keys)) throw bad('private keys do not match public keys');
  return keys;
}
