import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { zipSync } from 'fflate';
import { PNG } from 'pngjs';
import { PROCTOR_NAMESPACE, ProctorEvent, type PartyPublicKeys } from '@kaowu/contracts';
import { io } from 'socket.io-client';
import { initCrypto } from '@kaowu/crypto';
import { withResidentIdCheck } from '@kaowu/exam-domain';
import { createScratchDatabase } from '@kaowu/persistence';
import { ProvincialConfigSchema, ProvincialServer, createProvincialServer } from '@kaowu/provincial-core';
import { VenueConfigSchema, VenueServer, createVenueServer } from '@kaowu/venue-core';
import { AckRefused, MockExamClock, SimulatedCandidate, demoPaper, venueJson } from '@kaowu/testing';

// Batch B1 on 2026-09-05: 中级会计实务 at 08:30 Beijing time (00:30Z) is the session the venue runs.
const T0 = new Date('2026-09-05T00:30:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const HEADER = '姓名,性别,证件类型,证件号码,地区,报考科目,手机号';
const idOf = (n: number) => withResidentIdCheck(`5201021990${String(1 + (n % 12)).padStart(2, '0')}${String(1 + (n % 28)).padStart(2, '0')}${String(n).padStart(3, '0')}`.slice(0, 17));
const genderOf = (idNo: string) => (Number(idNo[16]) % 2 === 1 ? '男' : '女');
const row = (n: number, region: string, subjects: string) => `考生${n},${genderOf(idOf(n))},居民身份证,${idOf(n)},${region},"${subjects}",138${String(n).padStart(8, '0')}`;
/** A portrait ID photo the registration import accepts (PNG, 180×240), tinted per candidate. */
function photo(n: number): Buffer {
  const p = new PNG({ width: 180, height: 240 });
  p.data.fill(Buffer.from([(n * 37) % 256, 120, 200, 255]));
  return PNG.sync.write(p);
}
const GUIYANG = Array.from({ length: 12 }, (_, i) => i + 1);
const ZUNYI = [101, 102];
// Built before any request: a pause of seconds between two requests would meet the server's keep-alive timeout.
const photoArchive = zipSync(Object.fromEntries(GUIYANG.map((n) => [`${idOf(n)}.png`, new Uint8Array(photo(n))])));

/** 考点包 from the seat allocation: the province builds it, a real venue server imports it, its candidates log in. */
describe('venue package built from the seat allocation', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'kaowu-allocated-package-'));
  const clock = new MockExamClock(at(-20), 1);
  const people: SimulatedCandidate[] = [];
  let province: ProvincialServer;
  let venue: VenueServer;
  let api: string;
  const kioskKey = randomBytes(24).toString('base64url');
  const scratch: { url: string; drop(): Promise<void> }[] = [];
  // Bodies are checked field by field below.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const send = async (method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<any> => {
    const res = await fetch(api + path, { method, headers: { 'content-type': contentType }, body: body === undefined ? undefined : ArrayBuffer.isView(body) || typeof body === 'string' ? (body as string) : JSON.stringify(body) });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };

  beforeAll(async () => {
    await initCrypto();
    if (process.env.DATABASE_URL)
      scratch.push(await createScratchDatabase(process.env.DATABASE_URL, 'kaowu_test_pkgprov'), await createScratchDatabase(process.env.DATABASE_URL, 'kaowu_test_pkgvenue'));
    province = await createProvincialServer(ProvincialConfigSchema.parse({ PROVINCIAL_PORT: '0', PROVINCIAL_DATA_DIR: join(workDir, 'provincial'), DATABASE_URL: scratch[0]?.url }), { clock, keyStrength: 'interactive', quiet: true });
    venue = await createVenueServer(
      VenueConfigSchema.parse({ VENUE_PORT: '0', VENUE_CODE: 'V01', VENUE_DATA_DIR: join(workDir, 'venue'), BACKUP_DIR: join(workDir, 'venue-backup'), PROVINCE_URL: province.url, DATABASE_URL: scratch[1]?.url, KIOSK_ATTESTATION_KEY: kioskKey }),
      { clock, keyStrength: 'interactive', quiet: true },
    );
    api = `${province.url}/api/v1`;

    // 考试计划, regions, venues (V01 in 贵阳 with its key registered; V02 in 遵义)
    await send('PUT', '/regions', { regions: [{ regionCode: '520100', name: '贵阳市' }, { regionCode: '520300', name: '遵义市' }] });
    await send('POST', '/sittings', { sittingCode: 'ZJ2026', name: '2026年度中级会计资格', batches: [{ batchCode: 'B1', date: '2026-09-05', startTimes: ['08:30', '13:30', '18:00'] }], subjects: [
      { subjectCode: 'ZJSW', subjectName: '中级会计实务', durationMinutes: 165 }, { subjectCode: 'CWGL', subjectName: '财务管理', durationMinutes: 135 }, { subjectCode: 'JJF', subjectName: '经济法', durationMinutes: 120 },
    ] });
    await send('POST', '/venues', { venueCode: 'V01', name: '贵州财经大学考点', rooms: [{ roomCode: 'R01', name: '第1考场', rows: 2, cols: 5 }, { roomCode: 'R02', name: '第2考场', rows: 2, cols: 5 }] });
    await send('POST', '/venues', { venueCode: 'V02', name: '遵义职业技术学院考点', rooms: [{ roomCode: 'R01', name: '第1考场', rows: 2, cols: 5 }] });
    await send('PUT', '/venues/V01/planning', { regionCode: '520100', address: '贵阳市花溪区', proctors: { R01: 2, R02: 2 } });
    await send('PUT', '/venues/V02/planning', { regionCode: '520300', address: '遵义市新蒲新区' });
    await send('POST', '/venues/V01/keys', await venueJson<PartyPublicKeys>(`${venue.url}/api/v1/venue-keys`));

    // 报名 with photos, then 编排考场: 12 in 贵阳 (all sit 中级会计实务, the odd ones 经济法 too), 2 in 遵义
    await send('POST', '/sittings/ZJ2026/registrations/import?format=csv', [HEADER, ...GUIYANG.map((n) => row(n, '贵阳市', n % 2 ? '中级会计实务、经济法' : '中级会计实务')), ...ZUNYI.map((n) => row(n, '遵义市', '中级会计实务'))].join('\n'), 'text/csv');
    await send('POST', '/sittings/ZJ2026/photos/import', photoArchive, 'application/zip');
    await send('POST', '/sittings/ZJ2026/allocation');

    // the paper of 中级会计实务 and the session of batch B1 that uses it
    await send('POST', '/exams', { examCode: 'ZJ2026-ZJSW', examName: '2026年度中级会计资格', subjectCode: 'ZJSW', subjectName: '中级会计实务', durationMinutes: 165, lateLoginCutoffMinutes: 30, minMinutesBeforeHandIn: 90 });
    await send('POST', '/papers', demoPaper('P-ZJSW-A', 'ZJ2026-ZJSW'));
  });

  afterAll(async () => {
    people.forEach((p) => p.close());
    await venue?.close();
    await province?.close();
    for (const s of scratch) await s.drop();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('refuses a session whose paper is of another subject, and schedules nothing', async () => {
    const res = await fetch(`${api}/sittings/ZJ2026/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sessionId: 'B1-JJF', batchCode: 'B1', subjectCode: 'JJF', paperId: 'P-ZJSW-A', releaseAt: at(-5).toISOString() }) });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'paperId', message: '试卷 P-ZJSW-A 属于科目 ZJSW，不是 JJF' });
    expect(await province.ctx.db.dataSource.query("SELECT 1 FROM exam_session WHERE session_id = 'B1-JJF'")).toEqual([]);
  });

  it('imports at the venue with the allocated roster, photos, rooms and proctor codes; the candidates log in at their seats', async () => {
    const session = await send('POST', '/sittings/ZJ2026/sessions', { sessionId: 'B1-ZJSW', batchCode: 'B1', subjectCode: 'ZJSW', paperId: 'P-ZJSW-A', releaseAt: at(-5).toISOString() });
    expect(session.startsAt).toBe(T0.toISOString());

    // not before the province freezes it: the venue is told so, in words a technician can pass on
    const early = await fetch(`${venue.url}/api/v1/packages/pull`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sessionId: 'B1-ZJSW' }) });
    expect(early.status).toBe(404);
    expect((await early.json()) as { message: string; details: { provinceCode: string } }).toMatchObject({ details: { provinceCode: 'PACKAGE_NOT_FROZEN' }, message: expect.stringContaining('尚未封包') });
    const frozen = await send('POST', '/venue-packages/V01/B1-ZJSW/freeze', {});
    expect(frozen).toMatchObject({ packageId: 'V01-B1-ZJSW', candidates: GUIYANG.length, frozenBy: expect.stringContaining('provincial-admin'), pulledAt: null });
    const imported = await venueJson<{ packageId: string; candidates: number; rooms: number }>(`${venue.url}/api/v1/packages/pull`, { method: 'POST', body: { sessionId: 'B1-ZJSW' } });
    // everyone of 贵阳 sits 中级会计实务 at V01 (18 seats less 2 spares ≥ 12); nobody of 遵义
    expect(imported).toMatchObject({ packageId: 'V01-B1-ZJSW', candidates: GUIYANG.length, rooms: 2 });
    const codes = await send('GET', '/venue-packages/V01/B1-ZJSW/credentials');
    expect(codes.filter((c: { role: string }) => c.role === 'proctor').map((c: { roomCode: string }) => c.roomCode)).toEqual(['R01', 'R02']);
    expect(codes.filter((c: { role: string }) => c.role !== 'proctor').map((c: { role: string }) => c.role)).toEqual(['chief', 'technician']);
    expect((await province.ctx.db.dataSource.query("SELECT actor, details FROM audit_event WHERE action = 'venue_package.exported'"))[0]).toMatchObject({
      actor: expect.stringContaining('provincial-admin'), details: { candidates: GUIYANG.length, sittingCode: 'ZJ2026', batchCode: 'B1', subjectCode: 'ZJSW' },
    });
    expect((await province.ctx.db.dataSource.query("SELECT actor, subject FROM audit_event WHERE action = 'venue_package.pulled'"))[0]).toMatchObject({ actor: expect.stringMatching(/^venue V01 \(key /), subject: 'V01-B1-ZJSW' });

    for (const n of [1, 2, 12]) {
      const mine = await send('GET', `/sittings/ZJ2026/registrants/${idOf(n)}/seats`);
      const seat = mine.seats.find((s: { subjectCode: string }) => s.subjectCode === 'ZJSW');
      const candidate = new SimulatedCandidate(venue.url, { roomCode: seat.roomCode, seatNo: seat.seatNo, ticketNo: mine.ticketNo, idNo: idOf(n) }, kioskKey);
      people.push(candidate);
      await candidate.connect();
      const login = await candidate.logIn();
      expect(login.candidate).toMatchObject({ name: `考生${n}`, ticketNo: mine.ticketNo, roomCode: seat.roomCode, seatNo: seat.seatNo });
      expect(login.candidate.photo).toEqual({ mediaType: 'image/png', data: photo(n).toString('base64') });
      expect(login.session).toMatchObject({ sessionId: 'B1-ZJSW', subjectName: '中级会计实务', startsAt: T0.toISOString() });
    }

    // a candidate of 遵义 has no seat at this venue
    const stranger = new SimulatedCandidate(venue.url, { roomCode: 'R01', seatNo: 9, ticketNo: '2600000099', idNo: idOf(101) }, kioskKey);
    people.push(stranger);
    await stranger.connect();
    const refused = await stranger.logIn().then(() => 'OK', (e: unknown) => (e instanceof AckRefused ? e.code : String(e)));
    expect(refused).toBe('LOGIN_FAILED');
  });

  it('holds the evening session beside the morning one: its own roster, seats and proctor codes, the same staff codes; it takes over at its T-30', async () => {
    await send('POST', '/exams', { examCode: 'ZJ2026-JJF', examName: '2026年度中级会计资格', subjectCode: 'JJF', subjectName: '经济法', durationMinutes: 120, lateLoginCutoffMinutes: 30, minMinutesBeforeHandIn: 60 });
    await send('POST', '/papers', demoPaper('P-JJF-A', 'ZJ2026-JJF'));
    // 经济法 in the third slot of batch B1 (18:00; subjects in order), 9.5 hours after 中级会计实务
    const afternoon = await send('POST', '/sittings/ZJ2026/sessions', { sessionId: 'B1-JJF', batchCode: 'B1', subjectCode: 'JJF', paperId: 'P-JJF-A', releaseAt: at(565).toISOString() });
    expect(afternoon.startsAt).toBe(at(570).toISOString());
    const takers = GUIYANG.filter((n) => n % 2 === 1);
    await send('POST', '/venue-packages/V01/B1-JJF/freeze', {});
    const imported = await venueJson<{ packageId: string; candidates: number }>(`${venue.url}/api/v1/packages/pull`, { method: 'POST', body: { sessionId: 'B1-JJF' } });
    expect(imported).toMatchObject({ packageId: 'V01-B1-JJF', candidates: takers.length });

    const creds = async (sessionId: string) => (await send('GET', `/venue-packages/V01/${sessionId}/credentials`)) as { role: string; roomCode?: string; staffNo?: string; accessCode: string }[];
    const [morning, later] = [await creds('B1-ZJSW'), await creds('B1-JJF')];
    const proctorCode = (list: typeof morning) => list.find((c) => c.role === 'proctor' && c.roomCode === 'R01')?.accessCode ?? '';
    expect(proctorCode(later)).not.toBe(proctorCode(morning));
    // the 主考 and 技术负责人 keep one code for the whole sitting
    expect(later.filter((c) => c.role !== 'proctor')).toEqual(morning.filter((c) => c.role !== 'proctor'));

    const join = async (accessCode: string) => {
      // a connection of its own (not the candidates' multiplexed one), closed after each join
      const socket = io(`${venue.url}${PROCTOR_NAMESPACE}`, { transports: ['websocket'], forceNew: true });
      try {
        return (await socket.timeout(5000).emitWithAck(ProctorEvent.join, { roomCode: 'R01', accessCode })) as { ok: boolean; data?: { sessionId: string } };
      } finally {
        socket.close();
      }
    };
    // the morning is on: its code opens R01, the afternoon's not yet
    expect(await join(proctorCode(morning))).toMatchObject({ ok: true, data: { sessionId: 'B1-ZJSW' } });
    expect(await join(proctorCode(later))).toMatchObject({ ok: false });

    // 17:30, the evening's login opens: its roster, its seats, its codes
    clock.set(at(550), 1);
    expect(await join(proctorCode(later))).toMatchObject({ ok: true, data: { sessionId: 'B1-JJF' } });
    expect(await join(proctorCode(morning))).toMatchObject({ ok: false });
    const n = takers[0];
    const mine = await send('GET', `/sittings/ZJ2026/registrants/${idOf(n)}/seats`);
    const seat = mine.seats.find((x: { subjectCode: string }) => x.subjectCode === 'JJF');
    const candidate = new SimulatedCandidate(venue.url, { roomCode: seat.roomCode, seatNo: seat.seatNo, ticketNo: mine.ticketNo, idNo: idOf(n) }, kioskKey);
    people.push(candidate);
    await candidate.connect();
    const login = await candidate.logIn();
    expect(login.session).toMatchObject({ sessionId: 'B1-JJF', subjectName: '经济法', startsAt: at(570).toISOString() });
    expect(login.candidate).toMatchObject({ roomCode: seat.roomCode, seatNo: seat.seatNo });
    // who sits only 中级会计实务 has no seat this evening
    const m = GUIYANG.find((x) => x % 2 === 0) ?? 0;
    const morningOnly = await send('GET', `/sittings/ZJ2026/registrants/${idOf(m)}/seats`);
    const mSeat = morningOnly.seats.find((x: { subjectCode: string }) => x.subjectCode === 'ZJSW');
    const absentee = new SimulatedCandidate(venue.url, { roomCode: mSeat.roomCode, seatNo: mSeat.seatNo, ticketNo: morningOnly.ticketNo, idNo: idOf(m) }, kioskKey);
    people.push(absentee);
    await absentee.connect();
    expect(await absentee.logIn().then(() => 'OK', (e: unknown) => (e instanceof AckRefused ? e.code : String(e)))).toBe('LOGIN_FAILED');
  });
});
