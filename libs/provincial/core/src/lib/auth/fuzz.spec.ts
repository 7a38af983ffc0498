import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { ErrorCode } from '@kaowu/contracts';
import { PartyKeys, generatePartyKeys, initCrypto, publicKeysOf, signVenueRequest, utf8 } from '@kaowu/crypto';
import { ManualClock } from '@kaowu/exam-domain';
import { createScratchDatabase } from '@kaowu/persistence';
import { RouteEntry, routeTable } from '@kaowu/server-kit';
import { ProvincialConfigSchema } from '../provincial-config';
import { ProvincialServer, createProvincialServer } from '../provincial-server';

/** Generated requests per run; FUZZ_RUNS raises it for a longer hunt. */
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 10_000);
const CODES = new Set<string>(ErrorCode.options);

/**
 * Property-based fuzzing of every route of the provincial server (fast-check): malformed bodies,
 * path parameters and query strings, sent as a provincial admin (or the registered venue, for the
 * venue routes) so they reach the schemas. Never a 5xx, every refusal carries a stable code, and a
 * refused request changes nothing (every change at the province is in the audit log).
 */
describe('provincial server under generated malformed input', () => {
  const clock = new ManualClock(new Date('2026-07-01T02:00:00Z'));
  const adminToken = `boot_${randomBytes(24).toString('base64url')}`;
  const dir = mkdtempSync(join(tmpdir(), 'kaowu-fuzz-'));
  let server: ProvincialServer;
  let drop: (() => Promise<void>) | undefined;
  let venue: PartyKeys;

  beforeAll(async () => {
    await initCrypto();
    venue = generatePartyKeys('venue-V01');
    const scratch = process.env['DATABASE_URL'] ? await createScratchDatabase(process.env['DATABASE_URL'], 'kaowu_test_fuzz') : undefined;
    drop = scratch?.drop;
    server = await createProvincialServer(ProvincialConfigSchema.parse({ PROVINCIAL_PORT: '0', PROVINCIAL_DATA_DIR: dir, DATABASE_URL: scratch?.url, PROVINCIAL_ADMIN_TOKEN: adminToken }), { clock, keyStrength: 'interactive', quiet: true });
    const send = (path: string, body: unknown) => fetch(`${server.url}/api/v1${path}`, { method: 'POST', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await send('/venues', { venueCode: 'V01', name: '贵州财经大学考点', rooms: [{ roomCode: 'R01', name: '第1考场', rows: 2, cols: 5 }] })).status).toBe(201);
    expect((await send('/venues/V01/keys', publicKeysOf(venue))).status).toBe(201);
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await drop?.();
    rmSync(dir, { recursive: true, force: true });
  });

  const auditHead = async () => Number((await server.ctx.db.dataSource.query('SELECT coalesce(max(id), 0) AS id FROM audit_event'))[0].id);

  it(`answers ${RUNS} generated requests with no 5xx, a code on every refusal, and no change when refused`, async () => {
    // /health may answer 503 by design (a full disk) and /metrics is text: the rest is fuzzed
    const routes: RouteEntry[] = routeTable(server.app).filter((r) => r.path !== '/health' && r.path !== '/metrics');
    const segment = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('V01', 'S1', '0', '-1', '..', '%00', 'ZJ2026', '1e309', 'NaN', '\u0000', '考点'));
    const body = fc.oneof(
      fc.jsonValue({ maxDepth: 4 }),
      fc.dictionary(fc.constantFrom('venueCode', 'sessionId', 'reason', 'regions', 'label', 'role', 'validDays', 'keyId', 'items', 'candidates', 'decision', 'page', 'limit'), fc.jsonValue({ maxDepth: 3 })),
      fc.string({ maxLength: 200 }).map((s) => ({ __raw: s })),
    );
    const query = fc.dictionary(fc.constantFrom('limit', 'beforeId', 'page', 'pageSize', 'regionCode', 'sessionId', 'sittingCode', 'idNo', 'name', 'actor', 'from', 'to', 'status', 'format'), fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('-1', '1e309', 'abc', '%00', '99999999999999999999')), { maxKeys: 3 });
    let calls = 0;
    let refused = 0;
    const failures: string[] = [];

    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), fc.array(segment, { minLength: 4, maxLength: 4 }), body, query, async (route, segs, payload, q) => {
        let i = 0;
        const path = route.path.replace(/:[A-Za-z]+/g, () => encodeURIComponent(segs[i++] ?? 'X'));
        const search = new URLSearchParams(q).toString();
        const url = `${path}${search ? `?${search}` : ''}`;
        const hasBody = !['GET', 'DELETE'].includes(route.method);
        const text = !hasBody ? undefined : typeof payload === 'object' && payload !== null && '__raw' in payload ? String((payload as { __raw: string }).__raw) : JSON.stringify(payload);
        const authorization = route.policy?.kind === 'venue' ? signVenueRequest(venue, { method: route.method, pathAndQuery: url, atMs: clock.now().getTime(), body: text === undefined ? undefined : utf8(text) }) : `Bearer ${adminToken}`;
        const problems: string[] = [];
        const before = await auditHead();
        const res = await fetch(server.url + url, { method: route.method, headers: { authorization, ...(hasBody ? { 'content-type': 'application/json' } : {}) }, body: text });
        calls++;
        const type = res.headers.get('content-type') ?? '';
        const answer = type.includes('json') ? ((await res.json().catch(() => null)) as { code?: string } | null) : (await res.arrayBuffer(), null);
        if (res.status >= 500) problems.push(`${route.method} ${url} → ${res.status} ${JSON.stringify(answer)}`);
        if (res.status >= 400) {
          refused++;
          if (!answer?.code || !CODES.has(answer.code)) problems.push(`${route.method} ${url} → ${res.status} without a code`);
          const after = await auditHead();
          if (after !== before) problems.push(`${route.method} ${url} → ${res.status} but the audit log grew`);
        }
        failures.push(...problems);
        return problems.length === 0;
      }),
      { numRuns: RUNS, seed: Number(process.env['FUZZ_SEED'] ?? 20261204), endOnFailure: true },
    ).catch((error: Error) => {
      throw new Error(`${failures.slice(0, 5).join('\n')}\n${error.message}`);
    });
    expect(failures).toEqual([]);
    expect(calls).toBe(RUNS);
    // most generated requests are malformed and must be refused; the rest (reads of empty lists) succeed
    expect(refused).toBeGreaterThan(RUNS * 0.5);
  }, 600_000);
});
