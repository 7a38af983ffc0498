import { PartyKeys, signVenueRequest, utf8 } from '@kaowu/crypto';

/**
 * A request to the provincial API as a venue server makes it (signed with the venue's registered
 * key), for specs and benchmarks that play the venue without running one. `atMs` is the clock the
 * province checks the signature time against.
 */
export function venueSignedFetch(keys: PartyKeys, atMs: number, method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  const bytes = body === undefined ? undefined : body instanceof Uint8Array ? body : utf8(JSON.stringify(body));
  const u = new URL(url);
  const authorization = signVenueRequest(keys, { method, pathAndQuery: u.pathname + u.search, atMs, body: bytes });
  const type: Record<string, string> = body === undefined ? {} : { 'content-type': body instanceof Uint8Array ? 'application/octet-stream' : 'application/json' };
  return fetch(u, { method, headers: { authorization, ...type, ...headers }, body: bytes });
}
