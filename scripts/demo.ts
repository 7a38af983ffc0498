/**
 * 演示: both servers on fixed ports with a seeded sitting that starts a few minutes from now,
 * for clicking through the candidate client, the proctor console and the provincial console.
 *   npm run demo:live [-- --minutes 20 --start-in 3]
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { initCrypto } from '@kaowu/crypto';
import { MockExamClock, proctorAccessCode, startSittingHarness } from '@kaowu/testing';

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '20' }, 'start-in': { type: 'string', default: '3' }, candidates: { type: 'string', default: '30' } } });
const minutes = Number(values.minutes);
const startIn = Number(values['start-in']);
const candidates = Number(values.candidates);

async function main() {
  await initCrypto();
  const workDir = resolve('var/demo');
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  // Real time: the exam starts `startIn` minutes from now (login is open from T-30).
  const T0 = new Date(Math.ceil((Date.now() + startIn * 60_000) / 60_000) * 60_000);
  const clock = new MockExamClock(new Date(), 1);
  console.log('正在启动省级服务器和考点服务器… / starting the provincial and venue servers…');
  const h = await startSittingHarness({
    candidates, workDir, databaseUrl: process.env['DATABASE_URL'], durationMinutes: minutes, T0, clock,
    minMinutesBeforeHandIn: Math.min(5, minutes), provincialPort: 3100, venuePort: 3200,
  });
  const hhmm = (d: Date) => d.toLocaleTimeString('zh-CN', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'Asia/Shanghai' });
  console.log('\n考务演示已启动 / Kaowu demo is running\n');
  console.log(`  开考 start ${hhmm(T0)}   结束 end ${hhmm(new Date(T0.getTime() + minutes * 60_000))}   (${minutes} 分钟，开考 ${Math.min(5, minutes)} 分钟后可交卷)\n`);
  console.log('  考生端 candidate client (one browser tab per exam machine):');
  for (const c of h.roster.candidates.slice(0, 3)) {
    const machine = `M-${c.roomCode}-${String(c.seatNo).padStart(3, '0')}`;
    console.log(`    ${h.venue.url}/?room=${c.roomCode}&seat=${c.seatNo}&machine=${machine}&k=${h.kioskKey}`);
    console.log(`      准考证号 ${c.ticketNo}   证件号码 ${c.idNo}   ${c.name}`);
  }
  console.log(`\n  监考端 proctor console:   ${h.venue.url}/proctor/   考场号 R01   监考口令 ${await proctorAccessCode(h.api, 'R01')}`);
  console.log(`  省级控制台 console:       ${h.province.url}/console/`);
  console.log(`  省级接口文档 API docs:    ${h.province.url}/api/docs`);
  console.log(`  健康检查 health:          ${h.venue.url}/health   ${h.province.url}/health`);
  // the mock-exam roster for a 压力测试 against this running venue (demo data, not a real roster)
  const stressRoster = join(workDir, 'stress-roster.json');
  writeFileSync(stressRoster, JSON.stringify({ kioskKey: h.kioskKey, seats: h.roster.candidates.map((c) => ({ roomCode: c.roomCode, seatNo: c.seatNo, ticketNo: c.ticketNo, idNo: c.idNo })) }, null, 1));
  console.log(`  压力测试 load test:       npm run load-test -- --url ${h.venue.url} --roster ${stressRoster} --duration 60\n`);
  console.log('按 Ctrl+C 结束 / Ctrl+C to stop');
  const stop = async () => {
    await h.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: Error) => {
  console.error(`demo failed to start: ${error.message}`);
  process.exit(1);
});
