import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { PNG } from 'pngjs';
import { expect, test, type Page } from '@playwright/test';
import { withResidentIdCheck } from '@kaowu/exam-domain';
import { startHarness, WORKSPACE_ROOT, type E2eHarness } from './support/harness';

/**
 * The provincial console (antd) in a real Chromium against the real provincial server: a clerk
 * imports the 报名 file (refused for a bad row, then the clean rows only) and the photos, runs
 * 编排考场 and reads the report, then looks a candidate up and opens the 准考证 PDF.
 */
test.describe.configure({ mode: 'serial' });

const DOCS_SCREENSHOTS = join(WORKSPACE_ROOT, 'docs', 'screenshots');
const HEADER = '姓名,性别,证件类型,证件号码,地区,报考科目,手机号';
const idOf = (n: number) => withResidentIdCheck(`5201021990${String(1 + (n % 12)).padStart(2, '0')}${String(1 + (n % 28)).padStart(2, '0')}${String(n).padStart(3, '0')}`.slice(0, 17));
const genderOf = (idNo: string) => (Number(idNo[16]) % 2 === 1 ? '男' : '女');
const NAMES = ['王芳', '李娜', '张伟', '刘洋', '陈静', '杨磊', '赵敏', '黄强', '周婷', '吴军', '徐丽', '孙涛'];
const row = (n: number, region: string, subjects: string) => `${NAMES[(n - 1) % NAMES.length]},${genderOf(idOf(n))},居民身份证,${idOf(n)},${region},"${subjects}",138${String(n).padStart(8, '0')}`;
const GUIYANG = Array.from({ length: 12 }, (_, i) => i + 1);
// 遵义 has no venue in this sitting: its candidate is reported unplaced with the reason.
const ZUNYI = 101;
const BAD_ID = `${idOf(50).slice(0, 17)}${idOf(50)[17] === '0' ? '1' : '0'}`;
const registrationCsv = [
  HEADER,
  ...GUIYANG.map((n) => row(n, '贵阳市', n % 3 === 0 ? '中级会计实务、财务管理、经济法' : '中级会计实务、经济法')),
  row(ZUNYI, '遵义市', '经济法'),
  `错号考生,男,居民身份证,${BAD_ID},贵阳市,经济法,13800000050`,
].join('\n');
function photo(n: number): Buffer {
  const p = new PNG({ width: 180, height: 240 });
  p.data.fill(Buffer.from([67, 142, 219, 255]));
  for (let y = 60; y < 200; y++) for (let x = 50; x < 130; x++) p.data.set([(n * 29) % 200, 60, 40, 255], (y * 180 + x) * 4);
  return PNG.sync.write(p);
}
const photoZip = Buffer.from(zipSync(Object.fromEntries(GUIYANG.map((n) => [`${idOf(n)}.png`, new Uint8Array(photo(n))]))));

let h: E2eHarness;
let provinceUrl: string;
let page: Page;

