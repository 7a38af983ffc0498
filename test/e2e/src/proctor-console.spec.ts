import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { proctorAccessCode } from './support/proctor-client';
import { startHarness, WORKSPACE_ROOT, type E2eHarness } from './support/harness';
import type { RosterEntry } from './support/harness-protocol';

/**
 * The proctor console (antd) in a real Chromium against the real venue server: a proctor signs
 * in, sees the candidate logged in at seat 1 answering, grants 补时 with a reason, pauses and
 * resumes the whole room, and the candidate's screen follows. One sitting, tests in order.
 */
test.describe.configure({ mode: 'serial' });

const DOCS_SCREENSHOTS = join(WORKSPACE_ROOT, 'docs', 'screenshots');

let h: E2eHarness;
let me: RosterEntry;
let exam: Page;
let proctor: Page;

test.beforeAll(async ({ browser }, testInfo) => {
  testInfo.setTimeout(120_000);
  h = await startHarness({ durationMinutes: 120, candidates: 4 });
  const seat1 = h.candidates.find((c) => c.roomCode === 'R01' && c.seatNo === 1);
  if (!seat1) throw new Error('no candidate at R01 seat 1');
  me = seat1;
  mkdirSync(DOCS_SCREENSHOTS, { recursive: true });
  exam = await (await browser.newContext()).newPage();
  proctor = await (await browser.newContext()).newPage();
});

test.afterAll(async () => {
  await exam?.context().close();
  await proctor?.context().close();
  await h?.close();
});

test('the proctor signs in and sees the candidate log in and start answering', async () => {
  await h.setClock(h.at(-20));
  const accessCode = await proctorAccessCode(h.api, 'R01');

  await proctor.goto(`${h.venueUrl}/proctor/`);
  await expect(proctor.getByRole('heading', { name: '进入考场' })).toBeVisible();
  await proctor.getByLabel('考场号').fill('R01');
  await proctor.getByLabel('监考口令').fill(accessCode);
  await proctor.getByLabel('监考口令').press('Enter');
  await expect(proctor.getByRole('heading', { name: /第1考场/ })).toBeVisible();
  const seat = proctor.getByTestId('seat-1');
  await expect(seat.locator('.status')).toHaveText('未登录');
  await expect(proctor.getByLabel('应到', { exact: true })).toHaveText('4');
  await expect(proctor.getByLabel('已登录', { exact: true })).toHaveText('0');

  // the candidate logs in at seat 1; the seat map follows without a reload
  await exam.goto(`${h.venueUrl}/?room=R01&seat=1&machine=M-R01-001&k=${encodeURIComponent(h.kioskKey)}`);
  await exam.getByLabel('准考证号').fill(me.ticketNo);
  await exam.getByLabel('证件号码').fill(me.idNo);
  await exam.getByRole('button', { name: '登录' }).click();
  await expect(exam.getByRole('heading', { name: '请核对您的身份信息' })).toBeVisible();
  await expect(seat.locator('.status')).toHaveText('已登录', { timeout: 5_000 });
  await expect(seat.locator('.name')).toHaveText(me.name);
  await expect(seat.locator('.ticket')).toHaveText(me.ticketNo);
  await expect(proctor.getByLabel('已登录', { exact: true })).toHaveText('1');

  // T0 + 1: the paper opens, the candidate is answering
  await h.setClock(h.at(1));
  await expect(exam.getByTestId('item-S1')).toBeVisible({ timeout: 20_000 });
  await expect(seat.locator('.status')).toHaveText('答题中', { timeout: 5_000 });
  await expect(proctor.getByLabel('答题中', { exact: true })).toHaveText('1');
  await expect(seat.getByRole('img', { name: '考试机在线' })).toBeVisible();
});

