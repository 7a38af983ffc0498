/**
 * 压力测试: simulated exam machines in separate processes against a venue server this command
 * starts (with the provincial server and a generated exam), through the start-of-exam surge,
 * steady answering and the end-of-exam surge.
 *   npm run load-test -- --candidates 1000 --duration 60 [--save-every 5] [--workers 1] [--ceiling] [--json]
 * Against a running venue (a technician's real venue during a 模拟测试 session; login must be open):
 *   npm run load-test -- --url https://kaowu-venue.local:3200 --ca venue-ca.pem --roster stress-roster.json [--kiosk-key K]
 * The roster file is `{ "kioskKey"?: string, "seats": [{ roomCode, seatNo, ticketNo, idNo }] }` (the mock-exam
 * roster; `npm run demo:live` writes one for its venue). The paper opens on the venue's own clock; saves are
 * then measured for --duration seconds, and "lost" is proven over the protocol: every machine logs in again
 * and the venue names the highest contiguous seq it holds.
 * --save-every 0: each machine sends its next save as soon as the previous one is acked.
 * --ceiling (needs DATABASE_URL): also measures pgbench single-row INSERT tps on the same
 * PostgreSQL and prints ceilingRatio = our durable saves/s ÷ pgbench tps.
 */
import { fork, ChildProcess, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { SingleBar, Presets } from 'cli-progress';
import { initCrypto } from '@kaowu/crypto';
import { createScratchDatabase } from '@kaowu/persistence';
import { MockExamClock, SeatAssignment, SecondStats, SittingHarness, loadChartHtml, percentile, sortedSample, startSittingHarness, venueJson } from '@kaowu/testing';

const { values } = parseArgs({
  options: {
    candidates: { type: 'string', default: '1000' },
    duration: { type: 'string', default: '60' },
    'save-every': { type: 'string', default: '5' },
    workers: { type: 'string', default: '1' },
    ceiling: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    url: { type: 'string' },
    ca: { type: 'string' },
    roster: { type: 'string' },
    'kiosk-key': { type: 'string' },
    'start-timeout': { type: 'string', default: '1800' },
  },
});
const remoteUrl = values.url?.replace(/\/$/, '');
if (remoteUrl && !/^https?:\/\//.test(remoteUrl)) throw new Error('--url must be the venue server URL, e.g. https://kaowu-venue.local:3200');
if (remoteUrl && !values.roster) throw new Error('--url needs --roster: the mock-exam roster (seats with 准考证号 and 证件号码) of that venue');
if (values.ceiling && remoteUrl) throw new Error('--ceiling runs pgbench on the database this command starts; it cannot be combined with --url');
const candidates = Number(values.candidates);
const duration = Number(values.duration);
const saveEvery = Number(values['save-every']);
const workers = Math.max(1, Number(values.workers));
if (!Number.isInteger(candidates) || candidates < 1 || candidates > 10000) throw new Error('--candidates must be 1–10000');
if (!(duration > 0 && duration <= 3600)) throw new Error('--duration must be 1–3600 seconds');
if (!(saveEvery >= 0)) throw new Error('--save-every must be ≥ 0 seconds');
const databaseUrl = process.env['DATABASE_URL'];
if (values.ceiling && !databaseUrl) throw new Error('--ceiling needs DATABASE_URL (the PostgreSQL to compare against)');

const log = (...a: unknown[]) => !values.json && console.log(...a);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** pgbench single-row INSERT, synchronous_commit=on, at the client count where it does best. */
function pgbenchCeiling(url: string, workDir: string): { tps: number; clients: number } {
  const script = join(workDir, 'insert.sql');
  writeFileSync(script, `INSERT INTO ceiling (attempt_id, seq, payload) VALUES ('a', 1, '{"kind":"choice","selected":["A"]}');\n`);
  const u = new URL(url);
  const env = { ...process.env, PGHOST: u.hostname, PGPORT: u.port || '5432', PGUSER: decodeURIComponent(u.username || 'postgres'), PGPASSWORD: decodeURIComponent(u.password), PGDATABASE: u.pathname.slice(1) };
  execFileSync('psql', ['-q', '-c', 'CREATE TABLE ceiling (id bigserial PRIMARY KEY, attempt_id text, seq int, payload jsonb, at timestamptz DEFAULT now())'], { env });
  const maxConn = Number(execFileSync('psql', ['-tAc', 'SHOW max_connections'], { env }).toString().trim());
  let best = { tps: 0, clients: 1 };
  for (const clients of [1, 4, 16, 32, 64].filter((c) => c < maxConn - 10)) {
    const out = execFileSync('pgbench', ['-n', '-c', String(clients), '-j', String(Math.min(clients, 2)), '-T', '5', '-f', script], { env }).toString();
    const tps = Number(/tps = ([\d.]+)/.exec(out)?.[1] ?? 0);
    if (tps > best.tps) best = { tps, clients };
  }
  return best;
}

async function main() {
  await initCrypto();
  mkdirSync(resolve('var/load-test'), { recursive: true });
  const workDir = mkdtempSync(join(resolve('var/load-test'), 'run-'));
  const T0 = new Date('2026-09-09T02:00:00Z');
  const clock = new MockExamClock(new Date(T0.getTime() - 10 * 60_000), 1);
  let h: SittingHarness | undefined;
  let target: { url: string; kioskKey: string; ca?: string; seats: SeatAssignment[] };
  if (remoteUrl) {
    const file = JSON.parse(readFileSync(values.roster!, 'utf8')) as { kioskKey?: string; seats?: SeatAssignment[] } | SeatAssignment[];
    const seats = (Array.isArray(file) ? file : (file.seats ?? [])).slice(0, candidates);
    const kioskKey = values['kiosk-key'] ?? (Array.isArray(file) ? undefined : file.kioskKey) ?? process.env['KIOSK_ATTESTATION_KEY'];
    if (!kioskKey) throw new Error('the exam machines need the venue kiosk attestation key: --kiosk-key, "kioskKey" in the roster file, or KIOSK_ATTESTATION_KEY');
    if (seats.length === 0) throw new Error(`no seats in ${values.roster}`);
    target = { url: remoteUrl, kioskKey, ca: values.ca ? readFileSync(values.ca, 'utf8') : undefined, seats };
    log(`压力测试 against the running venue ${remoteUrl} with ${seats.length} simulated exam machines…`);
  } else {
    log(`启动服务器 starting servers (${databaseUrl ? 'PostgreSQL' : 'embedded'}) with ${candidates} candidates…`);
    h = await startSittingHarness({ candidates, workDir, databaseUrl, durationMinutes: 300, T0, clock, minMinutesBeforeHandIn: 0 });
    target = { url: h.venue.url, kioskKey: h.kioskKey, seats: h.roster.candidates.map((c) => ({ roomCode: c.roomCode, seatNo: c.seatNo, ticketNo: c.ticketNo, idNo: c.idNo })) };
  }
  const children: ChildProcess[] = [];
  try {
    const seats = target.seats;
    const perSecond = new Map<number, { saves: number; errors: number; latencies: number[] }>();
    const allLatencies: number[] = [];
    const errors: Record<string, number> = {};
    const acked: (readonly [string, number])[] = [];
    let protocolLost = 0;
    const errorSamples: Record<string, string> = {};
    let loggedIn = 0;
    const waiters = new Map<string, number>();
    const bump = (t: string) => waiters.set(t, (waiters.get(t) ?? 0) + 1);
    const waitAll = async (t: string) => {
      while ((waiters.get(t) ?? 0) < workers) await sleep(50);
    };
    const started = Date.now();
    const cpuSamples: { cpuPercent: number; rssMb: number }[] = [];
    let lastCpu = process.cpuUsage();
    let lastAt = Date.now();
    let lastRemoteCpu: number | undefined;
    const sampler = setInterval(() => {
      const now = Date.now();
      if (remoteUrl) {
        // the venue's own process figures, from its Prometheus endpoint
        venueJson<string>(`${remoteUrl}/metrics`, { ca: target.ca })
          .then((text) => {
            const metric = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? ([\\d.e+-]+)`, 'm').exec(String(text))?.[1] ?? NaN);
            const cpuSeconds = metric('process_cpu_seconds_total');
            const at = Date.now();
            if (lastRemoteCpu !== undefined) cpuSamples.push({ cpuPercent: ((cpuSeconds - lastRemoteCpu) * 1000 / (at - lastAt)) * 100, rssMb: metric('process_resident_memory_bytes') / 2 ** 20 });
            lastRemoteCpu = cpuSeconds;
            lastAt = at;
          })
          .catch(() => undefined);
        return;
      }
      const d = process.cpuUsage(lastCpu);
      cpuSamples.push({ cpuPercent: ((d.user + d.system) / 1000 / (now - lastAt)) * 100, rssMb: process.memoryUsage().rss / 2 ** 20 });
      lastCpu = process.cpuUsage();
      lastAt = now;
    }, 1000);

    for (let w = 0; w < workers; w++) {
      const child = fork(resolve('scripts/load-worker.ts'), [], { execArgv: ['--import', 'tsx'], env: { ...process.env, TSX_TSCONFIG_PATH: 'tsconfig.base.json' } });
      children.push(child);
      child.on('exit', (code, signal) => {
        if (code !== 0 || signal) {
          console.error(`load worker ${w} exited early (code ${code}, signal ${signal})`);
          process.exit(1);
        }
      });
      child.on('message', (m: { type: string } & Record<string, never>) => {
        if (m.type === 'second') {
          const s = Math.floor((Date.now() - started) / 1000);
          const slot = perSecond.get(s) ?? { saves: 0, errors: 0, latencies: [] };
          slot.saves += m.saves;
          slot.errors += m.errors;
          slot.latencies.push(...(m.latencies as number[]));
          allLatencies.push(...(m.latencies as number[]));
          perSecond.set(s, slot);
        } else if (m.type === 'loggedIn') {
          loggedIn += m.count as number;
          bump('loggedIn');
        } else if (m.type === 'answered') bump('answered');
        else if (m.type === 'verified') {
          protocolLost += m.lost as number;
          bump('verified');
        }
        else if (m.type === 'done') {
          for (const [k, v] of Object.entries(m.errors as Record<string, number>)) errors[k] = (errors[k] ?? 0) + v;
          Object.assign(errorSamples, m.errorSamples);
          acked.push(...(m.acked as [string, number][]));
          bump('done');
        } else if (m.type === 'fatal') throw new Error(`load worker failed: ${m.message}`);
      });
      child.send({ type: 'login', venueUrl: target.url, kioskKey: target.kioskKey, ca: target.ca, seats: seats.filter((_, i) => i % workers === w), seed: 100 + w });
    }
    const bar = !values.json && process.stdout.isTTY ? new SingleBar({ format: ' {phase} |{bar}| {value}/{total}s · {rate} saves/s · p99 {p99} ms' }, Presets.shades_classic) : undefined;

    const loginStart = Date.now();
    await waitAll('loggedIn');
    const loginSeconds = (Date.now() - loginStart) / 1000;
    log(`登录高峰 login surge: ${loggedIn}/${seats.length} logged in in ${loginSeconds.toFixed(1)} s`);
    if (!remoteUrl) {
      // release the paper key, then open the exam
      clock.set(new Date(T0.getTime() - 4 * 60_000), 1);
      await sleep(2500);
      clock.set(T0, 1);
    } else log(`等待开考 waiting for the venue to open the paper (up to ${values['start-timeout']} s)…`);
    const answerStart = Date.now();
    children.forEach((c) => c.send({ type: 'answer', saveEverySeconds: saveEvery, durationSeconds: duration, startTimeoutSeconds: remoteUrl ? Number(values['start-timeout']) : undefined }));
    bar?.start(Math.ceil(duration), 0, { phase: '作答', rate: 0, p99: 0 });
    const progress = setInterval(() => {
      const s = Math.floor((Date.now() - started) / 1000) - 1;
      const slot = perSecond.get(s);
      const lat = slot ? sortedSample(slot.latencies) : new Float64Array();
      bar?.update(Math.min(duration, Math.floor((Date.now() - answerStart) / 1000)), { rate: slot?.saves ?? 0, p99: percentile(lat, 99).toFixed(1) });
    }, 1000);
    await waitAll('answered');
    clearInterval(progress);
    bar?.stop();
    const answerSeconds = remoteUrl ? duration : (Date.now() - answerStart) / 1000; // remote: each machine answers for --duration from its own start
    if (remoteUrl) {
      children.forEach((c) => c.send({ type: 'verify' }));
      await waitAll('verified');
    }
    const submitStart = Date.now();
    children.forEach((c) => c.send({ type: 'submit' }));
    await waitAll('done');
    const submitSeconds = (Date.now() - submitStart) / 1000;
    clearInterval(sampler);

    // lost: acknowledged by the venue but not in its journal (read directly, or proven over the protocol)
    let lost = protocolLost;
    if (h) {
      const rows: { attempt_id: string; seq: number }[] = await h.venue.ctx.db.dataSource.query('SELECT attempt_id, seq FROM answer_event');
      const held = new Set(rows.map((r) => `${r.attempt_id}/${r.seq}`));
      lost = acked.filter(([a, s]) => !held.has(`${a}/${s}`)).length;
    }
    const sorted = sortedSample(allLatencies);
    const steadySaves = allLatencies.length;
    const savesPerSecond = Math.round((steadySaves / answerSeconds) * 10) / 10;
    const r2 = (n: number) => Math.round(n * 100) / 100;
    const cpuAvg = cpuSamples.length ? cpuSamples.reduce((a, s) => a + s.cpuPercent, 0) / cpuSamples.length : 0;
    const rssMax = Math.max(0, ...cpuSamples.map((s) => s.rssMb));
    const result: Record<string, unknown> = {
      candidates: seats.length,
      venue: remoteUrl ?? 'started by this command',
      loggedIn,
      database: remoteUrl ? 'venue' : databaseUrl ? 'postgres' : 'embedded',
      saveEverySeconds: saveEvery,
      durationSeconds: duration,
      workers,
      cpus: cpus().length,
      loginSurgeSeconds: r2(loginSeconds),
      submitSurgeSeconds: r2(submitSeconds),
      saves: steadySaves,
      savesPerSecond,
      p50Ms: r2(percentile(sorted, 50)),
      p95Ms: r2(percentile(sorted, 95)),
      p99Ms: r2(percentile(sorted, 99)),
      maxMs: r2(percentile(sorted, 100)),
      errors: Object.values(errors).reduce((a, b) => a + b, 0),
      errorCodes: errors,
      ...(Object.keys(errorSamples).length ? { errorSamples } : {}),
      lost,
      serverCpuPercent: Math.round(cpuAvg),
      serverRssMb: Math.round(rssMax),
    };
    if (values.ceiling && databaseUrl) {
      log('测量数据库提交上限 measuring the durable-commit ceiling with pgbench…');
      const scratch = await createScratchDatabase(databaseUrl, 'kaowu_ceiling');
      try {
        const best = pgbenchCeiling(scratch.url, workDir);
        result['pgbenchTps'] = Math.round(best.tps);
        result['pgbenchClients'] = best.clients;
        result['ceilingRatio'] = r2(savesPerSecond / best.tps);
      } finally {
        await scratch.drop();
      }
    }
    const seconds: SecondStats[] = [...perSecond.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([second, s], i) => {
        const lat = sortedSample(s.latencies);
        return { second, saves: s.saves, errors: s.errors, p50: percentile(lat, 50), p99: percentile(lat, 99), ...(cpuSamples[i] ?? { cpuPercent: 0, rssMb: 0 }) };
      });
    const chart = resolve('var/load-test', `load-test-${new Date().toISOString().replace(/[:.]/g, '-')}.html`);
    writeFileSync(chart, loadChartHtml(`压力测试 Kaowu load test — ${candidates} candidates`, seconds, result));
    log(`\n压力测试结果 load test: ${savesPerSecond} saves/s, p50 ${result['p50Ms']} ms, p95 ${result['p95Ms']} ms, p99 ${result['p99Ms']} ms, errors ${result['errors']}, lost ${lost}`);
    log(`  server CPU ${result['serverCpuPercent']}% of one core, RSS ${result['serverRssMb']} MB; chart: ${chart}`);
    console.log(JSON.stringify(result));
    process.exitCode = lost === 0 ? 0 : 1;
  } finally {
    children.forEach((c) => c.connected && c.kill());
    await h?.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: Error) => {
    console.error(`load test failed: ${error.stack ?? error.message}`);
    process.exit(1);
  },
);
