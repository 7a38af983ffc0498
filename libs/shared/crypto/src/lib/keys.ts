import { fromBase64, sha256Hex, toBase64 } from './encoding';
import { CryptoError } from './errors';
import { lib } from './sodium';

/** Ed25519 key pair; privateKey is libsodium's 64-byte form (seed || public key). */
export interface SigningKeyPair {
  publicKey: Uint8Array;
  privateKey: Uint8Array;
}

/** X25519 key pair for crypto_box_seal. */
export interface BoxKeyPair {
  publicKey: Uint8Array;
  privateKey: Uint8Array;
}

export interface PartyKeys {
  keyId: string;
  signing: SigningKeyPair;
  box: BoxKeyPair;
}

/** What a party publishes; keys are base64. */
export interface PartyPublicKeys {
  keyId: string;
  signingPublicKey: string;
  boxPublicKey: string;
}

export const SIGN_PUBLIC_KEY_BYTES = 32;
export const SIGN_PRIVATE_KEY_BYTES = 64;
export const BOX_PUBLIC_KEY_BYTES = 32;
export const BOX_PRIVATE_KEY_BYTES = 32;

/** keyId = `${label}:${first 16 hex chars of sha256(signing public key)}`. */
export function keyIdFor(label: string, signingPublicKey: Uint8Array): string {
  return `${label}:${sha256Hex(signingPublicKey).slice(0, 16)}`;
}

export function generatePartyKeys(label: string): PartyKeys {
  if (typeof label !== 'string' || label.length === 0) {
    throw new CryptoError('BAD_FORMAT', 'generatePartyKeys: label must be a non-empty string');
  }
  const s = lib();
  const sign = s.crypto_sign_keypair();
  const box = s.crypto_box_keypair();
  return {
    keyId: keyIdFor(label, sign.publicKey),
    signing: { publicKey: sign.publicKey, privateKey: sign.privateKey },
    box: { publicKey: box.publicKey, privateKey: box.privateKey },
  };
}

export function publicKeysOf(keys: PartyKeys): PartyPublicKeys {
  return {
    keyId: keys.keyId,
    signingPublicKey: toBase64(keys.signing.publicKey),
    boxPublicKey: toBase64(keys.box.publicKey),
  };
}

/** Accepts raw bytes or base64 and checks the length, so a mixed-up key fails loudly here. */
export function keyBytes(key: Uint8Array | string, length: number, what: string): Uint8Array {
  const bytes = typeof key === 'string' ? fromBase64(key) : key;
  if (!(bytes instanceof Uint8Array) || bytes.length !== length) {
    throw new CryptoError('BAD_FORMAT', `${what} must be ${length} bytes`);
  }
  return bytes;
}

/** True when the private halves really belong to the public halves (guards decrypted key files). */
export function keysAreConsistent(keys: PartyKeys): boolean {
  const s = lib();
  const { signing, box } = keys;
  if (signing.privateKey.length !== SIGN_PRIVATE_KEY_BYTES || box.privateKey.length !== BOX_PRIVATE_KEY_BYTES) return false;
  // libsodium's Ed25519 secret key embeds its public key in the last 32 bytes; recompute from the seed to be sure.
  const fromSeed = s.crypto_sign_seed_keypair(signing.privateKey.subarray(0, 32));
  const boxPublic = s.crypto_scalarmult_base(box.privateKey);
  return s.memcmp(fromSeed.publicKey, signing.publicKey) && s.memcmp(boxPublic, box.publicKey);
}
