import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createScratchDatabase, openDatabase } from '@kaowu/persistence';
import { ProvincialConfigSchema, createProvincialServer } from '@kaowu/provincial-core';
import { venueMigrations } from '@kaowu/venue-core';
import { ResilientCandidate } from './resilient-candidate';
import { randomAnswer } from './simulated-candidate';
import { seededRandom } from './fixtures';
import { seedSitting } from './sitting';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const freePort = () =>
  new Promise<number>((res) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => res(port));
    });
  });

async function waitHealthy(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {
      // not up yet
    }
    await sleep(100);
  }
  throw new Error(`venue server not healthy within ${timeoutMs} ms`);
}

export interface FaultTestOptions {
  candidates: number;
  kills: number;
  intervalSeconds: number;
  workDir: string;
  databaseUrl?: string;
  onProgress?: (line: string) => void;
  /**
   * How the venue server process starts: `source` runs apps/venue-server under tsx (always current);
   * `bundle` runs the production build dist/apps/venue-server/main.mjs as the appliance does.
   */
  venueEntry?: 'source' | 'bundle';
}

export interface FaultTestReport {
  candidates: number;
  kills: number;
  database: 'postgres' | 'embedded';
  acked: number;
  atVenue: number;
  lost: number;
  unackedAtEnd: number;
  maxRestartSeconds: number;
  maxClientsBackSeconds: number;
}

/**
 * 故障注入: kill -9 the venue server (its own process, apps/venue-server) again and again while
 * candidates answer, restart it, and compare every acknowledged (attempt, seq) the machines
 * recorded with what the venue database holds afterwards.
 */
