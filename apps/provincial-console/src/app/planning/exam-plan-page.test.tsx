import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { formatDateTime } from '@kaowu/ui';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeServer, json, renderScreen } from '../console-test-kit';
import { ExamPlanPage } from './exam-plan-page';

const plan = {
  sittingCode: 'ZJ2026', name: '2026年度中级会计资格', minMinutesBeforeHandIn: 90, lateLoginCutoffMinutes: 30,
  subjects: [
    { subjectCode: 'ZJSW', subjectName: '中级会计实务', durationMinutes: 165 },
    { subjectCode: 'CWGL', subjectName: '财务管理', durationMinutes: 135 },
    { subjectCode: 'JJF', subjectName: '经济法', durationMinutes: 120 },
  ],
  batches: [{ batchCode: 'B1', name: '第1批次', date: '2026-09-05', subjects: [
    { subjectCode: 'ZJSW', startsAt: '2026-09-05T00:30:00.000Z' }, { subjectCode: 'CWGL', startsAt: '2026-09-05T05:30:00.000Z' }, { subjectCode: 'JJF', startsAt: '2026-09-05T10:00:00.000Z' },
  ] }],
};
const valueOf = (el: HTMLElement) => (el as HTMLInputElement).value;

afterEach(() => vi.unstubAllGlobals());

describe('考试计划', () => {
  it('shows the subjects in order with durations and the batch start times in Beijing time', async () => {
    fakeServer([['GET /api/v1/sittings/ZJ2026', () => json(plan)], ['GET /api/v1/ticket-printing', () => json([{ sittingCode: 'ZJ2026', name: plan.name, opensAt: '2026-08-20T02:00:00.000Z', open: false }])]]);
    renderScreen(<ExamPlanPage sittingCode="ZJ2026" canEdit onSaved={() => undefined} />);
    await waitFor(() => expect(valueOf(screen.getByLabelText('考试名称'))).toBe('2026年度中级会计资格'));
    expect(screen.getAllByLabelText('科目名称').map(valueOf)).toEqual(['中级会计实务', '财务管理', '经济法']);
    expect(screen.getAllByLabelText('考试时长（分钟）').map(valueOf)).toEqual(['165', '135', '120']);
    const batch = screen.getByTestId('batch-0');
    expect(valueOf(within(batch).getByLabelText('考试日期'))).toBe('2026-09-05');
    // the start-time labels follow the subject names (a watched field): they may need one more render
    await waitFor(() => expect(valueOf(within(batch).getByLabelText('经济法 开考'))).toBe('18:00'));
    expect(await screen.findByText(`将于 ${formatDateTime('2026-08-20T02:00:00.000Z')} 开放`)).toBeTruthy();
  });

  it('saves an edit and shows the server’s refusal on the field at fault', async () => {
    const calls = fakeServer([
      ['PUT /api/v1/sittings/ZJ2026', () => json({ code: 'VALIDATION_FAILED', field: 'batches.0.startTimes.1', message: '批次 B1：CWGL 在 ZJSW 结束前开考', messageEn: 'overlap' }, 400)],
      ['GET /api/v1/sittings/ZJ2026', () => json(plan)],
      ['GET /api/v1/ticket-printing', () => json([])],
    ]);
    renderScreen(<ExamPlanPage sittingCode="ZJ2026" canEdit onSaved={() => undefined} />);
    await waitFor(() => expect(screen.getAllByLabelText('科目名称')).toHaveLength(3));
    fireEvent.change(await within(screen.getByTestId('batch-0')).findByLabelText('财务管理 开考'), { target: { value: '10:00' } });
    fireEvent.click(screen.getByRole('button', { name: '保存' }));

    await waitFor(() => expect(screen.getAllByText('批次 B1：CWGL 在 ZJSW 结束前开考')).toHaveLength(2)); // the alert and the field
    const field = within(screen.getByTestId('batch-0')).getByLabelText('财务管理 开考').closest('.ant-form-item') as HTMLElement;
    expect(within(field).getByText('批次 B1：CWGL 在 ZJSW 结束前开考')).toBeTruthy();
    const put = calls.find((c) => c.call.startsWith('PUT'));
    expect(put?.body).toMatchObject({ name: plan.name, batches: [{ batchCode: 'B1', date: '2026-09-05', startTimes: ['08:30', '10:00', '18:00'] }], subjects: plan.subjects });
  });

  it('is read-only for a role that may not change the plan', async () => {
    fakeServer([['GET /api/v1/sittings/ZJ2026', () => json(plan)], ['GET /api/v1/ticket-printing', () => json([])]]);
    renderScreen(<ExamPlanPage sittingCode="ZJ2026" canEdit={false} onSaved={() => undefined} />);
    expect(await screen.findByText('当前账号只能查看考试计划。')).toBeTruthy();
    expect(screen.queryByRole('button', { name: '保存' })).toBeNull();
    await waitFor(() => expect((screen.getAllByLabelText('科目名称')[0] as HTMLInputElement).disabled).toBe(true));
  });
});
