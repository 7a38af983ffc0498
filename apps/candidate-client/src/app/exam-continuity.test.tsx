import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { LanguageProvider } from '@kaowu/ui';
import { afterEach, describe, expect, it } from 'vitest';
import { ATTEMPT_ID, FakeVenue, ID_NO, TICKET, refuse } from '../testing/fake-venue';
import { App } from './app';
import { MemoryAnswerQueueStore } from './answer-queue-store';
import { ExamChannel } from './exam-channel';
import { ExamSession } from './exam-session';
import { errorText } from './messages';

/** Saving across a reload (the local queue), 考试暂停 / 恢复 / 补时, 离开考试界面, 考试机认证. */
const hello = { protocol: 'kaowu.exam/1' as const, machineId: 'M-R01-03', roomCode: 'R01', seatNo: 3, attestation: 'kiosk-key' };
let sessions: ExamSession[] = [];
afterEach(() => {
  for (const s of sessions) s.stop();
  sessions = [];
});

function boot(venue: FakeVenue, queue = new MemoryAnswerQueueStore(), attestation = hello.attestation) {
  const session = new ExamSession(new ExamChannel(venue.socket), { ...hello, attestation }, { retryDelayMs: 20, textSaveDelayMs: 20, syncRounds: 2, submitDrainMs: 300 }, queue);
  sessions.push(session);
  const view = render(
    <LanguageProvider>
      <App session={session} />
    </LanguageProvider>,
  );
  act(() => session.start());
  return { session, view };
}

async function logIn() {
  fireEvent.change(await screen.findByLabelText('准考证号'), { target: { value: TICKET } });
  fireEvent.change(screen.getByLabelText('证件号码'), { target: { value: ID_NO } });
  fireEvent.click(screen.getByRole('button', { name: '登录' }));
  return screen.findByTestId('item-Q1');
}

const option = (name: RegExp) => screen.getByRole('button', { name });
const saveState = () => screen.getByTestId('save-state').textContent;
const timePush = (change: 'paused' | 'resumed' | 'extended', minutes: number, endsAt: string, pausedAt: string | null, reason: string) => ({
  attemptId: ATTEMPT_ID,
  change,
  minutes,
  creditedMinutes: minutes,
  endsAt,
  pausedAt,
  reason,
});

describe('saving across a reload', () => {
  it('keeps unacknowledged changes in the local queue and resends them after a reload and a new login', async () => {
    const venue = new FakeVenue();
    venue.phase = 'in_progress';
    const queue = new MemoryAnswerQueueStore();
    const first = boot(venue, queue);
    await logIn();
    fireEvent.click(option(/^A 应收账款$/)); // seq 1: acked
    await waitFor(() => expect(saveState()).toBe('已保存'));
    venue.dropSaves = true;
    fireEvent.click(option(/^B 固定资产$/)); // seq 2: never reaches the venue
    fireEvent.click(screen.getByTestId('nav-Q3'));
    fireEvent.click(option(/^B 错误$/)); // seq 3: never reaches the venue
    act(() => venue.socket.serverDisconnect());
    expect(screen.getByTestId('offline-banner').textContent).toBe('与考点服务器的连接已中断，2 项修改已加密暂存在本机，恢复连接后自动保存。');
    await first.session.whenPersisted();
    expect((await queue.load(ATTEMPT_ID)).map((e) => e.seq)).toEqual([2, 3]);

    // the page reloads: a new session on the same machine (same queue), the venue knows seq 1 only
    first.session.stop();
    first.view.unmount();
    venue.dropSaves = false;
    venue.savedAnswers = [{ itemId: 'Q1', value: { kind: 'choice', selected: ['A'] }, seq: 1 }];
    boot(venue, queue);
    await logIn();
    await waitFor(() => expect(saveState()).toBe('已保存'));
    expect(venue.ackedSeq).toBe(3);
    expect([...venue.journal.values()].map((s) => [s.seq, s.itemId, s.value])).toEqual([
      [1, 'Q1', { kind: 'choice', selected: ['A'] }],
      [2, 'Q1', { kind: 'choice', selected: ['B'] }],
      [3, 'Q3', { kind: 'choice', selected: ['B'] }],
    ]);
    expect(option(/^B 固定资产$/).getAttribute('aria-pressed')).toBe('true');
    await sessions[1].whenPersisted();
    expect(await queue.load(ATTEMPT_ID)).toEqual([]);
  });
});

