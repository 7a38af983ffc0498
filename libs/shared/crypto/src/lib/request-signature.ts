import { sha256Hex, utf8 } from './encoding';
import { PartyKeys } from './keys';
import { signBytes, verifyBytes } from './signing';

/**
 * A venue server's credential on the provincial API: each request is signed with the venue's own
 * Ed25519 key — the one registered at the province — over the method, the path with its query, the
 * time and the SHA-256 of the body. No shared secret exists to leak; a request is valid only for the
 * venue whose registered key signed it, only for that exact request, and only for a few minutes.
 */
export const VENUE_AUTH_SCHEME = 'Kaowu-Venue';

export interface SignedRequestParts {
  method: string;
  /** Path and query exactly as sent, e.g. /api/v1/venue-packages/V001/S1 */
  pathAndQuery: string;
  /** Milliseconds since the epoch, the signer's clock. */
  atMs: number;
  /** The body bytes (empty for none). */
  body?: Uint8Array;
}

export interface VenueAuthorization {
  keyId: string;
  atMs: number;
  signature: string;
}


function message(p: SignedRequestParts): Uint8Array {
  const bodyHash = sha256Hex(p.body ?? new Uint8Array(0));
  return utf8(['kaowu.venue-request/1', p.method.toUpperCase(), p.pathAndQuery, String(p.atMs), bodyHash].join('\n'));
}

/** The Authorization header value for one request. */
export function signVenueRequest(keys: PartyKeys, p: SignedRequestParts): string {
  return `${VENUE_AUTH_SCHEME} keyId="${keys.keyId}", at="${p.atMs}", sig="${signBytes(message(p), keys)}"`;
}

/** The parts of a `Kaowu-Venue …` header, or null when it is not one (or malformed). */
export function parseVenueAuthorization(header: string | undefined): VenueAuthorization | null {
  if (!header || !header.startsWith(`${VENUE_AUTH_SCHEME} `)) return null;
  const fields = new Map<string, string>();
  for (const m of header.slice(VENUE_AUTH_SCHEME.length + 1).matchAll(/(\w+)="([^"]*)"/g)) fields.set(m[1], m[2]);
  const keyId = fields.get('keyId');
  const at = Number(fields.get('at'));
  const signature = fields.get('sig');
  if (!keyId || keyId.length > 128 || !signature || signature.length > 128 || !Number.isSafeInteger(at)) return null;
  return { keyId, atMs: at, signature };
}

/** True when the signature is the venue key's over exactly these request parts. */
export function verifyVenueRequest(auth: VenueAuthorization, p: Omit<SignedRequestParts, 'atMs'>, signingPublicKey: Uint8Array | string): boolean {
  return verifyBytes(message({ ...p, atMs: auth.atMs }), auth.signature, signingPublicKey);
}
