import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { proctorAccessCode } from './support/proctor-client';
import { startHarness, WORKSPACE_ROOT, type E2eHarness } from './support/harness';
import type { RosterEntry } from './support/harness-protocol';

/**
 * The proctor console (antd) in a real Chromium against the real venue server: a proctor signs
 * in, sees the candidate logged in at seat 1 answering, grants 补时 with a reason, pauses and
 * resumes the whole room, and the candidate's screen follows; checks identity (人证不符 raises an
 * incident), broadcasts to the screen, and verifies the room at the end. One sitting, tests in order.
 */
test.describe.configure({ mode: 'serial' });

const DOCS_SCREENSHOTS = join(WORKSPACE_ROOT, 'docs', 'screenshots');

let h: E2eHarness;
let me: RosterEntry;
let exam: Page;
let proctor: Page;

test.beforeAll(async ({ browser }, testInfo) => {
  testInfo.setTimeout(120_000);
  // as at a real venue: a closed room waits up to 10 minutes for the proctors' 核查无误 before it is sealed
  h = await startHarness({ durationMinutes: 120, candidates: 4, confirmationGraceMinutes: 10 });
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
  // the confirmation has gone; the drawer closes from the keyboard (Esc). The confirmation hands the
  // focus back to the drawer a moment after it leaves the page, so the key is pressed until it closes.
  await expect(proctor.getByRole('button', { name: '确认', exact: true })).toHaveCount(0);
  await expect(async () => {
    await proctor.keyboard.press('Escape');
    await expect(drawer).toBeHidden({ timeout: 500 });
  }).toPass({ timeout: 10_000 });
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

test('身份核验 shows the registration photo; 人证不符 raises an incident on the seat; 广播 reaches the exam screen', async () => {
  const seat = proctor.getByTestId('seat-1');
  await seat.getByRole('button', { name: /^1 号座位：/ }).click();
  const drawer = proctor.locator('.seat-drawer');
  await drawer.getByRole('tab', { name: '身份核验' }).click();
  const photo = drawer.getByRole('img', { name: `${me.name}的报名照片` });
  await expect(photo).toBeVisible();
  expect(await photo.evaluate((el) => (el as unknown as { naturalWidth: number }).naturalWidth)).toBe(90);
  await expect(drawer.getByText(me.idNo)).toBeVisible();
  await drawer.locator('label.ant-radio-button-wrapper', { hasText: '人证不符' }).click();
  await expect(drawer.getByRole('radio', { name: '人证不符' })).toBeChecked();
  await drawer.getByLabel('不符情况说明').fill('本人与照片明显不符，已请主考复核');
  await drawer.getByRole('button', { name: '记录核验结果' }).click();
  await expect(proctor.getByText(`已记录：${me.name} 人证不符，已生成考场记录`)).toBeVisible();
  await expect(drawer.getByText('本人与照片明显不符，已请主考复核', { exact: false })).toBeVisible();
  await expect(seat.getByText('人证不符')).toBeVisible({ timeout: 5_000 });
  await expect(seat.getByText('记录 1')).toBeVisible();
  await drawer.locator('.ant-drawer-close').click();
  await expect(drawer).toBeHidden();

  await proctor.getByRole('button', { name: '广播', exact: true }).click();
  const dialog = proctor.getByRole('dialog', { name: '向本考场所有考试机广播' });
  await dialog.getByLabel('广播内容').fill('请考生保持安静，独立作答。');
  await dialog.getByRole('button', { name: '发送' }).click();
  await expect(proctor.getByText(/^已发送到 \d+ 台考试机$/)).toBeVisible();
  const notice = exam.getByTestId('room-message');
  await expect(notice).toContainText('请考生保持安静，独立作答。');
  await notice.getByRole('button', { name: '知道了' }).click();
  await expect(notice).toHaveCount(0);
});

test('考试流程: the start was seen by the system; 宣读考生须知 is recorded by the proctor', async () => {
  await proctor.getByText('考试流程', { exact: true }).click();
  await expect(proctor.getByTestId('step-11')).toContainText('已完成');
  await expect(proctor.getByTestId('step-11')).toContainText('系统确认');
  await expect(proctor.getByTestId('step-14')).toContainText('未到时间');
  const step9 = proctor.getByTestId('step-9');
  await step9.getByRole('button', { name: '完成' }).click();
  await expect(step9).toContainText('已完成');
  await expect(step9).toContainText('proctor:R01');
  await proctor.getByText('座位图', { exact: true }).click();
});

test('核查: the room cannot be confirmed until every anomaly is acknowledged', async () => {
  await h.setClock(h.at(135));
  await expect(exam.getByRole('heading', { name: '考试已结束' })).toBeVisible({ timeout: 15_000 });
  await proctor.getByText('核查', { exact: true }).click();
  const state = proctor.getByTestId('verification-state');
  await expect(state).toContainText(/还有 \d+ 项异常情况需要确认/);
  const submit = proctor.getByRole('button', { name: '核查无误，提交' });
  await expect(submit).toBeDisabled();
  await expect(proctor.getByText('缺考待确认').first()).toBeVisible();
  // nothing is sealed or uploaded before the confirmation (at the latest at close + 10 minutes)
  await expect(proctor.getByTestId('upload-state')).toContainText(/^核查无误并提交后即封存上传；未提交的，系统将于 \d\d:\d\d:\d\d 自动封存上传$/);
  await proctor.screenshot({ path: join(DOCS_SCREENSHOTS, 'proctor-verification.png'), fullPage: true });

  const acknowledge = proctor.getByRole('button', { name: '确认', exact: true });
  for (let left = await acknowledge.count(); left > 0; left = await acknowledge.count()) {
    const form = proctor.locator('.anomalies form').first();
    await form.getByLabel('核实情况').fill('已核实并记录于考场情况记录表');
    await form.getByRole('button', { name: '确认', exact: true }).click();
    await expect(acknowledge).toHaveCount(left - 1);
  }
  await expect(submit).toBeEnabled();
  await submit.click();
  await proctor.getByRole('dialog', { name: '提交核查结果' }).getByRole('button', { name: '确认', exact: true }).click();
  await expect(proctor.getByTestId('verification-confirmed')).toContainText('核查已确认：proctor:R01');
  // sealed at the end, uploaded, and the province's signed receipt is in
  await expect(proctor.getByTestId('upload-receipt')).toContainText(/^省级回执：数据包 \S+，导入 4 名考生/, { timeout: 30_000 });

  // the printable room report with the incidents and the signature lines
  const [download] = await Promise.all([proctor.waitForEvent('download'), proctor.getByRole('button', { name: '打印考场情况报告' }).click()]);
  expect(download.suggestedFilename()).toBe('考场情况报告-R01.pdf');
  const pdf = readFileSync((await download.path()) ?? '');
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
});
