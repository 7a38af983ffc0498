import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, Socket } from 'socket.io-client';
import { ChiefEvent, PROCTOR_NAMESPACE, ProctorEvent, type ExtensionRequest, type RoomSeatsPush, type StressTestRun, type ChiefOverview, type VenuePackageStatus } from '@kaowu/contracts';
import { initCrypto } from '@kaowu/crypto';
import { MockExamClock, SimulatedCandidate, SittingHarness, proctorAccessCode, startSittingHarness, venueStaffCredential, venueStaffToken } from '@kaowu/testing';

const T0 = new Date('2026-09-09T02:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
type AckOf<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string; field?: string } };
const until = async (cond: () => boolean, ms = 5000) => {
  for (let waited = 0; !cond() && waited < ms; waited += 50) await new Promise((r) => setTimeout(r, 50));
  return cond();
};

/**
 * Sign-in by role with the credentials issued with the venue package: the room's proctors, the
 * 主考 (venue overview, any room, approval of 补时 above the threshold) and the 技术负责人
 * (technician endpoints, 压力测试, package status).
 */
describe('venue staff: roles from the package, chief approval of extra time, technician tools', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'kaowu-staff-'));
  const clock = new MockExamClock(at(-60), 0);
  let h: SittingHarness;
  const sockets: Socket[] = [];
  const people: SimulatedCandidate[] = [];
  const socket = () => {
    const s = io(h.venue.url + PROCTOR_NAMESPACE, { transports: ['websocket'] });
    sockets.push(s);
    return s;
  };
  const act = <T>(s: Socket, event: string, body: unknown) => s.emitWithAck(event, body) as Promise<AckOf<T>>;
  const http = async <T>(path: string, token: string | null, init: { method?: string; body?: unknown } = {}) => {
    const res = await fetch(`${h.venue.url}/api/v1${path}`, {
      method: init.method ?? 'GET',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    return { status: res.status, body: (await res.json()) as T };
  };
  const signIn = (staffNo: string, accessCode: string) => http<{ code?: string; token?: string; role?: string }>('/staff/sign-in', null, { method: 'POST', body: { staffNo, accessCode } });

  beforeAll(async () => {
    await initCrypto();
    h = await startSittingHarness({ candidates: 4, workDir, databaseUrl: process.env.DATABASE_URL, durationMinutes: 120, T0, clock });
  });
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    people.forEach((p) => p.close());
    await h?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('signs the 主考 and the 技术负责人 in with the codes issued with the package, and locks a 工号 after repeated wrong codes', async () => {
    const chief = await venueStaffCredential(h.api, 'chief');
    const ok = await signIn(chief.staffNo, chief.accessCode);
    expect(ok).toMatchObject({ status: 201, body: { role: 'chief', staffNo: chief.staffNo } });
    expect(await signIn(chief.staffNo, 'wrong-code-1')).toMatchObject({ status: 401, body: { code: 'UNAUTHORIZED', field: 'accessCode' } });
    expect(await signIn(chief.staffNo, 'x')).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED', field: 'accessCode' } });

    const tech = await venueStaffCredential(h.api, 'technician');
    for (let i = 0; i < 4; i++) expect((await signIn(tech.staffNo, `wrong-code-${i}`)).status).toBe(401);
    expect(await signIn(tech.staffNo, 'wrong-code-5')).toMatchObject({ status: 401 });
    // locked now: even the right code waits
    expect(await signIn(tech.staffNo, tech.accessCode)).toMatchObject({ status: 429, body: { code: 'SIGN_IN_LOCKED' } });
    clock.set(at(-54), 0);
    expect(await signIn(tech.staffNo, tech.accessCode)).toMatchObject({ status: 201, body: { role: 'technician' } });
  });

  it('keeps the technician endpoints for the 技术负责人: the chief, an unknown token and no token are refused', async () => {
    const tech = await venueStaffToken(h.venue.url, h.api, 'technician');
    const chief = await venueStaffToken(h.venue.url, h.api, 'chief');
    expect((await http('/technician/stress-tests/latest', chief)).body).toMatchObject({ code: 'FORBIDDEN' });
    expect((await http('/technician/stress-tests/latest', 'not-a-token-at-all-xxxxxxxx')).body).toMatchObject({ code: 'UNAUTHORIZED' });
    const packages = await http<VenuePackageStatus[]>('/technician/packages', tech);
    expect(packages.status).toBe(200);
    expect(packages.body).toEqual([expect.objectContaining({ sessionId: 'S1', candidates: 4, paperReleased: false })]);
  });

  it('runs the 压力测试 in a sandbox: per-second figures for the chart, a verdict, nothing left behind', async () => {
    const tech = await venueStaffToken(h.venue.url, h.api, 'technician');
    expect((await http('/technician/stress-tests', tech, { method: 'POST', body: { machines: 0, seconds: 5 } })).body).toMatchObject({ code: 'VALIDATION_FAILED', field: 'machines' });
    const started = await http<StressTestRun>('/technician/stress-tests', tech, { method: 'POST', body: { machines: 20, seconds: 5, saveEverySeconds: 0.5 } });
    expect(started).toMatchObject({ status: 201, body: { status: 'running', machines: 20 } });
    expect((await http('/technician/stress-tests', tech, { method: 'POST', body: { machines: 5, seconds: 5 } })).body).toMatchObject({ code: 'CONFLICT' });
    let run = started.body;
    for (let i = 0; i < 60 && run.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 250));
      run = (await http<StressTestRun>('/technician/stress-tests/latest', tech)).body;
    }
    expect(run.status).toBe('passed');
    expect(run.series.length).toBeGreaterThanOrEqual(5);
    expect(run.summary?.saves).toBeGreaterThan(100);
    expect(run.summary).toMatchObject({ errors: 0, connectFailures: 0 });
    expect(run.series.some((s) => s.connected === 20 && s.saves > 0 && s.p95Ms !== null)).toBe(true);
    const left: { n: string }[] = await h.venue.ctx.db.dataSource.query('SELECT count(*) AS n FROM stress_save');
    expect(Number(left[0].n)).toBe(0);
  });

  it('sends 补时 above the threshold to the 主考, who sees it live and approves it; the minutes are credited then', async () => {
    const proctor = socket();
    const seats = await act<RoomSeatsPush>(proctor, ProctorEvent.join, { roomCode: 'R01', accessCode: await proctorAccessCode(h.api, 'R01') });
    expect(seats.ok).toBe(true);
    const chief = socket();
    const overviews: ChiefOverview[] = [];
    chief.on(ChiefEvent.overview, (o: ChiefOverview) => overviews.push(o));
    // a proctor's code does not open the overview; the chief's token does
    expect(await act(chief, ChiefEvent.join, { token: 'x'.repeat(30) })).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect(await act(chief, ChiefEvent.join, { token: await venueStaffToken(h.venue.url, h.api, 'technician') })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const joined = await act<ChiefOverview>(chief, ChiefEvent.join, { token: await venueStaffToken(h.venue.url, h.api, 'chief') });
    expect(joined).toMatchObject({ ok: true, data: { sessionId: 'S1', rooms: [expect.objectContaining({ roomCode: 'R01', expected: 4, loggedIn: 0 })] } });

    clock.set(at(-10), 0);
    const c = h.roster.candidates[0];
    const a = new SimulatedCandidate(h.venue.url, { roomCode: c.roomCode, seatNo: c.seatNo, ticketNo: c.ticketNo, idNo: c.idNo }, h.kioskKey);
    people.push(a);
    await a.connect();
    const login = await a.logIn();
    clock.set(at(5), 0);
    await a.waitForStartAndFetch(50, 10_000);

    // up to the threshold: applied at once
    expect(await act(proctor, ProctorEvent.extend, { attemptId: login.attemptId, minutes: 10, reason: '考试机故障延误' })).toMatchObject({ ok: true, data: { status: 'applied', time: { creditedMinutes: 10 } } });
    // above it: a request for the chief; a second one for the same candidate waits behind it
    const pending = await act<{ status: string; request: ExtensionRequest }>(proctor, ProctorEvent.extend, { attemptId: login.attemptId, minutes: 20, reason: '考点停电，本考生机器未能恢复' });
    expect(pending).toMatchObject({ ok: true, data: { status: 'pending', request: { minutes: 20, status: 'pending', requestedBy: 'proctor:R01', seatNo: c.seatNo } } });
    expect(await act(proctor, ProctorEvent.extend, { attemptId: login.attemptId, minutes: 15, reason: '重复申请' })).toMatchObject({ ok: false, error: { code: 'EXTENSION_PENDING' } });
    const requestId = pending.ok ? pending.data.request.requestId : '';
    // the chief's overview shows the request and counts it against the room (an overview pushed a moment before may lag behind)
    expect(await until(() => overviews.some((o) => o.extensionRequests.some((r) => r.requestId === requestId && r.status === 'pending') && o.rooms[0]?.pendingExtensions === 1))).toBe(true);
    expect(overviews.filter((o) => o.rooms[0]?.pendingExtensions === 1).at(-1)?.rooms[0]).toMatchObject({ loggedIn: 1, answering: 1, pendingExtensions: 1 });

    // only the chief decides
    expect(await act(proctor, ChiefEvent.decideExtension, { requestId, approve: true, note: '同意' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await act(chief, ChiefEvent.decideExtension, { requestId, approve: true, note: '' })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', field: 'note' } });
    const approved = await act<ExtensionRequest>(chief, ChiefEvent.decideExtension, { requestId, approve: true, note: '情况属实，同意补时' });
    expect(approved).toMatchObject({ ok: true, data: { status: 'approved', decidedBy: expect.stringMatching(/^chief:/), decisionNote: '情况属实，同意补时' } });
    expect(await act(chief, ChiefEvent.decideExtension, { requestId, approve: false, note: '再次处理' })).toMatchObject({ ok: false, error: { code: 'EXTENSION_DECIDED' } });
    expect(await until(() => a.timeChanges.some((t) => t.minutes === 20))).toBe(true);
    expect(a.timeChanges.at(-1)).toMatchObject({ change: 'extended', creditedMinutes: 30, endsAt: at(150).toISOString() });

    // the proctor's seat map shows the decision; the audit log names both people
    const after = await act<RoomSeatsPush>(proctor, ProctorEvent.join, { roomCode: 'R01', accessCode: await proctorAccessCode(h.api, 'R01') });
    expect(after.ok && after.data.extensionRequests?.[0]).toMatchObject({ requestId, status: 'approved' });
    const audit: { actor: string; action: string }[] = await h.venue.ctx.db.dataSource.query(`SELECT actor, action FROM audit_event WHERE action LIKE 'extension.%' ORDER BY id`);
    expect(audit).toEqual([
      { actor: 'proctor:R01', action: 'extension.requested' },
      { actor: expect.stringMatching(/^chief:/), action: 'extension.approved' },
    ]);

    // the chief opens the room and acts there under their own name
    const opened = await act<RoomSeatsPush>(chief, ChiefEvent.openRoom, { roomCode: 'R01' });
    expect(opened).toMatchObject({ ok: true, data: { roomCode: 'R01' } });
    expect(await act(chief, ChiefEvent.openRoom, { roomCode: 'R99' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await act(chief, ProctorEvent.extend, { attemptId: login.attemptId, minutes: 12, reason: '主考现场决定补时' })).toMatchObject({ ok: true, data: { status: 'applied', time: { creditedMinutes: 42 } } });
  });
});
