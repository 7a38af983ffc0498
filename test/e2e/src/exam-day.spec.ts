import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { startHarness, type E2eHarness } from './support/harness';
import type { RosterEntry } from './support/harness-protocol';
import { ServerMessageGate } from './support/socket-gate';
import { proctorAccessCode } from './support/proctor-client';

/**
 * One exam day in a real headless Chromium against the real venue and provincial servers:
 * a candidate at R01 seat 1 logs in, the paper opens on the server clock, answers are saved
 * and survive a reload, the proctor follows the room live, and time up ends the exam.
 * The tests share one sitting and run in order.
 */
test.describe.configure({ mode: 'serial' });

const DURATION_MINUTES = 120;
const SCREENSHOTS = join(__dirname, '..', 'screenshots');

let h: E2eHarness;
let me: RosterEntry;
let context: BrowserContext;
let exam: Page;
let gate: ServerMessageGate;
let proctor: Page;

const venueStatus = async () => (await (await fetch(`${h.venueUrl}/api/v1/status`)).json()) as { answerEvents: number; attempts: Record<string, number> };
const maskIdNo = (idNo: string) => idNo.slice(0, 4) + '*'.repeat(idNo.length - 8) + idNo.slice(-4);
/** "01:58:57" → seconds. */
const seconds = (hms: string) => hms.split(':').reduce((total, part) => total * 60 + Number(part), 0);

async function logIn(page: Page, ticketNo: string, idNo: string): Promise<void> {
  await page.getByLabel('准考证号').fill(ticketNo);
  await page.getByLabel('证件号码').fill(idNo);
  await page.getByRole('button', { name: '登录' }).click();
}

test.beforeAll(async ({ browser }, testInfo) => {
  testInfo.setTimeout(120_000);
  h = await startHarness({ durationMinutes: DURATION_MINUTES, candidates: 4 });
  const seat1 = h.candidates.find((c) => c.roomCode === 'R01' && c.seatNo === 1);
  if (!seat1) throw new Error('no candidate at R01 seat 1');
  me = seat1;
  mkdirSync(SCREENSHOTS, { recursive: true });
  context = await browser.newContext();
  exam = await context.newPage();
  gate = await ServerMessageGate.install(exam);
  proctor = await (await browser.newContext()).newPage();
});

test.afterAll(async () => {
  await context?.close();
  await proctor?.context().close();
  await h?.close();
});

