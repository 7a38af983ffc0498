import { VenuePackage } from '@kaowu/contracts';
import { PartyKeys, generatePartyKeys, initCrypto, keyFingerprint, publicKeysOf, signVenueRequest } from '@kaowu/crypto';
import { ManualClock } from '@kaowu/exam-domain';
import { startPlanningServer } from '../test-support/planning-test-server';

const T0 = new Date('2026-09-09T02:00:00Z');
const clock = new ManualClock(new Date(T0.getTime() - 2 * 24 * 3600_000));

/**
 * Hole 1 of the security audit: a small role re-keyed a venue, pulled its package with the new key
 * and could then read the paper and sign results as that venue. And hole 11: a package frozen to a
 * wrong key blocked the real venue with no way to rebuild it.
 */
describe('venue keys: first registration, two-person change, re-issue', () => {
  let planning: Awaited<ReturnType<typeof startPlanningServer>>;
  let api: string;
  let realVenue: PartyKeys;
  let attacker: PartyKeys;
  const tokens: Record<'municipal' | 'adminA' | 'adminB' | 'issuedByA', { token: string }> = {} as never;
  // Error and list bodies are checked field by field.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const call = async (token: string | undefined, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> => {
    const res = await fetch(api + path, { method, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: await res.json() };
  };
  const pull = async (keys: PartyKeys) => {
    const path = '/api/v1/venue-packages/V01/S1';
    const res = await fetch(new URL(path, api), { headers: { authorization: signVenueRequest(keys, { method: 'GET', pathAndQuery: path, atMs: clock.now().getTime() }) } });
    return { status: res.status, body: (await res.json()) as VenuePackage & { code?: string } };
  };
  const currentKey = async () => (await planning.server.ctx.db.dataSource.query("SELECT key_id FROM venue WHERE venue_code = 'V01'"))[0].key_id as string;

  beforeAll(async () => {
    await initCrypto();
    realVenue = generatePartyKeys('venue-V01');
    attacker = generatePartyKeys('venue-V01-rogue');
    planning = await startPlanningServer('venuekeys', clock, [{ batchCode: 'B1', date: '2026-09-09', startTimes: ['08:30', '13:30', '18:00'] }]);
    const { send } = planning;
    api = planning.api;
    await send('POST', '/venues', { venueCode: 'V01', name: '贵州财经大学考点', rooms: [{ roomCode: 'R01', name: '第1考场', rows: 1, cols: 3 }] });
    await send('PUT', '/venues/V01/planning', { regionCode: '520100', address: '贵阳市花溪区' });
    tokens.municipal = await send('POST', '/staff-tokens', { label: '贵阳市考办 张三', role: 'municipal-admin', regionCode: '520100' });
    tokens.adminA = await send('POST', '/staff-tokens', { label: '省考办 王五', role: 'provincial-admin' });
    tokens.adminB = await send('POST', '/staff-tokens', { label: '省考办 赵六', role: 'provincial-admin' });
    tokens.issuedByA = (await call(tokens.adminA.token, 'POST', '/staff-tokens', { label: '王五的第二个令牌', role: 'provincial-admin' })).body;
    await send('POST', '/exams', { examCode: 'ZJ', examName: '中级', subjectCode: 'JJF', subjectName: '经济法', durationMinutes: 120 });
    await send('POST', '/candidates', { candidates: [1, 2].map((n) => ({ ticketNo: `202600000${n}`, idNo: `52010219900101000${n}`, name: `考生${n}`, gender: 'F', venueCode: 'V01', roomCode: 'R01', seatNo: n })) });
    await send('POST', '/papers', { paperId: 'P1', examCode: 'ZJ', items: [{ itemId: 'S1', type: 'single', stem: '单选', score: 1, options: [{ key: 'A', text: '甲' }, { key: 'B', text: '乙' }], correct: ['B'] }] });
    await send('POST', '/sessions', { sessionId: 'S1', examCode: 'ZJ', paperId: 'P1', startsAt: T0.toISOString(), releaseAt: new Date(T0.getTime() - 5 * 60_000).toISOString() });
  });
  afterAll(() => planning.close());

  it('a municipal admin cannot register or change a venue key at all', async () => {
    const first = await call(tokens.municipal.token, 'POST', '/venues/V01/keys', publicKeysOf(attacker));
    expect(first).toMatchObject({ status: 403, body: { code: 'ROLE_FORBIDDEN' } });
    const change = await call(tokens.municipal.token, 'POST', '/venues/V01/key-changes', { ...publicKeysOf(attacker), reason: '服务器更换' });
    expect(change).toMatchObject({ status: 403, body: { code: 'ROLE_FORBIDDEN' } });
    expect(await currentKey()).toBeNull();
  });

  it('registers the first key by a provincial admin with its fingerprint in the log and the venue list', async () => {
    const r = await call(tokens.adminA.token, 'POST', '/venues/V01/keys', publicKeysOf(realVenue));
    expect(r).toMatchObject({ status: 201, body: { keyId: realVenue.keyId, fingerprint: keyFingerprint(publicKeysOf(realVenue)) } });
    expect(r.body.fingerprint).toMatch(/^[0-9A-F]{4}( [0-9A-F]{4}){4}$/);
    const venues = await call(tokens.adminA.token, 'GET', '/venues');
    expect(venues.body.find((v: { venueCode: string }) => v.venueCode === 'V01')).toMatchObject({ keyRegistered: true, keyId: realVenue.keyId, keyFingerprint: r.body.fingerprint });
    const [logged] = await planning.server.ctx.db.dataSource.query("SELECT details FROM audit_event WHERE action = 'venue.key_registered'");
    expect(logged.details).toEqual({ keyId: realVenue.keyId, fingerprint: r.body.fingerprint });
    // the same key again changes nothing
    expect((await call(tokens.adminB.token, 'POST', '/venues/V01/keys', publicKeysOf(realVenue))).status).toBe(201);
  });

  it('refuses a silent re-key, even by a provincial admin: it needs a request and a second admin', async () => {
    const direct = await call(tokens.adminA.token, 'POST', '/venues/V01/keys', publicKeysOf(attacker));
    expect(direct).toMatchObject({ status: 409, body: { code: 'APPROVAL_REQUIRED', field: 'keyId' } });
    expect(direct.body.message).toContain('由另一位省级管理员批准');
    expect(await currentKey()).toBe(realVenue.keyId);
    const noReason = await call(tokens.adminA.token, 'POST', '/venues/V01/key-changes', publicKeysOf(attacker));
    expect(noReason).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED', field: 'reason' } });
  });

  it('the requester, and any token the requester issued, cannot approve; a second admin can reject', async () => {
    const req = await call(tokens.adminA.token, 'POST', '/venues/V01/key-changes', { ...publicKeysOf(attacker), reason: '考点服务器主板损坏，已更换' });
    expect(req).toMatchObject({ status: 201, body: { state: 'pending', currentKeyId: realVenue.keyId, newKeyId: attacker.keyId, newFingerprint: keyFingerprint(publicKeysOf(attacker)) } });
    const id = req.body.requestId;
    expect((await call(tokens.adminA.token, 'POST', '/venues/V01/key-changes', { ...publicKeysOf(attacker), reason: '再来一次' })).body.code).toBe('CONFLICT');
    for (const who of [tokens.adminA, tokens.issuedByA]) {
      const self = await call(who.token, 'POST', `/key-changes/${id}/approve`, {});
      expect(self).toMatchObject({ status: 409, body: { code: 'APPROVAL_REQUIRED' } });
    }
    expect((await call(tokens.municipal.token, 'POST', `/key-changes/${id}/approve`, {})).body.code).toBe('ROLE_FORBIDDEN');
    expect(await currentKey()).toBe(realVenue.keyId);
    const rejected = await call(tokens.adminB.token, 'POST', `/key-changes/${id}/reject`, { reason: '未经考点确认' });
    expect(rejected).toMatchObject({ status: 200, body: { state: 'rejected', decidedBy: expect.stringContaining('赵六') } });
    expect(await currentKey()).toBe(realVenue.keyId);
  });

  it('once the venue has pulled its package, a change is refused unless it re-issues the package to the new key', async () => {
    const frozen = await call(tokens.adminA.token, 'POST', '/venue-packages/V01/S1/freeze', {});
    expect(frozen).toMatchObject({ status: 200, body: { packageId: 'V01-S1', venueKeyId: realVenue.keyId, candidates: 2, pulledAt: null } });
    // a rogue key cannot pull it, the real venue can
    expect((await pull(attacker)).body.code).toBe('VENUE_SIGNATURE_INVALID');
    const pulled = await pull(realVenue);
    expect(pulled.status).toBe(200);
    expect(pulled.body.manifest.body.venueKeyId).toBe(realVenue.keyId);

    const plain = await call(tokens.adminA.token, 'POST', '/venues/V01/key-changes', { ...publicKeysOf(attacker), reason: '考点服务器更换' });
    const refused = await call(tokens.adminB.token, 'POST', `/key-changes/${plain.body.requestId}/approve`, {});
    expect(refused).toMatchObject({ status: 409, body: { code: 'KEY_CHANGE_REFUSED', details: { packages: ['V01-S1'] } } });
    expect(await currentKey()).toBe(realVenue.keyId);
    await call(tokens.adminB.token, 'POST', `/key-changes/${plain.body.requestId}/reject`, { reason: '须重新生成考试包' });

    const newServer = generatePartyKeys('venue-V01-new');
    const withReissue = await call(tokens.adminA.token, 'POST', '/venues/V01/key-changes', { ...publicKeysOf(newServer), reason: '考点服务器更换，重新下发考试包', reissuePulledPackages: true });
    const approved = await call(tokens.adminB.token, 'POST', `/key-changes/${withReissue.body.requestId}/approve`, { reason: '已电话核对新指纹' });
    expect(approved).toMatchObject({ status: 200, body: { state: 'approved', reissuedPackages: ['V01-S1'] } });
    expect(await currentKey()).toBe(newServer.keyId);
    // the old key is done; the new one pulls a package sealed to it
    expect((await pull(realVenue)).body.code).toBe('VENUE_SIGNATURE_INVALID');
    const again = await pull(newServer);
    expect(again.body.manifest.body.venueKeyId).toBe(newServer.keyId);
    const history = await call(tokens.adminA.token, 'GET', '/venues/V01/key-changes');
    expect(history.body.map((c: { state: string }) => c.state).sort()).toEqual(['approved', 'rejected', 'rejected']);
    const actions: string[] = await planning.auditActions();
    expect(actions.filter((a) => a.startsWith('venue.key') || a.startsWith('venue_package.'))).toEqual([
      'venue.key_registered', 'venue.key_change_requested', 'venue.key_change_rejected', 'venue_package.exported', 'venue_package.pulled',
      'venue.key_change_requested', 'venue.key_change_rejected', 'venue.key_change_requested', 'venue.key_changed', 'venue_package.reissued', 'venue_package.pulled',
    ]);
  });

  it('re-issues a package by a provincial admin with a reason (hole 11), never by a municipal admin', async () => {
    expect((await call(tokens.municipal.token, 'POST', '/venue-packages/V01/S1/reissue', { reason: '补报名' })).body.code).toBe('ROLE_FORBIDDEN');
    expect((await call(tokens.adminA.token, 'POST', '/venue-packages/V01/S1/reissue', {})).body).toMatchObject({ code: 'VALIDATION_FAILED', field: 'reason' });
    const r = await call(tokens.adminA.token, 'POST', '/venue-packages/V01/S1/reissue', { reason: '考点反映考试包无法导入' });
    expect(r).toMatchObject({ status: 200, body: { reissues: 2, pulledAt: null, frozenBy: expect.stringContaining('王五') } });
    const [logged] = await planning.server.ctx.db.dataSource.query("SELECT reason FROM audit_event WHERE action = 'venue_package.reissued' ORDER BY id DESC LIMIT 1");
    expect(logged.reason).toBe('考点反映考试包无法导入');
  });
});
