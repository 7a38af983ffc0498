import { signVenueRequest } from '@kaowu/crypto';
import type { VenueContext } from '../venue-context';

export interface ProvinceRequest {
  json?: unknown;
  raw?: Uint8Array;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/**
 * Every call of the venue server to the provincial API, signed with the venue's own key (the one
 * registered at the province): the province answers package pulls, key releases and result uploads
 * only to the venue whose key signed the request.
 */
export async function provinceFetch(ctx: VenueContext, method: 'GET' | 'POST' | 'PUT', path: string, req: ProvinceRequest = {}): Promise<Response> {
  const url = new URL(path, ctx.config.PROVINCE_URL);
  const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
  let body: Uint8Array | undefined;
  if (req.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = new TextEncoder().encode(JSON.stringify(req.json));
  } else if (req.raw) {
    headers['content-type'] = 'application/octet-stream';
    body = req.raw;
  }
  headers['authorization'] = signVenueRequest(ctx.keys, { method, pathAndQuery: url.pathname + url.search, atMs: ctx.clock.now().getTime(), body });
  return fetch(url, { method, headers, body, signal: req.signal });
}
