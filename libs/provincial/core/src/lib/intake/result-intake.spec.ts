import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AttemptResult, KeyRelease, ResultManifest, ResultPackage, ResultPayload, SignedReceipt, VenuePackage } from '@kaowu/contracts';
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
  toBase64,
  unwrapKey,
  utf8,
  verifyDocument,
} from '@kaowu/crypto';
import { ManualClock, attemptChainHead } from '@kaowu/exam-domain';
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
    const pkg: VenuePackage = await j(await fetch(`${api}/venue-packages/V001/S1`));
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
    const sealed = sealBlob(utf8(canonicalJson(payload)), server.ctx.keys.box.publicKey);
    const manifest: ResultManifest = {
      format: 'kaowu.result-package', version: 1, packageId: opts.packageId ?? 'V001-S1-R01', venueCode: 'V001', venueKeyId: venueKeys.keyId, roomCode: 'R01',
      sessionId: opts.sessionId ?? 'S1', paperId: 'P1', sealedAt: at, expectedCandidates: 3, presentCandidates: 2,
      attempts: attempts.map((a) => ({ attemptId: a.attemptId, ticketNo: a.ticketNo, status: a.status, answerCount: a.events.length, lastSeq: a.events.at(-1)?.seq ?? 0, chainHead: attemptChainHead(a.events) })),
      payload: { sealedKey: sealed.sealedKey, sha256: sha256Hex(sealed.ciphertext), bytes: sealed.ciphertext.length },
    };
    opts.mutateManifest?.(manifest);
    return { manifest: signDocument(manifest, opts.signer ?? venueKeys), payload: toBase64(sealed.ciphertext) };
  }

  const intakeCount = async () => (await j(await fetch(`${api}/intake`))).length;
  const refusal = async (pkg: unknown) => {
    const res = await post('/results', pkg);
    return { status: res.status, body: await j(res) };
  };

  it('keeps the paper key until release time, then releases a key that opens the paper', async () => {
    const early = await fetch(`${api}/key-releases/V001-S1`);
    expect(early.status).toBe(403);
    expect((await j(early)).code).toBe('PACKAGE_NOT_RELEASED');

    clock.set(new Date(T0.getTime() - 10 * 60_000));
    const release: SignedDocument<KeyRelease> = await j(await fetch(`${api}/key-releases/V001-S1`));
    const body = verifyDocument(release, publicKeysOf(server.ctx.keys));
    const pkg: VenuePackage = await j(await fetch(`${api}/venue-packages/V001/S1`));
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

    const cases: [string, unknown, string][] = [
      ['flipped byte', flipped, 'PACKAGE_TAMPERED'],
      ['truncated payload', truncated, 'PACKAGE_TRUNCATED'],
      ['foreign key under the venue key id', foreign, 'PACKAGE_SIGNATURE_INVALID'],
      ['manifest changed after signing', forged, 'PACKAGE_SIGNATURE_INVALID'],
      ['wrong session', wrongSession, 'PACKAGE_WRONG_SESSION'],
      ['chain head does not match', chainBroken, 'PACKAGE_TAMPERED'],
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
    const twoOfThree = JSON.parse(fromUtf8(decryptBlob(fromBase64(full.payload), openSealedDataKey(full.manifest.body.payload.sealedKey, server.ctx.keys)))).attempts.slice(0, 2);
    const r = await refusal(buildPackage({ attempts: twoOfThree }));
    expect(r.body.code).toBe('PACKAGE_INCOMPLETE');
    expect(r.body.details.missing).toEqual(['2026000003']);
    expect(await intakeCount()).toBe(0);
  });

  it('imports a good package, scores it and answers with a signed receipt; a re-send gets the same receipt; a replay is refused', async () => {
    const pkg = buildPackage();
    const res = await post('/results', pkg);
    expect(res.status).toBe(200);
    const receipt: SignedReceipt = await j(res);
    const body = verifyDocument(receipt, publicKeysOf(server.ctx.keys));
    expect(body).toMatchObject({ packageId: 'V001-S1-R01', attemptsImported: 3, answersImported: 4, manifestSha256: sha256Hex(canonicalJson(pkg.manifest)) });

    const scores = await j(await fetch(`${api}/scores?sessionId=S1`));
    // a1: final S1 = B (1.5) and M1 = A,C (2); a2: M1 = A only (no partial credit)
    expect(scores.map((s: { ticketNo: string; objectiveScore: number }) => [s.ticketNo, s.objectiveScore])).toEqual([
      ['2026000001', 3.5], ['2026000002', 0], ['2026000003', 0],
    ]);

    const again: SignedReceipt = await j(await post('/results', pkg));
    expect(again).toEqual(receipt);
    const replay = await refusal(buildPackage({ mutateManifest: (m) => (m.presentCandidates = 1) }));
    expect(replay.body.code).toBe('PACKAGE_REPLAYED');
    expect(await intakeCount()).toBe(1);
  });

  it('refuses a package signed by a venue key it does not know', async () => {
    const stranger = generatePartyKeys('venue-X');
    const r = await refusal(buildPackage({ signer: stranger, packageId: 'V001-S1-R01-x' }));
    expect(r.body.code).toBe('PACKAGE_UNKNOWN_SIGNER');
  });
});
