import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { WORKSPACE_ROOT, startHarness, type E2eHarness } from './support/harness';
import type { RosterEntry } from './support/harness-protocol';

/**
 * Every item type of the accounting paper in a real Chromium against the real servers: 单选,
 * 多选, 判断, a 计算分析题 and a 综合题 (material, requirement tabs, numeric fields, a table and
 * journal entries), marking and navigating, the answers coming back from the venue after a
 * reload, and the 交卷 flow (too early, then two confirmations). Screenshots for the README
 * go to docs/screenshots/.
 */
test.describe.configure({ mode: 'serial' });

const DURATION_MINUTES = 120;
const SCREENSHOTS = join(WORKSPACE_ROOT, 'docs', 'screenshots');

let h: E2eHarness;
let me: RosterEntry;
let exam: Page;

const venueStatus = async () => (await (await fetch(`${h.venueUrl}/api/v1/status`)).json()) as { answerEvents: number };

async function logIn(page: Page): Promise<void> {
  await page.getByLabel('准考证号').fill(me.ticketNo);
  await page.getByLabel('证件号码').fill(me.idNo);
  await page.getByRole('button', { name: '登录' }).click();
}

async function journalRow(item: Locator, row: number, side: 'debit' | 'credit', account: string, amount: string): Promise<void> {
  await item.getByLabel(`第 ${row} 行 借/贷`).selectOption(side);
  await item.getByLabel(`第 ${row} 行 会计科目`).fill(account);
  await item.getByLabel(`第 ${row} 行 金额`).fill(amount);
}

const saved = () => expect(exam.getByTestId('save-state')).toHaveText('已保存', { timeout: 10_000 });

test.beforeAll(async ({ browser }, testInfo) => {
  testInfo.setTimeout(120_000);
  h = await startHarness({ durationMinutes: DURATION_MINUTES, candidates: 4, paper: 'accounting' });
  const seat = h.candidates.find((c) => c.roomCode === 'R01' && c.seatNo === 2);
  if (!seat) throw new Error('no candidate at R01 seat 2');
  me = seat;
  mkdirSync(SCREENSHOTS, { recursive: true });
  exam = await (await browser.newContext()).newPage();
});

test.afterAll(async () => {
  await exam?.context().close();
  await h?.close();
});

test('the paper lists every item type; choice items are answered, marked and navigated', async () => {
  await h.setClock(h.at(-10));
  await exam.goto(`${h.venueUrl}/?room=R01&seat=2&machine=M-R01-002&k=${encodeURIComponent(h.kioskKey)}`);
  await logIn(exam);
  await expect(exam.getByRole('heading', { name: '请核对您的身份信息' })).toBeVisible();
  await h.setClock(h.at(1));
  await expect(exam.getByTestId('item-S1')).toBeVisible({ timeout: 20_000 });

  const nav = exam.getByRole('navigation', { name: '题目列表' });
  await expect(nav.getByRole('heading')).toHaveText([/^一、单项选择题\s*共 10 题$/, /^二、多项选择题\s*共 5 题$/, /^三、判断题\s*共 5 题$/, /^四、计算分析题\s*共 1 题$/, /^五、综合题\s*共 1 题$/]);
  await expect(nav.getByRole('button')).toHaveCount(22);

  // 单选, 多选, 判断 (the last by the keyboard)
  await exam.getByTestId('item-S1').getByRole('button', { name: 'B 选项B的表述' }).click();
  await exam.getByTestId('nav-M1').click();
  await exam.getByTestId('item-M1').getByRole('button', { name: 'A 选项A的表述' }).click();
  await exam.getByTestId('item-M1').getByRole('button', { name: 'C 选项C的表述' }).click();
  await exam.getByTestId('nav-J1').click();
  await exam.keyboard.press('a');
  await expect(exam.getByTestId('item-J1').getByRole('button', { name: 'A 正确' })).toHaveAttribute('aria-pressed', 'true');
  await saved();

  // mark S3 for review (?), then previous / next
  await exam.getByTestId('nav-S3').click();
  await exam.getByTestId('item-S3').getByRole('button', { name: '标记本题' }).click();
  await expect(exam.getByTestId('nav-S3')).toHaveAccessibleName('第 3 题，未作答，已标记');
  await expect(exam.getByTestId('nav-S3')).toHaveText('3*?');
  await exam.getByRole('button', { name: '下一题' }).click();
  await expect(exam.getByTestId('item-S4')).toBeVisible();
  await exam.getByRole('button', { name: '上一题' }).click();
  await expect(exam.getByTestId('item-S3').getByRole('button', { name: '标记本题' })).toHaveAttribute('aria-pressed', 'true');

  // a type group collapses and opens again
  const single = nav.locator('details').first();
  await single.locator('summary').click();
  await expect(exam.getByTestId('nav-S1')).toBeHidden();
  await single.locator('summary').click();
  await expect(exam.getByTestId('nav-S1')).toBeVisible();
});

