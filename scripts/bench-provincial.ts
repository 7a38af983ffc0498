/**
 * Provincial planning benchmark: 报名 import, 网上编排考场 and 准考证 rendering at provincial scale.
 *   npm run bench:provincial -- [--candidates 100000] [--rooms 1000] [--json] [--keep]
 * Generates the registration workbook (XLSX), imports it into a fresh embedded database (or a
 * throwaway database on DATABASE_URL) through the server's HTTP API, allocates every candidate ×
 * subject over the rooms, renders 1,000 admission tickets of one venue as one PDF, exports the
 * registrants and every placement as XLSX, and ends with
 * one JSON line. Progress goes to stderr.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { Presets, SingleBar } from 'cli-progress';
import ExcelJS from 'exceljs';
import { ManualClock, withResidentIdCheck } from '@kaowu/exam-domain';
import { createScratchDatabase } from '@kaowu/persistence';
import { ProvincialConfigSchema, createProvincialServer } from '@kaowu/provincial-core';

const { values } = parseArgs({
  options: {
    candidates: { type: 'string', default: '100000' },
    rooms: { type: 'string', default: '1000' },
    json: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const candidates = Number(values.candidates);
const roomCount = Number(values.rooms);
if (!Number.isInteger(candidates) || candidates < 10 || candidates > 1_000_000) fail('--candidates must be a whole number from 10 to 1000000');
if (!Number.isInteger(roomCount) || roomCount < 10 || roomCount % 10 !== 0 || roomCount > 10_000) fail('--rooms must be a multiple of 10 from 10 to 10000');

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

/** The nine municipal regions of Guizhou and Gui'an New Area, with a county code each for ID numbers. */
const REGIONS = [
  ['520100', '贵阳市', '520102'], ['520200', '六盘水市', '520201'], ['520300', '遵义市', '520302'], ['520400', '安顺市', '520402'],
  ['520500', '毕节市', '520502'], ['520600', '铜仁市', '520602'], ['522300', '黔西南州', '522301'], ['522600', '黔东南州', '522601'],
  ['522700', '黔南州', '522701'], ['520900', '贵安新区', '520115'],
];
const SUBJECTS = [
  { subjectCode: 'ZJSW', subjectName: '中级会计实务', durationMinutes: 165 },
  { subjectCode: 'CWGL', subjectName: '财务管理', durationMinutes: 135 },
  { subjectCode: 'JJF', subjectName: '经济法', durationMinutes: 120 },
];
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华玉萍红娥玲芬燕彬鑫宇浩然子涵欣怡梓轩一诺雨桐';
const ROOM_ROWS = 5;
const ROOM_COLS = 8; // 40 seats, 2 spare machines, 38 candidate seats per subject and batch

/** Candidate i: a valid, unique 居民身份证号码 (birth day and sequence from i), region i mod 10. */
function candidateRow(i: number): string[] {
  const [, regionName, county] = REGIONS[i % REGIONS.length];
  const day = new Date(Date.UTC(1975, 0, 1) + Math.floor(i / 1000) * 86_400_000 * 3);
  const birth = day.toISOString().slice(0, 10).replace(/-/g, '');
  const idNo = withResidentIdCheck(`${county}${birth}${String(i % 1000).padStart(3, '0')}`);
  const male = Number(idNo[16]) % 2 === 1;
  const name = SURNAMES[i % SURNAMES.length] + GIVEN[(i * 7) % GIVEN.length] + (i % 3 === 0 ? '' : GIVEN[(i * 13) % GIVEN.length]);
  return [name, male ? '男' : '女', '居民身份证', idNo, regionName, '中级会计实务、财务管理、经济法', `13${String(100_000_000 + ((i * 7919) % 900_000_000)).slice(0, 9)}`];
}

