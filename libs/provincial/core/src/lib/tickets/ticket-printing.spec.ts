import { ManualClock } from '@kaowu/exam-domain';
import { startPlanningServer } from '../test-support/planning-test-server';
import { REGISTRATION_HEADER as HEADER, idOf, registrationRow } from '../test-support/registration-csv';

const clock = new ManualClock(new Date('2026-07-01T02:00:00Z'));
// Test bodies are checked field by field below.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const j = (res: Response): Promise<any> => res.json();
const row = (n: number) => registrationRow(n, '贵阳市');
const SUBJECTS = [
  { subjectCode: 'ZJSW', subjectName: '中级会计实务', durationMinutes: 165 },
  { subjectCode: 'CWGL', subjectName: '财务管理', durationMinutes: 135 },
  { subjectCode: 'JJF', subjectName: '经济法', durationMinutes: 120 },
];

describe('网上打印准考证 (public: opening time, rate limit) and 修改考试计划 (real server and database)', () => {
  let planning: Awaited<ReturnType<typeof startPlanningServer>>;
  let api: string;
  const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> => planning.server.ctx.db.dataSource.query(sql, params);
  /** A candidate's lookup from a given address (the province's proxy on loopback appends it to X-Forwarded-For). */
  const lookup = (idNo: string, name: string, from = '198.51.100.7') =>
    fetch(`${api}/sittings/ZJ2026/tickets?idNo=${idNo}&name=${encodeURIComponent(name)}`, { headers: { 'x-forwarded-for': `10.0.0.1, ${from}` } });
  const put = (path: string, body: unknown) => fetch(api + path, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  beforeAll(async () => {
    planning = await startPlanningServer('ticketprinting', clock, [{ batchCode: 'B1', date: '2026-09-05', startTimes: ['08:30', '13:30', '18:00'] }]);
    api = planning.api;
    await planning.send('POST', '/venues', { venueCode: 'V01', name: '贵州财经大学考点', rooms: [{ roomCode: 'R01', name: '第1考场', rows: 2, cols: 5 }] });
    await planning.send('PUT', '/venues/V01/planning', { regionCode: '520100', address: '贵阳市花溪区' });
    const res = await fetch(`${api}/sittings/ZJ2026/registrations/import?format=csv`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: [HEADER, row(1), row(2)].join('\n') });
    expect(res.status).toBe(200);
    await planning.send('POST', '/sittings/ZJ2026/allocation');
  });

  afterAll(() => planning.close());

  it('refuses a lookup before the opening time with TICKET_PRINTING_NOT_OPEN in Beijing time, then prints', async () => {
    const unscheduled = await lookup(idOf(1), '考生1');
    expect(unscheduled.status).toBe(403);
    expect(await j(unscheduled)).toMatchObject({ code: 'TICKET_PRINTING_NOT_OPEN', message: '准考证打印尚未开放，开放时间将另行公布' });
    expect(await j(await fetch(`${api}/ticket-printing`))).toEqual([]);

    await planning.send('PUT', '/sittings/ZJ2026/ticket-printing', { opensAt: '2026-08-20T02:00:00Z' });
    const early = await lookup(idOf(1), '考生1');
    expect(early.status).toBe(403);
    expect(await j(early)).toEqual({
      code: 'TICKET_PRINTING_NOT_OPEN', field: 'sittingCode', message: '准考证打印将于 2026-08-20 10:00（北京时间）开放，请届时再来打印',
      messageEn: 'ticket printing opens at 2026-08-20T02:00:00.000Z', details: { opensAt: '2026-08-20T02:00:00.000Z' },
    });
    // the public page lists the sitting with its opening time, without a staff token
    const listed = await fetch(`${api}/ticket-printing`, { headers: { 'x-forwarded-for': '203.0.113.5' } });
    expect(await j(listed)).toEqual([{ sittingCode: 'ZJ2026', name: '2026年度中级会计资格', opensAt: '2026-08-20T02:00:00.000Z', open: false }]);

    clock.set(new Date('2026-08-20T02:00:00Z'));
    expect((await j(await fetch(`${api}/ticket-printing`)))[0].open).toBe(true);
    const ok = await lookup(idOf(1), '考生1', '198.51.100.8');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('application/pdf');
  });

  it('limits lookups per client address so ID numbers cannot be enumerated, and refills with time', async () => {
    clock.set(new Date('2026-08-21T00:00:00Z'));
    const statuses: number[] = [];
    // 10 a minute: guessing ID numbers from one address stops at the 11th try, right or wrong
    for (let n = 0; n < 10; n++) statuses.push((await lookup(idOf(100 + n), `某人${n}`, '192.0.2.44')).status);
    expect(statuses).toEqual(Array(10).fill(404));
    const limited = await lookup(idOf(1), '考生1', '192.0.2.44');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('6');
    expect(await j(limited)).toMatchObject({ code: 'RATE_LIMITED', message: '查询过于频繁，请 6 秒后再试', details: { retryAfterSeconds: 6 } });
    // another candidate elsewhere is not held up
    expect((await lookup(idOf(2), '考生2', '192.0.2.45')).status).toBe(200);
    // one lookup back after 6 s (10 a minute)
    clock.set(new Date('2026-08-21T00:00:06Z'));
    expect((await lookup(idOf(1), '考生1', '192.0.2.44')).status).toBe(200);
    expect((await lookup(idOf(1), '考生1', '192.0.2.44')).status).toBe(429);
    // lookups change nothing and are not audited one by one
    expect((await q<{ n: number }>("SELECT count(*)::int AS n FROM audit_event WHERE action LIKE 'tickets.%'"))[0].n).toBe(1);
  });

  it('edits the exam plan: names, durations, times and rules change; subjects and batches stay once candidates registered', async () => {
    const plan = {
      name: '2026年度全国会计专业技术中级资格考试',
      subjects: SUBJECTS.map((s) => (s.subjectCode === 'JJF' ? { ...s, durationMinutes: 150 } : s)),
      batches: [{ batchCode: 'B1', name: '第一批次', date: '2026-09-05', startTimes: ['08:30', '13:30', '17:30'] }],
      minMinutesBeforeHandIn: 60,
      lateLoginCutoffMinutes: 20,
    };
    const res = await put('/sittings/ZJ2026', plan);
    expect(res.status).toBe(200);
    expect(await j(res)).toMatchObject({
      name: plan.name, minMinutesBeforeHandIn: 60, lateLoginCutoffMinutes: 20,
      subjects: [{ subjectCode: 'ZJSW' }, { subjectCode: 'CWGL' }, { subjectCode: 'JJF', durationMinutes: 150 }],
      batches: [{ batchCode: 'B1', name: '第一批次', subjects: [{}, {}, { subjectCode: 'JJF', startsAt: '2026-09-05T09:30:00.000Z' }] }],
    });
    expect((await q<{ action: string; details: { before: { lateLoginCutoffMinutes: number } } }>("SELECT action, details FROM audit_event WHERE action = 'sitting.updated'"))[0].details.before.lateLoginCutoffMinutes).toBe(30);

    const before = await q('SELECT * FROM sitting_subject ORDER BY seq');
    const refusals: [unknown, string, string][] = [
      [{ ...plan, subjects: SUBJECTS.slice(0, 2), batches: [{ ...plan.batches[0], startTimes: ['08:30', '13:30'] }] }, 'CONFLICT', 'subjects'],
      [{ ...plan, batches: [...plan.batches, { batchCode: 'B2', date: '2026-09-06', startTimes: ['08:30', '13:30', '17:30'] }] }, 'CONFLICT', 'batches'],
      [{ ...plan, batches: [{ ...plan.batches[0], startTimes: ['08:30', '10:00', '17:30'] }] }, 'VALIDATION_FAILED', 'batches.0.startTimes.1'],
      [{ ...plan, batches: [{ ...plan.batches[0], date: '2026/09/05' }] }, 'VALIDATION_FAILED', 'batches.0.date'],
      [{ ...plan, subjects: [{ ...SUBJECTS[0], durationMinutes: 0 }, SUBJECTS[1], SUBJECTS[2]] }, 'VALIDATION_FAILED', 'subjects.0.durationMinutes'],
    ];
    for (const [body, code, field] of refusals) {
      const refused = await put('/sittings/ZJ2026', body);
      expect([field, refused.status]).toEqual([field, code === 'CONFLICT' ? 409 : 400]);
      expect(await j(refused)).toMatchObject({ code, field });
    }
    const conflict = await j(await put('/sittings/ZJ2026', refusals[0][0]));
    expect(conflict.message).toBe('已有 2 名考生报名，科目不能增删或调整顺序（可修改科目名称和时长）');
    expect(await q('SELECT * FROM sitting_subject ORDER BY seq')).toEqual(before);
    expect((await put('/sittings/NOPE', plan)).status).toBe(404);
  });
});