test('a 计算分析题: numeric fields and a journal entry, with the amount checked as money', async () => {
  await exam.getByTestId('nav-C1').click();
  const item = exam.getByTestId('item-C1');
  await expect(item.getByRole('heading', { name: '第 21 题' })).toBeVisible();
  const material = item.getByRole('region', { name: '资料区' });
  await expect(material).toContainText('资料一：2025年3月1日，甲公司向乙公司销售A产品一批');
  await expect(material.getByRole('table')).toContainText('期初库存');

  await item.getByRole('textbox', { name: '销售收入' }).fill('200');
  await item.getByRole('textbox', { name: '销售成本' }).fill('150');
  await item.getByRole('tab', { name: /要求\(2\)/ }).click();
  await journalRow(item, 1, 'debit', '银行存款', '226');
  await journalRow(item, 2, 'credit', '主营业务收入', '200.005');
  await expect(item.getByRole('alert')).toHaveText(/^金额格式不正确：请填写数字，最多两位小数/);
  await expect(item.getByLabel('第 2 行 金额')).toHaveAttribute('aria-invalid', 'true');
  await item.getByLabel('第 2 行 金额').fill('200');
  await expect(item.getByRole('alert')).toHaveCount(0);
  await item.getByRole('button', { name: /添加一行/ }).click();
  await journalRow(item, 3, 'credit', '应交税费——应交增值税（销项税额）', '26');
  await expect(item.getByTestId('journal-totals')).toHaveText('借方合计 226.00　贷方合计 226.00 · 借贷平衡');
  await expect(item.getByRole('tab', { name: /要求\(1\)/ })).toContainText('✓');
  await saved();
  await expect(exam.getByTestId('nav-C1')).toHaveAccessibleName('第 21 题，已作答');
});

test('a 综合题: journal entry, table and text; the material can be highlighted but not copied out', async () => {
  await exam.getByTestId('nav-Z1').click();
  const item = exam.getByTestId('item-Z1');
  const material = item.getByRole('region', { name: '资料区' });

  // highlight a paragraph of the material
  await material.locator('p').first().selectText();
  await material.getByRole('button', { name: '高亮选中文字' }).click();
  await expect(material.locator('mark:not([aria-hidden])')).toHaveText(/^资料一：2024年1月1日/);
  // copying out of the material is refused
  await material.locator('p').nth(1).selectText();
  await exam.keyboard.press('Control+C');
  await expect(exam.getByTestId('clipboard-note')).toHaveText('只能复制、剪切本人答题区内的内容。');

  await journalRow(item, 1, 'debit', '长期股权投资——投资成本', '3300');
  await journalRow(item, 2, 'credit', '银行存款', '3000');
  await item.getByRole('button', { name: /添加一行/ }).click();
  await journalRow(item, 3, 'credit', '营业外收入', '300');

  await item.getByRole('tab', { name: /要求\(2\)/ }).click();
  await item.getByLabel('第 1 行 项目').fill('初始投资成本');
  await item.getByLabel('第 1 行 金额（万元）').fill('3300');
  await item.getByRole('button', { name: /添加一行/ }).click();
  await item.getByLabel('第 2 行 项目').fill('按持股比例享有的净利润');
  await item.getByLabel('第 2 行 金额（万元）').fill('300');

  await item.getByRole('tab', { name: /要求\(3\)/ }).click();
  const reason = item.getByRole('textbox');
  await reason.click();
  await exam.keyboard.type('甲公司能够对乙公司施加重大影响');
  // the symbol helper writes at the caret
  await exam.getByRole('button', { name: /符号/ }).click();
  await exam.getByRole('button', { name: '插入 ≥' }).click();
  await exam.keyboard.type('20%');
  await expect(reason).toHaveValue('甲公司能够对乙公司施加重大影响≥20%');
  await saved();

  // the screen a candidate sees on a 综合题, journal entry and highlight in view
  await item.getByRole('tab', { name: /要求\(1\)/ }).click();
  await exam.getByRole('button', { name: /符号/ }).click();
  await expect(exam.getByTestId('clipboard-note')).toHaveCount(0, { timeout: 8_000 });
  await exam.setViewportSize({ width: 1440, height: 1000 });
  await exam.locator('.paper-area').evaluate((el) => el.scrollTo(0, 0));
  await exam.screenshot({ path: join(SCREENSHOTS, 'candidate-comprehensive.png') });
  await exam.setViewportSize({ width: 1366, height: 768 });
});