describe('考试暂停 / 恢复 / 补时', () => {
  it('covers the screen while paused with the reason and a stopped clock, blocks answers, then shows the minutes given back', async () => {
    const venue = new FakeVenue();
    venue.phase = 'in_progress';
    boot(venue);
    await logIn();
    const pausedAt = new Date(venue.now()).toISOString();
    act(() => venue.socket.push('attempt:time', timePush('paused', 0, venue.endsAt, pausedAt, '考场停电')));
    const overlay = await screen.findByTestId('pause-overlay');
    expect(within(overlay).getByRole('heading', { name: '考试暂停' })).toBeTruthy();
    expect(within(overlay).getByText('暂停原因：考场停电')).toBeTruthy();
    const frozen = within(overlay).getByTestId('paused-remaining').textContent;
    expect(frozen).toMatch(/^0[12]:\d\d:\d\d$/);
    await new Promise((r) => setTimeout(r, 1100));
    expect(within(overlay).getByTestId('paused-remaining').textContent).toBe(frozen);
    // answers are blocked (a click that got through changes nothing)
    fireEvent.click(option(/^A 应收账款$/));
    expect(option(/^A 应收账款$/).getAttribute('aria-pressed')).toBe('false');
    expect(venue.saves()).toHaveLength(0);
    expect(screen.getByRole('button', { name: '交卷' }).hasAttribute('disabled')).toBe(true);

    const endsAt = new Date(Date.parse(venue.endsAt) + 5 * 60_000).toISOString();
    act(() => venue.socket.push('attempt:time', timePush('resumed', 5, endsAt, null, '恢复供电')));
    await waitFor(() => expect(screen.queryByTestId('pause-overlay')).toBeNull());
    expect(screen.getByTestId('time-notice').textContent).toBe('考试已恢复，已为您补回 5 分钟。');
    fireEvent.click(option(/^A 应收账款$/));
    await waitFor(() => expect(venue.ackedSeq).toBe(1));
  });

  it('knows a pause from the login ack, and words EXAM_PAUSED itself', async () => {
    const venue = new FakeVenue();
    venue.phase = 'in_progress';
    const session = venue.session();
    venue.session = () => ({ ...session, pausedAt: new Date().toISOString() });
    boot(venue);
    await logIn();
    expect(await screen.findByTestId('pause-overlay')).toBeTruthy();
    expect(screen.getByTestId('pause-overlay').textContent).not.toContain('暂停原因');
    const paused = { code: 'EXAM_PAUSED', message: '考试已暂停', messageEn: 'paused' };
    expect(errorText(paused, 'zh-CN')).toBe('考试已暂停，恢复后方可交卷。');
    expect(errorText(paused, 'en')).toBe('The exam is paused; hand in after it resumes.');
  });

  it('moves the end on 补时 without pausing', async () => {
    const venue = new FakeVenue();
    venue.phase = 'in_progress';
    boot(venue);
    await logIn();
    const endsAt = new Date(Date.parse(venue.endsAt) + 60 * 60_000).toISOString();
    act(() => venue.socket.push('attempt:time', timePush('extended', 60, endsAt, null, '考试机故障')));
    await waitFor(() => expect(screen.getByTestId('remaining').textContent).toMatch(/^0[23]:\d\d:\d\d$/));
    expect(screen.getByTestId('time-notice').textContent).toBe('监考员为您延长考试时间 60 分钟。');
    expect(screen.queryByTestId('pause-overlay')).toBeNull();
  });
});

describe('广播 from the proctor', () => {
  it('shows the message over the paper until the candidate dismisses it; a malformed push is ignored', async () => {
    const venue = new FakeVenue();
    venue.phase = 'in_progress';
    boot(venue);
    await logIn();
    await screen.findByTestId('item-Q1');
    act(() => venue.socket.push('room:message', { roomCode: 'R01', message: '请考生保持安静，独立作答。', at: '2026-09-09T02:30:00.000Z' }));
    act(() => venue.socket.push('room:message', { roomCode: 'R01', text: 'not our shape' }));
    const notice = await screen.findByTestId('room-message');
    expect(notice.textContent).toBe('监考员通知请考生保持安静，独立作答。知道了');
    expect(screen.getAllByTestId('room-message')).toHaveLength(1);
    act(() => within(notice).getByRole('button', { name: '知道了' }).click());
    expect(screen.queryByTestId('room-message')).toBeNull();
  });
});

describe('离开考试界面 and 考试机认证', () => {
  it('reports each focus loss to the venue, and those seen offline once reconnected', async () => {
    const venue = new FakeVenue();
    venue.phase = 'in_progress';
    const reports: unknown[] = [];
    venue.socket.handlers['machine:focus'] = (p: never) => {
      reports.push(p);
      return { ok: true, data: { attemptId: ATTEMPT_ID, focusLosses: reports.length } };
    };
    const { session } = boot(venue);
    await logIn();
    act(() => session.reportFocusLoss('blur'));
    await waitFor(() => expect(reports).toHaveLength(1));
    expect(reports[0]).toMatchObject({ attemptId: ATTEMPT_ID, leaseEpoch: 1, kind: 'blur' });
    expect(screen.getByTestId('focus-warning').textContent).toContain('（1 次）');

    act(() => venue.socket.serverDisconnect());
    act(() => session.reportFocusLoss('hidden'));
    expect(reports).toHaveLength(1);
    act(() => venue.socket.serverConnect());
    await waitFor(() => expect(reports).toHaveLength(2));
    expect(reports[1]).toMatchObject({ kind: 'hidden' });
  });

  it('shows why a plain browser is refused (MACHINE_NOT_ATTESTED)', async () => {
    const venue = new FakeVenue();
    venue.socket.handlers['machine:hello'] = () => refuse('MACHINE_NOT_ATTESTED', '本机不是本考点配置的考试机', 'not a venue kiosk');
    boot(venue, undefined, '');
    expect(await screen.findByRole('heading', { name: '本机未通过考点验证' })).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toBe('本机未通过考试机认证（不是本考点配置的考试机）。');
    expect(screen.getByText(/普通浏览器或配置被更改的考试机不能进入考试/)).toBeTruthy();
    expect(venue.socket.sentOf('machine:hello')[0]).toMatchObject({ attestation: '' });
  });
});
