import { LanguageProvider } from '@kaowu/ui';
import { App, ConfigProvider } from 'antd';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { IncidentReviewPage } from './incident-review-page';

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const ID = 'V01-B1-ZJSW-R01#11';
const incident = {
  incidentId: ID, sessionId: 'B1-ZJSW', subjectCode: 'ZJSW', subjectName: '中级会计实务', batchCode: 'B1', venueCode: 'V01', venueName: '贵州财经大学考点', roomCode: 'R01',
  packageId: 'V01-B1-ZJSW-R01', ticketNo: '2600000001', candidateName: '考生1', kind: 'violation', category: 'electronic_device', facts: '考试中使用手机查阅资料',
  evidence: '已拍照，手机已暂扣', recordedBy: 'proctor:R01', recordedAt: '2026-09-05T01:30:00.000Z', status: 'open', decision: null,
};
const decided = {
  ...incident, status: 'decided',
  decision: { revision: 1, decision: 'void_subject', basis: '《专业技术人员资格考试违纪违规行为处理规定》第五条', note: null, revisionReason: null, decidedBy: 'provincial-admin@localhost', decidedAt: '2026-09-08T02:00:00.000Z' },
};
const page = (rows: unknown[], open: number, done: number) => ({ total: rows.length, page: 1, pageSize: 20, counts: { open, decided: done }, incidents: rows });

function renderPage(canDecide: boolean) {
  render(
    <LanguageProvider>
      <ConfigProvider button={{ autoInsertSpace: false }}>
        <App>
          <IncidentReviewPage sittingCode="ZJ2026" canDecide={canDecide} />
        </App>
      </ConfigProvider>
    </LanguageProvider>,
  );
}

afterEach(() => vi.unstubAllGlobals());

describe('违规违纪处理', () => {
  it('lists the open incidents, shows a refusal on the field at fault, records a decision and then asks a reason to change it', async () => {
    let current: Record<string, unknown> = incident;
    const posted: unknown[] = [];
    const fetchMock = vi.fn(async (url: string, init?: RequestInit) => {
      if (url === '/api/v1/sittings/ZJ2026') return json({ sittingCode: 'ZJ2026', subjects: [{ subjectCode: 'ZJSW', subjectName: '中级会计实务' }, { subjectCode: 'JJF', subjectName: '经济法' }] });
      if (url.startsWith('/api/v1/sittings/ZJ2026/incidents?')) return json(page([current], current === incident ? 1 : 0, current === incident ? 0 : 1));
      if (init?.method === 'POST') {
        const body = JSON.parse(String(init.body));
        posted.push(body);
        if (!body.basis) return json({ code: 'VALIDATION_FAILED', field: 'basis', message: '处理决定数据格式不正确（字段 basis）：请填写处理依据', messageEn: 'basis required' }, 400);
        current = { ...decided, history: [decided.decision] };
        return json(current);
      }
      return json({ ...current, history: current === incident ? [] : [decided.decision] });
    });
    vi.stubGlobal('fetch', fetchMock);
    renderPage(true);

    const table = within(await screen.findByRole('table', { name: '违规违纪处理' }));
    const row = (await table.findByRole('cell', { name: '考生1' })).closest('tr') as HTMLElement;
    expect(within(row).getByText('违纪')).toBeTruthy();
    expect(within(row).getByText('待处理')).toBeTruthy();
    expect(screen.getByText('待处理 1')).toBeTruthy();
    expect(fetchMock.mock.calls.map((c) => c[0])).toContain('/api/v1/sittings/ZJ2026/incidents?page=1&pageSize=20&status=open');

    fireEvent.click(within(row).getByRole('button', { name: '处理 2600000001' }));
    const drawer = within(await screen.findByRole('dialog'));
    expect(await drawer.findByText('使用电子设备')).toBeTruthy();
    expect(drawer.getByText('已拍照，手机已暂扣')).toBeTruthy();
    expect(drawer.getByText('尚未处理')).toBeTruthy();

    // choose 该科目考试成绩无效 with the keyboard, submit without a basis: the refusal sits under the basis field
    const decision = drawer.getByRole('combobox', { name: '处理决定' });
    decision.focus();
    fireEvent.keyDown(decision, { key: 'ArrowDown', keyCode: 40 });
    fireEvent.keyDown(decision, { key: 'ArrowDown', keyCode: 40 });
    fireEvent.keyDown(decision, { key: 'Enter', keyCode: 13 });
    await waitFor(() => expect((drawer.getByRole('button', { name: '提交处理决定' }) as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(drawer.getByRole('button', { name: '提交处理决定' }));
    expect(await drawer.findByText('处理决定数据格式不正确（字段 basis）：请填写处理依据')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();

    fireEvent.change(drawer.getByRole('textbox', { name: '处理依据' }), { target: { value: '《专业技术人员资格考试违纪违规行为处理规定》第五条' } });
    fireEvent.click(drawer.getByRole('button', { name: '提交处理决定' }));
    expect(await drawer.findByText('第 1 次：该科目考试成绩无效')).toBeTruthy();
    expect(posted.at(-1)).toEqual({ decision: 'void_subject', basis: '《专业技术人员资格考试违纪违规行为处理规定》第五条', expectedRevision: 0 });
    // a decided incident offers the change only with a reason
    expect(drawer.getByRole('textbox', { name: '修改原因' })).toBeTruthy();
    await waitFor(() => expect(screen.getByText('已处理 1')).toBeTruthy());
  });

  it('shows an auditor the incident and its decisions, without the form', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) => {
        if (url === '/api/v1/sittings/ZJ2026') return json({ subjects: [] });
        if (url.includes('/incidents?')) return json(page([decided], 0, 1));
        return json({ ...decided, history: [decided.decision] });
      }),
    );
    renderPage(false);
    const table = within(await screen.findByRole('table', { name: '违规违纪处理' }));
    const row = (await table.findByRole('cell', { name: '考生1' })).closest('tr') as HTMLElement;
    expect(within(row).getByText('该科目考试成绩无效')).toBeTruthy();
    fireEvent.click(within(row).getByRole('button', { name: '查看 2600000001' }));
    const drawer = within(await screen.findByRole('dialog'));
    expect(await drawer.findByText('当前账号只能查看，不能作出处理决定')).toBeTruthy();
    expect(drawer.queryByRole('button', { name: '提交处理决定' })).toBeNull();
    expect(drawer.getByText('provincial-admin@localhost，2026/09/08 10:00:00')).toBeTruthy();
  });
});