test('at 200% zoom (half the CSS pixels) every control stays reachable by the keyboard', async () => {
  await exam.setViewportSize({ width: 683, height: 384 });
  await exam.getByTestId('nav-C1').click();
  const item = exam.getByTestId('item-C1');
  await item.getByRole('tab', { name: /要求\(2\)/ }).click();
  const amount = item.getByLabel('第 3 行 金额');
  await amount.focus();
  await exam.keyboard.press('Tab');
  await expect(item.getByRole('button', { name: '删除第 3 行' })).toBeFocused();
  await expect(item.getByRole('button', { name: '删除第 3 行' })).toBeInViewport();
  await exam.getByRole('button', { name: '交卷' }).scrollIntoViewIfNeeded();
  await expect(exam.getByRole('button', { name: '交卷' })).toBeInViewport();
  await exam.screenshot({ path: test.info().outputPath('zoom-200.png') });
  await exam.setViewportSize({ width: 1366, height: 768 });
});

test('the venue holds every answer: after a reload they all come back from the server', async () => {
  expect((await venueStatus()).answerEvents).toBeGreaterThanOrEqual(5);
  await exam.reload();
  await logIn(exam);
  await expect(exam.getByTestId('item-S1')).toBeVisible({ timeout: 15_000 });
  await expect(exam.getByTestId('item-S1').getByRole('button', { name: 'B 选项B的表述' })).toHaveAttribute('aria-pressed', 'true');
  for (const id of ['S1', 'M1', 'J1', 'C1', 'Z1']) await expect(exam.getByTestId(`nav-${id}`)).toHaveAccessibleName(/已作答$/);

  await exam.getByTestId('nav-C1').click();
  const calc = exam.getByTestId('item-C1');
  await expect(calc.getByRole('textbox', { name: '销售收入' })).toHaveValue('200');
  await calc.getByRole('tab', { name: /要求\(2\)/ }).click();
  await expect(calc.getByLabel('第 3 行 会计科目')).toHaveValue('应交税费——应交增值税（销项税额）');
  await expect(calc.getByLabel('第 3 行 借/贷')).toHaveValue('credit');
  await expect(calc.getByLabel('第 3 行 金额')).toHaveValue('26');

  await exam.getByTestId('nav-Z1').click();
  const comp = exam.getByTestId('item-Z1');
  await expect(comp.getByLabel('第 1 行 会计科目')).toHaveValue('长期股权投资——投资成本');
  await comp.getByRole('tab', { name: /要求\(2\)/ }).click();
  await expect(comp.getByLabel('第 2 行 金额（万元）')).toHaveValue('300');
  await comp.getByRole('tab', { name: /要求\(3\)/ }).click();
  await expect(comp.getByRole('textbox')).toHaveValue('甲公司能够对乙公司施加重大影响≥20%');
});

test('交卷: refused before 90 minutes, then the counts, two confirmations and a locked paper', async () => {
  await exam.getByRole('button', { name: '交卷' }).click();
  const dialog = exam.getByRole('dialog');
  await expect(dialog.getByRole('alert')).toHaveText(/^开考 90 分钟后方可交卷，还需约 \d+ 分钟。$/);
  await dialog.getByRole('button', { name: '返回' }).click();
  await expect(dialog).toHaveCount(0);

  await h.setClock(h.at(95));
  await exam.getByTestId('nav-S3').click();
  await exam.getByTestId('item-S3').getByRole('button', { name: '标记本题' }).click();
  await exam.getByRole('button', { name: '交卷' }).click();
  await expect(dialog.getByRole('heading')).toHaveText('交卷确认');
  await expect(dialog).toContainText('本卷共 22 题，已作答 5 题，未作答 17 题。');
  await expect(dialog).toContainText('您还有 17 题未作答。');
  await expect(dialog).toContainText('您有 1 题标记为待查（?）：第 3 题');
  await exam.screenshot({ path: join(SCREENSHOTS, 'candidate-submit-confirm.png') });

  await dialog.getByRole('button', { name: '确认交卷' }).click();
  await expect(dialog.getByRole('heading')).toHaveText('再次确认');
  await dialog.getByRole('button', { name: '确定交卷' }).click();
  await expect(exam.getByRole('heading', { name: '已交卷' })).toBeVisible({ timeout: 10_000 });
  await expect(exam.getByTestId('exam-over')).toHaveText('已交卷');
  await expect(exam.getByRole('button', { name: '交卷' })).toBeDisabled();
  await exam.getByTestId('nav-Z1').click();
  await expect(exam.getByTestId('item-Z1').getByLabel('第 1 行 金额')).toBeDisabled();
});
