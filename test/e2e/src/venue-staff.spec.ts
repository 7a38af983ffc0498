import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { proctorAccessCode, venueStaffCredential } from './support/proctor-client';
import { startHarness, WORKSPACE_ROOT, type E2eHarness } from './support/harness';

/**
 * The venue's staff by role in a real Chromium against the real venue server: the 技术负责人
 * checks the environment and runs the 压力测试 with its chart; a proctor asks for 补时 above the
 * threshold and the 主考 approves it from the venue overview, after which the candidate has the
 * minutes. One sitting, tests in order.
 */
test.describe.configure({ mode: 'serial' });

const DOCS_SCREENSHOTS = join(WORKSPACE_ROOT, 'docs', 'screenshots');

let h: E2eHarness;
let exam: Page;
let proctor: Page;
let chief: Page;
let technician: Page;

test.beforeAll(async ({ browser }, testInfo) => {
  testInfo.setTimeout(120_000);
  h = await startHarness({ durationMinutes: 120, candidates: 4 });
  mkdirSync(DOCS_SCREENSHOTS, { recursive: true });
  [exam, proctor, chief, technician] = await Promise.all([0, 1, 2, 3].map(async () => (await browser.newContext({ viewport: { width: 1280, height: 860 } })).newPage()));
});

test.afterAll(async () => {
  for (const page of [exam, proctor, chief, technician]) await page?.context().close();
  await h?.close();
});

async function signIn(page: Page, role: '主考' | '技术负责人', staffNo: string, accessCode: string) {
  await page.goto(`${h.venueUrl}/proctor/`);
  await page.locator('.role-switch').getByText(role, { exact: true }).click();
  await expect(page.getByRole('heading', { name: `${role}登录` })).toBeVisible();
  await page.getByLabel('工号').fill(staffNo);
  await page.getByLabel('登录口令').fill(accessCode);
  await page.getByLabel('登录口令').press('Enter');
}

test('the 技术负责人 signs in, reads the environment check and runs the 压力测试, watching its chart', async () => {
  await h.setClock(h.at(-60));
  const cred = await venueStaffCredential(h.api, 'technician');
  await signIn(technician, '技术负责人', cred.staffNo, 'wrong-code-123');
  await expect(technician.getByRole('alert')).toHaveText('工号或口令不正确');
  await technician.getByLabel('登录口令').fill(cred.accessCode);
  await technician.getByLabel('登录口令').press('Enter');
  await expect(technician.getByRole('heading', { name: '考点技术管理' })).toBeVisible();
  await expect(technician.getByTestId('signed-in')).toHaveText(cred.name === '技术负责人' ? `技术负责人（${cred.staffNo}）` : `技术负责人 ${cred.name}（${cred.staffNo}）`);
  // the test venue keeps its backup next to its data: the check says so, and 封场 waits
  await expect(technician.getByText('有检查项未通过，请按说明处理后重新检查')).toBeVisible();
  await expect(technician.getByText(/与数据盘在同一设备上/).first()).toBeVisible();

  await technician.getByRole('tab', { name: '考试包与试卷' }).click();
  await expect(technician.getByText('V001-S1')).toBeVisible();
  await expect(technician.getByText(/^加密中/)).toBeVisible();

  await technician.getByRole('tab', { name: '压力测试' }).click();
  // a light run: the suite's other tasks share this machine's two cores, and the p95 target is the venue's, not CI's
  await technician.getByLabel('模拟考试机（台）').fill('10');
  await technician.getByLabel('持续时间（秒）').fill('6');
  await technician.getByLabel('每台保存间隔（秒）').fill('1');
  await technician.getByRole('button', { name: '开始压力测试' }).click();
  await expect(technician.getByTestId('stress-status')).toHaveText('测试中');
  await expect(technician.getByTestId('stress-status')).toHaveText('通过', { timeout: 30_000 });
  await expect(technician.getByTestId('stress-chart').locator('polyline').first()).toHaveAttribute('points', /,/);
  await technician.screenshot({ path: join(DOCS_SCREENSHOTS, 'technician-stress-test.png'), fullPage: true });

  await technician.getByRole('tab', { name: '封场' }).click();
  await expect(technician.getByText('所有检查项通过后方可封场')).toBeVisible();
  await expect(technician.getByRole('button', { name: '确认封场' })).toBeDisabled();
});

