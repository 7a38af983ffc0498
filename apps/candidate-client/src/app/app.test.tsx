import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { LanguageProvider } from '@kaowu/ui';
import { afterEach, describe, expect, it } from 'vitest';
import { ATTEMPT_ID, FakeVenue, ID_NO, PHOTO, TICKET, refuse } from '../testing/fake-venue';
import { App } from './app';
import { ExamChannel } from './exam-channel';
import { ExamSession, type ExamSessionOptions } from './exam-session';

const hello = { protocol: 'kaowu.exam/1' as const, machineId: 'M-R01-03', roomCode: 'R01', seatNo: 3, attestation: 'kiosk-key' };
let session: ExamSession | undefined;

afterEach(() => session?.stop());

function boot(venue = new FakeVenue(), options: ExamSessionOptions = {}) {
  session = new ExamSession(new ExamChannel(venue.socket), hello, { retryDelayMs: 20, textSaveDelayMs: 20, syncRounds: 2, submitDrainMs: 500, ...options });
  render(
    <LanguageProvider>
      <App session={session} />
    </LanguageProvider>,
  );
  act(() => session?.start());
  return venue;
}

async function logIn(ticketNo = TICKET, idNo = ID_NO) {
  fireEvent.change(await screen.findByLabelText('准考证号'), { target: { value: ticketNo } });
  fireEvent.change(screen.getByLabelText('证件号码'), { target: { value: idNo } });
  fireEvent.click(screen.getByRole('button', { name: '登录' }));
}

async function toPaper(venue: FakeVenue) {
  venue.phase = 'in_progress';
  boot(venue);
  await logIn();
  return screen.findByTestId('item-Q1');
}

const option = (name: RegExp) => screen.getByRole('button', { name });
const saveState = () => screen.getByTestId('save-state').textContent;

