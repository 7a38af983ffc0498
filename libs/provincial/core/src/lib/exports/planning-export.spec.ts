import ExcelJS from 'exceljs';
import { ManualClock } from '@kaowu/exam-domain';
import { startPlanningServer } from '../test-support/planning-test-server';
import { REGISTRATION_HEADER as HEADER, idOf, registrationRow as row } from '../test-support/registration-csv';

const clock = new ManualClock(new Date('2026-07-01T02:00:00Z'));
// Test bodies are checked field by field below.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const j = (res: Response): Promise<any> => res.json();

// 贵阳市: 12 candidates × 2 subjects into 2 rooms of 10 seats (9 each after the 5% spare); 遵义市: 11 into one room (9): 2 unplaced.
const GUIYANG = Array.from({ length: 12 }, (_, i) => i + 1);
const ZUNYI = Array.from({ length: 11 }, (_, i) => i + 101);

/** The rows of an XLSX's first sheet as header → value records (what a clerk sees in Excel). */
async function readSheet(res: Response): Promise<Record<string, unknown>[]> {
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  expect(res.headers.get('content-disposition')).toMatch(/^attachment; .*filename\*=UTF-8''/);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  const header = (ws.getRow(1).values as unknown[]).slice(1).map(String);
  const rows: Record<string, unknown>[] = [];
  ws.eachRow((r, n) => {
    if (n === 1) return;
    const values = (r.values as unknown[]).slice(1);
    rows.push(Object.fromEntries(header.map((h, i) => [h, values[i] ?? ''])));
  });
  return rows;
}