test('a candidate logs in at the seat, the paper opens on the server clock, and a saved answer survives a reload', async () => {
  expect(h.database).toBe(process.env.DATABASE_URL ? 'postgres' : 'embedded');
  await h.setClock(h.at(-20));
  await exam.goto(`${h.venueUrl}/?room=R01&seat=1&machine=M-R01-001&k=${encodeURIComponent(h.kioskKey)}`);

  // 等待登录 at this seat
  await expect(exam.getByRole('heading', { name: '等待登录' })).toBeVisible();
  await expect(exam.getByText('考场 R01 · 座位 1')).toBeVisible();
  await expect(exam.getByTestId('connection')).toHaveText('已连接');
  await exam.screenshot({ path: join(SCREENSHOTS, 'candidate-login.png') });

  // a wrong ID number (well-formed: another candidate's) is refused by the venue, in Chinese
  const someoneElse = h.candidates.find((c) => c.idNo !== me.idNo);
  if (!someoneElse) throw new Error('need a second candidate');
  await logIn(exam, me.ticketNo, someoneElse.idNo);
  await expect(exam.getByRole('alert')).toHaveText(/^准考证号或证件号码(错误|不正确)/);
  await expect(exam.getByRole('heading', { name: '等待登录' })).toBeVisible();

  // the right one: identity confirmation, with the ID masked
  await logIn(exam, me.ticketNo, me.idNo);
  await expect(exam.getByRole('heading', { name: '请核对您的身份信息' })).toBeVisible();
  const card = exam.locator('.identity-card');
  await expect(card.getByText(me.name, { exact: true })).toBeVisible();
  await expect(card.getByText(maskIdNo(me.idNo), { exact: true })).toBeVisible();
  await expect(exam.getByText(me.idNo)).toHaveCount(0);
  // the registration photo travelled from the province in the sealed roster and is drawn
  const photo = exam.getByRole('img', { name: `考生照片：${me.name}` }).first();
  await expect(photo).toBeVisible();
  expect(await photo.evaluate((el) => (el as unknown as { naturalWidth: number }).naturalWidth)).toBe(90);
  await expect(exam.getByRole('heading', { name: '重要提示' })).toBeVisible();
  // 20 minutes to the start by the server's clock (the machine's own clock says another date)
  await expect(exam.getByTestId('starts-in')).toHaveText(/^00:(19|20):\d\d$/);
  await expect(exam.locator('[data-testid^="item-"]')).toHaveCount(0);
  await exam.screenshot({ path: join(SCREENSHOTS, 'candidate-identity.png') });

  // T0 + 1 min: the key is released, the paper opens by itself
  await h.setClock(h.at(1));
  const first = exam.getByTestId('item-S1');
  await expect(first).toBeVisible({ timeout: 20_000 });
  await expect(first.getByRole('heading', { name: '第 1 题' })).toBeVisible();
  await expect(first.getByText('（单选第1题）根据会计法律制度的规定，下列表述中正确的是（ ）。')).toBeVisible();
  await expect(exam.locator('.title-bar')).toContainText(`${me.name} · ${me.ticketNo}`);
  const nav = exam.getByRole('navigation', { name: '题目列表' });
  await expect(nav.getByRole('heading')).toHaveText([/^一、单项选择题\s*共 10 题$/, /^二、多项选择题\s*共 5 题$/, /^三、判断题\s*共 5 题$/]);
  await expect(nav.getByRole('button')).toHaveCount(20);
  await expect(exam.getByTestId('nav-S1')).toHaveAccessibleName('第 1 题，未作答');
  await expect(exam.getByTestId('save-state')).toHaveText('已保存');
  // the server clock moved 21 minutes since the last time sync: the session:state push that opened
  // the paper carries the server's time, so the countdown is right at once
  await expect(exam.getByTestId('remaining')).toHaveText(/^01:5[89]:\d\d$/);
  test.info().annotations.push({ type: 'remaining before reload', description: (await exam.getByTestId('remaining').textContent()) ?? '' });

  // choose B: 保存中… until the venue's ack arrives, 已保存 only after it
  const before = (await venueStatus()).answerEvents;
  const optionB = first.getByRole('button', { name: 'B 选项B的表述' });
  gate.hold();
  await optionB.click();
  await expect(optionB).toHaveAttribute('aria-pressed', 'true');
  await expect(exam.getByTestId('nav-S1')).toHaveAccessibleName('第 1 题，已作答');
  await expect(exam.getByTestId('save-state')).toHaveText('保存中…');
  await exam.waitForTimeout(700);
  await expect(exam.getByTestId('save-state')).toHaveText('保存中…');
  expect(gate.release()).toBeGreaterThan(0);
  await expect(exam.getByTestId('save-state')).toHaveText('已保存');
  await expect(first.getByTestId('item-save-state')).toHaveText('已保存');
  // durable at the venue
  expect((await venueStatus()).answerEvents).toBeGreaterThanOrEqual(Math.max(1, before + 1));

  // reload: log in again, the answer comes back from the server
  await exam.reload();
  await expect(exam.getByRole('heading', { name: '等待登录' })).toBeVisible();
  await logIn(exam, me.ticketNo, me.idNo);
  await expect(exam.getByTestId('item-S1')).toBeVisible({ timeout: 15_000 });
  await expect(exam.getByTestId('item-S1').getByRole('button', { name: 'B 选项B的表述' })).toHaveAttribute('aria-pressed', 'true');
  await expect(exam.getByTestId('item-S1').getByRole('button', { name: 'A 选项A的表述' })).toHaveAttribute('aria-pressed', 'false');
  await expect(exam.getByTestId('nav-S1')).toHaveAccessibleName('第 1 题，已作答');

  // the countdown runs on the server clock: T0 + 1 min (+ a few seconds) of a 120-minute exam
  const remaining = exam.getByTestId('remaining');
  await expect(remaining).toHaveText(/^01:5[89]:\d\d$/);
  const expected = (h.at(DURATION_MINUTES).getTime() - (await h.now()).getTime()) / 1000;
  expect(Math.abs(seconds((await remaining.textContent()) ?? '') - expected)).toBeLessThanOrEqual(3);
});

