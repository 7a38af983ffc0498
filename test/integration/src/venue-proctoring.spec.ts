import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, Socket } from 'socket.io-client';
import { PROCTOR_NAMESPACE, ProctorEvent, RoomSeatsPush, type CandidateCard, type Incident, type RoomProcedure, type RoomVerification } from '@kaowu/contracts';
import { initCrypto } from '@kaowu/crypto';
import { MockExamClock, SimulatedCandidate, SittingHarness, proctorAccessCode, startSittingHarness } from '@kaowu/testing';

const T0 = new Date('2026-09-09T02:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const choice = (...selected: string[]) => ({ kind: 'choice' as const, selected });
const until = async (cond: () => boolean, ms = 5000) => {
  for (let waited = 0; !cond() && waited < ms; waited += 50) await new Promise((r) => setTimeout(r, 50));
  return cond();
};
type AckOf<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string; field?: string } };

/**
 * What proctors record about people, over the real proctor socket: 身份核验 with a mismatch raising
 * an incident, 违纪, 广播 to the screens, 强制交卷, 缺考 only after the cutoff, and the 核查 view that
 * will not confirm the room until every anomaly is acknowledged. Room R02's proctor sees none of R01.
 */
describe('proctoring: identity, incidents, absence, broadcast and the end-of-session verification', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'kaowu-proctoring-'));
  const clock = new MockExamClock(at(-20), 0);
  let h: SittingHarness;
  let proctor: Socket;
  let otherProctor: Socket;
  const people: SimulatedCandidate[] = [];
  const act = <T>(event: string, body: unknown, socket = proctor) => socket.emitWithAck(event, body) as Promise<AckOf<T>>;
  const ok = async <T>(p: Promise<AckOf<T>>): Promise<T> => {
    const a = await p;
    if (!a.ok) throw new Error(`${a.error.code}: ${a.error.message}`);
    return a.data;
  };
  const seatMap = () => ok(act<RoomSeatsPush>(ProctorEvent.join, { roomCode: 'R01', accessCode: codes.R01 }));
  const codes: Record<string, string> = {};
  const r01 = () => h.roster.candidates.filter((c) => c.roomCode === 'R01');

  beforeAll(async () => {
    await initCrypto();
    // 32 candidates: R01 holds 30, R02 the other 2
    // as at a real venue: a closed room waits up to 10 minutes for its proctors' 核查无误 before it is sealed
    h = await startSittingHarness({ candidates: 32, workDir, databaseUrl: process.env.DATABASE_URL, durationMinutes: 120, T0, clock, minMinutesBeforeHandIn: 30, venueEnv: { RESULT_CONFIRMATION_GRACE_MINUTES: '10' } });
    codes.R01 = await proctorAccessCode(h.api, 'R01');
    codes.R02 = await proctorAccessCode(h.api, 'R02');
    proctor = io(h.venue.url + PROCTOR_NAMESPACE, { transports: ['websocket'] });
    otherProctor = io(h.venue.url + PROCTOR_NAMESPACE, { transports: ['websocket'] });
    await seatMap();
    await ok(act(ProctorEvent.join, { roomCode: 'R02', accessCode: codes.R02 }, otherProctor));
  }, 120_000);
  afterAll(async () => {
    proctor?.close();
    otherProctor?.close();
    people.forEach((p) => p.close());
    await h?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('考试操作规程: the 17 steps on the server clock; a person records theirs, the system confirms its own', async () => {
    const view = await ok(act<RoomProcedure>(ProctorEvent.procedure, {}));
    expect(view.steps).toHaveLength(17);
    const step = (v: RoomProcedure, no: number) => v.steps.find((s) => s.no === no);
    // at T-20: the T-90 arrival is late, the T-30 sign-in due, 宣读考生须知 (T-10) upcoming
    expect(step(view, 1)).toMatchObject({ state: 'late', recordable: true, done: null, dueAt: at(-90).toISOString() });
    expect(step(view, 5)).toMatchObject({ state: 'due', recordable: false });
    expect(step(view, 9)).toMatchObject({ state: 'upcoming', recordable: true });
    const recorded = await ok(act<RoomProcedure>(ProctorEvent.recordStep, { stepNo: 1 }));
    expect(step(recorded, 1)).toMatchObject({ state: 'done', done: { by: 'proctor:R01' } });
    expect(await act(ProctorEvent.recordStep, { stepNo: 2 })).toMatchObject({ ok: false, error: { code: 'CONFLICT', field: 'stepNo' } });
    expect(await act(ProctorEvent.recordStep, { stepNo: 17 })).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining('尚未到时间') } });
    expect(await act(ProctorEvent.recordStep, { stepNo: 18 })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', field: 'stepNo' } });
  });

  it('signs candidates in at entry; a mismatch needs a note and raises an incident shown on the seat map', async () => {
    const [a, b] = r01();
    expect(await act(ProctorEvent.identityCheck, { ticketNo: a.ticketNo, phase: 'entry', result: 'mismatch' })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', field: 'note' } });
    expect(await act(ProctorEvent.identityCheck, { ticketNo: '20269999999999', phase: 'entry', result: 'verified' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', field: 'ticketNo' } });
    await ok(act(ProctorEvent.identityCheck, { ticketNo: a.ticketNo, phase: 'entry', result: 'verified' }));
    const mismatch = await ok(act<{ incident: Incident }>(ProctorEvent.identityCheck, { ticketNo: b.ticketNo, phase: 'entry', result: 'mismatch', note: '照片与本人明显不符，证件号码末位不同' }));
    expect(mismatch.incident).toMatchObject({ kind: 'identity_mismatch', ticketNo: b.ticketNo, candidateName: b.name, seatNo: b.seatNo, actor: 'proctor:R01' });

    const card = await ok(act<CandidateCard>(ProctorEvent.candidate, { ticketNo: b.ticketNo }));
    expect(card).toMatchObject({ ticketNo: b.ticketNo, name: b.name, idNo: b.idNo, seatNo: b.seatNo, checks: [{ phase: 'entry', result: 'mismatch', actor: 'proctor:R01' }] });
    expect(card.photo?.mediaType).toBe('image/png');

    const seats = (await seatMap()).seats;
    expect(seats.find((s) => s.seatNo === a.seatNo)).toMatchObject({ identity: 'verified', incidents: 0 });
    expect(seats.find((s) => s.seatNo === b.seatNo)).toMatchObject({ identity: 'mismatch', incidents: 1 });
  });

  it('a proctor of room R02 can neither check nor record anything about a candidate of R01', async () => {
    const [a] = r01();
    expect(await act(ProctorEvent.identityCheck, { ticketNo: a.ticketNo, phase: 'recheck', result: 'verified' }, otherProctor)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await act(ProctorEvent.violation, { ticketNo: a.ticketNo, category: 'copying', description: '偷看旁边考生屏幕' }, otherProctor)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const theirs = await ok(act<RoomVerification>(ProctorEvent.verification, {}, otherProctor));
    expect(theirs.rows.map((r) => r.ticketNo)).not.toContain(a.ticketNo);
    expect(theirs.incidents).toEqual([]);
  });

  it('records a violation, broadcasts to the screens of the room, and forces a hand-in that ends the attempt', async () => {
    const [a, b, c] = r01();
    for (const seat of [a, b, c]) {
      const p = new SimulatedCandidate(h.venue.url, { roomCode: seat.roomCode, seatNo: seat.seatNo, ticketNo: seat.ticketNo, idNo: seat.idNo }, h.kioskKey);
      people.push(p);
      await p.connect();
      await p.logIn();
    }
    clock.set(at(1), 0);
    for (const p of people) await p.waitForStartAndFetch(50, 10_000);
    await people[0].answer('S1', choice('A'));
    await people[2].answer('S1', choice('B'));

    expect(await act(ProctorEvent.violation, { ticketNo: c.ticketNo, category: 'cheating', description: '夹带' })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', field: 'category' } });
    const violation = await ok(act<Incident>(ProctorEvent.violation, { ticketNo: c.ticketNo, category: 'electronic_device', description: '考试中使用手机', evidence: '已拍照，手机已暂扣' }));
    expect(violation).toMatchObject({ kind: 'violation', category: 'electronic_device', evidence: '已拍照，手机已暂扣', seatNo: c.seatNo });

    const sent = await ok(act<{ delivered: number }>(ProctorEvent.broadcast, { message: '请考生保持安静，独立作答。' }));
    expect(sent.delivered).toBe(3);
    expect(await until(() => people.every((p) => p.roomMessages.length === 1))).toBe(true);
    expect(people[0].roomMessages[0]).toMatchObject({ roomCode: 'R01', message: '请考生保持安静，独立作答。' });

    const attemptId = people[2].login?.attemptId;
    expect(await act(ProctorEvent.forceHandIn, { attemptId, reason: '' })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', field: 'reason' } });
    const forced = await ok(act<Incident>(ProctorEvent.forceHandIn, { attemptId, reason: '使用手机，经主考同意强制交卷' }));
    expect(forced.kind).toBe('forced_hand_in');
    expect(await until(() => people[2].ended?.reason === 'forced')).toBe(true);
    expect((await seatMap()).seats.find((s) => s.seatNo === c.seatNo)).toMatchObject({ status: 'ended', incidents: 2 });
    expect(await act(ProctorEvent.forceHandIn, { attemptId, reason: '再次强制交卷' })).toMatchObject({ ok: false, error: { code: 'ATTEMPT_ENDED' } });
  });

  it('缺考 is refused before the late-login cutoff and for a candidate who logged in', async () => {
    const [a, , , d] = r01();
    expect(await act(ProctorEvent.markAbsent, { ticketNo: d.ticketNo })).toMatchObject({ ok: false, error: { code: 'ABSENCE_TOO_EARLY' } });
    clock.set(at(31), 0);
    expect(await act(ProctorEvent.markAbsent, { ticketNo: a.ticketNo })).toMatchObject({ ok: false, error: { code: 'CONFLICT', field: 'ticketNo' } });
    await ok(act(ProctorEvent.markAbsent, { ticketNo: d.ticketNo, note: '未到考' }));
    expect((await seatMap()).seats.find((s) => s.seatNo === d.seatNo)?.status).toBe('absent');
  });

  it('the verification view lists the anomalies and confirms the room only once each is acknowledged', async () => {
    const [a, b] = r01();
    const before = await ok(act<RoomVerification>(ProctorEvent.verification, {}));
    expect(before).toMatchObject({ expected: 30, loggedIn: 3, submitted: 0, ended: 1, canConfirm: false, confirmed: null });
    expect(before.anomalies.filter((x) => x.kind === 'still_answering').map((x) => x.ticketNo).sort()).toEqual([a.ticketNo, b.ticketNo].sort());
    expect(await act(ProctorEvent.confirmRoom, {})).toMatchObject({ ok: false, error: { code: 'ANOMALIES_OPEN' } });

    // the exam ends; a hands in first, b is ended at time with no answer
    clock.set(at(95), 0);
    await people[0].submit();
    clock.set(at(121), 0);
    expect(await until(() => !!people[1].ended)).toBe(true);
    people[1].close();
    await until(() => false, 300);

    const v = await ok(act<RoomVerification>(ProctorEvent.verification, {}));
    expect(v).toMatchObject({ expected: 30, loggedIn: 3, submitted: 1, ended: 2, absent: 27, canConfirm: false, upload: null });
    // closed, but not sealed before the proctors confirm: at the latest 10 minutes after the close
    expect(Date.parse(v.autoSealAt ?? '')).toBeGreaterThanOrEqual(at(130).getTime());
    const sealedEarly: unknown[] = await h.venue.ctx.db.dataSource.query(`SELECT 1 FROM result_upload WHERE room_code = 'R01'`);
    expect(sealedEarly).toHaveLength(0);
    const kinds = (ticketNo: string) => v.anomalies.filter((x) => x.ticketNo === ticketNo).map((x) => x.kind).sort();
    expect(kinds(b.ticketNo)).toEqual(['offline_at_end', 'open_incident', 'zero_answers']);
    expect(v.anomalies.filter((x) => x.kind === 'absence_unconfirmed')).toHaveLength(26);
    expect(v.anomalies.find((x) => x.kind === 'identity_unchecked' && x.ticketNo === r01()[2].ticketNo)).toBeTruthy();

    expect(await act(ProctorEvent.acknowledgeAnomaly, { anomalyId: 'zero_answers:nobody', note: '已核实' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await act(ProctorEvent.acknowledgeAnomaly, { anomalyId: v.anomalies[0].anomalyId, note: '' })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', field: 'note' } });
    let last = v;
    for (const x of v.anomalies.slice(0, -1)) last = await ok(act<RoomVerification>(ProctorEvent.acknowledgeAnomaly, { anomalyId: x.anomalyId, note: '已核实并记录' }));
    expect(last.canConfirm).toBe(false);
    expect(await act(ProctorEvent.confirmRoom, {})).toMatchObject({ ok: false, error: { code: 'ANOMALIES_OPEN', message: '还有 1 项异常情况未确认，不能提交核查结果' } });
    last = await ok(act<RoomVerification>(ProctorEvent.acknowledgeAnomaly, { anomalyId: v.anomalies[v.anomalies.length - 1].anomalyId, note: '已核实并记录' }));
    expect(last.canConfirm).toBe(true);
    const confirmed = await ok(act<RoomVerification>(ProctorEvent.confirmRoom, {}));
    expect(confirmed.confirmed).toMatchObject({ by: 'proctor:R01' });
    expect(confirmed.anomalies.every((x) => x.acknowledged?.note === '已核实并记录')).toBe(true);
    expect(confirmed.incidents.map((i) => i.kind)).toEqual(['identity_mismatch', 'violation', 'forced_hand_in']);

    // the printable room report, for the room's own proctors only
    const report = (code: string, room = 'R01') => fetch(`${h.venue.url}/api/v1/rooms/${room}/report.pdf`, { headers: { 'x-proctor-code': code } });
    expect((await report('wrong-code-123')).status).toBe(401);
    expect((await report(codes.R02)).status).toBe(401);
    const pdf = await report(codes.R01);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    // the Chinese font is embedded (subset): the report is readable on any machine
    expect(bytes.toString('latin1')).toMatch(/FontFile2/);

    // the room's sealed package, verified at the province, carries what the proctor recorded
    const r01Package = async () => {
      const c = (await (await fetch(`${h.api}/sessions/S1/completeness`)).json()) as { rooms: { roomCode: string; state: string; packageId: string | null }[] };
      const room = c.rooms.find((x) => x.roomCode === 'R01');
      return room?.state === 'verified' ? room.packageId : null;
    };
    let packageId: string | null = null;
    for (let i = 0; i < 100 && !(packageId = await r01Package()); i++) await new Promise((r) => setTimeout(r, 200));
    expect(packageId).toBeTruthy();
    const detail = (await (await fetch(`${h.api}/result-packages/${packageId}`)).json()) as {
      manifest: { body: { incidents: { action: string; ticketNo: string | null; category?: string | null; evidence?: string | null }[]; verification?: { confirmedBy: string; acknowledgements: { anomalyId: string; note: string }[] } | null } };
    };
    // a 违纪 travels with its category and evidence, for the province's review
    expect(detail.manifest.body.incidents.find((i) => i.action === 'incident.violation')).toMatchObject({ category: 'electronic_device', evidence: '已拍照，手机已暂扣' });
    // the proctors' confirmation travels in the signed manifest, with how each anomaly was accounted for
    expect(detail.manifest.body.verification).toMatchObject({ confirmedBy: 'proctor:R01' });
    expect(detail.manifest.body.verification?.acknowledgements).toHaveLength(v.anomalies.length);
    const sealed = detail.manifest.body.incidents.map((i) => `${i.action} ${i.ticketNo ?? ''}`.trim());
    expect(sealed).toEqual(
      expect.arrayContaining([
        `incident.identity_mismatch ${b.ticketNo}`,
        `incident.violation ${r01()[2].ticketNo}`,
        `attempt.forced ${r01()[2].ticketNo}`,
        `incident.forced_hand_in ${r01()[2].ticketNo}`,
        `candidate.absent ${r01()[3].ticketNo}`,
        'room.broadcast',
      ]),
    );

    // the proctor's view shows the province's receipt for the room
    const withReceipt = await ok(act<RoomVerification>(ProctorEvent.verification, {}));
    expect(withReceipt.upload).toMatchObject({ state: 'uploaded', packageId, receipt: { packageId, attemptsImported: 30 } });

    // the system saw the start, the end and the confirmation
    const steps = (await ok(act<RoomProcedure>(ProctorEvent.procedure, {}))).steps;
    for (const no of [11, 15, 16]) expect(steps.find((s) => s.no === no)).toMatchObject({ state: 'done', done: { by: 'system' } });
  });
});