test('补时 from the keyboard: minutes, a required reason, a confirmation that names the candidate', async () => {
  const seat = proctor.getByTestId('seat-1');
  await seat.getByRole('button', { name: /^1 号座位：/ }).focus();
  await proctor.keyboard.press('Enter');
  const drawer = proctor.locator('.seat-drawer');
  await expect(drawer.getByText(`1 号座位 · ${me.name}`)).toBeVisible();
  await drawer.getByLabel('补时（分钟）').fill('5');
  await drawer.getByRole('button', { name: '补时…' }).click();
  await expect(drawer.getByText('请填写原因')).toBeVisible();

  await drawer.getByLabel('原因').fill('考试机故障，延误 5 分钟');
  await drawer.getByRole('button', { name: '补时…' }).click();
  await expect(proctor.getByText(`为${me.name}（准考证号 ${me.ticketNo}，1 号座位）补时 5 分钟`)).toBeVisible();
  await expect(proctor.getByText('原因：考试机故障，延误 5 分钟')).toBeVisible();
  await proctor.getByRole('button', { name: '确认', exact: true }).click();
  await expect(proctor.getByText(new RegExp(`^已为${me.name}补时 5 分钟，累计补时 5 分钟`))).toBeVisible();
  await expect(seat.locator('.credited')).toHaveText('已补时 5 分钟', { timeout: 5_000 });
  // the confirmation has gone; the drawer closes with its close button (focusable, Enter)
  await expect(proctor.getByRole('button', { name: '确认', exact: true })).toHaveCount(0);
  await drawer.locator('.ant-drawer-close').focus();
  await proctor.keyboard.press('Enter');
  await expect(drawer).toBeHidden();
});

test('全场暂停 covers the candidate screen; 全场恢复 gives the time back', async () => {
  const seat = proctor.getByTestId('seat-1');
  await proctor.getByRole('button', { name: '全场暂停', exact: true }).click();
  const dialog = proctor.getByRole('dialog', { name: /全场暂停/ });
  await dialog.getByLabel('原因').fill('考场停电');
  await dialog.getByRole('button', { name: '全场暂停…' }).click();
  await expect(proctor.getByText('暂停本考场所有正在作答的考生：考试计时停止，恢复时补回暂停的时间')).toBeVisible();
  await proctor.getByRole('button', { name: '确认', exact: true }).click();
  await expect(proctor.getByText('全场暂停：已暂停 1 名考生')).toBeVisible();
  await expect(seat.locator('.status')).toHaveText('暂停', { timeout: 5_000 });
  await expect(proctor.getByLabel('暂停', { exact: true })).toHaveText('1');
  await expect(exam.getByTestId('pause-overlay')).toContainText('暂停原因：考场停电');

  // the 有异常 filter now shows seat 1 and blanks the others
  await proctor.getByText(/^有异常 1$/).click();
  await expect(seat.locator('.name')).toHaveText(me.name);
  await expect(proctor.getByTestId('seat-2').locator('.status')).toHaveCount(0);
  await proctor.getByText('全部', { exact: true }).click();
  await expect(proctor.getByTestId('seat-2').locator('.status')).toHaveText('未登录');
  await proctor.screenshot({ path: join(DOCS_SCREENSHOTS, 'proctor-seat-map.png'), fullPage: true });

  await h.setClock(new Date((await h.now()).getTime() + 2 * 60_000));
  await proctor.getByRole('button', { name: '全场恢复', exact: true }).click();
  const resume = proctor.getByRole('dialog', { name: /全场恢复/ });
  await resume.getByLabel('原因').fill('恢复供电');
  await resume.getByRole('button', { name: '全场恢复…' }).click();
  await proctor.getByRole('button', { name: '确认', exact: true }).click();
  await expect(proctor.getByText('全场恢复：已恢复 1 名考生')).toBeVisible();
  await expect(seat.locator('.status')).toHaveText('答题中', { timeout: 5_000 });
  await expect(seat.locator('.credited')).toHaveText(/^已补时 [78] 分钟$/);
  await expect(exam.getByTestId('pause-overlay')).toHaveCount(0);
});
