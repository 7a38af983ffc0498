import { ManualClock } from '@kaowu/exam-domain';
import { startPlanningServer } from '../test-support/planning-test-server';

const clock = new ManualClock(new Date('2026-07-01T02:00:00Z'));

/**
 * The attacks of the security audit (issue 14) that reach the provincial server at its door:
 * a page on another origin, oversized bodies, bytes PostgreSQL cannot take.
 */
describe('the provincial server refuses at the door', () => {
  let planning: Awaited<ReturnType<typeof startPlanningServer>>;
  let api: string;
  const tokenCount = async () => Number((await planning.server.ctx.db.dataSource.query('SELECT count(*) AS n FROM staff_token'))[0].n);

  beforeAll(async () => {
    planning = await startPlanningServer('attacks', clock, [{ batchCode: 'B1', date: '2026-09-05', startTimes: ['08:30', '13:30', '18:00'] }]);
    api = planning.api;
  });
  afterAll(() => planning.close());

  it('CSRF: a form posted by a page on another origin creates no provincial-admin token (415, then 403 for the origin)', async () => {
    const before = await tokenCount();
    const form = await fetch(`${api}/staff-tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'label=pwned&role=provincial-admin',
    });
    expect(form.status).toBe(415);
    expect(await form.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', field: 'content-type' });
    const textPlain = await fetch(`${api}/staff-tokens`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"label":"pwned","role":"provincial-admin"}' });
    expect(textPlain.status).toBe(415);
    const foreign = await fetch(`${api}/staff-tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: JSON.stringify({ label: 'pwned', role: 'provincial-admin' }),
    });
    expect(foreign.status).toBe(403);
    const body = (await foreign.json()) as { message: string };
    expect(body).toMatchObject({ code: 'ORIGIN_FORBIDDEN', field: 'origin' });
    expect(body.message).toContain('不接受来自其他网站');
    const sandboxed = await fetch(`${api}/staff-tokens`, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'null' }, body: JSON.stringify({ label: 'pwned', role: 'provincial-admin' }) });
    expect(sandboxed.status).toBe(403);
    expect(await tokenCount()).toBe(before);
  });

  it('the console served by this server changes state as before (its own origin)', async () => {
    const own = new URL(api).origin;
    const res = await fetch(`${api}/staff-tokens`, { method: 'POST', headers: { 'content-type': 'application/json', origin: own }, body: JSON.stringify({ label: '省考办 测试', role: 'auditor' }) });
    expect(res.status).toBe(201);
  });

  it('a 50 MB body to a public route is refused with 413 before it is read', async () => {
    const big = Buffer.alloc(50 * 1024 * 1024, 0x20);
    const res = await fetch(`${api}/tickets/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', field: 'body' });
    // a staff form body over its route's limit too
    const form = await fetch(`${api}/regions`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: Buffer.alloc(300 * 1024, 0x20) });
    expect(form.status).toBe(413);
  });

  it('a chunked body with no length is cut at the limit too', async () => {
    const chunks = (async function* () {
      for (let i = 0; i < 64; i++) yield new Uint8Array(16 * 1024).fill(0x20);
    })();
    const res = await fetch(`${api}/tickets/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: chunks, duplex: 'half' } as unknown as RequestInit);
    expect(res.status).toBe(413);
  });

  it('NUL bytes and non-numbers in URLs and bodies get 400 with a code, never 500', async () => {
    for (const path of ['/audit-events?limit=abc', '/venues?regionCode=%00', '/scores?sessionId=%00', '/key-releases/%00', '/sittings/%00/registrants']) {
      const res = await fetch(api + path);
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
      expect(((await res.json()) as { code: string }).code).toBe('VALIDATION_FAILED');
    }
    const body = await fetch(`${api}/regions`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"regions":[{"regionCode":"520100","name":"贵\\u0000阳"}]}' });
    expect(body.status).toBe(400);
    expect(await body.json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'body' });
    const broken = await fetch(`${api}/regions`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"regions":[' });
    expect(broken.status).toBe(400);
    const [{ name }] = await planning.server.ctx.db.dataSource.query("SELECT name FROM region WHERE region_code = '520100'");
    expect(name).toBe('贵阳市');
  });
});
