import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ManualClock } from '@kaowu/exam-domain';
import { PartyKeys, generatePartyKeys, initCrypto, publicKeysOf, signVenueRequest, utf8 } from '@kaowu/crypto';
import { createScratchDatabase } from '@kaowu/persistence';
import { DomainError, RouteEntry, routeTable } from '@kaowu/server-kit';
import { ProvincialConfigSchema } from '../provincial-config';
import { ProvincialServer, createProvincialServer } from '../provincial-server';
import { ProvincialRoutePolicy, StaffAccessGuard } from './staff-access.guard';

type Caller = 'none' | 'forged token' | 'auditor' | 'municipal-admin' | 'provincial-admin' | 'venue' | 'unregistered venue key';
const CALLERS: Caller[] = ['none', 'forged token', 'auditor', 'municipal-admin', 'provincial-admin', 'venue', 'unregistered venue key'];
const DENIALS = new Set(['UNAUTHORIZED', 'ROLE_FORBIDDEN', 'ROUTE_POLICY_MISSING', 'TOKEN_EXPIRED', 'VENUE_SIGNATURE_INVALID']);

/** Who the declared policy admits — the table the running server is checked against. */
function admits(policy: ProvincialRoutePolicy, caller: Caller): boolean {
  if (policy.kind === 'public') return true;
  if (policy.kind === 'venue') return caller === 'venue';
  if (caller === 'none' || caller === 'forged token' || caller === 'venue' || caller === 'unregistered venue key') return false;
  if (caller === 'provincial-admin') return true;
  if (policy.level === 'read') return true;
  if (policy.level === 'change') return caller === 'municipal-admin';
  return caller === 'auditor' && policy.reads;
}

/**
 * The authorization matrix: every HTTP route the running provincial server mounted (read from Nest,
 * not a hand list) is called by every kind of caller, and the answer must match the route's declared
 * policy. A route added without a policy is refused by the guard and fails here.
 */
