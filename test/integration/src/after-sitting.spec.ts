import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AttemptResult, CandidateResultPage, IncidentDetail, IncidentPage, MinistryExport, ResultPackage, RoomIncident, ScoreRow, SignedIntegrityReport, SittingSummary, VenuePackage } from '@kaowu/contracts';
import { canonicalJson, decryptBlob, fromBase64, fromUtf8, generatePartyKeys, initCrypto, openSealedDataKey, publicKeysOf, sha256Hex, verifyDocument, type PartyKeys } from '@kaowu/crypto';
import { ManualClock, withResidentIdCheck } from '@kaowu/exam-domain';
import { createScratchDatabase } from '@kaowu/persistence';
import { ProvincialConfigSchema, ProvincialServer, createProvincialServer } from '@kaowu/provincial-core';
import { OPTION_KEYS, TWO_BATCHES, TWO_BATCH_SUBJECTS, buildRoomPackage, fourItemPaper, venueSignedFetch } from '@kaowu/testing';

/**
 * 考后处理 on a generated sitting (2 batches × 2 subjects, 3 venues' rooms in two regions): room
 * packages as venues seal them arrive at a real provincial server; the province reviews the
 * incidents (region and auditor refusals), the decisions void results in scores, the summary and
 * the ministry export, and the integrity report catches the room that never arrived.
 */

const SUBJECTS = TWO_BATCH_SUBJECTS;
const BATCHES = TWO_BATCHES;
const KEYS = OPTION_KEYS;
const paperOf = (subjectCode: string) => fourItemPaper(subjectCode);
const HEADER = '姓名,性别,证件类型,证件号码,地区,报考科目,手机号';
const idOf = (n: number) => withResidentIdCheck(`5201021990${String(1 + (n % 12)).padStart(2, '0')}${String(1 + (n % 28)).padStart(2, '0')}${String(n).padStart(3, '0')}`.slice(0, 17));
const genderOf = (idNo: string) => (Number(idNo[16]) % 2 === 1 ? '男' : '女');
const GUIYANG = Array.from({ length: 14 }, (_, i) => i + 1); // both subjects, venue V01 (two rooms)
const ZUNYI = [101, 102, 103, 104]; // 经济法 only, venue V02

interface Place {
  sessionId: string;
  subjectCode: string;
  venueCode: string;
  roomCode: string;
  candidateId: string;
  ticketNo: string;
  status: 'absent' | 'submitted' | 'ended';
  score: number;
}

// Error and report bodies are checked field by field.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = any;

