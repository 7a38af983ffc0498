/**
 * 模拟测试: one whole sitting on the embedded default (or DATABASE_URL), compressed in time.
 *   npm run mock-exam -- --candidates 200 [--speed 60] [--minutes 120] [--json]
 * Exits non-zero when an acknowledged answer is missing at the province or a receipt fails.
 */
import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SingleBar, Presets } from 'cli-progress';
import { initCrypto } from '@kaowu/crypto';
import { SittingProgress, runSitting } from '@kaowu/testing';

const { values } = parseArgs({
  options: {
    candidates: { type: 'string', default: '200' },
    speed: { type: 'string', default: '60' },
    minutes: { type: 'string', default: '120' },
    json: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});

const candidates = Number(values.candidates);
const speed = Number(values.speed);
const minutes = Number(values.minutes);
if (!Number.isInteger(candidates) || candidates < 1 || candidates > 5000) {
  console.error('--candidates must be a whole number from 1 to 5000');
  process.exit(2);
}
if (!(speed > 0 && speed <= 600)) {
  console.error('--speed must be between 0 and 600 (virtual minutes per real minute)');
  process.exit(2);
}
if (!Number.isInteger(minutes) || minutes < 5 || minutes > 300) {
  console.error('--minutes must be a whole number from 5 to 300');
  process.exit(2);
}

const PHASE_ZH: Record<SittingProgress['phase'], string> = { setup: '准备', login: '考生登录', answering: '作答中', collecting: '回收上传', done: '完成' };

async function main() {
  await initCrypto();
  mkdirSync(resolve('var/mock-exam'), { recursive: true });
  const workDir = mkdtempSync(join(resolve('var/mock-exam'), 'run-'));
  const interactive = process.stdout.isTTY && !values.json;
  const bar = interactive
    ? new SingleBar({ format: ' {phase} |{bar}| {percentage}% · 已登录 {loggedIn} · 已保存 {acked} · 已上传 {uploaded}/{rooms} 考场 · 考试时钟 {clock}', hideCursor: true }, Presets.shades_classic)
    : undefined;
  const expected = Math.round(candidates * 20 * 1.2);
  bar?.start(expected, 0, { phase: '准备', loggedIn: 0, acked: 0, uploaded: 0, rooms: 0, clock: '' });
  let lastLine = 0;
  const onProgress = (p: SittingProgress) => {
    const clock = p.virtualTime.slice(11, 19);
    if (bar) bar.update(Math.min(p.answersAcked, expected), { phase: PHASE_ZH[p.phase], loggedIn: p.loggedIn, acked: p.answersAcked, uploaded: p.roomsUploaded, rooms: p.rooms, clock });
    else if (!values.json && Date.now() - lastLine > 5000) {
      lastLine = Date.now();
      console.log(`[${PHASE_ZH[p.phase]}] logged in ${p.loggedIn}, acked ${p.answersAcked}, rooms uploaded ${p.roomsUploaded}/${p.rooms}`);
    }
  };
  try {
    const report = await runSitting({ candidates, speed, durationMinutes: minutes, workDir, databaseUrl: process.env['DATABASE_URL'], onProgress });
    bar?.update(expected);
    bar?.stop();
    const ok = report.lost === 0 && report.receiptVerified;
    if (!values.json) {
      console.log('');
      console.log(`模拟测试${ok ? '通过' : '未通过'} / mock exam ${ok ? 'PASSED' : 'FAILED'}`);
      console.log(`  考生 candidates      ${report.candidates} (${report.present} present, ${report.absent} absent) in ${report.rooms} rooms, ${report.database} database`);
      console.log(`  作答事件 answers      sent ${report.answersSent}, acked ${report.answersAcked}, at venue ${report.answersAtVenue}, at province ${report.answersAtProvince}`);
      console.log(`  丢失 lost            ${report.lost}`);
      console.log(`  上传 upload          ${report.receipts} receipts, ${report.uploadSeconds}s from the bell, verified: ${report.receiptVerified}`);
      console.log(`  用时 wall time       ${report.wallSeconds}s for a ${report.examMinutes}-minute exam at ${report.speed}×`);
    }
    console.log(JSON.stringify(report));
    if (!values.keep) rmSync(workDir, { recursive: true, force: true });
    process.exit(ok ? 0 : 1);
  } catch (error) {
    bar?.stop();
    console.error(`mock exam failed: ${(error as Error).stack ?? error}`);
    process.exit(1);
  }
}

void main();
