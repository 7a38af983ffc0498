import ExcelJS from 'exceljs';
import { randomBytes } from 'node:crypto';
import { zipSync } from 'fflate';
import { PNG } from 'pngjs';
import { ManualClock, withResidentIdCheck } from '@kaowu/exam-domain';
import { startPlanningServer } from '../test-support/planning-test-server';

const clock = new ManualClock(new Date('2026-06-01T02:00:00Z'));
// Test bodies are checked field by field below.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const j = (res: Response): Promise<any> => res.json();

const HEADER = ['姓名', '性别', '证件类型', '证件号码', '地区', '报考科目', '手机号'];
/** A valid 居民身份证号码 for person n; the sequence digit gives the gender. */
const idOf = (n: number, gender: 'M' | 'F' = 'F') => withResidentIdCheck(`520102199001${String(10 + (n % 18)).padStart(2, '0')}${String(n).padStart(2, '0')}${gender === 'M' ? 1 : 2}`);

async function xlsx(rows: (string | number)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('报名');
  ws.addRow(HEADER);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function png(width: number, height: number): Uint8Array {
  const p = new PNG({ width, height });
  p.data.fill(180);
  return PNG.sync.write(p, { filterType: 0 });
}

describe('报名 import (registrants and photos, real database)', () => {
  let planning: Awaited<ReturnType<typeof startPlanningServer>>;
  let api: string;

  const upload = (path: string, file: Uint8Array, type = 'application/octet-stream') => fetch(api + path, { method: 'POST', headers: { 'content-type': type }, body: file });
  const registrants = async (query = '') => j(await fetch(`${api}/sittings/ZJ2026/registrants?pageSize=500${query}`));
  const auditActions = () => planning.auditActions();

  beforeAll(async () => {
    planning = await startPlanningServer('registration', clock, [
      { batchCode: 'B1', date: '2026-09-05', startTimes: ['08:30', '13:30', '18:00'] },
      { batchCode: 'B2', date: '2026-09-06', startTimes: ['08:30', '13:30', '18:00'] },
    ]);
    api = planning.api;
  });

  afterAll(() => planning.close());

  it('stores the exam plan with subjects in order and batch times in Beijing time', async () => {
    const plan = await j(await fetch(`${api}/sittings/ZJ2026`));
    expect(plan.subjects.map((s: { subjectCode: string }) => s.subjectCode)).toEqual(['ZJSW', 'CWGL', 'JJF']);
    expect(plan.minMinutesBeforeHandIn).toBe(90);
    expect(plan.batches[1]).toEqual({ batchCode: 'B2', name: '第2批次', date: '2026-09-06', subjects: [
      { subjectCode: 'ZJSW', startsAt: '2026-09-06T00:30:00.000Z' }, { subjectCode: 'CWGL', startsAt: '2026-09-06T05:30:00.000Z' }, { subjectCode: 'JJF', startsAt: '2026-09-06T10:00:00.000Z' },
    ] });
    const overlap = await fetch(`${api}/sittings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({
      sittingCode: 'BAD', name: 'x', subjects: [{ subjectCode: 'A', subjectName: 'a', durationMinutes: 165 }, { subjectCode: 'B', subjectName: 'b', durationMinutes: 60 }],
      batches: [{ batchCode: 'B1', date: '2026-09-05', startTimes: ['08:30', '10:00'] }],
    }) });
    expect(overlap.status).toBe(400);
    expect(await j(overlap)).toMatchObject({ code: 'VALIDATION_FAILED', field: 'batches.0.startTimes.1' });
  });

  it('reports every bad row with row, column and code, and imports nothing', async () => {
    const file = await xlsx([
      ['张三', '女', '居民身份证', idOf(1), '贵阳市', '中级会计实务、财务管理、经济法', '13800000001'],
      ['李四', '男', '居民身份证', idOf(2, 'M'), '520300', '经济法', '13800000002'],
      ['王五', '女', '居民身份证', idOf(3).slice(0, 17) + (idOf(3)[17] === '1' ? '2' : '1'), '贵阳市', '经济法', '13800000003'], // check digit
      ['赵六', '女', '居民身份证', idOf(1), '贵阳市', '经济法', '13800000004'], // same ID as row 2
      ['钱七', '女', '居民身份证', idOf(5), '六盘水市', '经济法', '13800000005'], // region not registered
      ['孙八', '女', '居民身份证', idOf(6), '贵阳市', '高级会计实务', '13800000006'], // not in the sitting
      ['周九', '女', '居民身份证', idOf(7), '贵阳市', '经济法', '1380000'], // phone
      ['吴十', '男', '居民身份证', idOf(8), '贵阳市', '经济法', '13800000008'], // gender vs ID
      ['', '女', '护照', 'E12345678', '贵阳市', '经济法', '13800000009'], // name missing
      ['郑十一', '女', '驾驶证', '123456', '贵阳市', '经济法', '13800000010'], // ID type
    ]);
    const res = await upload('/sittings/ZJ2026/registrations/import', file);
    expect(res.status).toBe(422);
    const body = await j(res);
    expect(body.code).toBe('IMPORT_HAS_ERRORS');
    expect(body.message).toContain('未导入任何考生');
    expect(body.details.errors.map((e: { row: number; column: string; code: string }) => `${e.row}:${e.column}:${e.code}`)).toEqual([
      '4:idNo:ID_CHECK_DIGIT',
      '5:idNo:DUPLICATE_ID',
      '6:region:UNKNOWN_REGION',
      '7:subjects:UNKNOWN_SUBJECT',
      '8:phone:BAD_PHONE',
      '9:gender:ID_GENDER_MISMATCH',
      '10:name:MISSING_FIELD',
      '11:idType:BAD_ID_TYPE',
    ]);
    const dup = body.details.errors[1];
    expect(dup.message).toBe(`第 5 行 证件号码：证件号码“${idOf(1)}”与第 2 行重复`);
    expect(dup.messageEn).toContain('repeats row 2');
    expect((await registrants()).total).toBe(0);
    expect(await auditActions()).not.toContain('registration.imported');

    // the clerk chooses to import the clean rows only
    const partial = await upload('/sittings/ZJ2026/registrations/import?importCleanRowsOnly=true', file);
    expect(partial.status).toBe(200);
    expect(await j(partial)).toMatchObject({ rows: 10, imported: 2, created: 2, updated: 0, skipped: 8 });
    const list = await registrants();
    expect(list.registrants.map((r: { name: string; subjects: string[]; regionCode: string }) => [r.name, r.regionCode, r.subjects.join('+')]).sort()).toEqual([
      ['张三', '520100', 'ZJSW+CWGL+JJF'],
      ['李四', '520300', 'JJF'],
    ]);
  });

  it('refuses a file without the required columns and one that is not a workbook', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('x').addRow(['姓名', '性别', '证件号码']);
    const res = await upload('/sittings/ZJ2026/registrations/import', Buffer.from(await wb.xlsx.writeBuffer()));
    expect(res.status).toBe(400);
    const body = await j(res);
    expect(body).toMatchObject({ code: 'VALIDATION_FAILED', field: 'file' });
    expect(body.message).toContain('证件类型、地区、报考科目、手机号');
    const junk = await upload('/sittings/ZJ2026/registrations/import?format=xlsx', Buffer.from('not a workbook'));
    expect((await j(junk)).code).toBe('VALIDATION_FAILED');
    const unknown = await upload('/sittings/NOPE/registrations/import', await xlsx([]));
    expect(unknown.status).toBe(404);
  });

  it('re-imports by ID number: updates, adds, never duplicates (CSV, GB18030 too)', async () => {
    const csv = [
      HEADER.join(','),
      `张三,女,居民身份证,${idOf(1).toLowerCase()},520100,"财务管理,经济法",138 0000 0099`, // phone and subjects changed; lowercase x accepted
      `王五,女,居民身份证,${idOf(3)},遵义市,中级会计实务,13800000003`,
    ].join('\r\n');
    const res = await upload('/sittings/ZJ2026/registrations/import?format=csv', Buffer.from(csv, 'utf8'), 'text/csv');
    expect(res.status).toBe(200);
    expect(await j(res)).toMatchObject({ rows: 2, imported: 2, created: 1, updated: 1, skipped: 0 });
    const list = await registrants();
    expect(list.total).toBe(3);
    const zhang = list.registrants.find((r: { name: string }) => r.name === '张三');
    expect(zhang).toMatchObject({ idNo: idOf(1), phone: '13800000099', subjects: ['CWGL', 'JJF'] });

    // 王五 again, saved by an older tool in GB18030 (the header and her row): recognised, nothing new
    const gb = Buffer.concat([
      Buffer.from('d0d5c3fb2cd0d4b1f02cd6a4bcfec0e0d0cd2cd6a4bcfebac5c2eb2cb5d8c7f82cb1a8bfbcbfc6c4bf2ccad6bbfabac50d0acdf5cee52cc5ae2cbed3c3f1c9edb7ddd6a42c', 'hex'),
      Buffer.from(idOf(3), 'ascii'),
      Buffer.from('2cd7f1d2e5cad02cd6d0bcb6bbe1bcc6cab5cef12c3133383030303030303033', 'hex'),
    ]);
    const again = await upload('/sittings/ZJ2026/registrations/import?format=csv', gb, 'text/csv');
    expect(await j(again)).toMatchObject({ rows: 1, created: 0, updated: 1 });
    expect((await registrants(`&idNo=${idOf(3)}`)).registrants).toEqual([expect.objectContaining({ name: '王五', regionCode: '520300', subjects: ['ZJSW'] })]);
    expect((await registrants()).total).toBe(3);
    expect((await auditActions()).filter((a) => a === 'registration.imported')).toHaveLength(3);
  });

  it('checks every photo of a ZIP, names the bad files, and imports none until clean', async () => {
    const good = png(300, 400);
    const zip = zipSync({
      [`photos/${idOf(1)}.png`]: good,
      [`photos/${idOf(2, 'M')}.jpg`]: png(400, 300), // landscape
      [`photos/${idOf(3)}.gif`]: new TextEncoder().encode('GIF89a\x2c\x01\x90\x01 a GIF, not JPEG or PNG'),
      [`photos/${idOf(7)}.jpg`]: new TextEncoder().encode('not an image at all'),
      [`photos/110105194912310000.png`]: good, // nobody registered with that number
    });
    const res = await upload('/sittings/ZJ2026/photos/import', zip, 'application/zip');
    expect(res.status).toBe(422);
    const body = await j(res);
    expect(body.details.errors.map((e: { file: string; code: string }) => `${e.file.split('/')[1]}:${e.code}`)).toEqual([
      '110105194912310000.png:PHOTO_NO_REGISTRANT',
      `${idOf(2, 'M')}.jpg:PHOTO_DIMENSIONS`,
      `${idOf(3)}.gif:PHOTO_FORMAT`,
      `${idOf(7)}.jpg:PHOTO_NOT_IMAGE`,
    ]);
    expect((await registrants()).registrants.some((r: { hasPhoto: boolean }) => r.hasPhoto)).toBe(false);

    const partial = await upload('/sittings/ZJ2026/photos/import?importCleanRowsOnly=true', zip, 'application/zip');
    expect(await j(partial)).toMatchObject({ files: 5, imported: 1, skipped: 4, warnings: [] });
    const withPhoto = (await registrants()).registrants.filter((r: { hasPhoto: boolean }) => r.hasPhoto).map((r: { idNo: string }) => r.idNo);
    expect(withPhoto).toEqual([idOf(1)]);
    // a photo within the import's limits but over the 64 KB a venue roster takes: imported, with a warning naming it
    const noisy = new PNG({ width: 160, height: 210 });
    randomBytes(noisy.data.length).copy(noisy.data); // noise does not compress: ~130 KB
    const large = PNG.sync.write(noisy);
    expect(large.length).toBeGreaterThan(64 * 1024);
    const warned = await j(await upload('/sittings/ZJ2026/photos/import', zipSync({ [`${idOf(1)}.png`]: large }), 'application/zip'));
    expect(warned).toMatchObject({ imported: 1, errors: [], warnings: [{ file: `${idOf(1)}.png`, code: 'PHOTO_OVER_ROSTER_LIMIT' }] });
    expect(warned.warnings[0].message).toBe(`${idOf(1)}.png：超过考点名单允许的 64 KB：已导入，但生成考点考试包前须换成较小的照片`);
    const notZip = await upload('/sittings/ZJ2026/photos/import', Buffer.from('plain text'), 'application/zip');
    expect((await j(notZip)).code).toBe('VALIDATION_FAILED');
    expect(await auditActions()).toContain('registration.photos_imported');
  });
});