async function writeWorkbook(file: string, onRow: (n: number) => void): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false, useStyles: false });
  const ws = wb.addWorksheet('报名');
  ws.addRow(['姓名', '性别', '证件类型', '证件号码', '地区', '报考科目', '手机号']).commit();
  for (let i = 0; i < candidates; i++) {
    ws.addRow(candidateRow(i)).commit();
    if (i % 1000 === 999) onRow(i + 1);
  }
  await ws.commit();
  await wb.commit();
}

async function main() {
  const quiet = values.json;
  // Progress on stderr: the row count while the workbook is written, then the timed steps.
  const bar = (format: string) => new SingleBar({ stream: process.stderr, format, hideCursor: true }, Presets.shades_classic);
  const steps = bar(' {phase} |{bar}| {value}/{total} 步骤 steps');
  mkdirSync(resolve('var/bench-provincial'), { recursive: true });
  const workDir = mkdtempSync(join(resolve('var/bench-provincial'), 'run-'));
  const scratch = process.env['DATABASE_URL'] ? await createScratchDatabase(process.env['DATABASE_URL'], 'kaowu_bench_provincial') : undefined;
  const server = await createProvincialServer(ProvincialConfigSchema.parse({ PROVINCIAL_PORT: '0', PROVINCIAL_DATA_DIR: join(workDir, 'provincial'), DATABASE_URL: scratch?.url }), {
    clock: new ManualClock(new Date('2026-06-01T02:00:00Z')),
    keyStrength: 'interactive',
    quiet: true,
  });
  const api = `${server.url}/api/v1`;
  const call = async (method: string, path: string, body?: unknown, type = 'application/json') => {
    const res = await fetch(api + path, { method, headers: { 'content-type': type }, body: body === undefined ? undefined : type === 'application/json' ? JSON.stringify(body) : (body as Uint8Array) });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 2000)}`);
    return JSON.parse(text);
  };
  try {
    // 1. the plan: regions, a sitting of three subjects in three batches, venues of 20 rooms
    await call('PUT', '/regions', { regions: REGIONS.map(([regionCode, name]) => ({ regionCode, name })) });
    await call('POST', '/sittings', {
      sittingCode: 'ZJ2026', name: '2026年度全国会计专业技术中级资格考试', subjects: SUBJECTS,
      batches: ['2026-09-05', '2026-09-06', '2026-09-07'].map((date, i) => ({ batchCode: `B${i + 1}`, date, startTimes: ['08:30', '13:30', '18:00'] })),
    });
    // every region gets a tenth of the rooms, in venues of at most 20 rooms
    let venueNo = 0;
    for (const [regionCode, regionName] of REGIONS) {
      for (let left = roomCount / REGIONS.length, k = 1; left > 0; k++) {
        const size = Math.min(20, left);
        left -= size;
        const venueCode = `V${String(++venueNo).padStart(4, '0')}`;
        const rooms = Array.from({ length: size }, (_, r) => ({ roomCode: `R${String(r + 1).padStart(2, '0')}`, name: `第${r + 1}考场`, rows: ROOM_ROWS, cols: ROOM_COLS }));
        await call('POST', '/venues', { venueCode, name: `${regionName}第${k}考点`, rooms });
        await call('PUT', `/venues/${venueCode}/planning`, { regionCode, address: `${regionName}考试路${k}号`, proctors: Object.fromEntries(rooms.map((r) => [r.roomCode, 2])) });
      }
    }

    // 2. the registration workbook (not timed)
    const xlsx = join(workDir, 'registration.xlsx');
    const gen = bar(' 生成报名数据 generate |{bar}| {value}/{total} 行 rows');
    gen.start(candidates, 0);
    await writeWorkbook(xlsx, (n) => gen.update(n));
    gen.update(candidates);
    gen.stop();

    // 3. import through the API: upload, parse, validate, store
    steps.start(4, 0, { phase: '导入 import  ' });
    const file = readFileSync(xlsx);
    const t0 = performance.now();
    const imported = await call('POST', '/sittings/ZJ2026/registrations/import', file, 'application/octet-stream');
    const importSeconds = (performance.now() - t0) / 1000;
    if (imported.imported !== candidates) throw new Error(`imported ${imported.imported} of ${candidates}: ${JSON.stringify(imported.errors.slice(0, 3))}`);

    // 4. allocate every candidate × subject
    steps.update(1, { phase: '编排 allocate' });
    const t1 = performance.now();
    const summary = await call('POST', '/sittings/ZJ2026/allocation');
    const allocateSeconds = (performance.now() - t1) / 1000;

    // 5. 准考证: one bulk PDF of up to 1,000 tickets of the first venue (photos skipped)
    steps.update(2, { phase: '准考证 tickets' });
    const ticketsWanted = Math.min(1000, candidates);
    const t2 = performance.now();
    const res = await fetch(`${api}/sittings/ZJ2026/venues/V0001/tickets.pdf?limit=${ticketsWanted}`);
    if (!res.ok) throw new Error(`tickets: ${res.status} ${await res.text()}`);
    const pdf = Buffer.from(await res.arrayBuffer());
    const ticketsSeconds = (performance.now() - t2) / 1000;
    const tickets = (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;

    // 6. 导出 Excel: every registrant, and every candidate × subject seat (streamed by the server)
    steps.update(3, { phase: '导出 export  ' });
    const exportOf = async (path: string) => {
      const t = performance.now();
      const r = await fetch(api + path);
      if (!r.ok) throw new Error(`export ${path}: ${r.status} ${await r.text()}`);
      const bytes = (await r.arrayBuffer()).byteLength;
      return { seconds: (performance.now() - t) / 1000, bytes };
    };
    const registrantsXlsx = await exportOf('/sittings/ZJ2026/registrants.xlsx');
    const placementsXlsx = await exportOf('/sittings/ZJ2026/allocation/placements.xlsx');
    steps.update(4);
    steps.stop();

    const result = {
      importSeconds: round(importSeconds),
      allocateSeconds: round(allocateSeconds),
      ticketsSeconds: round(ticketsSeconds),
      tickets,
      ticketsPdfBytes: pdf.length,
      exportRegistrantsSeconds: round(registrantsXlsx.seconds),
      exportPlacementsSeconds: round(placementsXlsx.seconds),
      exportPlacementsBytes: placementsXlsx.bytes,
      candidates,
      unplaced: summary.unplaced.length,
      placements: summary.placements,
      rooms: roomCount,
      xlsxBytes: statSync(xlsx).size,
      database: server.ctx.db.kind,
    };
    if (!quiet) {
      console.log(`导入 import   ${result.importSeconds}s for ${candidates} candidates (${(result.xlsxBytes / 1e6).toFixed(1)} MB XLSX) — target ≤ 60 s`);
      console.log(`编排 allocate ${result.allocateSeconds}s for ${summary.placements} candidate × subject seats over ${roomCount} rooms, ${result.unplaced} unplaced — target ≤ 10 s`);
      console.log(`准考证 tickets ${result.ticketsSeconds}s for ${tickets} tickets in one PDF (${(pdf.length / 1e6).toFixed(1)} MB) — target ≤ 30 s`);
      console.log(`导出 export   ${result.exportRegistrantsSeconds}s for ${candidates} registrants (${(registrantsXlsx.bytes / 1e6).toFixed(1)} MB), ${result.exportPlacementsSeconds}s for ${summary.placements} placements (${(placementsXlsx.bytes / 1e6).toFixed(1)} MB)`);
    }
    console.log(JSON.stringify(result));
  } finally {
    steps.stop();
    await server.close();
    await scratch?.drop();
    if (!values.keep) rmSync(workDir, { recursive: true, force: true });
  }
}

const round = (s: number) => Math.round(s * 100) / 100;

main().catch((error) => {
  console.error(`bench failed: ${(error as Error).stack ?? error}`);
  process.exit(1);
});
