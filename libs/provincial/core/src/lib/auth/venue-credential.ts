import { ExecutionContext, createParamDecorator } from '@nestjs/common';
import type { Request } from 'express';
import type { DataSource } from 'typeorm';
import { parseVenueAuthorization, verifyVenueRequest } from '@kaowu/crypto';
import { DomainError, RoutePolicy, RoutePolicyBase } from '@kaowu/server-kit';

/** Routes a venue server calls with its own key: package pull, key release, result upload. */
export interface VenuePolicy extends RoutePolicyBase {
  kind: 'venue';
}

/**
 * A route for venue servers only. The request must be signed (Authorization: Kaowu-Venue …) by the
 * key registered for a venue and not revoked; the handler then confines it to that venue's data.
 */
export const VenueAccess = () => RoutePolicy<VenuePolicy>({ kind: 'venue' });

/** The venue behind a signed request. */
export interface VenuePrincipal {
  venueCode: string;
  keyId: string;
}

const VENUE = Symbol('kaowu:venue-principal');
/** How far the venue's clock may be from the province's (the venue checks its clock at T-90). */
const MAX_SKEW_MS = 5 * 60_000;

export const Venue = createParamDecorator((_: unknown, ctx: ExecutionContext): VenuePrincipal => {
  const principal = (ctx.switchToHttp().getRequest<Request>() as unknown as Record<symbol, VenuePrincipal | undefined>)[VENUE];
  if (!principal) throw new Error('@Venue() used on a route without @VenueAccess()');
  return principal;
});

export const attachVenue = (req: Request, p: VenuePrincipal) => ((req as unknown as Record<symbol, VenuePrincipal>)[VENUE] = p);

const invalid = (why: string, whyEn: string) => new DomainError('VENUE_SIGNATURE_INVALID', `考点服务器身份验证失败：${why}`, `venue request signature refused: ${whyEn}`, 'authorization');

/** The exact bytes the venue signed: the JSON text as sent, a raw body's bytes, or nothing. */
function bodyBytes(req: Request): Uint8Array {
  const raw = (req as Request & { rawBody?: Buffer }).rawBody;
  if (raw) return raw;
  if (Buffer.isBuffer(req.body)) return req.body;
  return new Uint8Array(0);
}

/** Checks a venue's signed request against the keys registered at the province. */
export async function authenticateVenue(req: Request, ds: DataSource, now: Date): Promise<VenuePrincipal> {
  const auth = parseVenueAuthorization(req.headers.authorization);
  if (!auth) throw invalid('缺少考点服务器签名（Authorization: Kaowu-Venue …）', 'no Kaowu-Venue signature');
  if (Math.abs(now.getTime() - auth.atMs) > MAX_SKEW_MS)
    throw invalid('签名时间与省级服务器时间相差超过 5 分钟，请检查考点服务器时钟', 'the signature time is more than 5 minutes off the province clock');
  const [venue]: { venue_code: string; signing_public_key: string }[] = await ds.query(
    `SELECT v.venue_code, v.signing_public_key FROM venue v
     WHERE v.key_id = $1 AND v.signing_public_key IS NOT NULL AND NOT EXISTS (SELECT 1 FROM venue_key_revocation r WHERE r.key_id = v.key_id)`,
    [auth.keyId],
  );
  if (!venue) throw invalid('签名密钥未登记或已吊销', 'the signing key is not registered for any venue, or revoked');
  if (!verifyVenueRequest(auth, { method: req.method, pathAndQuery: req.originalUrl, body: bodyBytes(req) }, venue.signing_public_key))
    throw invalid('签名不正确', 'the signature does not match the request');
  return { venueCode: venue.venue_code, keyId: auth.keyId };
}

/** A venue may touch its own packages and results only. */
export function assertOwnVenue(p: VenuePrincipal, venueCode: string | null | undefined, field = 'venueCode'): void {
  if (p.venueCode === venueCode) return;
  throw new DomainError('FORBIDDEN', `考点 ${p.venueCode} 只能访问本考点的考试包与考试数据`, `venue ${p.venueCode} may access its own packages and results only`, field);
}
