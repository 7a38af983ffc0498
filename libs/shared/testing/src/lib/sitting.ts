import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { CreateVenue, PartyPublicKeys, RegisterCandidates, SignedReceipt } from '@kaowu/contracts';
import { verifyDocument } from '@kaowu/crypto';
import { Clock } from '@kaowu/exam-domain';
import { createScratchDatabase } from '@kaowu/persistence';
import { ProvincialConfigSchema, ProvincialServer, createProvincialServer } from '@kaowu/provincial-core';
import { VenueConfigSchema, VenueServer, VenueStatus, createVenueServer } from '@kaowu/venue-core';
import { SimulatedCandidate, randomAnswer } from './simulated-candidate';
import { demoCandidates, demoPaper, demoVenue, seededRandom, type PaperCounts } from './fixtures';
import { venueJson } from './venue-http';

/** A clock that can be re-anchored: real time while setting up, then compressed for the sitting. */
export class MockExamClock implements Clock {
  private virtual: number;
  private real = Date.now();
  constructor(
    start: Date,
    private speed = 1,
  ) {
    this.virtual = start.getTime();
  }
  now(): Date {
    return new Date(this.virtual + (Date.now() - this.real) * this.speed);
  }
  set(at: Date, speed: number): void {
    this.virtual = at.getTime();
    this.real = Date.now();
    this.speed = speed;
  }
  /** Real ms until the clock shows `at`. */
  realMsUntil(at: Date): number {
    return Math.max(0, (at.getTime() - this.now().getTime()) / this.speed);
  }
}

export interface SittingOptions {
  candidates: number;
  /** Virtual minutes per real minute. */
  speed: number;
  workDir: string;
  databaseUrl?: string;
  durationMinutes?: number;
  seed?: number;
  /** Share of candidates who never log in (缺考). */
  absentRate?: number;
  onProgress?: (p: SittingProgress) => void;
}

export interface SittingProgress {
  phase: 'setup' | 'login' | 'answering' | 'collecting' | 'done';
  loggedIn: number;
  answersSent: number;
  answersAcked: number;
  roomsUploaded: number;
  rooms: number;
  virtualTime: string;
}

export interface SittingReport {
  candidates: number;
  present: number;
  absent: number;
  rooms: number;
  database: 'embedded' | 'postgres';
  speed: number;
  examMinutes: number;
  answersSent: number;
  answersAcked: number;
  answersAtVenue: number;
  answersAtProvince: number;
  lost: number;
  refusals: Record<string, number>;
  submittedEarly: number;
  uploadSeconds: number;
  receiptVerified: boolean;
  receipts: number;
  wallSeconds: number;
}