export async function runFaultTest(opts: FaultTestOptions): Promise<FaultTestReport> {
  const { candidates, kills, workDir } = opts;
  const interval = opts.intervalSeconds;
  const log = (line: string) => opts.onProgress?.(line);
  mkdirSync(workDir, { recursive: true });
  const baseUrl = opts.databaseUrl;
  const scratch = baseUrl ? await Promise.all([createScratchDatabase(baseUrl, 'kaowu_fault_provincial'), createScratchDatabase(baseUrl, 'kaowu_fault_venue')]) : undefined;
  const province = await createProvincialServer(ProvincialConfigSchema.parse({ PROVINCIAL_PORT: '0', PROVINCIAL_DATA_DIR: join(workDir, 'provincial'), DATABASE_URL: scratch?.[0].url }), {
    keyStrength: 'interactive',
    quiet: true,
  });
  const venuePort = await freePort();
  const venueUrl = `http://127.0.0.1:${venuePort}`;
  const kioskKey = randomBytes(24).toString('base64url');
  const venueEnv = {
    ...process.env,
    VENUE_PORT: String(venuePort),
    VENUE_DATA_DIR: join(workDir, 'venue'),
    BACKUP_DIR: join(workDir, 'venue-backup'),
    PROVINCE_URL: province.url,
    KIOSK_ATTESTATION_KEY: kioskKey,
    KEY_PASSPHRASE: randomBytes(16).toString('hex'),
    DATABASE_URL: scratch?.[1].url ?? '',
    LOG_LEVEL: 'warn',
    TSX_TSCONFIG_PATH: 'tsconfig.base.json',
  };
  if (!scratch) delete (venueEnv as Record<string, string | undefined>)['DATABASE_URL'];
  const venueLog = createWriteStream(join(workDir, 'venue.log'));
  let venue: ChildProcess | undefined;
  const startVenue = async () => {
    const args = opts.venueEntry === 'bundle' ? [resolve('dist/apps/venue-server/main.mjs')] : ['--import', 'tsx', resolve('apps/venue-server/src/main.ts')];
    venue = spawn(process.execPath, args, { env: venueEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    venue.stdout?.pipe(venueLog, { end: false });
    venue.stderr?.pipe(venueLog, { end: false });
    await waitHealthy(venueUrl, 60_000);
  };
  const people: ResilientCandidate[] = [];
  let stop = false;
  try {
    await startVenue();
    const T0 = new Date(Date.now() - 2 * 60_000); // the exam has just begun, in real time
    const { roster } = await seedSitting({ api: `${province.url}/api/v1`, venueUrl, candidates, T0, durationMinutes: 180 });
    log(`故障注入 fault test: ${candidates} candidates, ${kills} kill -9 of the venue server, ${scratch ? 'PostgreSQL' : 'embedded'}`);
    for (const c of roster.candidates) people.push(new ResilientCandidate(venueUrl, { roomCode: c.roomCode, seatNo: c.seatNo, ticketNo: c.ticketNo, idNo: c.idNo }, kioskKey));
    const deadline = Date.now() + 60_000;
    while (people.some((p) => !p.isReady) && Date.now() < deadline) await sleep(100);
    if (people.some((p) => !p.isReady)) throw new Error('not every candidate logged in');

    // steady answering, about one save per candidate per second
    const rnd = seededRandom(9);
    const answering = people.map(async (p) => {
      while (!stop) {
        const item = p.items[Math.floor(rnd() * p.items.length)];
        await p.save(item.itemId, randomAnswer(item, rnd));
        await sleep(500 + rnd() * 1000);
      }
    });

    const restarts: { restartSeconds: number; clientsBackSeconds: number }[] = [];
    for (let k = 0; k < kills; k++) {
      await sleep(interval * 1000 * (0.5 + rnd()));
      venue!.kill('SIGKILL');
      await new Promise((r) => venue!.once('exit', r));
      const killedAt = Date.now();
      await startVenue();
      const healthyAt = Date.now();
      while (people.some((p) => !p.isReady || p.lastLoginAt < killedAt) && Date.now() - healthyAt < 30_000) await sleep(50);
      restarts.push({ restartSeconds: (healthyAt - killedAt) / 1000, clientsBackSeconds: (Date.now() - healthyAt) / 1000 });
      log(`  kill ${k + 1}/${kills}: venue back in ${restarts.at(-1)!.restartSeconds.toFixed(1)} s, clients back ${restarts.at(-1)!.clientsBackSeconds.toFixed(1)} s after, acked so far ${people.reduce((n, p) => n + p.acked.size, 0)}`);
    }
    stop = true;
    await Promise.all(answering);
    const unacked = people.reduce((n, p) => n + p.unacked, 0);
    people.forEach((p) => p.close());
    venue!.kill('SIGTERM');
    await new Promise((r) => venue!.once('exit', r));
    venue = undefined;

    // what the venue holds, read from its own database after it stopped
    const db = await openDatabase({ url: scratch?.[1].url, embeddedDir: join(workDir, 'venue', 'pgdata'), entities: [], migrations: venueMigrations });
    const rows: { attempt_id: string; seq: number }[] = await db.dataSource.query('SELECT attempt_id, seq FROM answer_event');
    await db.close();
    const held = new Set(rows.map((r) => `${r.attempt_id}/${r.seq}`));
    let acked = 0;
    let lost = 0;
    for (const p of people)
      for (const seq of p.acked) {
        acked++;
        if (!held.has(`${p.attemptId}/${seq}`)) lost++;
      }
    const result: FaultTestReport = {
      candidates,
      kills,
      database: scratch ? 'postgres' : 'embedded',
      acked,
      atVenue: rows.length,
      lost,
      unackedAtEnd: unacked,
      maxRestartSeconds: Math.max(...restarts.map((r) => r.restartSeconds)),
      maxClientsBackSeconds: Math.max(...restarts.map((r) => r.clientsBackSeconds)),
    };
    return result;
  } finally {
    stop = true;
    people.forEach((p) => p.close());
    venue?.kill('SIGKILL');
    await province.close();
    if (scratch) for (const s of scratch) await s.drop().catch(() => undefined);
  }
}

