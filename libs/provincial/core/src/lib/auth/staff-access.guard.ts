import { CanActivate, ExecutionContext, Inject, Injectable, createParamDecorator } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { timingSafeEqual, createHash } from 'node:crypto';
import type { StaffRole } from '@kaowu/contracts';
import { DomainError, Public, PublicPolicy, RoutePolicy, RoutePolicyBase, declaredPolicy } from '@kaowu/server-kit';
import { PROVINCIAL_CONTEXT, ProvincialContext } from '../provincial-context';
import { StaffTokenService } from './staff-token.service';
import { VenuePolicy, attachVenue, authenticateVenue } from './venue-credential';
import { StaffAccessLevel, StaffPrincipal, roleForbidden } from './staff-principal';

const PRINCIPAL = Symbol('kaowu:staff-principal');

/** Staff routes: the access level (and for 'provincial', whether the auditor may read it). */
export interface StaffPolicy extends RoutePolicyBase {
  kind: 'staff';
  level: StaffAccessLevel;
  reads: boolean;
}
export type ProvincialRoutePolicy = StaffPolicy | VenuePolicy | PublicPolicy;

/**
 * The staff a route admits. Every route declares one (or is @PublicEndpoint): the global guard refuses
 * a route without a declaration, so a new route is closed until someone decides who may call it.
 * `reads: true` on a 'provincial' route lets the auditor in too (it changes nothing).
 */
export const StaffAccess = (level: StaffAccessLevel, opts: { reads?: boolean } = {}) => RoutePolicy<StaffPolicy>({ kind: 'staff', level, reads: opts.reads ?? false });

/**
 * A route that is not for staff: venues and candidates call it, and what it serves is protected
 * otherwise (signed and sealed to the venue, or matched on ID number and name). `why` says how.
 */
export const PublicEndpoint = (why: string) => Public(why);

/** The authenticated member of staff of the request (set by StaffAccessGuard). */
export const Staff = createParamDecorator((_: unknown, ctx: ExecutionContext): StaffPrincipal => {
  const principal = (ctx.switchToHttp().getRequest<Request>() as unknown as Record<symbol, StaffPrincipal | undefined>)[PRINCIPAL];
  if (!principal) throw new Error('@Staff() used on a route without StaffAccessGuard');
  return principal;
});

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

function allowed(p: StaffPrincipal, level: StaffAccessLevel, reads: boolean): StaffRole[] | null {
  const required: StaffRole[] = level === 'read' ? ['provincial-admin', 'municipal-admin', 'auditor'] : level === 'change' ? ['provincial-admin', 'municipal-admin'] : reads ? ['provincial-admin', 'auditor'] : ['provincial-admin'];
  return required.includes(p.role) ? null : required;
}

/**
 * The one global guard of the provincial server (deny by default). Authenticates staff by bearer token (issued tokens, or the bootstrap PROVINCIAL_ADMIN_TOKEN) and
 * checks the route's access level. Region scoping is the services' job: they know what a row belongs to.
 */
@Injectable()
export class StaffAccessGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(PROVINCIAL_CONTEXT) private readonly ctx: ProvincialContext,
    @Inject(StaffTokenService) private readonly tokens: StaffTokenService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    const access = declaredPolicy<ProvincialRoutePolicy>(this.reflector, context);
    if (!access) throw policyMissing(req);
    if (access.kind === 'public') return true;
    if (access.kind === 'venue') {
      attachVenue(req, await authenticateVenue(req, this.ctx.db.dataSource, this.ctx.clock.now()));
      return true;
    }
    const principal = await this.authenticate(req);
    const required = allowed(principal, access.level, access.reads);
    if (required) throw roleForbidden(principal, required);
    (req as unknown as Record<symbol, StaffPrincipal>)[PRINCIPAL] = principal;
    return true;
  }

  private async authenticate(req: Request): Promise<StaffPrincipal> {
    const header = req.headers['authorization'];
    if (header) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match) throw unauthorized();
      const bootstrap = this.ctx.config.PROVINCIAL_ADMIN_TOKEN;
      if (bootstrap && sameSecret(match[1], bootstrap)) return { actor: 'provincial-admin (bootstrap token)', role: 'provincial-admin', regionCode: null };
      const principal = await this.tokens.principalOf(match[1]);
      if (!principal) throw unauthorized();
      return principal;
    }
    // Without a configured bootstrap token, the machine itself is the provincial admin — but not
    // a request relayed by a reverse proxy on the same host (it carries a forwarding header).
    const proxied = req.headers['x-forwarded-for'] !== undefined || req.headers['forwarded'] !== undefined;
    if (!this.ctx.config.PROVINCIAL_ADMIN_TOKEN && !proxied && LOOPBACK.has(req.socket.remoteAddress ?? '')) return { actor: 'provincial-admin@localhost', role: 'provincial-admin', regionCode: null };
    throw unauthorized();
  }
}

const policyMissing = (req: Request) =>
  new DomainError('ROUTE_POLICY_MISSING', '此接口尚未声明访问权限，已拒绝', `${req.method} ${req.path} declares no access policy and is refused`);

const unauthorized = () => new DomainError('UNAUTHORIZED', '请先登录：需要有效的工作人员令牌（Authorization: Bearer …）', 'a valid staff token is required (Authorization: Bearer …)', 'authorization');

function sameSecret(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}
