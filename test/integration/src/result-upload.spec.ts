import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ResultManifest, ResultPackage, ResultPayload, SignedReceipt } from '@kaowu/contracts';
import { canonicalJson, fromBase64, fromUtf8, generatePartyKeys, initCrypto, openBlob, sealBlob, sha256Hex, signDocument, toBase64, utf8, verifyDocument } from '@kaowu/crypto';
import { attemptChainHead } from '@kaowu/exam-domain';
import { CuttingProxy, MockExamClock, SimulatedCandidate, SittingHarness, randomAnswer, seededRandom, startSittingHarness, venueJson } from '@kaowu/testing';
import { ResultSealer, VenueStatus } from '@kaowu/venue-core';

const T0 = new Date('2026-09-09T02:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const PACKAGE_ID = 'V001-S1-R01';
const CHUNK = 1024;
// Error and receipt bodies are checked field by field.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = any;

/**
 * The room result package from a real venue to a real province: sealed at the room's end,
 * refused in every damaged form, uploaded in chunks through a link cut ten times at random
 * bytes, receipted once; exported to a file and imported again with the same receipt.
 */
describe('room result package: seal, refuse, resumable upload, offline file', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'kaowu-upload-'));
  const clock = new MockExamClock(at(-20), 0);
  const seed = Date.now() % 1_000_000;
  const rnd = seededRandom(seed);
  let h: SittingHarness;
  let proxy: CuttingProxy;
  let realFile: Uint8Array;
  let real: ResultPackage;
  let receipt: SignedReceipt;
  const people: SimulatedCandidate[] = [];

  const status = () => venueJson<VenueStatus>(`${h.venue.url}/api/v1/status`);
  const room = async () => (await status()).rooms.find((r) => r.packageId === PACKAGE_ID);
  const until = async <T>(probe: () => Promise<T | undefined | false>, what: string, ms = 60_000): Promise<T> => {
    for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
      const v = await probe();
      if (v) return v;
    }
    throw new Error(`timed out waiting for ${what}`);
  };
  const importFile = async (bytes: Uint8Array, sha = sha256Hex(bytes)): Promise<{ status: number; body: Body }> => {
    const res = await fetch(`${h.api}/result-files`, { method: 'POST', headers: { 'content-type': 'application/octet-stream', 'x-package-sha256': sha }, body: bytes });
    return { status: res.status, body: await res.json() };
  };
  const fileOf = (pkg: ResultPackage) => utf8(canonicalJson(pkg));
  const received = async () => ((await (await fetch(`${h.api}/intake`)).json()) as unknown[]).length;
  /** The real package changed and signed again with the real venue key (what only a compromised venue could do). */
  const resigned = (mutate: (m: ResultManifest, p: ResultPayload) => void): ResultPackage => {
    const payload: ResultPayload = JSON.parse(fromUtf8(openBlob(real.envelope.sealedKey, fromBase64(real.payload), h.province.ctx.keys)));
    const manifest: ResultManifest = structuredClone(real.manifest.body);
    mutate(manifest, payload);
    const plain = utf8(canonicalJson(payload));
    const sealed = sealBlob(plain, h.province.ctx.keys.box.publicKey);
    manifest.payload = { sha256: sha256Hex(plain), bytes: plain.length };
    return {
      manifest: signDocument(manifest, h.venue.ctx.keys),
      envelope: { sealedKey: sealed.sealedKey, sha256: sha256Hex(sealed.ciphertext), bytes: sealed.ciphertext.length },
      payload: toBase64(sealed.ciphertext),
    };
  };

  beforeAll(async () => {
    await initCrypto();
    proxy = await CuttingProxy.start();
    h = await startSittingHarness({
      candidates: 4, workDir, databaseUrl: process.env.DATABASE_URL, durationMinutes: 120, T0, clock, minMinutesBeforeHandIn: 30,
      venueEnv: { RESULT_UPLOAD_CHUNK_BYTES: String(CHUNK) },
      provinceUrlForVenue: (url) => {
        proxy.forwardTo(url);
        return proxy.url;
      },
    });
  });
  afterAll(async () => {
    people.forEach((p) => p.close());
    await h?.close();
    await proxy?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('seals the room at its end with a manifest derived from the data alone: sealing again gives the same manifest', async () => {
    // three of four candidates sit the exam (one 缺考) and answer every item; a venue-wide pause is an incident
    for (const c of h.roster.candidates.slice(0, 3)) {
      const p = new SimulatedCandidate(h.venue.url, { roomCode: c.roomCode, seatNo: c.seatNo, ticketNo: c.ticketNo, idNo: c.idNo }, h.kioskKey);
      people.push(p);
      await p.connect();
      await p.logIn();
    }
    clock.set(at(1), 0);
    for (const p of people) for (const item of await p.waitForStartAndFetch(50, 20_000)) await p.answer(item.itemId, randomAnswer(item, rnd));
    clock.set(at(30), 0);
    await venueJson(`${h.venue.url}/api/v1/venue/pause`, { method: 'POST', body: { reason: '考点停电' } });
    clock.set(at(33), 0);
    await venueJson(`${h.venue.url}/api/v1/venue/resume`, { method: 'POST', body: { reason: '恢复供电' } });

    proxy.hold(); // the province is out of reach while we look at the sealed package
    clock.set(at(140), 0);
    const sealed = await until(room, 'the room to be sealed');
    expect(sealed).toMatchObject({ closedAt: at(120 + 3).toISOString(), deadlineAt: at(123 + 30).toISOString(), state: expect.stringMatching(/sealed|uploading/), receipt: null });
    realFile = new Uint8Array(await (await fetch(`${h.venue.url}/api/v1/results/${PACKAGE_ID}/file`)).arrayBuffer());
    real = JSON.parse(fromUtf8(realFile));
    const m = real.manifest.body;
    expect(m).toMatchObject({ version: 2, venueCode: 'V001', roomCode: 'R01', sessionId: 'S1', expectedCandidates: 4, presentCandidates: 3 });
    expect(m.attempts.map((a) => a.answerCount)).toEqual([20, 20, 20, 0]);
    expect(m.incidents.map((i) => i.action)).toEqual(['venue.paused', 'attempt.paused', 'attempt.paused', 'attempt.paused', 'venue.resumed', 'attempt.resumed', 'attempt.resumed', 'attempt.resumed']);
    expect(m.incidents[0]).toMatchObject({ reason: '考点停电', ticketNo: null });
    expect(m.auditHead.auditId).toBeGreaterThan(0);

    const sealer = h.venue.app.get(ResultSealer);
    const again = await sealer.recompose('S1', 'R01');
    const thrice = await sealer.recompose('S1', 'R01');
    expect(again.manifest).toEqual(m);
    expect(signDocument(thrice.manifest, h.venue.ctx.keys)).toEqual(real.manifest);
    // the payload is sealed to the province: its digest is in the signed manifest, its chain heads match
    const plain = openBlob(real.envelope.sealedKey, fromBase64(real.payload), h.province.ctx.keys);
    expect(sha256Hex(plain)).toBe(m.payload.sha256);
    const payload: ResultPayload = JSON.parse(fromUtf8(plain));
    expect(payload.attempts.map((a) => attemptChainHead(a.events))).toEqual(m.attempts.map((a) => a.chainHead));
  });

  it('shows the 30-minute deadline per room in the status and the metrics, at risk in its last ten minutes', async () => {
    const metric = async (name: string) => {
      const text = await (await fetch(`${h.venue.url}/metrics`)).text();
      return text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes('room="R01"'))?.split(' ').at(-1);
    };
    expect(await room()).toMatchObject({ secondsToDeadline: 13 * 60, atRisk: false });
    expect(await metric('kaowu_room_upload_deadline_seconds')).toBe(String(13 * 60));
    expect(await metric('kaowu_room_upload_at_risk')).toBe('0');
    clock.set(at(145), 0);
    expect(await room()).toMatchObject({ secondsToDeadline: 8 * 60, atRisk: true, receipt: null });
    expect(await metric('kaowu_room_upload_at_risk')).toBe('1');
  });

  it('refuses every damaged form of the real package with its own code and imports nothing', async () => {
    const ciphertext = fromBase64(real.payload);
    const flipped = { ...real, payload: toBase64(ciphertext.map((b, i) => (i === 50 ? b ^ 1 : b))) };
    const cut = ciphertext.slice(0, -100);
    const truncated = { ...real, envelope: { ...real.envelope, bytes: cut.length, sha256: sha256Hex(cut) }, payload: toBase64(cut) };
    const impostor = generatePartyKeys('venue-V001');
    const foreignKey = { ...real, manifest: signDocument(real.manifest.body, impostor) };
    const underVenueKeyId = { ...real, manifest: { ...foreignKey.manifest, signature: { ...foreignKey.manifest.signature, keyId: real.manifest.signature.keyId } } };
    const wrongSession = resigned((mm) => (mm.sessionId = 'S2'));
    const missingOne = resigned((mm, p) => {
      mm.attempts = mm.attempts.slice(0, 3);
      p.attempts = p.attempts.slice(0, 3);
    });
    const cases: [string, Uint8Array, string][] = [
      ['a flipped ciphertext byte', fileOf(flipped), 'PACKAGE_TAMPERED'],
      ['a truncated ciphertext', fileOf(truncated), 'PACKAGE_TRUNCATED'],
      ['signed by another key', fileOf(foreignKey), 'PACKAGE_UNKNOWN_SIGNER'],
      ['signed by another key under the venue key id', fileOf(underVenueKeyId), 'PACKAGE_SIGNATURE_INVALID'],
      ['sealed for another session', fileOf(wrongSession), 'PACKAGE_WRONG_SESSION'],
      ['a candidate left out', fileOf(missingOne), 'PACKAGE_INCOMPLETE'],
    ];
    for (const [what, file, code] of cases) {
      const r = await importFile(file);
      expect({ what, code: r.body.code, status: r.status }).toEqual({ what, code, status: 422 });
      expect(r.body.message).toBeTruthy();
      expect(r.body.messageEn).toBeTruthy();
    }
    expect((await importFile(fileOf(missingOne))).body.details?.missing).toEqual([h.roster.candidates[3].ticketNo]);
    // the file cut short on the stick: its checksum file gives it away
    expect((await importFile(realFile.slice(0, -10), sha256Hex(realFile))).body.code).toBe('UPLOAD_CHECKSUM_MISMATCH');
    expect(await received()).toBe(0);
    expect(await (await fetch(`${h.api}/scores?sessionId=S1`)).json()).toEqual([]);
  });

  it('uploads through a link cut ten times at random bytes: resumes from the confirmed chunk and completes with one receipt', async () => {
    // ten cut points at random bytes of the upload's traffic (the file plus its requests' headers)
    const points = new Set<number>();
    while (points.size < 10) points.add(1 + Math.floor(rnd() * realFile.length));
    const sorted = [...points].sort((a, b) => a - b);
    proxy.release(sorted.map((p, i) => p - (sorted[i - 1] ?? 0)));
    const done = await until(async () => {
      const r = await room();
      return r?.receipt ? r : undefined;
    }, 'the receipt');
    receipt = done.receipt!;
    expect({ seed, cuts: proxy.cuts }).toEqual({ seed, cuts: 10 });
    const body = verifyDocument(receipt, h.provinceKeys);
    expect(body).toMatchObject({ packageId: PACKAGE_ID, manifestSha256: sha256Hex(canonicalJson(real.manifest)), attemptsImported: 4, answersImported: 60 });
    expect(done).toMatchObject({ state: 'uploaded', atRisk: false, confirmedBytes: realFile.length, totalBytes: realFile.length });
    // resumed, never restarted: chunk offsets only move forward, every chunk of the file was put
    const offsets = proxy.chunkOffsets;
    expect({ seed, offsets }).toEqual({ seed, offsets: [...offsets].sort((a, b) => a - b) });
    expect(new Set(offsets)).toEqual(new Set(Array.from({ length: Math.ceil(realFile.length / CHUNK) }, (_, i) => i * CHUNK)));
    expect(await received()).toBe(1);
  });

  it('exports the sealed package with a checksum file; the province imports the file with the same receipt', async () => {
    const dir = join(workDir, 'usb');
    const files: Body[] = await venueJson(`${h.venue.url}/api/v1/results/export`, { method: 'POST', body: { dir } });
    expect(files).toEqual([expect.objectContaining({ packageId: PACKAGE_ID, sha256: sha256Hex(realFile), bytes: realFile.length })]);
    const file = new Uint8Array(readFileSync(join(dir, `${PACKAGE_ID}.kwr`)));
    expect(file).toEqual(realFile);
    expect(existsSync(join(dir, `${PACKAGE_ID}.kwr.part`))).toBe(false);
    const checksum = readFileSync(join(dir, `${PACKAGE_ID}.kwr.sha256`), 'utf8');
    expect(checksum).toBe(`${sha256Hex(file)}  ${PACKAGE_ID}.kwr\n`);
    expect(await importFile(file, checksum)).toEqual({ status: 200, body: receipt });
    expect((await room())?.exportedAt).toBeTruthy();
    expect(await received()).toBe(1);
  });

  it('refuses the same package id with other content as replayed, and everything signed by a revoked key', async () => {
    const replay = resigned((mm) => (mm.incidents = []));
    expect((await importFile(fileOf(replay))).body).toMatchObject({ code: 'PACKAGE_REPLAYED', field: 'manifest.packageId' });
    const res = await fetch(`${h.api}/venues/V001/keys/${encodeURIComponent(h.venue.ctx.keys.keyId)}/revoke`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reason: '考点服务器被盗' }) });
    expect(res.status).toBe(200);
    expect((await importFile(realFile)).body).toMatchObject({ code: 'PACKAGE_KEY_REVOKED' });
    expect(await received()).toBe(1);
  });
});
