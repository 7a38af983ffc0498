/**
 * 考生端性能: what a candidate waits for, measured in Debian's Chromium against a local venue
 * server (HTTPS/WSS with the venue certificate, as in a venue):
 *   - the production bundle's size (JS and CSS, gzip -9);
 *   - first screen interactive: a cold page load (new browser context, empty cache) until the
 *     login form takes input, i.e. page, scripts, the socket, the machine check and the clock sync;
 *   - change → 已保存: a click on an option until the status shows 已保存, which it does only after
 *     the venue's acknowledgement (the journal commit).
 *   npm run bench:candidate-client -- [--loads 20] [--saves 200] [--json]
 * Builds the candidate client first when dist/ has none. DATABASE_URL selects PostgreSQL.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { chromium, type Page } from '@playwright/test';
import { SingleBar, Presets } from 'cli-progress';
import { initCrypto } from '@kaowu/crypto';
import { MockExamClock, percentile, sortedSample, startSittingHarness } from '@kaowu/testing';

const { values } = parseArgs({
  options: {
    loads: { type: 'string', default: '20' },
    saves: { type: 'string', default: '200' },
    json: { type: 'boolean', default: false },
  },
});
const loads = Number(values.loads);
const saves = Number(values.saves);
if (!Number.isInteger(loads) || loads < 1 || loads > 500) throw new Error('--loads must be 1–500');
if (!Number.isInteger(saves) || saves < 1 || saves > 10000) throw new Error('--saves must be 1–10000');

const ROOT = resolve(__dirname, '..');
const DIST = join(ROOT, 'dist/apps/candidate-client');
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const log = (...a: unknown[]) => !values.json && console.log(...a);
const round = (n: number) => Math.round(n * 100) / 100;
const stats = (xs: number[]) => {
  const s = sortedSample(xs);
  return { n: xs.length, p50: round(percentile(s, 50)), p95: round(percentile(s, 95)), p99: round(percentile(s, 99)), max: round(s[s.length - 1] ?? 0) };
};

function bundleSize(): { jsGzipKB: number; cssGzipKB: number; files: number } {
  const assets = join(DIST, 'assets');
  let js = 0;
  let css = 0;
  const files = readdirSync(assets);
  for (const f of files) {
    const gz = gzipSync(readFileSync(join(assets, f)), { level: 9 }).length;
    if (f.endsWith('.js')) js += gz;
    else if (f.endsWith('.css')) css += gz;
  }
  return { jsGzipKB: round(js / 1024), cssGzipKB: round(css / 1024), files: files.length };
}

/** In the page: time from navigation start until the login form is there and enabled. */
const LOGIN_READY = `(() => {
  const input = [...document.querySelectorAll('label')].find((l) => l.textContent?.includes('准考证号'))?.querySelector('input');
  return input && !input.disabled ? performance.now() : null;
})()`;

/**
 * In the page: click one option and wait until the save status says 已保存 again; returns the
 * milliseconds between the click and the DOM showing 已保存.
 */
const CLICK_UNTIL_SAVED = (itemId: string, option: string) => `new Promise((resolve, reject) => {
  const state = document.querySelector('[data-testid="save-state"]');
  const button = [...document.querySelectorAll('[data-testid="item-${itemId}"] button[aria-pressed]')].find((b) => b.textContent.trim().startsWith('${option}'));
  if (!state || !button) return reject(new Error('item ${itemId} option ${option} not on screen'));
  let sawSaving = false;
  const start = performance.now();
  const timer = setTimeout(() => reject(new Error('no 已保存 within 10 s')), 10000);
  const check = () => {
    const text = state.textContent;
    if (text !== '已保存') sawSaving = true;
    else if (sawSaving) {
      observer.disconnect();
      clearTimeout(timer);
      resolve(performance.now() - start);
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(state, { childList: true, characterData: true, subtree: true });
  button.click();
  check();
})`;

