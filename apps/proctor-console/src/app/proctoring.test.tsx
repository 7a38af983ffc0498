import type { RoomVerification, SeatStatus } from '@kaowu/contracts';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProctorRoom } from './proctor-room';
import { bootInRoom, roomPush, seat } from './test-support';

const zhang = { name: '张三', ticketNo: '202605160001' };
const seats: SeatStatus[] = [
  seat(1, 1, 1, { status: 'in_progress', attemptId: 'A1', answered: 12, candidate: zhang, identity: 'verified' }),
  seat(2, 1, 2, { status: 'in_progress', attemptId: 'A2', identity: 'mismatch', incidents: 1 }),
  seat(3, 1, 3, { status: 'absent', machineOnline: false }),
];
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGNgYGAAAAAEAAH2FzhVAAAAAElFTkSuQmCC';

let room: ProctorRoom | undefined;
afterEach(() => room?.stop());

async function boot() {
  const booted = await bootInRoom(roomPush(seats));
  room = booted.room;
  return booted.socket;
}

const openSeat = (no: number) => {
  fireEvent.click(screen.getByRole('button', { name: new RegExp(`^${no} 号座位：`) }));
  return within(screen.getByRole('dialog'));
};

const verification = (over: Partial<RoomVerification> = {}): RoomVerification => ({
  roomCode: 'R01',
  sessionId: 'S2026-1',
  expected: 3,
  loggedIn: 2,
  submitted: 1,
  ended: 1,
  absent: 1,
  rows: [],
  incidents: [],
  anomalies: [
    { anomalyId: 'zero_answers:202605160002', kind: 'zero_answers', ticketNo: '202605160002', candidateName: '考生2', seatNo: 2, detail: '考生已登录但未作答任何试题', acknowledged: null },
  ],
  canConfirm: false,
  confirmed: null,
  upload: null,
  ...over,
});

const step = (no: number, state: 'done' | 'due' | 'late' | 'upcoming', recordable: boolean, done: { by: string; at: string } | null = null) => ({
  no,
  text: `第${no}步的内容`,
  roles: ['proctor' as const],
  dueAt: '2026-09-09T01:50:00.000Z',
  state,
  recordable,
  done,
});