describe('provincial authorization matrix (deny by default)', () => {
  const clock = new ManualClock(new Date('2026-07-01T02:00:00Z'));
  const adminToken = `boot_${randomBytes(24).toString('base64url')}`;
  const dir = mkdtempSync(join(tmpdir(), 'kaowu-matrix-'));
  let server: ProvincialServer;
  let drop: (() => Promise<void>) | undefined;
  const tokens: Partial<Record<Caller, string>> = {};
  let venueKeys: PartyKeys;
  let strangerKeys: PartyKeys;

  beforeAll(async () => {
    await initCrypto();
    venueKeys = generatePartyKeys('venue-V01');
    strangerKeys = generatePartyKeys('venue-V01');
    const scratch = process.env['DATABASE_URL'] ? await createScratchDatabase(process.env['DATABASE_URL'], 'kaowu_test_matrix') : undefined;
    drop = scratch?.drop;
    server = await createProvincialServer(ProvincialConfigSchema.parse({ PROVINCIAL_PORT: '0', PROVINCIAL_DATA_DIR: dir, DATABASE_URL: scratch?.url, PROVINCIAL_ADMIN_TOKEN: adminToken }), { clock, keyStrength: 'interactive', quiet: true });
    const send = async (path: string, method: string, body: unknown) => {
      const res = await fetch(`${server.url}/api/v1${path}`, { method, headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(res.status).toBeLessThan(300);
      return res.json() as Promise<{ token: string }>;
    };
    await send('/regions', 'PUT', { regions: [{ regionCode: '520100', name: '贵阳市' }] });
    tokens['auditor'] = (await send('/staff-tokens', 'POST', { label: '省审计', role: 'auditor' })).token;
    tokens['municipal-admin'] = (await send('/staff-tokens', 'POST', { label: '贵阳市考办', role: 'municipal-admin', regionCode: '520100' })).token;
    tokens['provincial-admin'] = (await send('/staff-tokens', 'POST', { label: '省考办 王五', role: 'provincial-admin' })).token;
    const planted = await fetch(`${server.url}/api/v1/venues`, { method: 'POST', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ venueCode: 'V01', name: '贵州财经大学考点', rooms: [{ roomCode: 'R01', name: '第1考场', rows: 2, cols: 5 }] }) });
    expect(planted.status).toBe(201);
    await send('/venues/V01/keys', 'POST', publicKeysOf(venueKeys));
    tokens['forged token'] = `kws_${randomBytes(6).toString('hex')}_${randomBytes(32).toString('base64url')}`;
  });

  afterAll(async () => {
    await server?.close();
    await drop?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it('every mounted route declares who may call it', () => {
    const routes = routeTable(server.app);
    expect(routes.length).toBeGreaterThan(50);
    expect(routes.filter((r) => !r.policy).map((r) => `${r.method} ${r.path} (${r.controller}.${r.handler})`)).toEqual([]);
    // every public route says what protects it
    for (const r of routes) if (r.policy?.kind === 'public') expect((r.policy as ProvincialRoutePolicy & { why: string }).why.length).toBeGreaterThan(10);
  });

  it('answers every route as its policy says, for every caller', async () => {
    // signing out revokes the caller's token: those calls go last, so every other route sees live tokens
    const endsSession = (r: RouteEntry) => r.path === '/api/v1/sign-out';
    const routes: RouteEntry[] = [...routeTable(server.app).filter((r) => !endsSession(r)), ...routeTable(server.app).filter(endsSession)];
    const mismatches: string[] = [];
    let calls = 0;
    for (const route of routes) {
      const policy = route.policy as ProvincialRoutePolicy;
      const path = route.path.replace(/:[A-Za-z]+/g, 'X1');
      for (const caller of CALLERS) {
        const token = tokens[caller];
        const hasBody = !['GET', 'DELETE', 'HEAD'].includes(route.method);
        const body = hasBody ? '{}' : undefined;
        const signer = caller === 'venue' ? venueKeys : caller === 'unregistered venue key' ? strangerKeys : null;
        const authorization = signer
          ? signVenueRequest(signer, { method: route.method, pathAndQuery: path, atMs: clock.now().getTime(), body: body ? utf8(body) : undefined })
          : token ? `Bearer ${token}` : undefined;
        const res = await fetch(server.url + path, {
          method: route.method,
          headers: { ...(authorization ? { authorization } : {}), ...(hasBody ? { 'content-type': 'application/json' } : {}) },
          body,
        });
        calls++;
        const answer = (await res.json().catch(() => null)) as { code?: string } | null;
        const denied = (res.status === 401 || res.status === 403) && DENIALS.has(answer?.code ?? '');
        if (res.status >= 500) mismatches.push(`${route.method} ${route.path} as ${caller}: ${res.status}`);
        else if (denied === admits(policy, caller)) mismatches.push(`${route.method} ${route.path} as ${caller}: ${res.status} ${answer?.code ?? ''}, policy ${JSON.stringify(policy)}`);
      }
    }
    expect(mismatches).toEqual([]);
    expect(calls).toBe(routes.length * CALLERS.length);
  });

  it('refuses a route that declares no policy with ROUTE_POLICY_MISSING', async () => {
    const guard = new StaffAccessGuard(new Reflector(), server.ctx, undefined as never);
    class Undeclared {
      handler() {
        return 'never';
      }
    }
    const context = {
      getHandler: () => Undeclared.prototype.handler,
      getClass: () => Undeclared,
      switchToHttp: () => ({ getRequest: () => ({ method: 'POST', path: '/api/v1/new-route', headers: {}, socket: {} }) }),
    } as unknown as ExecutionContext;
    await expect(guard.canActivate(context)).rejects.toMatchObject({ code: 'ROUTE_POLICY_MISSING' } satisfies Partial<DomainError>);
  });
});