const json = async <T>(res: Response): Promise<T> => {
  const body = await res.json();
  if (!res.ok) throw new Error(`HTTP ${res.status}: ${JSON.stringify(body)}`);
  return body as T;
};
const post = <T>(url: string, body: unknown) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => json<T>(r));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function inBatches<T>(items: T[], size: number, fn: (t: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

/**
 * One whole sitting, end to end, on real parts: both servers on their own databases, the
 * province's signed and encrypted package into the venue, N candidates over socket.io on a
 * compressed clock, auto-end, sealed upload, verified receipts, and a reconciliation of every
 * acknowledged answer against what the province imported.
 */
export async function runSitting(opts: SittingOptions): Promise<SittingReport> {
  const wallStart = Date.now();
  const duration = opts.durationMinutes ?? 120;
  const rnd = seededRandom(opts.seed ?? 2026);
  const T0 = new Date('2026-09-09T10:00:00+08:00');
  const clock = new MockExamClock(new Date(T0.getTime() - 60 * 60_000), 1);
  const progress: SittingProgress = { phase: 'setup', loggedIn: 0, answersSent: 0, answersAcked: 0, roomsUploaded: 0, rooms: 0, virtualTime: clock.now().toISOString() };
  const report = () => opts.onProgress?.({ ...progress, virtualTime: clock.now().toISOString() });
  const ticker = setInterval(report, 250);

  const harness = await startSittingHarness({ candidates: opts.candidates, workDir: opts.workDir, databaseUrl: opts.databaseUrl, durationMinutes: duration, T0, clock });
  const { venue, roster, kioskKey, provinceKeys, api } = harness;
  const venueDef = harness.venueDef;
  progress.rooms = venueDef.rooms.length;
  const closers: (() => Promise<void>)[] = [() => harness.close()];
  try {
    // Candidates arrive and log in (T-30 … T0); a few never come (缺考).
    clock.set(new Date(T0.getTime() - 20 * 60_000), 1);
    progress.phase = 'login';
    const absentRate = opts.absentRate ?? 0.02;
    const people = roster.candidates.map((c) => new SimulatedCandidate(venue.url, { roomCode: c.roomCode, seatNo: c.seatNo, ticketNo: c.ticketNo, idNo: c.idNo }, kioskKey));
    const present = people.filter(() => rnd() >= absentRate);
    closers.unshift(async () => people.forEach((p) => p.close()));
    await inBatches(present, 50, async (p) => {
      await p.connect();
      await p.logIn();
      progress.loggedIn++;
    });

    // Compress time: a minute before the start, then `speed` virtual minutes per real minute.
    clock.set(new Date(T0.getTime() - 30_000), opts.speed);
    progress.phase = 'answering';
    const endAt = new Date(T0.getTime() + duration * 60_000);
    const handInAt = new Date(T0.getTime() + Math.min(90, duration) * 60_000);
    let submittedEarly = 0;
    await Promise.all(
      present.map(async (p, idx) => {
        const items = await p.waitForStartAndFetch(50);
        // Each item answered once at a random moment in the first 80% of the exam, some changed later.
        const plan = items.map((item) => ({ item, at: rnd() * 0.8 * duration }));
        for (const item of items) if (rnd() < 0.2) plan.push({ item, at: rnd() * 0.85 * duration });
        plan.sort((a, b) => a.at - b.at);
        for (const step of plan) {
          await sleep(clock.realMsUntil(new Date(T0.getTime() + step.at * 60_000)));
          progress.answersSent++;
          try {
            await p.answer(step.item.itemId, randomAnswer(step.item, rnd));
            progress.answersAcked++;
          } catch {
            // refusals are counted on the candidate; a real client would retry
          }
        }
        // About one in ten hands in early, once allowed.
        if (idx % 10 === 3 && duration >= 90) {
          await sleep(clock.realMsUntil(new Date(handInAt.getTime() + 60_000)));
          if (clock.now() < endAt) {
            await p.submit();
            submittedEarly++;
          }
        }
      }),
    );

    // The bell: the venue ends everyone itself, seals each room and uploads.
    await sleep(clock.realMsUntil(endAt));
    const bellAt = Date.now();
    progress.phase = 'collecting';
    let status: VenueStatus | undefined;
    const deadline = Date.now() + 10 * 60_000;
    while (Date.now() < deadline) {
      status = await venueJson<VenueStatus>(`${venue.url}/api/v1/status`, { ca: venue.tls?.caPem });
      progress.roomsUploaded = status.rooms.filter((r) => r.receipt).length;
      if (progress.roomsUploaded === venueDef.rooms.length) break;
      await sleep(50);
    }
    const uploadSeconds = (Date.now() - bellAt) / 1000;
    if (!status || progress.roomsUploaded !== venueDef.rooms.length) throw new Error(`only ${progress.roomsUploaded} of ${venueDef.rooms.length} rooms uploaded`);

    // Reconcile: every acknowledged (attempt, seq) must be at the province.
    const atProvince = await json<{ attemptId: string; seqs: number[] }[]>(await fetch(`${api}/sessions/S1/answer-events`));
    const provinceSeqs = new Map(atProvince.map((a) => [a.attemptId, new Set(a.seqs)]));
    let lost = 0;
    for (const p of present) {
      const seqs = provinceSeqs.get(p.login!.attemptId);
      for (const e of p.ackedEvents) if (!seqs?.has(e.seq)) lost++;
    }
    let receiptVerified = status.rooms.length > 0;
    for (const room of status.rooms) {
      try {
        const r = verifyDocument(room.receipt as SignedReceipt, provinceKeys);
        if (r.packageId !== room.packageId) receiptVerified = false;
      } catch {
        receiptVerified = false;
      }
    }
    const refusals: Record<string, number> = {};
    for (const p of present) for (const code of p.refusals) refusals[code] = (refusals[code] ?? 0) + 1;
    progress.phase = 'done';
    report();
    return {
      candidates: opts.candidates,
      present: present.length,
      absent: opts.candidates - present.length,
      rooms: venueDef.rooms.length,
      database: harness.database,
      speed: opts.speed,
      examMinutes: duration,
      answersSent: progress.answersSent,
      answersAcked: progress.answersAcked,
      answersAtVenue: status.answerEvents,
      answersAtProvince: atProvince.reduce((n, a) => n + a.seqs.length, 0),
      lost,
      refusals,
      submittedEarly,
      uploadSeconds: Math.round(uploadSeconds * 1000) / 1000,
      receiptVerified,
      receipts: status.rooms.filter((r) => r.receipt).length,
      wallSeconds: Math.round((Date.now() - wallStart) / 100) / 10,
    };
  } finally {
    clearInterval(ticker);
    for (const close of closers) await close().catch(() => undefined);
  }
}

export interface SittingHarness {
  province: ProvincialServer;
  venue: VenueServer;
  api: string;
  kioskKey: string;
  provinceKeys: PartyPublicKeys;
  venueDef: CreateVenue;
  roster: RegisterCandidates;
  database: 'embedded' | 'postgres';
  sessionId: string;
  close(): Promise<void>;
}

/**
 * Both servers on their own databases, seeded with one venue, its candidates, a paper and a
 * session at T0, and the venue package imported at the venue. Time is whatever `clock` says.
 */
export interface HarnessOptions {
  candidates: number;
  workDir: string;
  databaseUrl?: string;
  durationMinutes: number;
  T0: Date;
  clock: Clock;
  minMinutesBeforeHandIn?: number;
  /** 0 (default) picks free ports. */
  provincialPort?: number;
  venuePort?: number;
  /** Show the servers' info logs (the live demo). */
  verbose?: boolean;
  /** Serve HTTPS/WSS with the venue certificate even on loopback (as a production venue does). */
  venueTls?: boolean;
  /** Items of the paper; the 20-item objective paper by default (ACCOUNTING_PAPER adds the case items). */
  paper?: PaperCounts;
  /** More venue configuration (e.g. RESULT_UPLOAD_CHUNK_BYTES). */
  venueEnv?: Record<string, string>;
  /** The address the venue reaches the province by (a proxy in between, say); the province's own by default. */
  provinceUrlForVenue?: (provinceUrl: string) => string;
}

export async function startSittingHarness(opts: HarnessOptions): Promise<SittingHarness> {
  mkdirSync(opts.workDir, { recursive: true });
  const scratch = opts.databaseUrl
    ? await Promise.all([createScratchDatabase(opts.databaseUrl, 'kaowu_test_provincial'), createScratchDatabase(opts.databaseUrl, 'kaowu_test_venue')])
    : undefined;
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const c of closers) await c().catch(() => undefined);
    if (scratch) for (const s of scratch) await s.drop().catch(() => undefined);
  };
  try {
    const province = await createProvincialServer(
      ProvincialConfigSchema.parse({ PROVINCIAL_PORT: String(opts.provincialPort ?? 0), PROVINCIAL_DATA_DIR: join(opts.workDir, 'provincial'), DATABASE_URL: scratch?.[0].url }),
      { clock: opts.clock, keyStrength: 'interactive', quiet: !opts.verbose },
    );
    closers.push(() => province.close());
    const kioskKey = randomBytes(24).toString('base64url');
    const venue = await createVenueServer(
      VenueConfigSchema.parse({
        VENUE_PORT: String(opts.venuePort ?? 0),
        VENUE_CODE: 'V001',
        VENUE_DATA_DIR: join(opts.workDir, 'venue'),
        BACKUP_DIR: join(opts.workDir, 'venue-backup'),
        PROVINCE_URL: opts.provinceUrlForVenue?.(province.url) ?? province.url,
        DATABASE_URL: scratch?.[1].url,
        KIOSK_ATTESTATION_KEY: kioskKey,
        VENUE_TLS: opts.venueTls ? 'on' : 'auto',
        // simulated rooms have no proctors to confirm 核查无误: seal at the close unless a test says otherwise
        RESULT_CONFIRMATION_GRACE_MINUTES: '0',
        ...opts.venueEnv,
      }),
      { clock: opts.clock, keyStrength: 'interactive', quiet: !opts.verbose },
    );
    closers.unshift(() => venue.close());

    const api = `${province.url}/api/v1`;
    const { venueDef, roster } = await seedSitting({ api, venueUrl: venue.url, venueCa: venue.tls?.caPem, candidates: opts.candidates, T0: opts.T0, durationMinutes: opts.durationMinutes, minMinutesBeforeHandIn: opts.minMinutesBeforeHandIn, paper: opts.paper });
    const provinceKeys = await json<PartyPublicKeys>(await fetch(`${api}/province-keys`));
    return { province, venue, api, kioskKey, provinceKeys, venueDef, roster, database: scratch ? 'postgres' : 'embedded', sessionId: 'S1', close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** A room's 监考口令 (proctor access code) from the province's venue package of the seeded sitting. */
export async function proctorAccessCode(api: string, roomCode: string, venueCode = 'V001', sessionId = 'S1'): Promise<string> {
  const credentials = await json<{ roomCode: string; accessCode: string }[]>(await fetch(`${api}/venue-packages/${venueCode}/${sessionId}/credentials`));
  const accessCode = credentials.find((c) => c.roomCode === roomCode)?.accessCode;
  if (!accessCode) throw new Error(`no access code for ${roomCode}`);
  return accessCode;
}

/** The 工号 and code of the venue's 主考 or 技术负责人, as the province issued them with the package. */
export async function venueStaffCredential(api: string, role: 'chief' | 'technician', venueCode = 'V001', sessionId = 'S1'): Promise<{ staffNo: string; name: string; accessCode: string }> {
  const credentials = await json<{ role: string; staffNo?: string; name?: string; accessCode: string }[]>(await fetch(`${api}/venue-packages/${venueCode}/${sessionId}/credentials`));
  const member = credentials.find((c) => c.role === role);
  if (!member?.staffNo) throw new Error(`no ${role} credential for ${venueCode}`);
  return { staffNo: member.staffNo, name: member.name ?? '', accessCode: member.accessCode };
}

/** Sign a venue staff member in; the bearer token for the technician endpoints and the chief's overview. */
export async function venueStaffToken(venueUrl: string, api: string, role: 'chief' | 'technician'): Promise<string> {
  const { staffNo, accessCode } = await venueStaffCredential(api, role);
  const res = await fetch(`${venueUrl}/api/v1/staff/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ staffNo, accessCode }) });
  if (!res.ok) throw new Error(`staff sign-in failed: HTTP ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

/**
 * 考务编排 at the province for one venue V001 and session S1 at T0 (paper key released at
 * T-5), the venue's key registered, then 试卷接收: the venue pulls and imports its package.
 */
export async function seedSitting(o: { api: string; venueUrl: string; venueCa?: string; candidates: number; T0: Date; durationMinutes: number; minMinutesBeforeHandIn?: number; paper?: PaperCounts }) {
  const { api, T0 } = o;
  const venueDef = demoVenue('V001', o.candidates);
  await post(`${api}/exams`, {
    examCode: 'ZJ2026', examName: '2026年度中级会计资格', subjectCode: 'JJF', subjectName: '经济法', durationMinutes: o.durationMinutes,
    lateLoginCutoffMinutes: 30, minMinutesBeforeHandIn: o.minMinutesBeforeHandIn ?? Math.min(90, o.durationMinutes),
  });
  await post(`${api}/venues`, venueDef);
  const venueKeys = await venueJson<PartyPublicKeys>(`${o.venueUrl}/api/v1/venue-keys`, { ca: o.venueCa });
  await post(`${api}/venues/V001/keys`, venueKeys);
  const roster = demoCandidates('V001', o.candidates);
  await post(`${api}/candidates`, roster);
  await post(`${api}/papers`, demoPaper('P-JJF-A', 'ZJ2026', o.paper));
  await post(`${api}/sessions`, { sessionId: 'S1', examCode: 'ZJ2026', paperId: 'P-JJF-A', startsAt: T0.toISOString(), releaseAt: new Date(T0.getTime() - 5 * 60_000).toISOString() });
  // 封包 by the province, then the venue pulls it with its own key's signature
  await post(`${api}/venue-packages/V001/S1/freeze`, {});
  await venueJson(`${o.venueUrl}/api/v1/packages/pull`, { method: 'POST', body: { sessionId: 'S1' }, ca: o.venueCa });
  return { venueDef, roster };
}