describe('candidate client', () => {
  it('greets the venue with the machine identity and waits for login at its seat', async () => {
    const venue = boot();
    expect(await screen.findByRole('heading', { name: '等待登录' })).toBeTruthy();
    expect(screen.getByText(/考场 R01 · 座位 3/)).toBeTruthy();
    expect(screen.getByTestId('connection').textContent).toBe('已连接');
    expect(venue.socket.sentOf('machine:hello')).toEqual([hello]);
    await waitFor(() => expect(venue.socket.sentOf('time:sync').length).toBe(2));
  });

  it('shows the server refusal of a wrong login and a format error before sending', async () => {
    const venue = boot();
    await logIn(TICKET, '110101199003070000');
    expect((await screen.findByRole('alert')).textContent).toBe('准考证号或证件号码错误');
    await logIn('12ab', ID_NO);
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('准考证号应为 8–20 位数字'));
    expect(venue.socket.sentOf('candidate:login')).toHaveLength(1);
  });

  it('after login shows identity, 重要提示 and the countdown to the start, then the paper once the exam starts', async () => {
    const venue = boot();
    await logIn();
    expect(await screen.findByText('张三')).toBeTruthy();
    expect(screen.getByText('男')).toBeTruthy();
    expect(screen.getByText('1101**********1234')).toBeTruthy();
    // the registration photo from the roster, next to the details
    expect(screen.getByRole('img', { name: '考生照片：张三' }).getAttribute('src')).toBe(`data:image/png;base64,${PHOTO.data}`);
    expect(screen.getByRole('heading', { name: '重要提示' })).toBeTruthy();
    expect(screen.getByTestId('starts-in').textContent).toMatch(/^00:(09|10):\d\d$/);
    expect(venue.socket.sentOf('paper:fetch')).toHaveLength(0);

    act(() => venue.start());
    const item = await screen.findByTestId('item-Q1');
    expect(venue.socket.sentOf('paper:fetch')).toEqual([{ attemptId: ATTEMPT_ID, leaseEpoch: 1 }]);
    expect(within(item).getByText('下列各项中，属于流动资产的是（）。')).toBeTruthy();
    expect(screen.getByText('中级会计实务')).toBeTruthy();
    expect(screen.getByTestId('remaining').textContent).toMatch(/^0[12]:\d\d:\d\d$/);
    // the question list groups by item type
    const nav = screen.getByRole('navigation', { name: '题目列表' });
    expect(within(nav).getByText(/单项选择题/)).toBeTruthy();
    expect(within(nav).getByText(/多项选择题/)).toBeTruthy();
    expect(within(nav).getByText(/判断题/)).toBeTruthy();
    expect(within(nav).getByText(/简答题/)).toBeTruthy();
  });

  it('saves each change with the next seq, shows 保存中… until the ack covers it, and clears a single choice on a second click', async () => {
    const venue = new FakeVenue();
    venue.ackedSeq = 4;
    for (let seq = 1; seq <= 4; seq++) venue.journal.set(seq, { attemptId: ATTEMPT_ID, leaseEpoch: 1, seq, itemId: 'Q9', value: { kind: 'choice', selected: [] } });
    await toPaper(venue);
    expect(saveState()).toBe('已保存');

    venue.holdSaves = true;
    fireEvent.click(option(/^A 应收账款$/));
    expect(option(/^A 应收账款$/).getAttribute('aria-pressed')).toBe('true');
    await waitFor(() => expect(saveState()).toBe('保存中…'));
    expect(screen.getByTestId('item-save-state').textContent).toBe('保存中…');
    expect(screen.getByRole('button', { name: '第 1 题，已作答' })).toBeTruthy();

    fireEvent.click(option(/^A 应收账款$/));
    expect(option(/^A 应收账款$/).getAttribute('aria-pressed')).toBe('false');
    expect(venue.saves().map((s) => [s.seq, s.value])).toEqual([
      [5, { kind: 'choice', selected: ['A'] }],
      [6, { kind: 'choice', selected: [] }],
    ]);
    act(() => venue.releaseSaves());
    await waitFor(() => expect(saveState()).toBe('已保存'));
    expect(screen.getByRole('button', { name: '第 1 题，未作答' })).toBeTruthy();
  });

  it('restores saved answers from the login ack and keeps numbering after lastAckedSeq', async () => {
    const venue = new FakeVenue();
    venue.ackedSeq = 2;
    venue.journal.set(1, { attemptId: ATTEMPT_ID, leaseEpoch: 1, seq: 1, itemId: 'Q2', value: { kind: 'choice', selected: ['A'] } });
    venue.journal.set(2, { attemptId: ATTEMPT_ID, leaseEpoch: 1, seq: 2, itemId: 'Q2', value: { kind: 'choice', selected: ['A', 'C'] } });
    venue.savedAnswers = [{ itemId: 'Q2', value: { kind: 'choice', selected: ['A', 'C'] }, seq: 2 }];
    await toPaper(venue);
    expect(screen.getByRole('button', { name: '第 2 题，已作答' })).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: '下一题' }));
    expect(option(/^C 运输途中的合理损耗$/).getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(option(/^B 入库前的挑选整理费$/));
    await waitFor(() => expect(venue.ackedSeq).toBe(3));
    expect(venue.saves()[0]).toMatchObject({ seq: 3, itemId: 'Q2', value: { kind: 'choice', selected: ['A', 'B', 'C'] } });
    await waitFor(() => expect(saveState()).toBe('已保存'));
  });

  it('keeps changes made while disconnected and resends every unacked one in order after reconnect', async () => {
    const venue = new FakeVenue();
    await toPaper(venue);
    venue.holdSaves = true;
    fireEvent.click(option(/^A 应收账款$/)); // seq 1: stored by the server, its ack lost with the link
    venue.dropSaves = true;
    fireEvent.click(option(/^B 固定资产$/)); // seq 2: lost on the way
    act(() => venue.socket.serverDisconnect());
    expect(screen.getByTestId('connection').textContent).toBe('连接中断');

    fireEvent.click(screen.getByTestId('nav-Q3'));
    fireEvent.click(option(/^B 错误$/)); // seq 3: made offline
    expect(saveState()).toBe('保存中…');
    expect(venue.saves().map((s) => s.seq)).toEqual([1, 2]);

    venue.holdSaves = false;
    venue.dropSaves = false;
    act(() => venue.socket.serverConnect());
    await waitFor(() => expect(saveState()).toBe('已保存'));
    expect(screen.getByTestId('connection').textContent).toBe('已连接');
    // re-attached with the same credentials; the login ack says seq 1 is durable, so 2 and 3 go again
    expect(venue.socket.sentOf('candidate:login')).toHaveLength(2);
    expect(venue.saves().map((s) => [s.seq, s.itemId, s.value])).toEqual([
      [1, 'Q1', { kind: 'choice', selected: ['A'] }],
      [2, 'Q1', { kind: 'choice', selected: ['B'] }],
      [2, 'Q1', { kind: 'choice', selected: ['B'] }],
      [3, 'Q3', { kind: 'choice', selected: ['B'] }],
    ]);
    expect(venue.ackedSeq).toBe(3);
  });

  it('reconnects by itself after the server closed the connection', async () => {
    const venue = new FakeVenue();
    await toPaper(venue);
    act(() => venue.socket.serverDisconnect('io server disconnect'));
    expect(screen.getByTestId('connection').textContent).toBe('连接中断');
    fireEvent.click(option(/^D 长期股权投资$/));
    await waitFor(() => expect(screen.getByTestId('connection').textContent).toBe('已连接'));
    await waitFor(() => expect(saveState()).toBe('已保存'));
    expect(venue.socket.sentOf('machine:hello')).toHaveLength(2);
    expect(venue.saves().map((s) => s.seq)).toEqual([1]);
  });

  it('saves a text answer once typing pauses', async () => {
    const venue = new FakeVenue();
    await toPaper(venue);
    fireEvent.click(screen.getByTestId('nav-Q4'));
    const box = within(screen.getByTestId('item-Q4')).getByRole('textbox');
    fireEvent.change(box, { target: { value: '与该存货有关的经济利益很可能流入企业' } });
    expect(saveState()).toBe('保存中…');
    expect(screen.getByText('18/500 字')).toBeTruthy();
    await waitFor(() => expect(saveState()).toBe('已保存'));
    expect(venue.saves()).toEqual([
      { attemptId: ATTEMPT_ID, leaseEpoch: 1, seq: 1, itemId: 'Q4', value: { kind: 'text', text: '与该存货有关的经济利益很可能流入企业' } },
    ]);
    expect(screen.getByRole('button', { name: '第 4 题，已作答' })).toBeTruthy();
  });

  it('can be answered from the keyboard', async () => {
    const venue = new FakeVenue();
    await toPaper(venue);
    fireEvent.keyDown(document.body, { key: 'c' });
    expect(option(/^C 无形资产$/).getAttribute('aria-pressed')).toBe('true');
    fireEvent.keyDown(document.body, { key: 'ArrowRight' });
    expect(await screen.findByTestId('item-Q2')).toBeTruthy();
    await waitFor(() => expect(venue.ackedSeq).toBe(1));
  });

  it('hands in after two confirmations, showing the unanswered count and HAND_IN_TOO_EARLY', async () => {
    const venue = new FakeVenue();
    venue.startsAt = new Date(Date.now() - 60_000).toISOString();
    venue.minMinutesBeforeHandIn = 0; // the client lets it through; the server still refuses below
    await toPaper(venue);
    fireEvent.click(option(/^A 应收账款$/));
    venue.submitReply = refuse('HAND_IN_TOO_EARLY', '开考 90 分钟后方可交卷', 'Not before 90 minutes');

    fireEvent.click(screen.getByRole('button', { name: '交卷' }));
    const dialog = screen.getByRole('dialog');
    expect(within(dialog).getByText('本卷共 4 题，已作答 1 题，未作答 3 题。')).toBeTruthy();
    expect(within(dialog).getByText('您还有 3 题未作答。')).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: '确认交卷' }));
    expect(venue.socket.sentOf('attempt:submit')).toHaveLength(0);
    fireEvent.click(within(dialog).getByRole('button', { name: '确定交卷' }));
    expect((await within(dialog).findByRole('alert')).textContent).toBe('开考 90 分钟后方可交卷');

    venue.submitReply = null;
    fireEvent.click(within(dialog).getByRole('button', { name: '确定交卷' }));
    expect(await screen.findByRole('heading', { name: '已交卷' })).toBeTruthy();
    // the title bar stops counting down and says so
    expect(screen.queryByRole('timer')).toBeNull();
    expect(screen.queryByText('剩余时间')).toBeNull();
    expect(screen.getByTestId('exam-over').textContent).toBe('已交卷');
    expect(venue.socket.sentOf('attempt:submit').at(-1)).toEqual({ attemptId: ATTEMPT_ID, leaseEpoch: 1 });
    expect(option(/^A 应收账款$/).hasAttribute('disabled')).toBe(true);
    expect(screen.getByRole('button', { name: '交卷' }).hasAttribute('disabled')).toBe(true);
  });

  it('ends the exam on an attempt:ended push (time up) and disables answering', async () => {
    const venue = new FakeVenue();
    await toPaper(venue);
    act(() => venue.socket.push('attempt:ended', { attemptId: ATTEMPT_ID, reason: 'time_up', endedAt: new Date().toISOString() }));
    expect(await screen.findByRole('heading', { name: '考试已结束' })).toBeTruthy();
    expect(screen.queryByRole('timer')).toBeNull();
    expect(screen.getByTestId('exam-over').textContent).toBe('考试已结束');
    fireEvent.click(option(/^B 固定资产$/));
    expect(option(/^B 固定资产$/).getAttribute('aria-pressed')).toBe('false');
    expect(venue.saves()).toHaveLength(0);
  });

  it('corrects the countdown from the serverTime of a session:state push when the server clock moved', async () => {
    const venue = new FakeVenue();
    await toPaper(venue);
    const remaining = () => screen.getByTestId('remaining').textContent ?? '';
    expect(remaining()).toMatch(/^0[12]:[05]\d:\d\d$/);
    const syncs = venue.socket.sentOf('time:sync').length;

    // within 2 s of the round-trip estimate: kept, no extra sync
    venue.clockAheadMs = 1_500;
    act(() => venue.socket.push('session:state', venue.session()));
    expect(venue.socket.sentOf('time:sync')).toHaveLength(syncs);

    // the server clock was set 30 minutes ahead: the next push shows it at once, then a sync refines it
    venue.clockAheadMs = 30 * 60_000;
    act(() => venue.socket.push('session:state', venue.session()));
    await waitFor(() => expect(remaining()).toMatch(/^01:(29|30):\d\d$/));
    await waitFor(() => expect(venue.socket.sentOf('time:sync').length).toBe(syncs + 2));
    expect(remaining()).toMatch(/^01:(29|30):\d\d$/);
  });

  it('syncs the clock again periodically while connected, and not while disconnected', async () => {
    const venue = new FakeVenue();
    boot(venue, { resyncMs: 40 });
    await screen.findByRole('heading', { name: '等待登录' });
    await waitFor(() => expect(venue.socket.sentOf('time:sync').length).toBeGreaterThanOrEqual(6));

    // a server clock change with no push in between is picked up by the next sync
    await logIn();
    await screen.findByTestId('starts-in');
    const startsIn = () => screen.getByTestId('starts-in').textContent ?? '';
    expect(startsIn()).toMatch(/^00:(09|10):\d\d$/);
    venue.clockAheadMs = 5 * 60_000;
    await waitFor(() => expect(startsIn()).toMatch(/^00:0[45]:\d\d$/));

    act(() => venue.socket.serverDisconnect());
    const syncs = venue.socket.sentOf('time:sync').length;
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(venue.socket.sentOf('time:sync')).toHaveLength(syncs);
  });

  it('ignores a malformed push', async () => {
    const venue = new FakeVenue();
    await toPaper(venue);
    act(() => venue.socket.push('attempt:ended', { attemptId: ATTEMPT_ID, reason: 'bored' }));
    expect(screen.queryByRole('heading', { name: '考试已结束' })).toBeNull();
  });
});