test('a proctor asks for 补时 above the threshold; the 主考 approves it from the venue overview and the candidate gets the minutes', async () => {
  const me = h.candidates.find((c) => c.roomCode === 'R01' && c.seatNo === 1);
  if (!me) throw new Error('no candidate at R01 seat 1');
  await h.setClock(h.at(-20));
  await exam.goto(`${h.venueUrl}/?room=R01&seat=1&machine=M-R01-001&k=${encodeURIComponent(h.kioskKey)}`);
  await exam.getByLabel('准考证号').fill(me.ticketNo);
  await exam.getByLabel('证件号码').fill(me.idNo);
  await exam.getByRole('button', { name: '登录' }).click();
  await expect(exam.getByRole('heading', { name: '请核对您的身份信息' })).toBeVisible();
  await h.setClock(h.at(1));
  await expect(exam.getByTestId('item-S1')).toBeVisible({ timeout: 20_000 });

  await proctor.goto(`${h.venueUrl}/proctor/`);
  await proctor.getByLabel('考场号').fill('R01');
  await proctor.getByLabel('监考口令').fill(await proctorAccessCode(h.api, 'R01'));
  await proctor.getByLabel('监考口令').press('Enter');
  const seat = proctor.getByTestId('seat-1');
  await expect(seat.locator('.status')).toHaveText('答题中', { timeout: 5_000 });
  await seat.getByRole('button', { name: /^1 号座位：/ }).click();
  const drawer = proctor.locator('.seat-drawer');
  await expect(drawer.getByText('超过 10 分钟须经主考批准')).toBeVisible();
  await drawer.getByLabel('补时（分钟）').fill('20');
  await drawer.getByLabel('原因').fill('考点局部停电，本考生机器重启延误');
  await drawer.getByRole('button', { name: '补时…' }).click();
  await expect(proctor.getByText(`为${me.name}（准考证号 ${me.ticketNo}，1 号座位）申请补时 20 分钟（超过限额，须经主考批准后生效）`)).toBeVisible();
  await proctor.getByRole('button', { name: '确认', exact: true }).click();
  await expect(proctor.getByText(`已提交主考审批：${me.name} 补时 20 分钟`)).toBeVisible();
  await drawer.locator('.ant-drawer-close').click();
  await expect(proctor.getByTestId('extension-requests').getByText('待主考审批')).toBeVisible();
  await expect(seat.locator('.credited')).toHaveCount(0);

  const cred = await venueStaffCredential(h.api, 'chief');
  await signIn(chief, '主考', cred.staffNo, cred.accessCode);
  const approvals = chief.getByTestId('approvals');
  await expect(approvals.getByText(`R01 考场 1 号座位 ${me.name}：申请补时 20 分钟`)).toBeVisible();
  await expect(chief.locator('.rooms-table')).toContainText('第1考场（R01）');
  await chief.screenshot({ path: join(DOCS_SCREENSHOTS, 'chief-overview.png'), fullPage: true });
  await approvals.getByRole('button', { name: '批准' }).click();
  await chief.getByLabel('审批意见').fill('情况属实，同意补时');
  await chief.getByRole('button', { name: '确认', exact: true }).click();
  await expect(chief.getByText(`已批准：${me.name} 补时 20 分钟，已通知考试机`)).toBeVisible();
  await expect(approvals.getByText('暂无待审批的补时申请')).toBeVisible();

  // the proctors see the decision and the credited minutes; the candidate's screen is told
  await expect(proctor.getByTestId('extension-requests').getByText('主考已批准')).toBeVisible({ timeout: 5_000 });
  await expect(seat.locator('.credited')).toHaveText('已补时 20 分钟', { timeout: 5_000 });
  await expect(exam.getByTestId('time-notice')).toHaveText('监考员为您延长考试时间 20 分钟。', { timeout: 5_000 });

  // the chief opens the room from the overview: the same seat map, and back again
  await chief.getByRole('button', { name: '进入 R01' }).click();
  await expect(chief.getByTestId('seat-1').locator('.credited')).toHaveText('已补时 20 分钟');
  await chief.getByRole('button', { name: '返回考点总览' }).click();
  await expect(approvals).toBeVisible();
});

test('模拟测试 end to end: after the bell the technician sees every room sealed, uploaded and answered with the province receipt', async () => {
  await technician.getByRole('tab', { name: '模拟测试' }).click();
  const mock = technician.getByTestId('mock-exam');
  await expect(mock.getByText('1 名考生已登录')).toBeVisible({ timeout: 5_000 });
  await expect(mock.getByText(/^已解密/)).toBeVisible();
  // the candidate's 20 approved minutes end at T+140; then the room is sealed and uploaded
  await h.setClock(h.at(141));
  await expect(mock.getByText('1/1 个考场已取得回执')).toBeVisible({ timeout: 30_000 });
  await expect(mock.getByText(/^已签收/)).toBeVisible();
});
