import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { LanguageProvider } from '@kaowu/ui';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeVenue, ID_NO, TICKET, casePaperFixture } from '../testing/fake-venue';
import { App } from './app';
import { QuestionNav } from './components/question-nav';
import { ExamChannel } from './exam-channel';
import { ExamSession } from './exam-session';

const hello = { protocol: 'kaowu.exam/1' as const, machineId: 'M-R01-03', roomCode: 'R01', seatNo: 3, attestation: 'kiosk-key' };
let session: ExamSession | undefined;
afterEach(() => session?.stop());

async function openPaper(venue = new FakeVenue()) {
  venue.paper = casePaperFixture;
  venue.phase = 'in_progress';
  venue.startsAt = new Date(Date.now() - 100 * 60_000).toISOString();
  session = new ExamSession(new ExamChannel(venue.socket), hello, { retryDelayMs: 20, textSaveDelayMs: 20, syncRounds: 2, submitDrainMs: 500 });
  render(
    <LanguageProvider>
      <App session={session} />
    </LanguageProvider>,
  );
  act(() => session?.start());
  fireEvent.change(await screen.findByLabelText('准考证号'), { target: { value: TICKET } });
  fireEvent.change(screen.getByLabelText('证件号码'), { target: { value: ID_NO } });
  fireEvent.click(screen.getByRole('button', { name: '登录' }));
  await screen.findByTestId('item-Q1');
  return venue;
}

const saveState = () => screen.getByTestId('save-state').textContent;