describe('after the sitting: incident review, aggregation across batches, integrity report, ministry export', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'kaowu-after-sitting-'));
  const clock = new ManualClock(new Date('2026-08-01T00:00:00Z'));
  let province: ProvincialServer;
  let drop: (() => Promise<void>) | undefined;
  let api: string;
  const venueKeys: Record<string, PartyKeys> = {};
  const sessions: { sessionId: string; subjectCode: string; startsAt: Date; durationMinutes: number }[] = [];
  const places: Place[] = [];
  const packages = new Map<string, { pkg: ResultPackage; sessionId: string }>();
  let heldBack = '';
  const tokens: Record<'guiyang' | 'zunyi' | 'auditor', string> = { guiyang: '', zunyi: '', auditor: '' };
  const who: Record<'A' | 'B' | 'C' | 'D', Place> = {} as never;

  const call = async (method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: Body }> => {
    const res = await fetch(api + path, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': typeof body === 'string' ? 'text/csv' : 'application/json' }) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  };
  const ok = async (method: string, path: string, body?: unknown, token?: string): Promise<Body> => {
    const r = await call(method, path, body, token);
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> => province.ctx.db.dataSource.query(sql, params);
  const incidentPath = (id: string) => `/sittings/ZJ2026/incidents/${encodeURIComponent(id)}`;
  const upload = async (key: string) => {
    const { pkg, sessionId } = packages.get(key)!;
    const s = sessions.find((x) => x.sessionId === sessionId)!;
    clock.set(new Date(s.startsAt.getTime() + (s.durationMinutes + 10) * 60_000)); // within the 30-minute deadline
    const res = await venueSignedFetch(venueKeys[pkg.manifest.body.venueCode], clock.now().getTime(), 'POST', `${api}/results`, pkg);
    if (!res.ok) throw new Error(`POST /results: ${res.status} ${await res.text()}`);
  };

  beforeAll(async () => {
    await initCrypto();
    const scratch = process.env.DATABASE_URL ? await createScratchDatabase(process.env.DATABASE_URL, 'kaowu_test_after_sitting') : undefined;
    drop = scratch?.drop;
    province = await createProvincialServer(ProvincialConfigSchema.parse({ PROVINCIAL_PORT: '0', PROVINCIAL_DATA_DIR: join(workDir, 'provincial'), DATABASE_URL: scratch?.url }), { clock, keyStrength: 'interactive', quiet: true });
    api = `${province.url}/api/v1`;

    // 考试计划, regions, venues with their keys, 报名, 编排考场
    await ok('PUT', '/regions', { regions: [{ regionCode: '520100', name: '贵阳市' }, { regionCode: '520300', name: '遵义市' }] });
    await ok('POST', '/sittings', { sittingCode: 'ZJ2026', name: '2026年度中级会计资格', subjects: SUBJECTS, batches: BATCHES });
    await ok('POST', '/venues', { venueCode: 'V01', name: '贵州财经大学考点', rooms: [{ roomCode: 'R01', name: '第1考场', rows: 2, cols: 3 }, { roomCode: 'R02', name: '第2考场', rows: 2, cols: 3 }] });
    await ok('POST', '/venues', { venueCode: 'V02', name: '遵义职业技术学院考点', rooms: [{ roomCode: 'R01', name: '第1考场', rows: 2, cols: 3 }] });
    await ok('PUT', '/venues/V01/planning', { regionCode: '520100', address: '贵阳市花溪区' });
    await ok('PUT', '/venues/V02/planning', { regionCode: '520300', address: '遵义市新蒲新区' });
    for (const v of ['V01', 'V02']) {
      venueKeys[v] = generatePartyKeys(`venue-${v}`);
      await ok('POST', `/venues/${v}/keys`, publicKeysOf(venueKeys[v]));
    }
    const rows = [
      ...GUIYANG.map((n) => `考生${n},${genderOf(idOf(n))},居民身份证,${idOf(n)},贵阳市,"中级会计实务、经济法",138${String(n).padStart(8, '0')}`),
      ...ZUNYI.map((n) => `考生${n},${genderOf(idOf(n))},居民身份证,${idOf(n)},遵义市,经济法,138${String(n).padStart(8, '0')}`),
    ];
    await ok('POST', '/sittings/ZJ2026/registrations/import?format=csv', [HEADER, ...rows].join('\n'));
    await ok('POST', '/sittings/ZJ2026/allocation');

    // 场次: every batch × subject with its paper; the venues' packages carry the allocated rosters
    for (const s of SUBJECTS) {
      await ok('POST', '/exams', { examCode: `ZJ2026-${s.subjectCode}`, examName: '2026年度中级会计资格', subjectCode: s.subjectCode, subjectName: s.subjectName, durationMinutes: s.durationMinutes, lateLoginCutoffMinutes: 30, minMinutesBeforeHandIn: 90 });
      await ok('POST', '/papers', paperOf(s.subjectCode));
    }
    for (const b of BATCHES)
      for (const s of SUBJECTS) {
        const sessionId = `${b.batchCode}-${s.subjectCode}`;
        const scheduled = await ok('POST', '/sittings/ZJ2026/sessions', { sessionId, batchCode: b.batchCode, subjectCode: s.subjectCode, paperId: `P-${s.subjectCode}`, releaseAt: '2026-09-01T00:00:00Z' });
        sessions.push({ sessionId, subjectCode: s.subjectCode, startsAt: new Date(scheduled.startsAt), durationMinutes: s.durationMinutes });
      }
    const seated: { seat: string }[] = await q('SELECT unnest(seats) AS seat FROM seat_allocation');
    const used = new Set(seated.map((r) => { const [subject, batch, venue] = r.seat.split('/'); return `${venue}/${batch}-${subject}`; }));

    // What each room's candidates did: a fixed plan by position (缺考, 交卷 or ended at time, 0–4 items right)
    let k = 0;
    for (const s of sessions)
      for (const venueCode of ['V01', 'V02']) {
        if (!used.has(`${venueCode}/${s.sessionId}`)) continue;
        await ok('POST', `/venue-packages/${venueCode}/${s.sessionId}/freeze`, {});
        const pkg = (await (await venueSignedFetch(venueKeys[venueCode], clock.now().getTime(), 'GET', `${api}/venue-packages/${venueCode}/${s.sessionId}`)).json()) as VenuePackage;
        const roster = JSON.parse(fromUtf8(decryptBlob(fromBase64(pkg.roster), openSealedDataKey(pkg.manifest.body.roster.sealedKey, venueKeys[venueCode]))));
        for (const c of roster.candidates as { candidateId: string; ticketNo: string; roomCode: string }[]) {
          const status = k % 6 === 5 ? 'absent' : k % 3 === 0 ? 'submitted' : 'ended';
          places.push({ sessionId: s.sessionId, subjectCode: s.subjectCode, venueCode, roomCode: c.roomCode, candidateId: c.candidateId, ticketNo: c.ticketNo, status, score: status === 'absent' ? 0 : 25 * (k % 5) });
          k++;
        }
      }

    // 违纪 (A), 人证不符 (B, who sits both subjects), 强制交卷 (C) in one 贵阳 room; 违纪 (D) in 遵义
    const roomKey = (p: Place) => `${p.venueCode}/${p.sessionId}/${p.roomCode}`;
    const present = places.filter((p) => p.status !== 'absent');
    const v01Room = roomKey(present.find((p) => p.venueCode === 'V01' && p.subjectCode === 'ZJSW' && present.filter((x) => roomKey(x) === roomKey(p)).length >= 3)!);
    [who.A, who.B, who.C] = present.filter((p) => roomKey(p) === v01Room);
    who.D = present.find((p) => p.venueCode === 'V02')!;
    expect(places.filter((p) => p.candidateId === who.B.candidateId)).toHaveLength(2);
    heldBack = [...new Set(places.map(roomKey))].find((r) => r.startsWith('V01/') && r !== v01Room)!;
    expect(heldBack).toBeTruthy();

    for (const key of new Set(places.map(roomKey))) {
      const [venueCode, sessionId, roomCode] = key.split('/');
      const s = sessions.find((x) => x.sessionId === sessionId)!;
      const at = (m: number) => new Date(s.startsAt.getTime() + m * 60_000).toISOString();
      const attempts: AttemptResult[] = places.filter((p) => roomKey(p) === key).map((p) => ({
        attemptId: p.status === 'absent' ? `absent-${sessionId}-${p.candidateId}` : `att-${sessionId}-${p.candidateId}`,
        candidateId: p.candidateId, ticketNo: p.ticketNo, status: p.status,
        loggedInAt: p.status === 'absent' ? null : at(-20), endedAt: p.status === 'absent' ? null : at(100),
        // a first, wrong answer to S1 changed later: the final answer (highest seq) is what counts
        events: p.status === 'absent' ? [] : [
          { seq: 1, itemId: 'S1', value: { kind: 'choice' as const, selected: ['D'] }, receivedAt: at(3) },
          ...KEYS.map((correct, i) => ({ seq: i + 2, itemId: `S${i + 1}`, value: { kind: 'choice' as const, selected: [i < p.score / 25 ? correct : KEYS[(i + 1) % 4]] }, receivedAt: at(10 + i) })),
        ],
      }));
      const incident = (auditId: number, action: string, p: Place | null, reason: string, extra: Partial<RoomIncident> = {}) =>
        ({ auditId, at: at(40 + auditId), action, actor: `proctor:${roomCode}`, ticketNo: p?.ticketNo ?? null, reason, ...extra });
      const incidents =
        key === v01Room
          ? [
              incident(11, 'incident.violation', who.A, '考试中使用手机查阅资料', { category: 'electronic_device', evidence: '已拍照，手机已暂扣' }),
              incident(12, 'attempt.paused', who.A, '核实违纪情况'),
              incident(13, 'incident.identity_mismatch', who.B, '人证不符（考中复核）：照片与本人不符'),
              incident(14, 'incident.forced_hand_in', who.C, '强制交卷：扰乱考场秩序，经劝阻无效'),
            ]
          : key === roomKey(who.D)
            ? [incident(21, 'incident.violation', who.D, '交头接耳', { category: 'communication' }), incident(22, 'candidate.absent', null, '未到场')]
            : [];
      packages.set(key, { sessionId, pkg: buildRoomPackage({ venueKeys: venueKeys[venueCode], provinceBoxPublicKey: province.ctx.keys.box.publicKey, venueCode, roomCode, sessionId, paperId: `P-${s.subjectCode}`, closedAt: at(s.durationMinutes), attempts, incidents }) });
    }
    for (const key of packages.keys()) if (key !== heldBack) await upload(key);

    const issue = async (label: string, role: string, regionCode?: string) => (await ok('POST', '/staff-tokens', { label, role, ...(regionCode ? { regionCode } : {}) })).token;
    tokens.guiyang = await issue('贵阳市考办 张三', 'municipal-admin', '520100');
    tokens.zunyi = await issue('遵义市考办 王五', 'municipal-admin', '520300');
    tokens.auditor = await issue('省审计 李四', 'auditor');
    clock.set(new Date('2026-09-08T01:00:00Z'));
  });

  afterAll(async () => {
    await province?.close();
    await drop?.();
    rmSync(workDir, { recursive: true, force: true });
  });

  /** A place's status and score as reported: not received (held back), 缺考, else scored or voided. */
  const outcome = (p: Place, arrived: 'scored' | 'voided') =>
    `${p.venueCode}/${p.sessionId}/${p.roomCode}` === heldBack ? ['not_received', null] : p.status === 'absent' ? ['absent', null] : arrived === 'scored' ? ['scored', p.score] : ['voided', null];

  /** The counts the summary must show, straight from the generated plan (held-back room not received). */
  const expectedCounts = (list: Place[], voided: Set<string> = new Set()) => {
    const arrived = (p: Place) => `${p.venueCode}/${p.sessionId}/${p.roomCode}` !== heldBack;
    const present = list.filter((p) => arrived(p) && p.status !== 'absent');
    const isVoid = (p: Place) => voided.has(`${p.sessionId}/${p.candidateId}`);
    return {
      expected: list.length, present: present.length, absent: list.filter((p) => arrived(p) && p.status === 'absent').length,
      submitted: present.length, scored: present.filter((p) => !isVoid(p)).length, voided: present.filter(isVoid).length, notReceived: list.filter((p) => !arrived(p)).length,
    };
  };

  it('sums the sitting over both batches per subject and per venue, with the score distribution', async () => {
    const summary: SittingSummary = await ok('GET', '/sittings/ZJ2026/summary');
    expect(summary.totals).toEqual(expectedCounts(places));
    // 14 in 贵阳 × 2 subjects + 4 in 遵义 × 1 subject
    expect(summary.totals.expected).toBe(GUIYANG.length * 2 + ZUNYI.length);
    expect(summary.subjects.map((s) => s.subjectCode)).toEqual(['ZJSW', 'JJF']);
    for (const s of summary.subjects) {
      const own = places.filter((p) => p.subjectCode === s.subjectCode);
      expect({ subject: s.subjectCode, ...s }).toMatchObject({ subject: s.subjectCode, ...expectedCounts(own), fullMarks: 100 });
      expect(s.sessions.map((x) => x.sessionId)).toEqual([`B1-${s.subjectCode}`, `B2-${s.subjectCode}`]);
      const scores = own.filter((p) => p.status !== 'absent' && `${p.venueCode}/${p.sessionId}/${p.roomCode}` !== heldBack).map((p) => p.score);
      expect(s.distribution).toHaveLength(10);
      expect(s.distribution.reduce((n, b) => n + b.count, 0)).toBe(scores.length);
      expect(s.distribution[9].count).toBe(scores.filter((x) => x === 100).length);
      expect(s.distribution[0].count).toBe(scores.filter((x) => x < 10).length);
      expect(s.meanScore).toBe(Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 100) / 100);
    }
    expect(summary.venues.map((v) => [v.venueCode, v.expected])).toEqual([
      ['V01', GUIYANG.length * 2],
      ['V02', ZUNYI.length],
    ]);

    // a 市、州考办 sees its own region's venues only
    const zunyi: SittingSummary = await ok('GET', '/sittings/ZJ2026/summary', undefined, tokens.zunyi);
    expect(zunyi).toMatchObject({ regionCode: '520300', totals: expectedCounts(places.filter((p) => p.venueCode === 'V02')) });
    expect(zunyi.venues.map((v) => v.venueCode)).toEqual(['V02']);

    // per candidate: every subject with its score or status
    const page: CandidateResultPage = await ok('GET', `/sittings/ZJ2026/candidate-results?ticketNo=${who.B.ticketNo}`);
    expect(page.total).toBe(1);
    expect(page.candidates[0].subjects.map((s) => [s.subjectCode, s.status, s.score])).toEqual(
      places.filter((p) => p.candidateId === who.B.candidateId).map((p) => [p.subjectCode, ...outcome(p, 'scored')]),
    );
    const all: CandidateResultPage = await ok('GET', '/sittings/ZJ2026/candidate-results?pageSize=5&page=2');
    expect(all).toMatchObject({ total: GUIYANG.length + ZUNYI.length, page: 2, pageSize: 5 });
    expect(all.candidates).toHaveLength(5);
    // a room's package detail names its absentees from the registration
    const absentee = places.find((p) => p.status === 'absent' && `${p.venueCode}/${p.sessionId}/${p.roomCode}` !== heldBack)!;
    const detail = await ok('GET', `/result-packages/${absentee.venueCode}-${absentee.sessionId}-${absentee.roomCode}`);
    expect(detail.absent).toContainEqual({ ticketNo: absentee.ticketNo, name: expect.stringMatching(/^考生\d+$/) });
    const bad = await call('GET', '/sittings/ZJ2026/candidate-results?pageSize=500');
    expect(bad).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED', field: 'pageSize' } });
  });

  it('catches the room that never arrived in the signed integrity report', async () => {
    const signed: SignedIntegrityReport = await ok('GET', '/sittings/ZJ2026/integrity-report');
    const report = verifyDocument(signed, publicKeysOf(province.ctx.keys));
    const [venueCode, sessionId, roomCode] = heldBack.split('/');
    const missing = places.filter((p) => `${p.venueCode}/${p.sessionId}/${p.roomCode}` === heldBack);
    expect(report.passed).toBe(false);
    expect(report.rooms).toHaveLength(packages.size);
    expect(report.rooms.filter((r) => r.state !== 'verified')).toEqual([
      expect.objectContaining({ sessionId, venueCode, roomCode, state: 'missing', packageId: null, expectedCandidates: missing.length, problems: ['未收到考场数据包'] }),
    ]);
    expect(report.rooms.filter((r) => r.state === 'verified').every((r) => r.chainsVerified && r.manifestAttempts === r.importedAttempts && r.manifestAnswers === r.importedAnswers)).toBe(true);
    const check = (code: string) => report.checks.find((c) => c.code === code)!;
    expect(check('packages')).toMatchObject({ passed: false, message: expect.stringContaining(`${sessionId} ${venueCode}/${roomCode}`) });
    expect([check('counts').passed, check('chains').passed]).toEqual([true, true]);
    expect(check('roster')).toMatchObject({ passed: false, message: `名册中 ${missing.length} 人次没有考试数据（数据包未到）` });
    expect(report.roster).toMatchObject({ expected: places.length, unaccounted: missing.length, unaccountedTickets: missing.map((p) => p.ticketNo).sort() });
    expect(report.incidents).toEqual({ total: 4, decided: 0, open: 4 });
    // a changed signature no longer verifies
    expect(() => verifyDocument({ ...signed, body: { ...signed.body, passed: true } }, publicKeysOf(province.ctx.keys))).toThrow();
  });

  it('lists the incidents of verified packages (not pauses, not absences), filtered and paged, a region its own', async () => {
    const all: IncidentPage = await ok('GET', '/sittings/ZJ2026/incidents');
    expect(all).toMatchObject({ total: 4, counts: { open: 4, decided: 0 } });
    expect(all.incidents.map((i) => [i.kind, i.ticketNo]).sort()).toEqual([
      ['violation', who.A.ticketNo], ['identity_mismatch', who.B.ticketNo], ['forced_hand_in', who.C.ticketNo], ['violation', who.D.ticketNo],
    ].sort());
    const a = all.incidents.find((i) => i.ticketNo === who.A.ticketNo)!;
    expect(a).toMatchObject({ category: 'electronic_device', facts: '考试中使用手机查阅资料', evidence: '已拍照，手机已暂扣', recordedBy: `proctor:${who.A.roomCode}`, venueName: '贵州财经大学考点', subjectName: '中级会计实务', status: 'open', decision: null, candidateName: expect.stringMatching(/^考生\d+$/) });

    const page2: IncidentPage = await ok('GET', '/sittings/ZJ2026/incidents?pageSize=3&page=2');
    expect(page2.incidents).toHaveLength(1);
    expect((await ok('GET', '/sittings/ZJ2026/incidents?venueCode=V02')).incidents.map((i: { ticketNo: string }) => i.ticketNo)).toEqual([who.D.ticketNo]);
    expect((await ok('GET', `/sittings/ZJ2026/incidents?subjectCode=JJF`)).total).toBe([who.A, who.B, who.C, who.D].filter((p) => p.subjectCode === 'JJF').length);
    const guiyang: IncidentPage = await ok('GET', '/sittings/ZJ2026/incidents', undefined, tokens.guiyang);
    expect(guiyang.incidents.map((i) => i.venueCode)).toEqual(['V01', 'V01', 'V01']);
    expect(await call('GET', '/sittings/ZJ2026/incidents?venueCode=V02', undefined, tokens.guiyang)).toMatchObject({ status: 403, body: { code: 'REGION_FORBIDDEN' } });
    expect(await call('GET', incidentPath(all.incidents.find((i) => i.venueCode === 'V02')!.incidentId), undefined, tokens.guiyang)).toMatchObject({ status: 403, body: { code: 'REGION_FORBIDDEN' } });
    expect(await call('GET', '/sittings/ZJ2026/incidents?status=closed')).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED', field: 'status' } });
  });

  it('refuses another region, the auditor and bad decisions with the field at fault, and changes nothing', async () => {
    const { incidents } = (await ok('GET', '/sittings/ZJ2026/incidents')) as IncidentPage;
    const a = incidents.find((i) => i.ticketNo === who.A.ticketNo)!;
    const auditBefore = (await q<{ n: string }>('SELECT count(*) AS n FROM audit_event'))[0].n;
    const good = { decision: 'void_subject', basis: '《专业技术人员资格考试违纪违规行为处理规定》第五条第（四）项' };
    expect(await call('POST', `${incidentPath(a.incidentId)}/decisions`, good, tokens.zunyi)).toMatchObject({
      status: 403, body: { code: 'REGION_FORBIDDEN', field: 'venueCode', message: expect.stringContaining('市、州考办只能管理本地区的数据') },
    });
    expect(await call('POST', `${incidentPath(a.incidentId)}/decisions`, good, tokens.auditor)).toMatchObject({ status: 403, body: { code: 'ROLE_FORBIDDEN', message: '审计账号只能查看，不能修改任何数据' } });
    for (const [body, field] of [
      [{ decision: 'void_subject', basis: '' }, 'basis'],
      [{ decision: 'cancel', basis: good.basis }, 'decision'],
      [{ decision: 'other', basis: good.basis }, 'note'],
    ] as const) {
      const r = await call('POST', `${incidentPath(a.incidentId)}/decisions`, body);
      expect({ field, ...r }).toMatchObject({ field, status: 400, body: { code: 'VALIDATION_FAILED', field } });
      expect(r.body.message).toBeTruthy();
    }
    expect(await call('POST', `${incidentPath('V01-B9-ZJSW-R01#1')}/decisions`, good)).toMatchObject({ status: 404, body: { code: 'NOT_FOUND', field: 'incidentId' } });
    expect(await q('SELECT * FROM incident_decision')).toEqual([]);
    expect((await q<{ n: string }>('SELECT count(*) AS n FROM audit_event'))[0].n).toBe(auditBefore);
  });

  it('records decisions with the reviewer and time, revises only with a reason, keeps the history and audits every step', async () => {
    const { incidents } = (await ok('GET', '/sittings/ZJ2026/incidents')) as IncidentPage;
    const idOf = (p: Place) => incidents.find((i) => i.ticketNo === p.ticketNo)!.incidentId;
    clock.set(new Date('2026-09-08T02:00:00Z'));
    const a: IncidentDetail = await ok('POST', `${incidentPath(idOf(who.A))}/decisions`, { decision: 'void_subject', basis: '《专业技术人员资格考试违纪违规行为处理规定》第五条第（四）项', note: '携带手机进入考场并使用' }, tokens.guiyang);
    expect(a).toMatchObject({ status: 'decided', decision: { revision: 1, decision: 'void_subject', decidedBy: expect.stringContaining('贵阳市考办 张三'), decidedAt: '2026-09-08T02:00:00.000Z' } });
    const b1: IncidentDetail = await ok('POST', `${incidentPath(idOf(who.B))}/decisions`, { decision: 'no_action', basis: '复核后确认为本人' });
    expect(b1.decision).toMatchObject({ revision: 1, decision: 'no_action', decidedBy: 'provincial-admin@localhost', revisionReason: null });
    // changing a decision needs a reason
    const noReason = await call('POST', `${incidentPath(idOf(who.B))}/decisions`, { decision: 'void_sitting', basis: '《专业技术人员资格考试违纪违规行为处理规定》第六条第（一）项' });
    expect(noReason).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED', field: 'revisionReason', message: '该记录已于 2026-09-08 10:00（北京时间） 由 provincial-admin@localhost 作出处理决定，修改须写明原因' } });
    clock.set(new Date('2026-09-09T03:00:00Z'));
    const b2: IncidentDetail = await ok('POST', `${incidentPath(idOf(who.B))}/decisions`, { decision: 'void_sitting', basis: '《专业技术人员资格考试违纪违规行为处理规定》第六条第（一）项', revisionReason: '公安机关核查确认系他人替考' });
    expect(b2.history.map((h) => [h.revision, h.decision, h.revisionReason])).toEqual([[1, 'no_action', null], [2, 'void_sitting', '公安机关核查确认系他人替考']]);
    expect(b2.decision).toMatchObject({ revision: 2, decision: 'void_sitting', decidedAt: '2026-09-09T03:00:00.000Z' });
    const d: IncidentDetail = await ok('POST', `${incidentPath(idOf(who.D))}/decisions`, { decision: 'other', basis: '第四条', note: '给予警告，记入诚信档案' }, tokens.zunyi);
    expect(d.decision).toMatchObject({ decision: 'other', note: '给予警告，记入诚信档案' });

    // two reviewers changing the same decision at once: one wins, the other is told to look again
    const race = await Promise.all(['甲', '乙'].map((n) => call('POST', `${incidentPath(idOf(who.D))}/decisions`, { decision: 'other', basis: '第四条', note: `复核意见${n}`, revisionReason: `复核${n}`, expectedRevision: 1 })));
    expect(race.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(race.find((r) => r.status === 409)!.body).toMatchObject({ code: 'CONFLICT', field: 'incidentId', message: expect.stringContaining('请刷新后查看再决定') });
    expect((await ok('GET', incidentPath(idOf(who.D)))).history).toHaveLength(2);

    const audited = await q<{ action: string; actor: string; subject: string; reason: string | null }>("SELECT action, actor, subject, reason FROM audit_event WHERE action LIKE 'incident.%' ORDER BY id");
    expect(audited.map((e) => [e.action, e.subject, e.reason])).toEqual([
      ['incident.decided', idOf(who.A), null], ['incident.decided', idOf(who.B), null], ['incident.decision_revised', idOf(who.B), '公安机关核查确认系他人替考'], ['incident.decided', idOf(who.D), null],
      ['incident.decision_revised', idOf(who.D), expect.stringMatching(/^复核[甲乙]$/)],
    ]);
    expect(audited.map((e) => e.actor)).toEqual([expect.stringContaining('municipal-admin@520100'), 'provincial-admin@localhost', 'provincial-admin@localhost', expect.stringContaining('municipal-admin@520300'), 'provincial-admin@localhost']);
    expect(await ok('GET', '/sittings/ZJ2026/incidents?status=open')).toMatchObject({ total: 1, counts: { open: 1, decided: 3 } });
  });

  it('shows a voided subject as 成绩无效 in scores, results, the summary and the ministry export; the raw score stays', async () => {
    const voided = new Set([`${who.A.sessionId}/${who.A.candidateId}`, ...places.filter((p) => p.candidateId === who.B.candidateId).map((p) => `${p.sessionId}/${p.candidateId}`)]);
    const scores: ScoreRow[] = await ok('GET', `/scores?sessionId=${who.A.sessionId}`);
    expect(scores.find((s) => s.ticketNo === who.A.ticketNo)).toMatchObject({ voided: true, objectiveScore: who.A.score });
    expect(scores.find((s) => s.ticketNo === who.C.ticketNo)).toMatchObject({ voided: false, objectiveScore: who.C.score });
    expect(await q('SELECT objective_score FROM score WHERE candidate_id = $1 AND session_id = $2', [who.A.candidateId, who.A.sessionId])).toEqual([{ objective_score: who.A.score.toFixed(2) }]);

    const b: CandidateResultPage = await ok('GET', `/sittings/ZJ2026/candidate-results?ticketNo=${who.B.ticketNo}`);
    // 当次全部科目考试成绩无效: every subject B sat that arrived
    expect(b.candidates[0].subjects.map((s) => [s.subjectCode, s.status, s.score])).toEqual(
      places.filter((p) => p.candidateId === who.B.candidateId).map((p) => [p.subjectCode, ...outcome(p, 'voided')]),
    );
    const summary: SittingSummary = await ok('GET', '/sittings/ZJ2026/summary');
    expect(summary.totals).toEqual(expectedCounts(places, voided));
    for (const s of summary.subjects) expect(s).toMatchObject(expectedCounts(places.filter((p) => p.subjectCode === s.subjectCode), voided));

    const exported: MinistryExport = await ok('GET', `/sessions/${who.A.sessionId}/ministry-export`);
    const m = verifyDocument(exported.manifest, publicKeysOf(province.ctx.keys));
    expect(sha256Hex(canonicalJson(exported.results))).toBe(m.resultsSha256);
    expect(sha256Hex(canonicalJson(exported.answers))).toBe(m.answersSha256);
    expect(sha256Hex(canonicalJson(exported.decisions))).toBe(m.decisionsSha256);
    expect(exported.results.find((r) => r.ticketNo === who.A.ticketNo)).toMatchObject({ resultStatus: 'voided', objectiveScore: null });
    expect(exported.results.find((r) => r.ticketNo === who.B.ticketNo)).toMatchObject({ resultStatus: 'voided', objectiveScore: null });
    expect(exported.results.find((r) => r.ticketNo === who.C.ticketNo)).toMatchObject({ resultStatus: 'scored', objectiveScore: who.C.score });
    expect(m).toMatchObject({ version: 2, sittingCode: 'ZJ2026', voided: 2, openIncidents: 1, integrity: { passed: false, checks: { packages: false, roster: false, incidents: false, chains: true } } });
    expect(exported.decisions.map((x) => [x.ticketNo, x.kind, x.decision, x.revision])).toEqual([
      [who.A.ticketNo, 'violation', 'void_subject', 1], [who.B.ticketNo, 'identity_mismatch', 'void_sitting', 2], [who.C.ticketNo, 'forced_hand_in', null, 0],
    ]);
    // the answers: final answer per item (the changed S1 counts), matching the digest the venue signed
    const aAnswers = exported.answers.find((x) => x.ticketNo === who.A.ticketNo)!;
    expect(aAnswers.answers.map((x) => [x.itemId, x.seq])).toEqual([['S1', 2], ['S2', 3], ['S3', 4], ['S4', 5]]);
    const signedDigest = packages.get(`${who.A.venueCode}/${who.A.sessionId}/${who.A.roomCode}`)!.pkg.manifest.body.attempts.find((x) => x.ticketNo === who.A.ticketNo)!.finalAnswersSha256;
    expect(aAnswers.finalAnswersSha256).toBe(signedDigest);
    expect(exported.answers).toHaveLength(places.filter((p) => p.sessionId === who.A.sessionId && p.status !== 'absent' && `${p.venueCode}/${p.sessionId}/${p.roomCode}` !== heldBack).length);
  });

  it('passes once the late room is in and every incident decided; re-verifies chains against the stored answers', async () => {
    const { incidents } = (await ok('GET', '/sittings/ZJ2026/incidents?status=open')) as IncidentPage;
    await ok('POST', `${incidentPath(incidents[0].incidentId)}/decisions`, { decision: 'no_action', basis: '强制交卷理由成立，不另行处理' });
    const [venueCode, sessionId, roomCode] = heldBack.split('/');
    const s = sessions.find((x) => x.sessionId === sessionId)!;
    clock.set(new Date(s.startsAt.getTime() + (s.durationMinutes + 45) * 60_000)); // past the 30-minute deadline
    const late = packages.get(heldBack)!.pkg;
    expect((await venueSignedFetch(venueKeys[late.manifest.body.venueCode], clock.now().getTime(), 'POST', `${api}/results`, late)).status).toBe(200);

    const report = verifyDocument((await ok('GET', '/sittings/ZJ2026/integrity-report')) as SignedIntegrityReport, publicKeysOf(province.ctx.keys));
    expect(report.checks.map((c) => [c.code, c.passed])).toEqual([['packages', true], ['counts', true], ['chains', true], ['roster', true], ['incidents', true]]);
    expect(report.passed).toBe(true);
    expect(report.rooms.find((r) => r.state !== 'verified')).toMatchObject({ sessionId, venueCode, roomCode, state: 'late', problems: ['数据包在考后 30 分钟时限之后才接收'] });
    expect(report.roster).toMatchObject({ expected: places.length, present: places.filter((p) => p.status !== 'absent').length, absent: places.filter((p) => p.status === 'absent').length, unaccounted: 0 });

    // an answer changed in the database after intake: its chain head no longer matches the signed manifest
    await q("UPDATE answer_event SET value = '{\"kind\":\"choice\",\"selected\":[\"A\"]}'::jsonb WHERE attempt_id = $1 AND seq = 3", [`att-${who.C.sessionId}-${who.C.candidateId}`]);
    const tampered = verifyDocument((await ok('GET', '/sittings/ZJ2026/integrity-report')) as SignedIntegrityReport, publicKeysOf(province.ctx.keys));
    expect(tampered.passed).toBe(false);
    expect(tampered.checks.find((c) => c.code === 'chains')).toMatchObject({ passed: false });
    expect(tampered.rooms.find((r) => r.chainsVerified === false)).toMatchObject({ venueCode: who.C.venueCode, roomCode: who.C.roomCode, problems: [expect.stringContaining(who.C.ticketNo)] });
  });
});