describe('identity, incidents and verification in the console', () => {
  it('考试流程: what is due now, who did what, and a button for a person\'s step', async () => {
    const socket = await boot();
    const recorded: unknown[] = [];
    let steps = [step(1, 'done', true, { by: 'proctor:R01', at: '2026-09-09T00:31:00.000Z' }), step(2, 'done', false, { by: 'system', at: '2026-09-09T00:32:00.000Z' }), step(9, 'late', true), step(14, 'upcoming', true)];
    const view = () => ({ ok: true, data: { roomCode: 'R01', sessionId: 'S2026-1', serverTime: new Date().toISOString(), steps } });
    socket.handlers['proctor:procedure'] = view;
    socket.handlers['proctor:record-step'] = (p: { stepNo: number }) => {
      recorded.push(p);
      steps = steps.map((s) => (s.no === p.stepNo ? { ...s, state: 'done' as const, done: { by: 'proctor:R01', at: '2026-09-09T01:55:00.000Z' } } : s));
      return view();
    };
    fireEvent.click(screen.getByText('考试流程'));
    expect((await screen.findByTestId('procedure-now')).textContent).toBe('现在应进行：第 9 步');
    expect(within(screen.getByTestId('step-2')).getByText(/系统确认 于/)).toBeTruthy();
    expect(within(screen.getByTestId('step-1')).queryByRole('button')).toBeNull();
    expect(within(screen.getByTestId('step-14')).getByText('未到时间')).toBeTruthy();
    fireEvent.click(within(screen.getByTestId('step-9')).getByRole('button', { name: '完成' }));
    await waitFor(() => expect(recorded).toEqual([{ stepNo: 9 }]));
    expect(await within(screen.getByTestId('step-9')).findByText('已完成')).toBeTruthy();
    expect(screen.getByTestId('procedure-now').textContent).toBe('当前没有待办步骤');
  });

  it('shows identity and incident flags on the tiles, and 人证不符 counts as 有异常', async () => {
    await boot();
    expect(within(screen.getByTestId('seat-1')).getByText('已核验')).toBeTruthy();
    expect(within(screen.getByTestId('seat-2')).getByText('人证不符')).toBeTruthy();
    expect(within(screen.getByTestId('seat-2')).getByText('记录 1')).toBeTruthy();
    expect(screen.getByText('有异常 1')).toBeTruthy();
  });

  it('身份核验: the registration photo beside the details; a mismatch cannot be sent without saying what differs', async () => {
    const socket = await boot();
    socket.handlers['proctor:candidate'] = () => ({
      ok: true,
      data: { ticketNo: zhang.ticketNo, name: '张三', gender: 'M', idNo: '520102199001011234', seatNo: 1, photo: { mediaType: 'image/png', data: PNG }, checks: [] },
    });
    const sent: unknown[] = [];
    socket.handlers['proctor:identity-check'] = (p: unknown) => {
      sent.push(p);
      return { ok: true, data: { ticketNo: zhang.ticketNo, result: 'mismatch', incident: null } };
    };
    const drawer = openSeat(1);
    fireEvent.click(drawer.getByRole('tab', { name: '身份核验' }));
    const photo = await drawer.findByRole('img', { name: '张三的报名照片' });
    expect(photo.getAttribute('src')).toBe(`data:image/png;base64,${PNG}`);
    expect(drawer.getByText('520102199001011234')).toBeTruthy();
    fireEvent.click(drawer.getByRole('radio', { name: '人证不符' }));
    fireEvent.click(drawer.getByRole('button', { name: '记录核验结果' }));
    expect(await drawer.findByText('人证不符时必须说明情况')).toBeTruthy();
    expect(sent).toHaveLength(0);
    fireEvent.change(drawer.getByLabelText('不符情况说明'), { target: { value: '照片与本人不符' } });
    fireEvent.click(drawer.getByRole('button', { name: '记录核验结果' }));
    await waitFor(() => expect(sent).toEqual([{ ticketNo: zhang.ticketNo, phase: 'recheck', result: 'mismatch', note: '照片与本人不符' }]));
  });

  it('核查: the confirm button stays disabled until every anomaly is acknowledged, with a note', async () => {
    const socket = await boot();
    let v = verification();
    const acks: unknown[] = [];
    socket.handlers['proctor:verification'] = () => ({ ok: true, data: v });
    socket.handlers['proctor:acknowledge-anomaly'] = (p: { anomalyId: string; note: string }) => {
      acks.push(p);
      v = verification({ canConfirm: true, anomalies: v.anomalies.map((a) => ({ ...a, acknowledged: { by: 'proctor:R01', at: new Date().toISOString(), note: p.note } })) });
      return { ok: true, data: v };
    };
    let confirmed = 0;
    socket.handlers['proctor:confirm-room'] = () => {
      confirmed++;
      v = {
        ...v,
        confirmed: { by: 'proctor:R01', at: '2026-09-09T04:10:00.000Z' },
        upload: {
          state: 'uploaded',
          packageId: 'RP-V001-R01-S1',
          sealedAt: '2026-09-09T04:00:01.000Z',
          deadlineAt: '2026-09-09T04:30:00.000Z',
          secondsToDeadline: 1200,
          atRisk: false,
          confirmedBytes: 4096,
          totalBytes: 4096,
          lastError: null,
          receipt: { packageId: 'RP-V001-R01-S1', manifestSha256: 'a'.repeat(64), attemptsImported: 3, receivedAt: '2026-09-09T04:00:03.000Z' },
        },
      };
      return { ok: true, data: v };
    };
    fireEvent.click(screen.getByText('核查'));
    expect((await screen.findByTestId('verification-state')).textContent).toContain('还有 1 项异常情况需要确认');
    expect(screen.getByTestId('upload-state').textContent).toBe('考场尚有考生作答，考试结束并核查确认后系统封存并上传考场数据');
    const submit = screen.getByRole('button', { name: '核查无误，提交' });
    expect((submit as HTMLButtonElement).disabled).toBe(true);

    const row = within(screen.getByTestId('anomaly-zero_answers:202605160002'));
    fireEvent.click(row.getByRole('button', { name: '确认' }));
    expect(await row.findByText('请填写核实情况')).toBeTruthy();
    fireEvent.change(row.getByLabelText('核实情况'), { target: { value: '考生确认交白卷，已签字' } });
    fireEvent.click(row.getByRole('button', { name: '确认' }));
    await waitFor(() => expect(acks).toEqual([{ anomalyId: 'zero_answers:202605160002', note: '考生确认交白卷，已签字' }]));
    await waitFor(() => expect((screen.getByRole('button', { name: '核查无误，提交' }) as HTMLButtonElement).disabled).toBe(false));

    fireEvent.click(screen.getByRole('button', { name: '核查无误，提交' }));
    act(() => fireEvent.click(screen.getByRole('button', { name: '确认' })));
    expect((await screen.findByTestId('verification-confirmed')).textContent).toContain('核查已确认：proctor:R01');
    expect(confirmed).toBe(1);
    expect(screen.getByTestId('upload-receipt').textContent).toMatch(/^省级回执：数据包 RP-V001-R01-S1，导入 3 名考生，签收时间 /);
  });
});