describe('case items (计算分析题)', () => {
  it('shows the material with its table above requirement tabs, and answers a journal entry', async () => {
    const venue = await openPaper();
    fireEvent.click(screen.getByTestId('nav-C1'));
    const item = screen.getByTestId('item-C1');
    const material = within(item).getByRole('region', { name: '资料区' });
    expect(within(material).getByText(/资料一：甲公司销售商品一批/)).toBeTruthy();
    expect(within(material).getByRole('columnheader', { name: '金额' })).toBeTruthy();
    const tabs = within(item).getAllByRole('tab');
    expect(tabs.map((t) => t.textContent)).toEqual(['要求(1)', '要求(2)', '要求(3)']);
    expect(tabs[0].getAttribute('aria-selected')).toBe('true');

    // 要求(1): a numeric field with its unit
    fireEvent.change(within(item).getByLabelText('销售收入'), { target: { value: '200' } });
    expect(within(item).getByText('万元')).toBeTruthy();

    // 要求(2) by the keyboard: → moves to the next tab
    fireEvent.keyDown(tabs[0], { key: 'ArrowRight' });
    expect(within(item).getByRole('tab', { name: /要求\(2\)/ }).getAttribute('aria-selected')).toBe('true');
    fireEvent.change(within(item).getByLabelText('第 1 行 会计科目'), { target: { value: '银行存款' } });
    fireEvent.change(within(item).getByLabelText('第 1 行 金额'), { target: { value: '226' } });
    fireEvent.change(within(item).getByLabelText('第 2 行 会计科目'), { target: { value: '主营业务收入' } });
    fireEvent.change(within(item).getByLabelText('第 2 行 金额'), { target: { value: '200' } });
    fireEvent.click(within(item).getByRole('button', { name: /添加一行/ }));
    fireEvent.change(within(item).getByLabelText('第 3 行 借/贷'), { target: { value: 'credit' } });
    fireEvent.change(within(item).getByLabelText('第 3 行 会计科目'), { target: { value: '应交税费——应交增值税（销项税额）' } });
    fireEvent.change(within(item).getByLabelText('第 3 行 金额'), { target: { value: '26' } });
    expect(within(item).getByTestId('journal-totals').textContent).toBe('借方合计 226.00　贷方合计 226.00 · 借贷平衡');

    await waitFor(() => expect(saveState()).toBe('已保存'));
    expect(venue.saves().at(-1)).toMatchObject({
      itemId: 'C1',
      value: {
        kind: 'case',
        parts: [
          { reqId: 'r1', answer: { kind: 'numeric', values: { revenue: '200' } } },
          {
            reqId: 'r2',
            answer: {
              kind: 'journal',
              rows: [
                { side: 'debit', account: '银行存款', amount: '226' },
                { side: 'credit', account: '主营业务收入', amount: '200' },
                { side: 'credit', account: '应交税费——应交增值税（销项税额）', amount: '26' },
              ],
            },
          },
        ],
      },
    });
    expect(screen.getByTestId('nav-C1').getAttribute('aria-label')).toBe('第 5 题，已作答');
  });

  it('flags a malformed amount in Chinese and does not send it', async () => {
    const venue = await openPaper();
    fireEvent.click(screen.getByTestId('nav-C1'));
    const item = screen.getByTestId('item-C1');
    fireEvent.click(within(item).getByRole('tab', { name: /要求\(2\)/ }));
    fireEvent.change(within(item).getByLabelText('第 1 行 金额'), { target: { value: '100' } });
    await waitFor(() => expect(venue.saves()).toHaveLength(1));
    const amount = within(item).getByLabelText('第 1 行 金额');
    fireEvent.change(amount, { target: { value: '100.255' } });
    expect(amount.getAttribute('aria-invalid')).toBe('true');
    expect(within(item).getByRole('alert').textContent).toMatch(/^金额格式不正确：请填写数字，最多两位小数/);
    await new Promise((r) => setTimeout(r, 60));
    expect(venue.saves()).toHaveLength(1);
    fireEvent.change(amount, { target: { value: '100.25' } });
    expect(within(item).queryByRole('alert')).toBeNull();
    await waitFor(() => expect(venue.saves()).toHaveLength(2));
    expect(venue.saves()[1].value).toMatchObject({ kind: 'case', parts: [{ reqId: 'r2', answer: { rows: [{ amount: '100.25' }, { amount: '' }] } }] });
  });

  it('marks a question for review (?) and the 交卷 dialog lists unanswered and marked numbers', async () => {
    await openPaper();
    fireEvent.click(screen.getByRole('button', { name: /^A 应收账款$/ }));
    fireEvent.click(screen.getByTestId('mark-toggle'));
    expect(screen.getByTestId('nav-Q1').getAttribute('aria-label')).toBe('第 1 题，已作答，已标记');
    expect(screen.getByTestId('nav-Q1').textContent).toBe('1?');
    fireEvent.click(screen.getByRole('button', { name: '交卷' }));
    const dialog = screen.getByRole('dialog');
    expect(within(dialog).getByText('本卷共 5 题，已作答 1 题，未作答 4 题。')).toBeTruthy();
    expect(within(dialog).getByText('未作答：第 2、3、4、5 题')).toBeTruthy();
    expect(within(dialog).getByText('您有 1 题标记为待查（?）：第 1 题')).toBeTruthy();
  });

  it('sends the candidate back when nothing is answered, and refuses before the minimum time', async () => {
    const venue = new FakeVenue();
    await openPaper(venue);
    fireEvent.click(screen.getByRole('button', { name: '交卷' }));
    expect(within(screen.getByRole('dialog')).getByRole('alert').textContent).toBe('您尚未作答任何试题，不能交卷，请返回继续作答。');
    expect(within(screen.getByRole('dialog')).queryByRole('button', { name: '确认交卷' })).toBeNull();
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: '返回' }));
    expect(screen.queryByRole('dialog')).toBeNull();

    // 90 minutes after a start 100 minutes ago is allowed; move the start to 30 minutes ago
    venue.startsAt = new Date(Date.now() - 30 * 60_000).toISOString();
    act(() => venue.socket.push('session:state', venue.session()));
    fireEvent.click(screen.getByRole('button', { name: /^A 应收账款$/ }));
    fireEvent.click(screen.getByRole('button', { name: '交卷' }));
    expect(within(screen.getByRole('dialog')).getByRole('alert').textContent).toBe('开考 90 分钟后方可交卷，还需约 60 分钟。');
    expect(venue.socket.sentOf('attempt:submit')).toHaveLength(0);
  });

  it('the calculator works from the keyboard and puts its result into the answer field used last', async () => {
    await openPaper();
    fireEvent.click(screen.getByTestId('nav-Q4'));
    const box = within(screen.getByTestId('item-Q4')).getByRole('textbox') as HTMLTextAreaElement;
    fireEvent.change(box, { target: { value: '收入=' } });
    box.focus();
    box.setSelectionRange(3, 3);
    fireEvent.click(screen.getByRole('button', { name: /计算器/ }));
    const calculator = screen.getByRole('complementary', { name: '计算器' });
    for (const key of ['0', '.', '1', '+', '0', '.', '2', 'Enter']) fireEvent.keyDown(calculator, { key });
    expect(within(calculator).getByTestId('calc-display').textContent).toBe('0.3');
    fireEvent.click(within(calculator).getByRole('button', { name: '填入答题框' }));
    expect(box.value).toBe('收入=0.3');
    fireEvent.keyDown(calculator, { key: 'Escape' });
    expect(within(calculator).getByTestId('calc-display').textContent).toBe('0');
    fireEvent.keyDown(calculator, { key: 'Escape' });
    expect(screen.queryByRole('complementary', { name: '计算器' })).toBeNull();
  });

  it('the symbol helper inserts at the caret and converts a selection to superscript', async () => {
    await openPaper();
    fireEvent.click(screen.getByTestId('nav-Q4'));
    const box = within(screen.getByTestId('item-Q4')).getByRole('textbox') as HTMLTextAreaElement;
    fireEvent.change(box, { target: { value: '(1+r)2' } });
    box.focus();
    box.setSelectionRange(5, 6);
    fireEvent.click(screen.getByRole('button', { name: /符号/ }));
    fireEvent.click(screen.getByRole('button', { name: /上标/ }));
    expect(box.value).toBe('(1+r)²');
    fireEvent.click(screen.getByRole('button', { name: '插入 ×' }));
    expect(box.value).toBe('(1+r)²×');
  });

  it('switches to English', async () => {
    await openPaper();
    fireEvent.click(screen.getByRole('button', { name: 'English' }));
    expect(screen.getByRole('button', { name: 'Hand in' })).toBeTruthy();
    expect(screen.getByRole('navigation', { name: 'Questions' })).toBeTruthy();
    expect(screen.getByText(/Calculation and analysis/)).toBeTruthy();
  });
});