async function main(): Promise<void> {
  if (!existsSync(join(DIST, 'index.html'))) {
    log('building the candidate client (nx build candidate-client) …');
    execFileSync('npx', ['nx', 'run', 'candidate-client:build', '--outputStyle=static'], { cwd: ROOT, stdio: values.json ? 'ignore' : 'inherit', env: { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false' } });
  }
  const size = bundleSize();
  log(`bundle: JS ${size.jsGzipKB} kB gzip, CSS ${size.cssGzipKB} kB gzip`);

  await initCrypto();
  const T0 = new Date(Date.now() + 30 * 60_000);
  const clock = new MockExamClock(new Date(T0.getTime() - 10 * 60_000), 1);
  const workDir = mkdtempSync(join(tmpdir(), 'kaowu-bench-client-'));
  const h = await startSittingHarness({ candidates: 4, workDir, databaseUrl: process.env['DATABASE_URL'] || undefined, durationMinutes: 120, T0, clock, venueTls: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const bar = values.json ? null : new SingleBar({ format: '{phase} [{bar}] {value}/{total}', hideCursor: true }, Presets.shades_classic);
  try {
    const me = h.roster.candidates[0];
    const url = `${h.venue.url}/?room=${me.roomCode}&seat=${me.seatNo}&machine=M-BENCH&k=${encodeURIComponent(h.kioskKey)}`;

    // cold loads: a new context each time, so nothing is cached
    const firstScreen: number[] = [];
    const domReady: number[] = [];
    bar?.start(loads, 0, { phase: '首屏加载' });
    for (let i = 0; i < loads; i++) {
      const context = await browser.newContext({ ignoreHTTPSErrors: true });
      const page = await context.newPage();
      await page.goto(url);
      const handle = await page.waitForFunction(LOGIN_READY, undefined, { polling: 'raf', timeout: 30_000 });
      firstScreen.push((await handle.jsonValue()) as number);
      domReady.push((await page.evaluate("performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd")) as number);
      await context.close();
      bar?.increment();
    }
    bar?.stop();

    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const page: Page = await context.newPage();
    await page.goto(url);
    await page.getByLabel('准考证号').fill(me.ticketNo);
    await page.getByLabel('证件号码').fill(me.idNo);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('heading', { name: '请核对您的身份信息' }).waitFor();
    clock.set(new Date(T0.getTime() + 60_000), 1);
    await page.getByTestId('item-S1').waitFor({ timeout: 30_000 });

    const saveMs: number[] = [];
    bar?.start(saves, 0, { phase: '作答保存' });
    for (let i = 0; i < saves; i++) {
      const itemId = `S${(i % 10) + 1}`;
      await page.getByTestId(`nav-${itemId}`).click();
      await page.getByTestId(`item-${itemId}`).waitFor({ timeout: 5_000 }).catch(async (e) => { await page.screenshot({ path: '/tmp/bench-fail.png' }); throw e; });
      saveMs.push((await page.evaluate(CLICK_UNTIL_SAVED(itemId, 'ABCD'[Math.floor(i / 10) % 4]))) as number);
      bar?.increment();
    }
    bar?.stop();
    await context.close();

    const result = {
      bench: 'candidate-client',
      database: h.database,
      transport: 'https+wss',
      ...size,
      firstScreenMs: stats(firstScreen),
      /** Of which: HTML, scripts and styles loaded and run (the rest is the socket, machine check and clock). */
      domContentLoadedMs: stats(domReady),
      saveMs: stats(saveMs),
      targets: { jsGzipKB: 250, firstScreenMs: 1000, saveP95Ms: 150 },
    };
    log(`first screen interactive (cold, ${loads} loads): p50 ${result.firstScreenMs.p50} ms, p95 ${result.firstScreenMs.p95} ms`);
    log(`change → 已保存 (${saves} changes): p50 ${result.saveMs.p50} ms, p95 ${result.saveMs.p95} ms, p99 ${result.saveMs.p99} ms`);
    console.log(JSON.stringify(result));
  } finally {
    bar?.stop();
    await browser.close();
    await h.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
