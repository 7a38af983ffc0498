import { expect, test, type Page } from '@playwright/test';
import { ProctorEvent, type RoomSeatsPush } from '@kaowu/contracts';
import { startHarness, type E2eHarness } from './support/harness';
import type { RosterEntry } from './support/harness-protocol';
import { ProctorClient } from './support/proctor-client';
import { SocketLink } from './support/socket-link';

/**
 * Nothing is lost when things go wrong, in a real Chromium against the real servers: a plain
 * browser is refused (考试机认证); the network is cut for 60 s while the candidate keeps answering;
 * the page reloads with unacknowledged answers in the encrypted local queue; the venue server
 * restarts mid-exam; a proctor pauses and resumes the exam; and the exam ends by itself at time.
 * After each, every answer is checked in the venue's database. One sitting, tests in order.
 */
test.describe.configure({ mode: 'serial' });

const DURATION_MINUTES = 120;

let h: E2eHarness;
let me: RosterEntry;
let exam: Page;
let link: SocketLink;
let proctor: ProctorClient;

const choice = (...selected: string[]) => ({ kind: 'choice', selected });
const option = (itemId: string, name: string) => exam.getByTestId(`item-${itemId}`).getByRole('button', { name, exact: true });
const saved = (timeout = 10_000) => expect(exam.getByTestId('save-state')).toHaveText('已保存', { timeout });

async function logIn(): Promise<void> {
  await exam.getByLabel('准考证号').fill(me.ticketNo);
  await exam.getByLabel('证件号码').fill(me.idNo);
  await exam.getByRole('button', { name: '登录' }).click();
}