describe('question list', () => {
  it('shows answered, unanswered (*) and marked (?) per item, grouped by type', () => {
    const items = casePaperFixture.items;
    let jumped = '';
    render(
      <LanguageProvider>
        <QuestionNav
          items={items}
          answers={{ Q1: { kind: 'choice', selected: ['A'] }, Q4: { kind: 'text', text: '  ' }, C1: { kind: 'case', parts: [{ reqId: 'r3', answer: { kind: 'table', rows: [['收入', '200']] } }] } }}
          unsavedItems={new Set(['C1'])}
          marked={new Set(['Q2', 'C1'])}
          currentId="Q1"
          onJump={(id) => (jumped = id)}
        />
      </LanguageProvider>,
    );
    const nav = screen.getByRole('navigation', { name: '题目列表' });
    expect(within(nav).getAllByRole('heading').map((h) => h.textContent)).toEqual(['一、单项选择题 共 1 题', '二、多项选择题 共 1 题', '三、判断题 共 1 题', '四、简答题 共 1 题', '五、计算分析题 共 1 题']);
    const label = (id: string) => screen.getByTestId(`nav-${id}`).getAttribute('aria-label');
    expect(label('Q1')).toBe('第 1 题，已作答');
    expect(label('Q2')).toBe('第 2 题，未作答，已标记');
    expect(label('Q4')).toBe('第 4 题，未作答'); // blanks only
    expect(label('C1')).toBe('第 5 题，已作答，已标记');
    expect(screen.getByTestId('nav-Q2').textContent).toBe('2*?');
    expect(screen.getByTestId('nav-C1').className).toContain('is-saving');
    expect(screen.getByTestId('nav-Q1').getAttribute('aria-current')).toBe('step');
    fireEvent.click(screen.getByTestId('nav-Q3'));
    expect(jumped).toBe('Q3');
  });
});
