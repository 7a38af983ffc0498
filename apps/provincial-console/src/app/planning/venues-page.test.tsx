import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeServer, json, renderScreen } from '../console-test-kit';
import { VenuesPage } from './venues-page';

const room = (roomCode: string, proctorsAssigned: number | null, staffing: string) => ({
  roomCode, name: `第${roomCode.slice(1)}考场`, rows: 6, cols: 7, seats: 42, spareMachines: 3, allocatable: 39, spareRoom: false, proctorsAssigned,
  candidates: 39, proctorsRequired: { min: 2, max: 2 }, staffing,
});
const venue = {
  venueCode: 'V01', name: '贵州财经大学考点', regionCode: '520100', regionName: '贵阳市', address: '贵阳市花溪区', spareRoomCode: 'R03',
  technicalContacts: [{ name: '王工', phone: '13800000001', role: 'technician' }], keyRegistered: true, keyId: 'venue-V01', keyFingerprint: '3F2A 91C0 77DE 0B14 A9E2',
  managementMachines: { perRoom: 2, spare: 1, total: 3 }, rooms: [room('R01', 2, 'ok'), room('R02', 1, 'PROCTORS_TOO_FEW')],
};

afterEach(() => vi.unstubAllGlobals());

describe('考点与考场', () => {
  it('shows each venue’s rooms, spares, management machines, key and staffing, and exports the list', async () => {
    const calls = fakeServer([
      ['GET /api/v1/regions', () => json([{ regionCode: '520100', name: '贵阳市' }])],
      ['GET /api/v1/venues.xlsx', () => new Response('xlsx', { headers: { 'content-disposition': "attachment; filename*=UTF-8''%E8%80%83%E7%82%B9%E4%B8%8E%E8%80%83%E5%9C%BA.xlsx" } })],
      ['GET /api/v1/venues', () => json([venue])],
    ]);
    const created: string[] = [];
    // jsdom has no object URLs: the download's blob is counted instead
    URL.createObjectURL = () => (created.push('blob'), 'blob:x');
    URL.revokeObjectURL = () => undefined;
    renderScreen(<VenuesPage sittingCode="ZJ2026" regionCode={null} />);

    const row = (await screen.findByText('贵州财经大学考点（V01）')).closest('tr') as HTMLElement;
    const cells = within(row).getAllByRole('cell').map((c) => c.textContent);
    expect(cells).toEqual(expect.arrayContaining(['贵阳市', '贵阳市花溪区', '2', '84', '6', 'R03', '3 台（每考场 1 台，备用 1 台）', 'R02 监考员不足', '已登记3F2A 91C0 77DE 0B14 A9E2', '技术负责人 王工 13800000001']));
    // the key fingerprint, to read aloud with the venue's technician
    expect(within(row).getByText('3F2A 91C0 77DE 0B14 A9E2').closest('[title]')?.getAttribute('title')).toContain('电话核对');
    fireEvent.click(within(row).getAllByRole('button')[0]); // expand the rooms
    const rooms = await screen.findByRole('table', { name: '贵州财经大学考点 考场' });
    const r02 = within(rooms).getByText('第02考场（R02）').closest('tr') as HTMLElement;
    expect(within(r02).getAllByRole('cell').map((c) => c.textContent)).toEqual(['第02考场（R02）', '6 行 × 7 列', '42', '3', '39', '—', '39', '2–2 / 1', '监考员不足']);

    fireEvent.click(screen.getByRole('button', { name: '导出 Excel' }));
    await waitFor(() => expect(created).toHaveLength(1));
    expect(calls.map((c) => c.call)).toContain('GET /api/v1/venues.xlsx?sittingCode=ZJ2026');
    expect(calls.map((c) => c.call)).toContain('GET /api/v1/venues?sittingCode=ZJ2026');
    expect(await screen.findByText('已导出 考点与考场.xlsx')).toBeTruthy();
  });

  it('keeps a municipal admin on their own region', async () => {
    const calls = fakeServer([['GET /api/v1/regions', () => json([{ regionCode: '520100', name: '贵阳市' }])], ['GET /api/v1/venues', () => json([venue])]]);
    renderScreen(<VenuesPage regionCode="520100" />);
    await screen.findByText('贵州财经大学考点（V01）');
    expect(calls.map((c) => c.call)).toContain('GET /api/v1/venues?regionCode=520100');
  });

  it('edits a venue’s proctors and contacts, and shows the server’s refusal on the field', async () => {
    let refuse = true;
    const calls = fakeServer([
      ['GET /api/v1/regions', () => json([{ regionCode: '520100', name: '贵阳市' }])],
      ['GET /api/v1/venues', () => json([venue])],
      ['PUT /api/v1/venues/V01/planning', () =>
        refuse
          ? ((refuse = false), json({ code: 'VALIDATION_FAILED', field: 'technicalContacts.0.phone', message: '考点编排信息数据格式不正确（字段 technicalContacts.0.phone）', messageEn: 'bad phone' }, 400))
          : json({ venueCode: 'V01' })],
    ]);
    renderScreen(<VenuesPage sittingCode="ZJ2026" regionCode={null} canEdit />);
    fireEvent.click(await screen.findByRole('button', { name: '编辑 贵州财经大学考点' }));
    const dialog = await screen.findByRole('dialog');
    await waitFor(() => expect((within(dialog).getByLabelText('第02考场（R02）') as HTMLInputElement).value).toBe('1'));
    fireEvent.change(within(dialog).getByLabelText('第02考场（R02）'), { target: { value: '2' } });
    fireEvent.click(within(dialog).getByRole('button', { name: '保存' }));
    await waitFor(() => expect(within(dialog).getAllByText('考点编排信息数据格式不正确（字段 technicalContacts.0.phone）')).toHaveLength(2));

    fireEvent.click(within(dialog).getByRole('button', { name: '保存' }));
    expect(await screen.findByText('已保存')).toBeTruthy();
    const puts = calls.filter((c) => c.call.startsWith('PUT'));
    expect(puts).toHaveLength(2);
    expect(puts[1].body).toEqual({ regionCode: '520100', address: '贵阳市花溪区', spareRoomCode: 'R03', technicalContacts: venue.technicalContacts, proctors: { R01: 2, R02: 2 } });
  });

  it('adds a venue with its rooms (provincial admin)', async () => {
    const calls = fakeServer([
      ['GET /api/v1/regions', () => json([])],
      ['GET /api/v1/venues', () => json([])],
      ['POST /api/v1/venues', () => json({ venueCode: 'V09', rooms: [] })],
    ]);
    renderScreen(<VenuesPage regionCode={null} canEdit canCreate />);
    expect(await screen.findByText('没有考点')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: '新增考点' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText('考点代码'), { target: { value: 'V09' } });
    fireEvent.change(within(dialog).getByLabelText('考点名称'), { target: { value: '遵义职业技术学院考点' } });
    fireEvent.click(within(dialog).getByRole('button', { name: '添加考场' }));
    fireEvent.click(within(dialog).getByRole('button', { name: '保存' }));
    expect(await screen.findByText('已新增考点 V09，请再编辑其地区、地址和监考配备')).toBeTruthy();
    expect(calls.find((c) => c.call === 'POST /api/v1/venues')?.body).toEqual({
      venueCode: 'V09', name: '遵义职业技术学院考点', rooms: [{ roomCode: 'R01', name: '第1考场', rows: 6, cols: 7 }, { roomCode: 'R02', name: '第2考场', rows: 6, cols: 7 }],
    });
  });
});