async function answer(itemId: string, ...keys: string[]): Promise<void> {
  // a banner coming or going (connection lost / back) can move the list under the pointer mid-click
  await expect(async () => {
    await exam.getByTestId(`nav-${itemId}`).click();
    await expect(exam.getByTestId(`item-${itemId}`)).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  for (const key of keys) await option(itemId, `${key} 选项${key}的表述`).click();
}

test.beforeAll(async ({ browser }, testInfo) => {
  testInfo.setTimeout(120_000);
  h = await startHarness({ durationMinutes: DURATION_MINUTES, candidates: 4 });
  const seat = h.candidates.find((c) => c.roomCode === 'R01' && c.seatNo === 3);
  if (!seat) throw new Error('no candidate at R01 seat 3');
  me = seat;
  exam = await (await browser.newContext()).newPage();
  link = await SocketLink.install(exam);
  proctor = (await ProctorClient.join(h.venueUrl, h.api, 'R01')).proctor;
});

test.afterAll(async () => {
  proctor?.close();
  await exam?.context().close();
  await h?.close();
});

test('a plain browser, or a kiosk with another configuration, is refused with the reason', async ({ browser }) => {
  await h.setClock(h.at(-10));
  const plain = await (await browser.newContext()).newPage();
  for (const k of ['', '&k=0f3a9c2e1b7d4a6f8e5c0b9a2d1e7f3c4b6a8d0e2f1c3b5a7d9e0f2a4c6b8d1e']) {
    await plain.goto(`${h.venueUrl}/?room=R01&seat=4&machine=M-R01-004${k}`);
    await expect(plain.getByRole('heading', { name: '本机未通过考点验证' })).toBeVisible();
    await expect(plain.getByRole('alert')).toHaveText('本机未通过考试机认证（不是本考点配置的考试机）。');
    await expect(plain.getByText('请使用考点配置的考试机（考试专用锁定浏览器）参加考试；普通浏览器或配置被更改的考试机不能进入考试。请举手示意监考员或机房管理员。')).toBeVisible();
    await expect(plain.getByLabel('准考证号')).toHaveCount(0);
  }
  await plain.context().close();
});

test('the network is cut for 60 s mid-exam; changes made offline are all at the venue after it comes back', async () => {
  test.setTimeout(150_000);
  await exam.goto(`${h.venueUrl}/?room=R01&seat=3&machine=M-R01-003&k=${encodeURIComponent(h.kioskKey)}`);
  await logIn();
  await expect(exam.getByRole('heading', { name: '请核对您的身份信息' })).toBeVisible();
  await h.setClock(h.at(1));
  await expect(exam.getByTestId('item-S1')).toBeVisible({ timeout: 20_000 });
  await answer('S1', 'A');
  await saved();

  await link.cut();
  await expect(exam.getByTestId('connection')).toHaveText('连接中断');
  await answer('S2', 'B');
  await answer('M1', 'A', 'C');
  await answer('S1', 'D');
  await expect(exam.getByTestId('save-state')).toHaveText('保存中…');
  await expect(exam.getByTestId('offline-banner')).toHaveText('与考点服务器的连接已中断，4 项修改已加密暂存在本机，恢复连接后自动保存。');
  await exam.waitForTimeout(60_000);
  // still offline, nothing lost from the screen
  await expect(exam.getByTestId('connection')).toHaveText('连接中断');
  await expect(exam.getByTestId('nav-M1')).toHaveAccessibleName('第 11 题，已作答');

  await link.restore();
  await expect(exam.getByTestId('connection')).toHaveText('已连接', { timeout: 15_000 });
  await saved(15_000);
  expect(await h.answersAtVenue(me.ticketNo)).toEqual({ S1: choice('D'), S2: choice('B'), M1: choice('A', 'C') });
});

test('a reload with unacknowledged answers keeps them in the encrypted local queue and saves them after the new login', async () => {
  link.dropSaves();
  await answer('S3', 'C');
  await answer('M2', 'B', 'D');
  await expect(exam.getByTestId('save-state')).toHaveText('保存中…');
  // the queue in IndexedDB holds sealed records only: no item id, no answer in clear
  // (a string: this project compiles without the DOM library)
  const readQueue = () =>
    exam.evaluate<string[]>(`new Promise((resolve, reject) => {
    const open = indexedDB.open('kaowu-answer-queue');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const all = open.result.transaction('events').objectStore('events').getAll();
      all.onsuccess = () => resolve(all.result.map((r) => r.seq + ':' + new TextDecoder().decode(r.data)));
    };
  })`);
  // the queue is written asynchronously (encrypt, then IndexedDB): wait until both changes are in it
  await expect.poll(async () => (await readQueue()).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
  const stored = await readQueue();
  expect(stored.length).toBeGreaterThanOrEqual(2);
  expect(stored.join('\n')).not.toMatch(/S3|M2|selected|choice/);

  await exam.reload();
  await link.restore();
  await expect(exam.getByRole('heading', { name: '等待登录' })).toBeVisible();
  await logIn();
  await expect(exam.getByTestId('item-S1')).toBeVisible({ timeout: 15_000 });
  await exam.getByTestId('nav-S3').click();
  await expect(option('S3', 'C 选项C的表述')).toHaveAttribute('aria-pressed', 'true');
  await saved(15_000);
  expect(await h.answersAtVenue(me.ticketNo)).toEqual({ S1: choice('D'), S2: choice('B'), M1: choice('A', 'C'), S3: choice('C'), M2: choice('B', 'D') });
});

test('the venue server restarts mid-exam; the screen reconnects by itself and a change made meanwhile is saved', async () => {
  test.setTimeout(120_000);
  const restarting = h.restartVenue();
  await expect(exam.getByTestId('connection')).toHaveText('连接中断', { timeout: 15_000 });
  await answer('S4', 'B');
  await restarting;
  await expect(exam.getByTestId('connection')).toHaveText('已连接', { timeout: 30_000 });
  await saved(30_000);
  expect(await h.answersAtVenue(me.ticketNo)).toMatchObject({ S3: choice('C'), S4: choice('B') });
  await answer('S5', 'A');
  await saved();
  expect(await h.answersAtVenue(me.ticketNo)).toMatchObject({ S5: choice('A') });
});

test('leaving the exam screen is reported to the proctor', async () => {
  const seatOf = (seats: RoomSeatsPush) => seats.seats.find((s) => s.seatNo === 3);
  const before = seatOf((await ProctorClient.join(h.venueUrl, h.api, 'R01')).seats)?.focusLosses ?? 0;
  // the window loses focus to something else and does not get it back within the 1 s grace
  await exam.evaluate("document.hasFocus = () => false; window.dispatchEvent(new Event('blur'))");
  await expect(exam.getByTestId('focus-warning')).toHaveText(/^检测到离开考试界面（\d+ 次），已报告监考员/);
  await expect
    .poll(async () => {
      const { proctor: p, seats } = await ProctorClient.join(h.venueUrl, h.api, 'R01');
      p.close();
      return seatOf(seats)?.focusLosses;
    })
    .toBe(before + 1);
  await exam.evaluate("delete document.hasFocus; window.dispatchEvent(new Event('focus'))");
});

test('a proctor pauses the exam: the screen is covered with the reason and a stopped clock; resuming gives the minutes back', async () => {
  const { proctor: p, seats } = await ProctorClient.join(h.venueUrl, h.api, 'R01');
  const attemptId = seats.seats.find((s) => s.seatNo === 3)?.attemptId;
  await p.request(ProctorEvent.pause, { attemptId, reason: '考试机需检查' });
  const overlay = exam.getByTestId('pause-overlay');
  await expect(overlay.getByRole('heading', { name: '考试暂停' })).toBeVisible();
  await expect(overlay).toContainText('暂停原因：考试机需检查');
  const frozen = await overlay.getByTestId('paused-remaining').textContent();
  await h.setClock(new Date((await h.now()).getTime() + 3 * 60_000));
  await exam.waitForTimeout(1_200);
  await expect(overlay.getByTestId('paused-remaining')).toHaveText(frozen ?? '');
  await expect(exam.getByTestId('remaining')).toHaveText(frozen ?? '');
  // nothing behind the overlay can be used
  await exam.keyboard.press('b');
  await expect(option('S5', 'B 选项B的表述')).toHaveAttribute('aria-pressed', 'false');

  await p.request(ProctorEvent.resume, { attemptId, reason: '检查完毕' });
  await expect(overlay).toHaveCount(0);
  await expect(exam.getByTestId('time-notice')).toHaveText(/^考试已恢复，已为您补回 [34] 分钟。$/);
  await option('S5', 'B 选项B的表述').click();
  await saved();
  p.close();
});

test('at the end of the (extended) time the exam ends by itself, and every answer is at the venue', async () => {
  await h.setClock(h.at(DURATION_MINUTES + 10));
  await expect(exam.getByRole('heading', { name: '考试已结束' })).toBeVisible({ timeout: 15_000 });
  await expect(exam.getByRole('dialog')).toHaveCount(0);
  await expect(exam.getByRole('button', { name: '交卷' })).toBeDisabled();
  expect(await h.answersAtVenue(me.ticketNo)).toEqual({
    S1: choice('D'),
    S2: choice('B'),
    M1: choice('A', 'C'),
    S3: choice('C'),
    M2: choice('B', 'D'),
    S4: choice('B'),
    S5: choice('B'),
  });
});
