import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startHarness, WORKSPACE_ROOT, type E2eHarness } from './support/harness';

/**
 * 回收完整性 in the provincial console (antd) in a real Chromium: the venue's link to the
 * province is down at the bell, so one room arrives on a USB stick (offline import through
 * the console) and the other never does — 30 minutes after the end it shows as late.
 */
test.describe.configure({ mode: 'serial' });

const SCREENSHOTS = join(WORKSPACE_ROOT, 'test', 'e2e', 'screenshots');
let h: E2eHarness;
let page: Page;

test.beforeAll(async ({ browser }, testInfo) => {
  testInfo.setTimeout(120_000);
  // 31 candidates: room R01 with 30, room R02 with 1; nobody logs in (all 缺考), which is enough to seal.
  h = await startHarness({ durationMinutes: 120, candidates: 31, provinceLink: 'proxy' });
  mkdirSync(SCREENSHOTS, { recursive: true });
  page = await (await browser.newContext()).newPage();
});

test.afterAll(async () => {
  await page?.context().close();
  await h?.close();
});

const consoleUrl = () => `${new URL(h.api).origin}/console/#/results`;
const dashboard = () => page.getByRole('region', { name: '回收完整性' });
const roomRow = (roomCode: string) => dashboard().getByRole('row').filter({ has: page.getByRole('cell', { name: roomCode, exact: true }) });

test('the dashboard follows the session: in progress, then one room imported from a file, the other late', async () => {
  await h.setProvinceLink(false);
  await h.setClock(h.at(30), 0);
  await page.goto(consoleUrl());
  await expect(roomRow('R01').getByText('考试中')).toBeVisible();
  await expect(roomRow('R02').getByText('考试中')).toBeVisible();

  // the bell: the venue seals both rooms but cannot reach the province
  await h.setClock(h.at(125), 0);
  let file: Buffer | undefined;
  for (let i = 0; i < 100 && !file; i++) {
    const res = await fetch(`${h.venueUrl}/api/v1/results/V001-S1-R01/file`);
    if (res.ok) file = Buffer.from(await res.arrayBuffer());
    else await new Promise((r) => setTimeout(r, 100));
  }
  if (!file) throw new Error('room R01 was not sealed');
  const sha256 = (await import('node:crypto')).createHash('sha256').update(file).digest('hex');

  await page.reload();
  await expect(roomRow('R01').getByText('待上传')).toBeVisible();
  // 离线导入: the technician's USB stick, the package file with its checksum file
  await page.getByLabel('数据包文件（.kwr）').setInputFiles({ name: 'V001-S1-R01.kwr', mimeType: 'application/octet-stream', buffer: file });
  await page.getByLabel('校验文件（.sha256）').setInputFiles({ name: 'V001-S1-R01.kwr.sha256', mimeType: 'text/plain', buffer: Buffer.from(`${sha256}  V001-S1-R01.kwr\n`) });
  await page.getByRole('button', { name: '校验并导入' }).click();
  await expect(page.getByRole('status')).toHaveText('已接收：V001-S1-R01，考生 30 人，作答 0 条。回执已由省级签名。');

  // 30 minutes after the end: R02 has not arrived and is late
  await h.setClock(h.at(160), 0);
  await page.reload();
  await expect(roomRow('R01').getByText('已核验')).toBeVisible();
  await expect(roomRow('R02').getByText('超时未交')).toBeVisible();
  await expect(roomRow('R02').getByText('(已超时 10 分钟)')).toBeVisible();
  await expect(dashboard().getByTestId('count-late')).toHaveText('超时未交 1');
  await page.screenshot({ path: join(SCREENSHOTS, 'completeness-late-room.png'), fullPage: true });
});

test('a verified room opens to its manifest: who was absent, no incidents, the audit head', async () => {
  await roomRow('R01').getByRole('cell', { name: 'R01', exact: true }).click();
  const drawer = page.getByRole('dialog', { name: '考场数据包 V001-S1-R01' });
  await expect(drawer).toBeVisible();
  await expect(drawer.getByText('30 / 0')).toBeVisible();
  await expect(drawer.getByText(/^#\d+ [0-9a-f]{16}…$/)).toBeVisible();
  const r01 = h.candidates.filter((c) => c.roomCode === 'R01');
  for (const c of [r01[0], r01[29]]) await expect(drawer).toContainText(`${c.ticketNo} ${c.name}`);
  await expect(drawer.getByText('无异常记录')).toBeVisible();
});
