import { fromBase64, sha256Hex, concatBytes } from './encoding';

/**
 * A key pair's fingerprint for people: 20 hex digits of SHA-256(signing ‖ box public key) in groups
 * of four ("3F2A 91C0 …"), short enough to read aloud over the phone and compare with a screen.
 */
export function keyFingerprint(keys: { signingPublicKey: string; boxPublicKey: string }): string {
  const hex = sha256Hex(concatBytes(fromBase64(keys.signingPublicKey), fromBase64(keys.boxPublicKey))).slice(0, 20).toUpperCase();
  return hex.match(/.{4}/g)!.join(' ');
}
