import { ManualClock } from '@kaowu/exam-domain';
import { startPlanningServer } from '../test-support/planning-test-server';
import { REGISTRATION_HEADER as HEADER, idOf, registrationRow as row } from '../test-support/registration-csv';

const clock = new ManualClock(new Date('2026-07-01T02:00:00Z'));
const GUIYANG = [1, 2, 3];
const ZUNYI = [101, 102];

describe('staff roles at the province: 省级考办, 市、州 考办 (own region only), 审计 (read-only)', () => {
  let planning: Awaited<ReturnType<typeof startPlanningServer>>;
  let api: string;
  let municipal: string;
  let municipalId: string;
  let auditor: string;
  const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> => planning.server.ctx.db.dataSource.query(sql, params);
  const call = (token: string | undefined, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(api + path, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': typeof body === 'string' ? 'text/csv' : 'application/json' }), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
  // Error bodies are checked field by field below.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const j = (res: Response): Promise<any> => res.json();
  const auditCount = async () => Number((await q<{ n: string }>('SELECT count(*) AS n FROM audit_event'))[0].n);

  beforeAll(async () => {
    planning = await startPlanningServer('staffaccess', clock, [{ batchCode: 'B1', date: '2026-09-05', startTimes: ['08:30', '13:30', '18:00'] }]);
    const { send } = planning;
    api = planning.api;
    await send('POST', '/venues', { venueCode: 'V01', name: '贵州财经大学考点', rooms: [{ roomCode: 'R01', name: '第1考场', rows: 2, cols: 5 }] });
    await send('POST', '/venues', { venueCode: 'V02', name: '遵义职业技术学院考点', rooms: [{ roomCode: 'R01', name: '第1考场', rows: 2, cols: 5 }] });
    await send('PUT', '/venues/V01/planning', { regionCode: '520100', address: '贵阳市花溪区' });
    await send('PUT', '/venues/V02/planning', { regionCode: '520300', address: '遵义市新蒲新区' });
    const imported = await call(undefined, 'POST', '/sittings/ZJ2026/registrations/import?format=csv', [HEADER, ...GUIYANG.map((n) => row(n, '贵阳市')), ...ZUNYI.map((n) => row(n, '遵义市'))].join('\n'));
    expect(imported.status).toBe(200);
    await send('POST', '/sittings/ZJ2026/allocation');
    const m = await send('POST', '/staff-tokens', { label: '贵阳市考办 张三', role: 'municipal-admin', regionCode: '520100' });
    municipal = m.token;
    municipalId = m.tokenId;
    auditor = (await send('POST', '/staff-tokens', { label: '省审计 李四', role: 'auditor' })).token;
  });

  afterAll(() => planning.close());

  it('refuses a municipal admin another region’s venues, registrants and tickets with REGION_FORBIDDEN', async () => {
    const refusals = [
      await call(municipal, 'GET', '/sittings/ZJ2026/registrants?regionCode=520300'),
      await call(municipal, 'GET', `/sittings/ZJ2026/registrants/${idOf(101)}/ticket.pdf`),
      await call(municipal, 'GET', `/sittings/ZJ2026/registrants/${idOf(101)}/seats`),
      await call(municipal, 'GET', '/sittings/ZJ2026/venues/V02/tickets.pdf'),
      await call(municipal, 'PUT', '/venues/V02/planning', { regionCode: '520300', address: '改到别处' }),
      // moving an own venue into another region is refused too
      await call(municipal, 'PUT', '/venues/V01/planning', { regionCode: '520300', address: '改到别处' }),
    ];
    for (const res of refusals) {
      expect(res.status).toBe(403);
      const body = await j(res);
      expect(body).toMatchObject({ code: 'REGION_FORBIDDEN', details: { regionCode: '520100' } });
      expect(body.message).toContain('市、州考办只能管理本地区的数据');
      expect(body.messageEn).toContain('outside your region');
      expect(['regionCode', 'idNo', 'venueCode']).toContain(body.field);
    }
    const venues = await q<{ venue_code: string; region_code: string; address: string }>('SELECT venue_code, region_code, address FROM venue ORDER BY venue_code');
    expect(venues).toEqual([
      { venue_code: 'V01', region_code: '520100', address: '贵阳市花溪区' },
      { venue_code: 'V02', region_code: '520300', address: '遵义市新蒲新区' },
    ]);
  });

  it('shows a municipal admin their own region only, and lets them manage its venues', async () => {
    const list = await j(await call(municipal, 'GET', '/sittings/ZJ2026/registrants'));
    expect(list.registrants.map((r: { idNo: string }) => r.idNo).sort()).toEqual(GUIYANG.map(idOf).sort());
    const report = await j(await call(municipal, 'GET', '/sittings/ZJ2026/allocation'));
    expect(report).toMatchObject({ regionCode: '520100', candidates: 3, placements: 3 });
    expect(report.rooms.map((r: { venueCode: string }) => r.venueCode)).toEqual(['V01']);
    const ticket = await call(municipal, 'GET', `/sittings/ZJ2026/registrants/${idOf(1)}/ticket.pdf`);
    expect(ticket.status).toBe(200);
    expect(ticket.headers.get('content-type')).toBe('application/pdf');
    expect((await call(municipal, 'PUT', '/venues/V01/planning', { regionCode: '520100', address: '贵阳市花溪区贵州财经大学' })).status).toBe(200);
    // province-wide work stays with the province
    const allocate = await call(municipal, 'POST', '/sittings/ZJ2026/allocation');
    expect(allocate.status).toBe(403);
    expect(await j(allocate)).toMatchObject({ code: 'ROLE_FORBIDDEN', message: '此操作只允许省级考办执行' });
  });

  it('lets an auditor read everything and change nothing', async () => {
    expect((await j(await call(auditor, 'GET', '/sittings/ZJ2026/registrants'))).total).toBe(GUIYANG.length + ZUNYI.length);
    for (const path of ['/sittings', '/sittings/ZJ2026', '/sittings/ZJ2026/allocation', `/sittings/ZJ2026/registrants/${idOf(101)}/ticket.pdf`, '/sittings/ZJ2026/venues/V02/tickets.pdf', '/audit-events', '/staff-tokens', '/intake', '/scores', '/venues', '/audit-log', '/audit-log.xlsx', '/sittings/ZJ2026/registrants.xlsx'])
      expect([path, (await call(auditor, 'GET', path)).status]).toEqual([path, 200]);

    const before = { audit: await auditCount(), venues: await q('SELECT * FROM venue ORDER BY venue_code'), registrants: await q('SELECT * FROM registrant ORDER BY id_no'), runs: await q('SELECT id FROM allocation_run') };
    const changes: [string, string, unknown?][] = [
      ['POST', '/sittings', { sittingCode: 'X1', name: 'x', subjects: [{ subjectCode: 'A', subjectName: 'a', durationMinutes: 60 }], batches: [{ batchCode: 'B1', date: '2026-09-05', startTimes: ['08:30'] }] }],
      ['PUT', '/regions', { regions: [{ regionCode: '520400', name: '安顺市' }] }],
      ['POST', '/venues', { venueCode: 'V03', name: '新考点', rooms: [{ roomCode: 'R01', name: '第1考场', rows: 2, cols: 2 }] }],
      ['PUT', '/venues/V01/planning', { regionCode: '520100', address: '审计改的地址' }],
      ['POST', '/sittings/ZJ2026/registrations/import?format=csv', [HEADER, row(4, '贵阳市')].join('\n')],
      ['POST', '/sittings/ZJ2026/allocation'],
      ['PUT', '/sittings/ZJ2026/ticket-printing', { opensAt: '2026-08-20T02:00:00Z' }],
      ['PUT', '/sittings/ZJ2026', { name: 'x', subjects: [{ subjectCode: 'A', subjectName: 'a', durationMinutes: 60 }], batches: [{ batchCode: 'B1', date: '2026-09-05', startTimes: ['08:30'] }] }],
      ['POST', '/staff-tokens', { label: '自己发的', role: 'provincial-admin' }],
      ['DELETE', `/staff-tokens/${municipalId}`],
      ['GET', '/venue-packages/V01/S1/credentials'],
    ];
    for (const [method, path, body] of changes) {
      const res = await call(auditor, method, path, body);
      expect([method, path, res.status]).toEqual([method, path, 403]);
      expect(await j(res)).toMatchObject({ code: 'ROLE_FORBIDDEN', message: '审计账号只能查看，不能修改任何数据', messageEn: 'an auditor may read but change nothing' });
    }
    expect(await auditCount()).toBe(before.audit);
    expect(await q('SELECT * FROM venue ORDER BY venue_code')).toEqual(before.venues);
    expect(await q('SELECT * FROM registrant ORDER BY id_no')).toEqual(before.registrants);
    expect(await q('SELECT id FROM allocation_run')).toEqual(before.runs);
  });

  it('records the real actor of every change in the audit log', async () => {
    await call(municipal, 'PUT', '/venues/V01/planning', { regionCode: '520100', address: '贵阳市花溪区（第二次）' });
    await call(undefined, 'PUT', '/sittings/ZJ2026/ticket-printing', { opensAt: '2026-08-20T02:00:00Z' });
    const events = await j(await call(auditor, 'GET', '/audit-events?limit=2'));
    expect(events.map((e: { action: string; actor: string }) => [e.action, e.actor])).toEqual([
      ['tickets.printing_scheduled', 'provincial-admin@localhost'],
      ['venue.planning_set', `贵阳市考办 张三 (municipal-admin@520100, ${municipalId})`],
    ]);
    const issued = await q<{ actor: string; subject: string }>("SELECT actor, subject FROM audit_event WHERE action = 'staff_token.issued' ORDER BY id");
    expect(issued.map((e) => e.actor)).toEqual(['provincial-admin@localhost', 'provincial-admin@localhost']);
    expect((await j(await call(auditor, 'GET', '/me')))).toEqual({ actor: expect.stringContaining('省审计 李四 (auditor'), role: 'auditor', regionCode: null });
  });

  it('keeps only a hash of each token, refuses unknown, revoked and proxied anonymous callers', async () => {
    const stored = await q<{ secret_sha256: string }>('SELECT secret_sha256 FROM staff_token');
    expect(stored.every((t) => /^[0-9a-f]{64}$/.test(t.secret_sha256) && t.secret_sha256 !== municipal && t.secret_sha256 !== auditor)).toBe(true);
    expect(JSON.stringify(await q('SELECT * FROM staff_token'))).not.toContain(municipal.slice(-20));

    const unknown = await call('kws_000000000000_forged', 'GET', '/sittings/ZJ2026/registrants');
    expect(unknown.status).toBe(401);
    expect(await j(unknown)).toMatchObject({ code: 'UNAUTHORIZED', field: 'authorization' });
    // through a reverse proxy on the same host the loopback address proves nothing
    expect((await call(undefined, 'GET', '/sittings/ZJ2026/registrants', undefined, { 'x-forwarded-for': '203.0.113.9' })).status).toBe(401);

    const temp = await j(await call(undefined, 'POST', '/staff-tokens', { label: '临时', role: 'auditor' }));
    expect((await call(temp.token, 'GET', '/me')).status).toBe(200);
    expect((await j(await call(undefined, 'DELETE', `/staff-tokens/${temp.tokenId}`))).revokedAt).not.toBeNull();
    expect((await call(temp.token, 'GET', '/me')).status).toBe(401);
  });

  it('answers malformed query parameters and NUL bytes with 400 and a code, never 500 (issue 14, hole 8)', async () => {
    for (const path of ['/audit-events?limit=abc', '/audit-events?beforeId=-1', '/venues?regionCode=%00', '/scores?sessionId=%00', '/key-releases/%00']) {
      const res = await call(auditor, 'GET', path);
      expect([path, res.status]).toEqual([path, 400]);
      expect((await j(res)).code).toBe('VALIDATION_FAILED');
    }
    expect(await j(await call(auditor, 'GET', '/audit-events?limit=abc'))).toMatchObject({ field: 'limit' });
  });

  it('refuses a bad token request with the field at fault and issues nothing', async () => {
    const before = await q('SELECT token_id FROM staff_token');
    for (const [body, field] of [
      [{ label: '没有地区', role: 'municipal-admin' }, 'regionCode'],
      [{ label: '审计带地区', role: 'auditor', regionCode: '520100' }, 'regionCode'],
      [{ label: '', role: 'auditor' }, 'label'],
      [{ label: '未知角色', role: 'root' }, 'role'],
      [{ label: '未知地区', role: 'municipal-admin', regionCode: '999999' }, 'regionCode'],
    ] as const) {
      const res = await call(undefined, 'POST', '/staff-tokens', body);
      expect(res.status).toBe(400);
      expect(await j(res)).toMatchObject({ code: 'VALIDATION_FAILED', field });
    }
    expect(await q('SELECT token_id FROM staff_token')).toEqual(before);
  });

  it('signs out: the token of the request stops working at once and the log says so', async () => {
    const t = await planning.send('POST', '/staff-tokens', { label: '省审计 临时', role: 'auditor' });
    expect((await call(t.token, 'GET', '/me')).status).toBe(200);
    const out = await call(t.token, 'POST', '/sign-out');
    expect(out.status).toBe(200);
    expect(await j(out)).toMatchObject({ tokenId: t.tokenId, status: 'revoked' });
    expect((await call(t.token, 'GET', '/me')).status).toBe(401);
    expect(await planning.auditActions()).toContain('staff_token.revoked');
  });
});
