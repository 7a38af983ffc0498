import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AttemptResult, KeyRelease, MinistryExport, ResultManifest, ResultPackage, ResultPayload, SignedReceipt, VenuePackage } from '@kaowu/contracts';
import {
  PartyKeys,
  SignedDocument,
  canonicalJson,
  decryptBlob,
  fromBase64,
  fromUtf8,
  generatePartyKeys,
  initCrypto,
  openSealedDataKey,
  publicKeysOf,
  sealBlob,
  sha256Hex,
  signDocument,
  signVenueRequest,
  toBase64,
  unwrapKey,
  utf8,
  verifyDocument,
} from '@kaowu/crypto';
import { ManualClock, attemptChainHead, finalAnswers, finalAnswersDigest } from '@kaowu/exam-domain';
import { createScratchDatabase } from '@kaowu/persistence';
import { ProvincialConfigSchema } from '../provincial-config';
import { ProvincialServer, createProvincialServer } from '../provincial-server';

const T0 = new Date('2026-09-09T02:00:00Z');
const clock = new ManualClock(new Date(T0.getTime() - 24 * 3600_000));
// Test bodies are checked field by field below.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const j = (res: Response): Promise<any> => res.json();

describe('provincial intake and key release', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kaowu-intake-'));
  let server: ProvincialServer;
  let drop: (() => Promise<void>) | undefined;
  let venueKeys: PartyKeys;
  let candidateIds: Record<string, string>;
  let api: string;

  const post = (path: string, body: unknown) => fetch(api + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  /** A request of the venue server: signed with the venue's registered key, as its province client does. */
  const venueCall = (method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const bytes = body === undefined ? undefined : body instanceof Uint8Array ? body : utf8(JSON.stringify(body));
    const url = new URL(api + path);
    const authorization = signVenueRequest(venueKeys, { method, pathAndQuery: url.pathname + url.search, atMs: clock.now().getTime(), body: bytes });
    const type: Record<string, string> = body === undefined ? {} : { 'content-type': body instanceof Uint8Array ? 'application/octet-stream' : 'application/json' };
    return fetch(url, { method, headers: { authorization, ...type, ...headers }, body: bytes });
  };
  const vpost = (path: string, body: unknown) => venueCall('POST', path, body);
  const vOkPost = async (path: string, body: unknown) => {
    const res = await vpost(path, body);
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return j(res);
  };
  const okPost = async (path: string, body: unknown) => {
    const res = await post(path, body);
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return j(res);
  };

  beforeAll(async () => {
    await initCrypto();
    const scratch = process.env.DATABASE_URL ? await createScratchDatabase(process.env.DATABASE_URL, 'kaowu_test_intake') : undefined;
    drop = scratch?.drop;
    server = await createProvincialServer(ProvincialConfigSchema.parse({ PROVINCIAL_PORT: '0', PROVINCIAL_DATA_DIR: dir, DATABASE_URL: scratch?.url }), { clock, keyStrength: 'interactive', quiet: true });
    api = `${server.url}/api/v1`;
    venueKeys = generatePartyKeys('venue-V001');
    await okPost('/exams', { examCode: 'ZJ', examName: '中级', subjectCode: 'JJF', subjectName: '经济法', durationMinutes: 120 });
    await okPost('/venues', { venueCode: 'V001', name: '考点', rooms: [{ roomCode: 'R01', name: '第1考场', rows: 1, cols: 3 }] });
    await okPost('/venues/V001/keys', publicKeysOf(venueKeys));
    await okPost('/candidates', {
      candidates: [1, 2, 3].map((n) => ({ ticketNo: `202600000${n}`, idNo: `52010219900101000${n}`, name: `考生${n}`, gender: 'F', venueCode: 'V001', roomCode: 'R01', seatNo: n })),
    });
    await okPost('/papers', {
      paperId: 'P1', examCode: 'ZJ',
      items: [
        { itemId: 'S1', type: 'single', stem: '单选', score: 1.5, options: [{ key: 'A', text: '甲' }, { key: 'B', text: '乙' }], correct: ['B'] },
        { itemId: 'M1', type: 'multiple', stem: '多选', score: 2, options: [{ key: 'A', text: '甲' }, { key: 'B', text: '乙' }, { key: 'C', text: '丙' }], correct: ['A', 'C'] },
      ],
    });
    await okPost('/sessions', { sessionId: 'S1', examCode: 'ZJ', paperId: 'P1', startsAt: T0.toISOString(), releaseAt: new Date(T0.getTime() - 10 * 60_000).toISOString() });
    // before the province freezes it, the venue gets nothing
    expect(await j(await venueCall('GET', '/venue-packages/V001/S1'))).toMatchObject({ code: 'PACKAGE_NOT_FROZEN' });
    expect(await okPost('/venue-packages/V001/S1/freeze', {})).toMatchObject({ packageId: 'V001-S1', candidates: 3, pulledAt: null, reissues: 0 });
    const pkg: VenuePackage = await j(await venueCall('GET', '/venue-packages/V001/S1'));
    const roster = JSON.parse(fromUtf8(decryptBlob(fromBase64(pkg.roster), openSealedDataKey(pkg.manifest.body.roster.sealedKey, venueKeys))));
    candidateIds = Object.fromEntries(roster.candidates.map((c: { ticketNo: string; candidateId: string }) => [c.ticketNo, c.candidateId]));
  });

  afterAll(async () => {
    await server.close();
    await drop?.();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A room package as the venue seals it; `mutate` may break it before signing. */
  function buildPackage(opts: { attempts?: AttemptResult[]; signer?: PartyKeys; sessionId?: string; packageId?: string; mutateManifest?: (m: ResultManifest) => void } = {}): ResultPackage {
    const at = new Date(T0.getTime() + 5 * 60_000).toISOString();
    const attempts: AttemptResult[] = opts.attempts ?? [
      { attemptId: 'a1', candidateId: candidateIds['2026000001'], ticketNo: '2026000001', status: 'ended', loggedInAt: at, endedAt: at,
        events: [{ seq: 1, itemId: 'S1', value: { kind: 'choice', selected: ['A'] }, receivedAt: at }, { seq: 2, itemId: 'S1', value: { kind: 'choice', selected: ['B'] }, receivedAt: at }, { seq: 3, itemId: 'M1', value: { kind: 'choice', selected: ['C', 'A'] }, receivedAt: at }] },
      { attemptId: 'a2', candidateId: candidateIds['2026000002'], ticketNo: '2026000002', status: 'submitted', loggedInAt: at, endedAt: at,
        events: [{ seq: 1, itemId: 'M1', value: { kind: 'choice', selected: ['A'] }, receivedAt: at }] },
      { attemptId: 'absent-3', candidateId: candidateIds['2026000003'], ticketNo: '2026000003', status: 'absent', loggedInAt: null, endedAt: null, events: [] },
    ];
    const payload: ResultPayload = { format: 'kaowu.result-payload', version: 1, attempts };
    const plain = utf8(canonicalJson(payload));
    const sealed = sealBlob(plain, server.ctx.keys.box.publicKey);
    const manifest: ResultManifest = {
      format: 'kaowu.result-package', version: 2, packageId: opts.packageId ?? 'V001-S1-R01', venueCode: 'V001', venueKeyId: venueKeys.keyId, roomCode: 'R01',
      sessionId: opts.sessionId ?? 'S1', paperId: 'P1', closedAt: at, expectedCandidates: 3, presentCandidates: 2,
      attempts: attempts.map((a) => ({
        attemptId: a.attemptId, ticketNo: a.ticketNo, status: a.status, answerCount: a.events.length, lastSeq: a.events.at(-1)?.seq ?? 0,
        chainHead: attemptChainHead(a.events), finalAnswersSha256: finalAnswersDigest(finalAnswers(a.events)),
      })),
      incidents: [], auditHead: { auditId: 0, hash: '0'.repeat(64) },
      payload: { sha256: sha256Hex(plain), bytes: plain.length },
    };
    opts.mutateManifest?.(manifest);
    return {
      manifest: signDocument(manifest, opts.signer ?? venueKeys),
      envelope: { sealedKey: sealed.sealedKey, sha256: sha256Hex(sealed.ciphertext), bytes: sealed.ciphertext.length },
      payload: toBase64(sealed.ciphertext),
    };
  }

  const intakeCount = async () => (await j(await fetch(`${api}/intake`))).length;
  const refusal = async (pkg: unknown) => {
    const res = await vpost('/results', pkg);
    return { status: res.status, body: await j(res) };
  };

  it('keeps the paper key until release time, then releases a key that opens the paper', async () => {
    const early = await venueCall('GET', '/key-releases/V001-S1');
    expect(early.status).toBe(403);
    expect((await j(early)).code).toBe('PACKAGE_NOT_RELEASED');

    clock.set(new Date(T0.getTime() - 10 * 60_000));
    const release: SignedDocument<KeyRelease> = await j(await venueCall('GET', '/key-releases/V001-S1'));
    const body = verifyDocument(release, publicKeysOf(server.ctx.keys));
    const pkg: VenuePackage = await j(await venueCall('GET', '/venue-packages/V001/S1'));
    const sealedKey = unwrapKey(fromBase64(pkg.manifest.body.paper.wrappedSealedKey), fromBase64(body.releaseSecret));
    const paper = JSON.parse(fromUtf8(decryptBlob(fromBase64(pkg.paper), openSealedDataKey(toBase64(sealedKey), venueKeys))));
    expect(paper.items.map((i: { itemId: string }) => i.itemId)).toEqual(['S1', 'M1']);
    // the answer keys never leave the province
    expect(JSON.stringify(paper)).not.toContain('correct');
  });

  it('refuses each kind of bad package with its reason and imports nothing', async () => {
    const good = buildPackage();
    const flipped = { ...good, payload: toBase64(fromBase64(good.payload).map((b, i) => (i === 100 ? b ^ 1 : b))) };
    const truncated = { ...good, payload: toBase64(fromBase64(good.payload).slice(0, -40)) };
    // signed by another key but claiming the venue's key id
    const foreign = buildPackage({ signer: generatePartyKeys('venue-V001') });
    foreign.manifest.signature.keyId = venueKeys.keyId;
    const forged = { ...good, manifest: { ...good.manifest, body: { ...good.manifest.body, presentCandidates: 3 } } };
    const wrongSession = buildPackage({ sessionId: 'S9' });
    const chainBroken = buildPackage({ mutateManifest: (m) => (m.attempts[0].chainHead = '0'.repeat(64)) });
    const finalsBroken = buildPackage({ mutateManifest: (m) => (m.attempts[1].finalAnswersSha256 = '0'.repeat(64)) });
    // the ciphertext cut short, its envelope "fixed" to match: the stream's missing end gives it away
    const cut = fromBase64(good.payload).slice(0, -40);
    const truncatedWithEnvelope = { ...good, envelope: { ...good.envelope, bytes: cut.length, sha256: sha256Hex(cut) }, payload: toBase64(cut) };
    // another payload, properly sealed to the province, under the genuine signed manifest
    const otherPlain = utf8(canonicalJson({ format: 'kaowu.result-payload', version: 1, attempts: [] }));
    const resealed = sealBlob(otherPlain, server.ctx.keys.box.publicKey);
    const foreignPayload = { ...good, envelope: { sealedKey: resealed.sealedKey, sha256: sha256Hex(resealed.ciphertext), bytes: resealed.ciphertext.length }, payload: toBase64(resealed.ciphertext) };

    const cases: [string, unknown, string][] = [
      ['flipped byte', flipped, 'PACKAGE_TAMPERED'],
      ['truncated payload', truncated, 'PACKAGE_TRUNCATED'],
      ['foreign key under the venue key id', foreign, 'PACKAGE_SIGNATURE_INVALID'],
      ['manifest changed after signing', forged, 'PACKAGE_SIGNATURE_INVALID'],
      ['wrong session', wrongSession, 'PACKAGE_WRONG_SESSION'],
      ['chain head does not match', chainBroken, 'PACKAGE_TAMPERED'],
      ['final answers digest does not match', finalsBroken, 'PACKAGE_TAMPERED'],
      ['truncated ciphertext with a matching envelope', truncatedWithEnvelope, 'PACKAGE_TRUNCATED'],
      ['another sealed payload under the signed manifest', foreignPayload, 'PACKAGE_TAMPERED'],
      ['malformed body', { manifest: 'nope' }, 'VALIDATION_FAILED'],
    ];
    for (const [what, pkg, code] of cases) {
      const r = await refusal(pkg);
      expect({ what, code: r.body.code }).toEqual({ what, code });
      expect(r.status).toBeGreaterThanOrEqual(400);
      expect(r.body.message).toBeTruthy();
    }
    expect(await intakeCount()).toBe(0);
  });

  it('refuses a package that leaves out a candidate of the roster', async () => {
    const full = buildPackage();
    const twoOfThree = JSON.parse(fromUtf8(decryptBlob(fromBase64(full.payload), openSealedDataKey(full.envelope.sealedKey, server.ctx.keys)))).attempts.slice(0, 2);
    const r = await refusal(buildPackage({ attempts: twoOfThree }));
    expect(r.body.code).toBe('PACKAGE_INCOMPLETE');
    expect(r.body.details.missing).toEqual(['2026000003']);
    expect(await intakeCount()).toBe(0);
  });

  const fileOf = (pkg: ResultPackage) => new TextEncoder().encode(canonicalJson(pkg));
  const putChunk = (uploadId: string, offset: number, bytes: Uint8Array, sha = sha256Hex(bytes)) =>
    venueCall('PUT', `/result-uploads/${uploadId}/chunks/${offset}`, bytes, { 'x-chunk-sha256': sha });

  it('takes a package in hash-checked chunks, resumes from the confirmed offset and refuses what does not fit', async () => {
    const file = fileOf(buildPackage());
    const open = { packageId: 'V001-S1-R01', venueCode: 'V001', roomCode: 'R01', sessionId: 'S1', totalBytes: file.length, sha256: sha256Hex(file) };
    const opened = await vOkPost('/result-uploads', open);
    expect(opened).toMatchObject({ confirmedBytes: 0, state: 'open', receipt: null });
    const id = opened.uploadId;
    expect((await vOkPost('/result-uploads', open)).uploadId).toBe(id); // re-opening is the same upload
    // a venue stages uploads for its own rooms only
    expect(await j(await vpost('/result-uploads', { ...open, venueCode: 'V999' }))).toMatchObject({ code: 'FORBIDDEN', field: 'venueCode' });
    expect(await j(await vpost('/result-uploads', { ...open, sha256: 'x' }))).toMatchObject({ code: 'VALIDATION_FAILED', field: 'sha256' });

    expect(await j(await putChunk(id, 0, file.subarray(0, 1000)))).toMatchObject({ confirmedBytes: 1000 });
    const corrupt = await putChunk(id, 1000, file.subarray(1000, 2000), sha256Hex(file.subarray(0, 1000)));
    expect([corrupt.status, (await j(corrupt)).code]).toEqual([422, 'UPLOAD_CHUNK_CORRUPT']);
    const ahead = await putChunk(id, 3000, file.subarray(3000, 4000));
    expect(await j(ahead)).toMatchObject({ code: 'UPLOAD_OFFSET_MISMATCH', field: 'offset', details: { confirmedBytes: 1000 } });
    // a chunk re-sent after its answer was lost is acknowledged again, nothing doubled
    expect(await j(await putChunk(id, 0, file.subarray(0, 1000)))).toMatchObject({ confirmedBytes: 1000 });
    const early = await vpost(`/result-uploads/${id}/complete`, {});
    expect(await j(early)).toMatchObject({ code: 'UPLOAD_INCOMPLETE', details: { confirmedBytes: 1000, totalBytes: file.length } });
    expect((await j(await venueCall('GET', `/result-uploads/${id}`))).confirmedBytes).toBe(1000);
    expect(await intakeCount()).toBe(0);

    // 回收完整性: the room is on its way; past the deadline (end + 30 min) without a verified package it is late
    const before = clock.now();
    const room = async () => (await j(await fetch(`${api}/sessions/S1/completeness`))).rooms[0];
    expect(await room()).toMatchObject({ venueCode: 'V001', roomCode: 'R01', state: 'sealed', confirmedBytes: 1000, totalBytes: file.length, expectedCandidates: 3, deadlineAt: new Date(T0.getTime() + 150 * 60_000).toISOString() });
    clock.set(new Date(T0.getTime() + 151 * 60_000));
    expect(await room()).toMatchObject({ state: 'late', secondsToDeadline: -60 });
    clock.set(before);
  });

  it('refuses a package file whose checksum file does not match, and imports nothing', async () => {
    const file = fileOf(buildPackage());
    const res = await fetch(`${api}/result-files`, { method: 'POST', headers: { 'content-type': 'application/octet-stream', 'x-package-sha256': sha256Hex(file.subarray(1)) }, body: file });
    expect([res.status, (await j(res)).code]).toEqual([422, 'UPLOAD_CHECKSUM_MISMATCH']);
    expect(await intakeCount()).toBe(0);
  });

  it('imports a good package once all chunks are in, scores it and answers with a signed receipt; a re-send gets the same receipt; a replay is refused', async () => {
    const pkg = buildPackage();
    const file = fileOf(pkg);
    const opened = await vOkPost('/result-uploads', { packageId: 'V001-S1-R01', venueCode: 'V001', roomCode: 'R01', sessionId: 'S1', totalBytes: file.length, sha256: sha256Hex(file) });
    for (let offset = opened.confirmedBytes; offset < file.length; offset += 1000) expect((await putChunk(opened.uploadId, offset, file.subarray(offset, offset + 1000))).status).toBe(200);
    const res = await vpost(`/result-uploads/${opened.uploadId}/complete`, {});
    expect(res.status).toBe(200);
    const receipt: SignedReceipt = await j(res);
    const body = verifyDocument(receipt, publicKeysOf(server.ctx.keys));
    expect(body).toMatchObject({ packageId: 'V001-S1-R01', attemptsImported: 3, answersImported: 4, manifestSha256: sha256Hex(canonicalJson(pkg.manifest)) });

    const scores = await j(await fetch(`${api}/scores?sessionId=S1`));
    // a1: final S1 = B (1.5) and M1 = A,C (2); a2: M1 = A only (no partial credit)
    expect(scores.map((s: { ticketNo: string; objectiveScore: number }) => [s.ticketNo, s.objectiveScore])).toEqual([
      ['2026000001', 3.5], ['2026000002', 0], ['2026000003', 0],
    ]);

    // the same package again — completed again, re-opened, posted whole, resealed, or as a file — gets the same receipt
    expect(await j(await vpost(`/result-uploads/${opened.uploadId}/complete`, {}))).toEqual(receipt);
    expect((await vOkPost('/result-uploads', { packageId: 'V001-S1-R01', venueCode: 'V001', roomCode: 'R01', sessionId: 'S1', totalBytes: file.length, sha256: sha256Hex(file) })).receipt).toEqual(receipt);
    expect(await j(await vpost('/results', pkg))).toEqual(receipt);
    expect(await j(await vpost('/results', buildPackage()))).toEqual(receipt);
    const asFile = await fetch(`${api}/result-files`, { method: 'POST', headers: { 'content-type': 'application/octet-stream', 'x-package-sha256': `${sha256Hex(file)}  V001-S1-R01.kwr` }, body: file });
    expect(await j(asFile)).toEqual(receipt);

    const replay = await refusal(buildPackage({ mutateManifest: (m) => (m.presentCandidates = 1) }));
    expect(replay.body.code).toBe('PACKAGE_REPLAYED');
    const otherId = await refusal(buildPackage({ packageId: 'V001-S1-R01-again' }));
    expect(otherId.body).toMatchObject({ code: 'PACKAGE_REPLAYED', details: { receivedPackageId: 'V001-S1-R01' } });
    expect(await intakeCount()).toBe(1);

    const completeness = await j(await fetch(`${api}/sessions/S1/completeness`));
    expect(completeness.rooms).toEqual([expect.objectContaining({ state: 'verified', packageId: 'V001-S1-R01', presentCandidates: 2, receivedLate: false })]);
    expect(completeness.counts).toMatchObject({ verified: 1, late: 0 });
    expect(await j(await fetch(`${api}/completeness/sessions`))).toEqual([{ sessionId: 'S1', startsAt: T0.toISOString(), endsAt: new Date(T0.getTime() + 120 * 60_000).toISOString(), venues: 1 }]);
    const detail = await j(await fetch(`${api}/result-packages/V001-S1-R01`));
    expect(detail.absent).toEqual([{ ticketNo: '2026000003', name: '考生3' }]);
    expect(detail.receipt).toEqual(receipt);
    expect(detail.manifest.body.attempts).toHaveLength(3);
  });

  it('refuses a package signed by a venue key it does not know', async () => {
    const stranger = generatePartyKeys('venue-X');
    const r = await refusal(buildPackage({ signer: stranger, packageId: 'V001-S1-R01-x' }));
    expect(r.body.code).toBe('PACKAGE_UNKNOWN_SIGNER');
  });

  it('exports the session for the ministry as a package the province key verifies, and a changed score does not', async () => {
    const exported: MinistryExport = await j(await fetch(`${api}/sessions/S1/ministry-export`));
    const m = verifyDocument(exported.manifest, publicKeysOf(server.ctx.keys));
    expect(m).toMatchObject({ format: 'kaowu.ministry-export', version: 2, sessionId: 'S1', sittingCode: 'ZJ', complete: true, expectedRooms: 1, missingRooms: [], candidates: 3, voided: 0, openIncidents: 0 });
    expect(m.packages).toEqual([expect.objectContaining({ packageId: 'V001-S1-R01' })]);
    expect(sha256Hex(canonicalJson(exported.results))).toBe(m.resultsSha256);
    expect(sha256Hex(canonicalJson(exported.answers))).toBe(m.answersSha256);
    expect(sha256Hex(canonicalJson(exported.decisions))).toBe(m.decisionsSha256);
    // 缺考 has no score to publish
    expect(exported.results.map((r) => [r.ticketNo, r.status, r.resultStatus, r.objectiveScore])).toEqual([
      ['2026000001', 'ended', 'scored', 3.5], ['2026000002', 'submitted', 'scored', 0], ['2026000003', 'absent', 'absent', null],
    ]);
    // the final answers of each present candidate, and the digest the venue signed for them
    expect(exported.answers.map((a) => [a.ticketNo, a.answers.map((x) => [x.itemId, x.seq])])).toEqual([
      ['2026000001', [['M1', 3], ['S1', 2]]], ['2026000002', [['M1', 1]]],
    ]);
    for (const a of exported.answers) expect(finalAnswersDigest(a.answers)).toBe(a.finalAnswersSha256);
    // the sitting's integrity report at export time: every room in, chains re-verified
    const report = await j(await fetch(`${api}/sittings/ZJ/integrity-report`));
    expect(verifyDocument(report, publicKeysOf(server.ctx.keys))).toMatchObject({ passed: true, sittingCode: 'ZJ' });
    expect(m.integrity).toMatchObject({ passed: true, checks: { packages: true, counts: true, chains: true, roster: true, incidents: true } });
    // a score raised after signing no longer matches the signed digest; a re-signed manifest fails the province key
    const raised = exported.results.map((r, i) => (i === 1 ? { ...r, objectiveScore: 3.5 } : r));
    expect(sha256Hex(canonicalJson(raised))).not.toBe(m.resultsSha256);
    const forged = { ...exported.manifest, body: { ...m, resultsSha256: sha256Hex(canonicalJson(raised)) } };
    expect(() => verifyDocument(forged, publicKeysOf(server.ctx.keys))).toThrow();
    expect(() => verifyDocument(signDocument(forged.body, venueKeys), publicKeysOf(server.ctx.keys))).toThrow();
  });

  it('refuses every package signed with a revoked venue key, the one received before included', async () => {
    const bad = await post(`/venues/V001/keys/${venueKeys.keyId}/revoke`, { reason: '' });
    expect(await j(bad)).toMatchObject({ code: 'VALIDATION_FAILED', field: 'reason' });
    expect((await post(`/venues/V001/keys/${venueKeys.keyId}/revoke`, { reason: '考点服务器硬盘丢失' })).status).toBe(200);
    const again = await post(`/venues/V001/keys/${venueKeys.keyId}/revoke`, { reason: '重复' });
    expect((await j(again)).code).toBe('CONFLICT');
    for (const pkg of [buildPackage(), buildPackage({ packageId: 'V001-S1-R01-new' })]) {
      // the revoked key no longer opens the venue routes at all …
      const r = await refusal(pkg);
      expect(r).toMatchObject({ status: 401, body: { code: 'VENUE_SIGNATURE_INVALID' } });
      // … and a package it signed, brought on removable media, is refused too
      const file = fileOf(pkg);
      const offline = await fetch(`${api}/result-files`, { method: 'POST', headers: { 'content-type': 'application/octet-stream', 'x-package-sha256': sha256Hex(file) }, body: file });
      const body = await j(offline);
      expect(body).toMatchObject({ code: 'PACKAGE_KEY_REVOKED', field: 'manifest.signature.keyId' });
      expect(body.messageEn).toContain('revoked');
    }
    expect(await intakeCount()).toBe(1);
  });
});
