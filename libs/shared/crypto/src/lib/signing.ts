import { canonicalJson, fromBase64, toBase64, utf8 } from './encoding';
import { CryptoError } from './errors';
import { keyBytes, PartyKeys, PartyPublicKeys, SIGN_PUBLIC_KEY_BYTES } from './keys';
import { lib } from './sodium';

export interface Signature {
  alg: 'ed25519';
  keyId: string;
  /** base64 detached Ed25519 signature over utf8(canonicalJson(body)) */
  value: string;
}

export interface SignedDocument<T> {
  body: T;
  signature: Signature;
}

/** Returns the signing public key for a keyId, or undefined when the keyId is not trusted. */
export type KeyResolver = (keyId: string) => Uint8Array | undefined;

const SIGNATURE_BYTES = 64;

export function signBytes(data: Uint8Array, signer: PartyKeys): string {
  return toBase64(lib().crypto_sign_detached(data, signer.signing.privateKey));
}

/** False for a wrong or malformed signature; a malformed public key is a caller bug and throws BAD_FORMAT. */
export function verifyBytes(data: Uint8Array, signatureB64: string, signingPublicKey: Uint8Array | string): boolean {
  const pk = keyBytes(signingPublicKey, SIGN_PUBLIC_KEY_BYTES, 'signing public key');
  let sig: Uint8Array;
  try {
    sig = fromBase64(signatureB64);
  } catch {
    return false;
  }
  if (sig.length !== SIGNATURE_BYTES) return false;
  try {
    return lib().crypto_sign_verify_detached(sig, data, pk);
  } catch {
    return false;
  }
}

export function signDocument<T>(body: T, signer: PartyKeys): SignedDocument<T> {
  const value = signBytes(utf8(canonicalJson(body)), signer);
  return { body, signature: { alg: 'ed25519', keyId: signer.keyId, value } };
}

function resolveKey(
  keyId: string,
  trusted: PartyPublicKeys | PartyPublicKeys[] | KeyResolver,
): Uint8Array | string | undefined {
  if (typeof trusted === 'function') return trusted(keyId);
  const list = Array.isArray(trusted) ? trusted : [trusted];
  return list.find((k) => k.keyId === keyId)?.signingPublicKey;
}

/**
 * Returns the body when the signature is valid for a trusted key.
 * UNKNOWN_SIGNER: keyId not trusted; BAD_SIGNATURE: body or signature altered, or signed by another key;
 * BAD_FORMAT: not a signed document at all.
 */
export function verifyDocument<T>(
  doc: SignedDocument<T>,
  trusted: PartyPublicKeys | PartyPublicKeys[] | KeyResolver,
): T {
  if (typeof doc !== 'object' || doc === null || typeof doc.signature !== 'object' || doc.signature === null) {
    throw new CryptoError('BAD_FORMAT', 'not a signed document');
  }
  const { alg, keyId, value } = doc.signature;
  if (alg !== 'ed25519' || typeof keyId !== 'string' || typeof value !== 'string') {
    throw new CryptoError('BAD_FORMAT', 'malformed signature block');
  }
  if (!('body' in doc)) throw new CryptoError('BAD_FORMAT', 'signed document has no body');
  const pk = resolveKey(keyId, trusted);
  if (pk === undefined) throw new CryptoError('UNKNOWN_SIGNER', `unknown signer ${keyId}`);
  const message = utf8(canonicalJson(doc.body));
  if (!verifyBytes(message, value, pk)) {
    throw new CryptoError('BAD_SIGNATURE', `signature by ${keyId} does not verify`);
  }
  return doc.body;
}