describe('导出 Excel, 考点与考场, 操作日志, staff token expiry (real server and database)', () => {
  let planning: Awaited<ReturnType<typeof startPlanningServer>>;
  let api: string;
  let municipal: string;
  const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> => planning.server.ctx.db.dataSource.query(sql, params);
  const call = (token: string | undefined, path: string, init: RequestInit = {}) =>
    fetch(api + path, { ...init, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.body ? { 'content-type': 'application/json' } : {}), ...(init.headers as Record<string, string>) } });

  beforeAll(async () => {
    planning = await startPlanningServer('exports', clock, [{ batchCode: 'B1', date: '2026-09-05', startTimes: ['08:30', '13:30', '18:00'] }]);
    const { send } = planning;
    api = planning.api;
    await send('POST', '/venues', { venueCode: 'V01', name: '贵州财经大学考点', rooms: [{ roomCode: 'R01', name: '第1考场', rows: 2, cols: 5 }, { roomCode: 'R02', name: '第2考场', rows: 2, cols: 5 }] });
    await send('POST', '/venues', { venueCode: 'V02', name: '遵义职业技术学院考点', rooms: [{ roomCode: 'R01', name: '第1考场', rows: 2, cols: 5 }] });
    await send('PUT', '/venues/V01/planning', { regionCode: '520100', address: '贵阳市花溪区', proctors: { R01: 2, R02: 1 }, technicalContacts: [{ name: '王工', phone: '13800000001', role: 'technician' }] });
    await send('PUT', '/venues/V02/planning', { regionCode: '520300', address: '遵义市新蒲新区' });
    const csv = [HEADER, ...GUIYANG.map((n) => row(n, '贵阳市', '中级会计实务、经济法')), ...ZUNYI.map((n) => row(n, '遵义市', '经济法'))].join('\n');
    const imported = await fetch(`${api}/sittings/ZJ2026/registrations/import?format=csv`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: csv });
    expect(imported.status).toBe(200);
    await send('POST', '/sittings/ZJ2026/allocation');
    municipal = (await send('POST', '/staff-tokens', { label: '贵阳市考办 张三', role: 'municipal-admin', regionCode: '520100' })).token;
  });

  afterAll(() => planning.close());

  it('exports registrants with the list’s filters, read back row by row', async () => {
    const all = await readSheet(await call(undefined, '/sittings/ZJ2026/registrants.xlsx'));
    expect(all).toHaveLength(GUIYANG.length + ZUNYI.length);
    const first = all.find((r) => r['证件号码'] === idOf(1));
    expect(first).toMatchObject({ 姓名: '考生1', 证件类型: '居民身份证', 地区代码: '520100', 地区: '贵阳市', 报考科目: '中级会计实务、经济法', 照片: '无' });
    expect(String(first?.['准考证号'])).toMatch(/^26\d{8}$/);
    const zunyi = await readSheet(await call(undefined, '/sittings/ZJ2026/registrants.xlsx?regionCode=520300'));
    expect(zunyi.map((r) => r['证件号码']).sort()).toEqual(ZUNYI.map(idOf).sort());
    const one = await readSheet(await call(undefined, `/sittings/ZJ2026/registrants.xlsx?idNo=${idOf(3).toLowerCase()}`));
    expect(one.map((r) => r['姓名'])).toEqual(['考生3']);
  });

  it('exports every placement by venue, room and seat, matching the stored allocation', async () => {
    const rows = await readSheet(await call(undefined, '/sittings/ZJ2026/allocation/placements.xlsx'));
    const stored = await q<{ n: number }>(`SELECT count(*)::int AS n FROM seat_allocation a, unnest(a.seats)`);
    expect(rows).toHaveLength(stored[0].n);
    expect(rows).toHaveLength(GUIYANG.length * 2 + 9);
    // no seat twice within a batch and subject, and the venue's rows in room and seat order
    const keys = rows.map((r) => `${r['考点代码']}/${r['考场']}/${r['座位号']}/${r['批次']}/${r['科目']}`);
    expect(new Set(keys).size).toBe(keys.length);
    const v01 = rows.filter((r) => r['考点代码'] === 'V01');
    expect(v01.map((r) => r['考场'])).toEqual([...v01.map((r) => String(r['考场']))].sort());
    const seated = rows.find((r) => r['证件号码'] === idOf(1) && r['科目'] === '中级会计实务');
    expect(seated).toMatchObject({ 考点: '贵州财经大学考点', 批次: 'B1', '开考时间（北京时间）': '2026-09-05 08:30', 姓名: '考生1', 地区代码: '520100' });
    const [{ seats }] = await q<{ seats: string[] }>('SELECT a.seats FROM seat_allocation a JOIN registrant r USING (registrant_id) WHERE r.id_no = $1', [idOf(1)]);
    expect(seats).toContain(`ZJSW/B1/V01/${seated?.['考场']}/${seated?.['座位号']}`);
    // one venue only
    const v02 = await readSheet(await call(undefined, '/sittings/ZJ2026/allocation/placements.xlsx?venueCode=V02'));
    expect(new Set(v02.map((r) => r['考点代码']))).toEqual(new Set(['V02']));
    expect(v02).toHaveLength(9);
  });

  it('exports the unplaced with the reason, and venues with spare machines and staffing', async () => {
    const unplaced = await readSheet(await call(undefined, '/sittings/ZJ2026/allocation/unplaced.xlsx'));
    expect(unplaced).toHaveLength(2);
    expect(unplaced[0]).toMatchObject({ 地区代码: '520300', 科目: 'JJF', 原因: '本地区考场已满', 原因代码: 'REGION_FULL' });

    const rooms = await readSheet(await call(undefined, '/venues.xlsx?sittingCode=ZJ2026'));
    expect(rooms.map((r) => `${r['考点代码']}/${r['考场']}`)).toEqual(['V01/R01', 'V01/R02', 'V02/R01']);
    expect(rooms[0]).toMatchObject({ 地区: '贵阳市', '座位布局（行×列）': '2 × 5', 座位数: 10, '备用考试机（5%）': 1, 可编排座位: 9, 已配监考: 2, 监考配备: '符合', 考点公钥: '未登记', 技术联系人: '技术负责人 王工 13800000001' });
    expect(rooms[1]).toMatchObject({ 已配监考: 1, 应配监考: '2–2', 监考配备: '监考员不足' });
    expect(rooms[2]).toMatchObject({ 监考配备: '未配备', 考试管理机: '2（每考场 1 台，备用 1 台）' });
  });

  it('gives a municipal admin’s export only their own region, and refuses another region', async () => {
    const registrants = await readSheet(await call(municipal, '/sittings/ZJ2026/registrants.xlsx'));
    expect(registrants.map((r) => r['证件号码']).sort()).toEqual(GUIYANG.map(idOf).sort());
    const placements = await readSheet(await call(municipal, '/sittings/ZJ2026/allocation/placements.xlsx'));
    expect(new Set(placements.map((r) => r['地区代码']))).toEqual(new Set(['520100']));
    expect(placements).toHaveLength(GUIYANG.length * 2);
    expect(await readSheet(await call(municipal, '/sittings/ZJ2026/allocation/unplaced.xlsx'))).toEqual([]);
    expect((await readSheet(await call(municipal, '/venues.xlsx'))).map((r) => r['考点代码'])).toEqual(['V01', 'V01']);
    expect((await j(await call(municipal, '/venues'))).map((v: { venueCode: string }) => v.venueCode)).toEqual(['V01']);
    for (const path of ['/sittings/ZJ2026/registrants.xlsx?regionCode=520300', '/sittings/ZJ2026/allocation/placements.xlsx?venueCode=V02', '/venues.xlsx?regionCode=520300', '/venues?regionCode=520300']) {
      const res = await call(municipal, path);
      expect([path, res.status]).toEqual([path, 403]);
      expect(await j(res)).toMatchObject({ code: 'REGION_FORBIDDEN', details: { regionCode: '520100' } });
    }
    // the audit log is the province's (and the auditor's)
    expect((await call(municipal, '/audit-log.xlsx')).status).toBe(403);
  });

  it('lists venues with rooms, layout, spares, management machines and staffing against the allocation', async () => {
    const venues = await j(await call(undefined, '/venues?sittingCode=ZJ2026'));
    expect(venues[0]).toMatchObject({
      venueCode: 'V01', regionName: '贵阳市', keyRegistered: false, keyFingerprint: null, managementMachines: { perRoom: 2, spare: 1, total: 3 },
      technicalContacts: [{ name: '王工', phone: '13800000001', role: 'technician' }],
    });
    expect(venues[0].rooms[0]).toEqual({
      roomCode: 'R01', name: '第1考场', rows: 2, cols: 5, seats: 10, spareMachines: 1, allocatable: 9, spareRoom: false, proctorsAssigned: 2,
      candidates: expect.any(Number), proctorsRequired: { min: 2, max: 2 }, staffing: 'ok',
    });
    // without a sitting nothing is checked against an allocation
    expect((await j(await call(undefined, '/venues')))[0].rooms[0]).toMatchObject({ candidates: null, staffing: null });
    // nor against a sitting not allocated yet (no room is "over-staffed" for want of candidates)
    await planning.send('POST', '/sittings', { sittingCode: 'ZJ2027', name: '2027年度', subjects: [{ subjectCode: 'JJF', subjectName: '经济法', durationMinutes: 120 }], batches: [{ batchCode: 'B1', date: '2027-09-05', startTimes: ['08:30'] }] });
    expect((await j(await call(undefined, '/venues?sittingCode=ZJ2027')))[0].rooms[0]).toMatchObject({ candidates: null, proctorsRequired: null, staffing: null });
  });

  it('pages and filters the audit log and exports the same filter', async () => {
    const page = await j(await call(undefined, '/audit-log?pageSize=2&action=venue.'));
    expect(page.total).toBe(4); // two venues created, two planning sets
    expect(page.events.map((e: { action: string }) => e.action)).toEqual(['venue.planning_set', 'venue.planning_set']);
    const second = await j(await call(undefined, '/audit-log?pageSize=2&page=2&action=venue.'));
    expect(second.events.map((e: { action: string }) => e.action)).toEqual(['venue.created', 'venue.created']);
    expect((await j(await call(undefined, '/audit-log?actor=localhost&action=allocation.run'))).total).toBe(1);
    expect((await j(await call(undefined, '/audit-log?from=2030-01-01T00:00:00Z'))).total).toBe(0);
    expect(await j(await call(undefined, '/audit-log/actions'))).toEqual(expect.arrayContaining(['allocation.run', 'registration.imported', 'staff_token.issued']));
    const bad = await call(undefined, '/audit-log?from=yesterday');
    expect(bad.status).toBe(400);
    expect(await j(bad)).toMatchObject({ code: 'VALIDATION_FAILED', field: 'from' });

    const rows = await readSheet(await call(undefined, '/audit-log.xlsx?action=venue.'));
    expect(rows.map((r) => r['操作'])).toEqual(['venue.planning_set', 'venue.planning_set', 'venue.created', 'venue.created']);
    expect(rows[0]).toMatchObject({ 操作人: 'provincial-admin@localhost', 对象: 'V02', '时间（北京时间）': '2026-07-01 10:00:00' });
  });

  it('expires a staff token at the end of its validity with TOKEN_EXPIRED, shown in the token list', async () => {
    const issued = await j(await call(undefined, '/staff-tokens', { method: 'POST', body: JSON.stringify({ label: '临时审计', role: 'auditor', validDays: 1 }) }));
    expect(issued).toMatchObject({ status: 'active', expiresAt: '2026-07-02T02:00:00.000Z' });
    expect((await call(issued.token, '/me')).status).toBe(200);
    const standard = await j(await call(undefined, '/staff-tokens', { method: 'POST', body: JSON.stringify({ label: '默认有效期', role: 'auditor' }) }));
    expect(standard.expiresAt).toBe('2026-07-31T02:00:00.000Z');

    clock.set(new Date('2026-07-02T02:00:00Z'));
    const expired = await call(issued.token, '/me');
    expect(expired.status).toBe(401);
    expect(await j(expired)).toMatchObject({
      code: 'TOKEN_EXPIRED', field: 'authorization', message: '令牌“临时审计”已于 2026-07-02 10:00（北京时间）过期，请联系省级考办重新签发', details: { tokenId: issued.tokenId },
    });
    expect((await call(standard.token, '/me')).status).toBe(200);
    const list = await j(await call(undefined, '/staff-tokens'));
    expect(list.find((t: { tokenId: string }) => t.tokenId === issued.tokenId)).toMatchObject({ status: 'expired' });
    expect(list.find((t: { tokenId: string }) => t.tokenId === standard.tokenId)).toMatchObject({ status: 'active' });

    const before = await q('SELECT token_id FROM staff_token ORDER BY token_id');
    for (const validDays of [0, 367, 1.5]) {
      const res = await call(undefined, '/staff-tokens', { method: 'POST', body: JSON.stringify({ label: '坏的有效期', role: 'auditor', validDays }) });
      expect(res.status).toBe(400);
      expect(await j(res)).toMatchObject({ code: 'VALIDATION_FAILED', field: 'validDays' });
    }
    expect(await q('SELECT token_id FROM staff_token ORDER BY token_id')).toEqual(before);
  });
});