test('the proctor sees the candidate at the seat, answering, and the count follows each answer', async () => {
  const accessCode = await proctorAccessCode(h.api, 'R01');

  await proctor.goto(`${h.venueUrl}/proctor/`);
  await expect(proctor.getByRole('heading', { name: '进入考场' })).toBeVisible();
  await proctor.getByLabel('考场号').fill('R01');
  await proctor.getByLabel('监考口令').fill(`${accessCode}x`);
  await proctor.getByRole('button', { name: '进入考场' }).click();
  await expect(proctor.getByRole('alert')).toHaveText('考场号或监考口令不正确');
  await proctor.getByLabel('监考口令').fill(accessCode);
  await proctor.getByRole('button', { name: '进入考场' }).click();

  await expect(proctor.getByRole('heading', { name: /第1考场/ })).toBeVisible();
  await expect(proctor.getByTestId('phase')).toHaveText('考试中');
  const seat = proctor.getByTestId('seat-1');
  await expect(seat.locator('.name')).toHaveText(me.name);
  await expect(seat.locator('.ticket')).toHaveText(me.ticketNo);
  await expect(seat.locator('.status')).toHaveText('答题中');
  await expect(seat.locator('.progress')).toHaveText('作答 1/20');
  await expect(seat.getByRole('img', { name: '考试机在线' })).toBeVisible();
  await expect(proctor.getByLabel('已登录', { exact: true })).toHaveText('1');
  await expect(proctor.getByLabel('应到', { exact: true })).toHaveText('4');
  // the others have not logged in, their machines are off: an alarm; an empty seat is none
  await expect(proctor.getByTestId('seat-2').locator('.status')).toHaveText('未登录');
  await expect(proctor.getByTestId('seat-2').getByRole('img', { name: '考试机离线' })).toBeVisible();
  await expect(proctor.getByTestId('seat-5').locator('.status')).toHaveText('空座');
  await expect(proctor.getByTestId('seat-5').getByRole('img')).toHaveCount(0);

  // the candidate answers two more items (one by the keyboard); the seat map follows
  await exam.getByTestId('nav-M1').click();
  await exam.getByTestId('item-M1').getByRole('button', { name: 'A 选项A的表述' }).click();
  await exam.getByTestId('item-M1').getByRole('button', { name: 'C 选项C的表述' }).click();
  await expect(exam.getByTestId('save-state')).toHaveText('已保存');
  await expect(seat.locator('.progress')).toHaveText('作答 2/20', { timeout: 5_000 });
  await exam.getByTestId('nav-J1').click();
  await exam.keyboard.press('a');
  await expect(exam.getByTestId('item-J1').getByRole('button', { name: 'A 正确' })).toHaveAttribute('aria-pressed', 'true');
  await expect(seat.locator('.progress')).toHaveText('作答 3/20', { timeout: 5_000 });
  await expect(seat.locator('.last-save')).toHaveText(/^最后保存 \d\d:\d\d:\d\d$/);
});

test('screenshots of the exam screen and the seat map', async () => {
  await exam.getByTestId('nav-S2').click();
  await expect(exam.getByTestId('item-S2')).toBeVisible();
  await exam.screenshot({ path: join(SCREENSHOTS, 'candidate-exam.png') });
  await proctor.screenshot({ path: join(SCREENSHOTS, 'proctor-seat-map.png'), fullPage: true });
});

test('at the end of the exam time the candidate screen ends by itself, without any confirmation', async () => {
  await h.setClock(h.at(DURATION_MINUTES + 1));
  await expect(exam.getByRole('heading', { name: '考试已结束' })).toBeVisible({ timeout: 10_000 });
  await expect(exam.getByText('考试时间到，系统已自动交卷。请听从监考员指示离开考场。')).toBeVisible();
  await expect(exam.getByRole('dialog')).toHaveCount(0);
  // the title bar no longer counts down
  await expect(exam.getByTestId('exam-over')).toHaveText('考试已结束');
  await expect(exam.getByRole('timer')).toHaveCount(0);
  await expect(exam.getByRole('button', { name: '交卷' })).toBeDisabled();
  await expect(exam.getByTestId('item-S2').getByRole('button', { name: 'A 选项A的表述' })).toBeDisabled();
  // the proctor sees the attempt ended
  await expect(proctor.getByTestId('seat-1').locator('.status')).toHaveText('已结束', { timeout: 10_000 });
  await expect(proctor.getByLabel('已交卷', { exact: true })).toHaveText('1');
  await exam.screenshot({ path: join(SCREENSHOTS, 'candidate-ended.png') });
  // and every acknowledged answer is in the venue's journal
  expect((await venueStatus()).answerEvents).toBeGreaterThanOrEqual(3);
});