async function put(method: string, path: string, body: unknown) {
  const res = await fetch(h.api + path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
}

test.beforeAll(async ({ browser }, testInfo) => {
  testInfo.setTimeout(120_000);
  h = await startHarness({ durationMinutes: 120, candidates: 2 });
  provinceUrl = h.api.replace(/\/api\/v1$/, '');
  // the exam plan and a venue in 贵阳 (set up over the API; the last test reads the plan on its screen)
  await put('PUT', '/regions', { regions: [{ regionCode: '520100', name: '贵阳市' }, { regionCode: '520300', name: '遵义市' }] });
  await put('POST', '/sittings', { sittingCode: 'ZJ2026', name: '2026年度中级会计资格', batches: [{ batchCode: 'B1', date: '2026-09-05', startTimes: ['08:30', '13:30', '18:00'] }], subjects: [
    { subjectCode: 'ZJSW', subjectName: '中级会计实务', durationMinutes: 165 }, { subjectCode: 'CWGL', subjectName: '财务管理', durationMinutes: 135 }, { subjectCode: 'JJF', subjectName: '经济法', durationMinutes: 120 },
  ] });
  await put('POST', '/venues', { venueCode: 'V101', name: '贵州财经大学考点', rooms: [{ roomCode: 'R01', name: '第1考场', rows: 2, cols: 5 }, { roomCode: 'R02', name: '第2考场', rows: 2, cols: 5 }] });
  await put('PUT', '/venues/V101/planning', { regionCode: '520100', address: '贵阳市花溪区贵州财经大学', proctors: { R01: 2, R02: 2 } });
  mkdirSync(DOCS_SCREENSHOTS, { recursive: true });
  page = await (await browser.newContext()).newPage();
});

test.afterAll(async () => {
  await page?.context().close();
  await h?.close();
});

test('imports the registration file: a bad row refuses the file, the clerk imports the clean rows only, then the photos', async () => {
  await page.goto(`${provinceUrl}/console/#/import`);
  await expect(page.getByRole('heading', { name: '报名数据导入' })).toBeVisible();
  await expect(page.getByText('2026年度中级会计资格（ZJ2026）')).toBeVisible();
  await expect(page.getByText('省级考办')).toBeVisible();

  const registrations = page.locator('.ant-card').filter({ has: page.getByLabel('报名表（XLSX / CSV）') });
  await page.getByLabel('报名表（XLSX / CSV）').setInputFiles({ name: '报名.csv', mimeType: 'text/csv', buffer: Buffer.from(registrationCsv) });
  await registrations.getByRole('button', { name: '导入', exact: true }).click();
  await expect(registrations.getByRole('alert')).toContainText('未导入任何考生');
  const badRow = registrations.getByRole('row').filter({ hasText: 'ID_CHECK_DIGIT' });
  await expect(badRow.getByRole('cell').first()).toHaveText(String(GUIYANG.length + 3));
  await expect(page.getByText('共 0 人')).toBeVisible();

  await registrations.getByRole('checkbox', { name: '只导入无误的行（有误的行跳过）' }).check();
  await registrations.getByRole('button', { name: /导入$/ }).click();
  await expect(registrations.getByRole('status')).toContainText(`已导入 ${GUIYANG.length + 1} 行：新增 ${GUIYANG.length + 1}，更新 0，跳过 1`);

  const photos = page.locator('.ant-card').filter({ has: page.getByLabel('考生照片（ZIP，文件名为证件号码）') });
  await page.getByLabel('考生照片（ZIP，文件名为证件号码）').setInputFiles({ name: 'photos.zip', mimeType: 'application/zip', buffer: photoZip });
  await photos.getByRole('button', { name: '导入', exact: true }).click();
  await expect(photos.getByRole('status')).toContainText(`已导入 ${GUIYANG.length} 张照片，跳过 0 个文件`);

  // the list pages and filters on the server
  await expect(page.getByText(`共 ${GUIYANG.length + 1} 人`)).toBeVisible();
  await page.getByLabel('地区代码').fill('520300');
  await page.getByRole('button', { name: '筛选' }).click();
  await expect(page.getByText('共 1 人')).toBeVisible();
  await expect(page.getByRole('cell', { name: idOf(ZUNYI) })).toBeVisible();
});

test('runs 编排考场 and shows fill rates, staffing and the unplaced with the reason', async () => {
  await page.getByRole('menuitem', { name: '考场编排' }).click();
  await expect(page.getByText('尚未编排考场')).toBeVisible();
  await page.getByRole('button', { name: '运行编排' }).click();

  const chart = page.getByRole('img', { name: '考场使用率' });
  await expect(chart).toBeVisible();
  // one bar per room, at the fill rate of the server's report
  const report = (await (await fetch(`${h.api}/sittings/ZJ2026/allocation`)).json()) as { placements: number; rooms: { roomCode: string; fillRate: number }[] };
  expect(report.placements).toBe(GUIYANG.length * 2 + GUIYANG.length / 3);
  expect(report.rooms.map((r) => r.roomCode)).toEqual(['R01', 'R02']);
  for (const r of report.rooms) await expect(chart.getByTestId(`fill-B1-V101-${r.roomCode}`)).toContainText(`${(r.fillRate * 100).toFixed(1)}%`);
  expect(report.rooms.every((r) => r.fillRate > 0)).toBe(true);
  const unplaced = page.getByRole('row').filter({ hasText: idOf(ZUNYI) });
  await expect(unplaced).toContainText('本地区没有考场');
  await page.screenshot({ path: join(DOCS_SCREENSHOTS, 'provincial-console-allocation.png'), fullPage: true });
});

test('looks a candidate up by ID number and name and opens the admission ticket PDF', async () => {
  await page.getByRole('menuitem', { name: '准考证' }).click();
  await page.getByLabel('证件号码').fill(idOf(3));
  await page.getByLabel('姓名').fill('张三');
  await page.getByRole('button', { name: '查询' }).click();
  await expect(page.getByRole('alert')).toContainText('证件号码与姓名不匹配');

  await page.getByLabel('姓名').fill(NAMES[2]);
  await page.getByRole('button', { name: '查询' }).click();
  const seats = page.locator('.ant-card').filter({ hasText: '准考证号' });
  await expect(seats.getByRole('row')).toHaveCount(4); // header + 中级会计实务, 财务管理, 经济法
  await expect(seats.getByRole('row').nth(1)).toContainText('中级会计实务');
  await expect(seats.getByRole('row').nth(1)).toContainText('贵阳市花溪区贵州财经大学');

  const [ticket, popup] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith(`/registrants/${idOf(3)}/ticket.pdf`)),
    page.waitForEvent('popup'),
    page.getByRole('button', { name: '打开准考证（PDF）' }).click(),
  ]);
  expect(ticket.status()).toBe(200);
  expect(ticket.headers()['content-type']).toBe('application/pdf');
  // the new tab shows the PDF the console fetched (a blob of this origin)
  await expect.poll(() => popup.url()).toMatch(/^blob:/);
  const head = await page.evaluate(async (url) => {
    const blob = await (await fetch(url)).blob();
    return { type: blob.type, magic: new TextDecoder().decode((await blob.arrayBuffer()).slice(0, 5)), bytes: blob.size };
  }, popup.url());
  expect(head).toMatchObject({ type: 'application/pdf', magic: '%PDF-' });
  expect(head.bytes).toBeGreaterThan(10_000); // the CJK font subset and the photo are embedded
});

test('shows the exam plan: subjects in order with durations, the batch start times in Beijing time', async () => {
  await page.getByRole('menuitem', { name: '考试计划' }).click();
  const subjects = page.getByLabel('科目名称');
  await expect(subjects).toHaveCount(3);
  for (const [i, name] of ['中级会计实务', '财务管理', '经济法'].entries()) await expect(subjects.nth(i)).toHaveValue(name);
  for (const [i, minutes] of ['165', '135', '120'].entries()) await expect(page.getByLabel('考试时长（分钟）').nth(i)).toHaveValue(minutes);
  await expect(page.getByLabel('经济法 开考')).toHaveValue('18:00');
  await page.screenshot({ path: join(DOCS_SCREENSHOTS, 'provincial-console-exam-plan.png'), fullPage: true });
});
