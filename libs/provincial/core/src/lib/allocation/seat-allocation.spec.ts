import { zipSync } from 'fflate';
import { PNG } from 'pngjs';
import { publicKeysOf } from '@kaowu/crypto';
import { ManualClock, verifyTicketQr } from '@kaowu/exam-domain';
import { DomainError } from '@kaowu/server-kit';
import { AdmissionTicketService } from '../tickets/admission-ticket.service';
import { CjkFont } from '../tickets/admission-ticket-renderer';
import { startPlanningServer } from '../test-support/planning-test-server';
import { REGISTRATION_HEADER as HEADER, idOf, registrationRow as row } from '../test-support/registration-csv';

const clock = new ManualClock(new Date('2026-07-01T02:00:00Z'));
// Test bodies are checked field by field below.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const j = (res: Response): Promise<any> => res.json();

describe('网上编排考场 (seat allocation over stored registrants and venues, real database)', () => {
  let planning: Awaited<ReturnType<typeof startPlanningServer>>;
  let api: string;
  let send: Awaited<ReturnType<typeof startPlanningServer>>['send'];
  const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> => planning.server.ctx.db.dataSource.query(sql, params);

  const importCsv = async (lines: string[]) => {
    const res = await fetch(`${api}/sittings/ZJ2026/registrations/import?format=csv`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: [HEADER, ...lines].join('\n') });
    if (!res.ok) throw new Error(`import: ${res.status} ${await res.text()}`);
    return j(res);
  };
  const seats = () =>
    q<{ id_no: string; subject_code: string; batch_code: string; venue_code: string; room_code: string; seat_no: number; region_code: string; venue_region: string; ticket_no: string }>(
      `SELECT r.id_no, s."subjectCode" AS subject_code, s."batchCode" AS batch_code, s."venueCode" AS venue_code, s."roomCode" AS room_code, s."seatNo" AS seat_no,
              r.region_code, v.region_code AS venue_region, a.ticket_no
       FROM seat_allocation a JOIN registrant r USING (registrant_id)
       CROSS JOIN LATERAL (SELECT p[1] AS "subjectCode", p[2] AS "batchCode", p[3] AS "venueCode", p[4] AS "roomCode", p[5]::int AS "seatNo"
                           FROM unnest(a.seats) AS e, string_to_array(e, '/') AS p) AS s
       LEFT JOIN venue v ON v.venue_code = s."venueCode" ORDER BY r.id_no, s."subjectCode"`,
    );

  beforeAll(async () => {
    planning = await startPlanningServer('allocation', clock, [{ batchCode: 'B1', date: '2026-09-05', startTimes: ['08:30', '13:30', '18:00'] }]);
    ({ api, send } = planning);
    // 贵阳: two rooms of 20 seats (19 after the spare machine) and a spare room; 遵义: one room of 12 (11)
    await send('POST', '/venues', { venueCode: 'V01', name: '贵州财经大学考点', rooms: [
      { roomCode: 'R01', name: '第1考场', rows: 4, cols: 5 }, { roomCode: 'R02', name: '第2考场', rows: 4, cols: 5 }, { roomCode: 'R03', name: '备用考场', rows: 4, cols: 5 },
    ] });
    await send('POST', '/venues', { venueCode: 'V02', name: '遵义职业技术学院考点', rooms: [{ roomCode: 'R01', name: '第1考场', rows: 3, cols: 4 }] });
    await send('PUT', '/venues/V01/planning', { regionCode: '520100', address: '贵阳市花溪区', spareRoomCode: 'R03', technicalContacts: [{ name: '王工', phone: '13900000000', role: 'technician' }], proctors: { R01: 2, R02: 1 } });
    await send('PUT', '/venues/V02/planning', { regionCode: '520300', address: '遵义市新蒲新区' });
    await importCsv([
      ...Array.from({ length: 30 }, (_, i) => row(i + 1, '贵阳市', '中级会计实务、财务管理、经济法')),
      ...Array.from({ length: 13 }, (_, i) => row(i + 101, '遵义市', '经济法')),
    ]);
  });

  afterAll(() => planning.close());

  it('places everyone it can within region and capacity, reports fill, staffing and the unplaced', async () => {
    const summary = await send('POST', '/sittings/ZJ2026/allocation');
    expect(summary).toMatchObject({ candidates: 43, placements: 30 * 3 + 11, kept: 0, moved: 0, splitAcrossVenues: 0 });
    expect(summary.unplaced).toHaveLength(2);
    expect(summary.unplaced.every((u: { reason: string; region: string; idNo: string }) => u.reason === 'REGION_FULL' && u.region === '520300' && u.idNo.length === 18)).toBe(true);

    const rows = await seats();
    expect(rows).toHaveLength(summary.placements);
    expect(rows.every((r) => r.region_code === r.venue_region)).toBe(true);
    expect(rows.some((r) => r.room_code === 'R03' && r.venue_code === 'V01')).toBe(false);
    expect(Math.max(...rows.filter((r) => r.venue_code === 'V01').map((r) => r.seat_no))).toBeLessThanOrEqual(19);
    expect(Math.max(...rows.filter((r) => r.venue_code === 'V02').map((r) => r.seat_no))).toBeLessThanOrEqual(11);
    const roomsOf = new Map<string, Set<string>>();
    for (const r of rows) roomsOf.set(r.id_no, (roomsOf.get(r.id_no) ?? new Set()).add(`${r.venue_code}/${r.room_code}/${r.seat_no}`));
    expect([...roomsOf.values()].every((s) => s.size === 1)).toBe(true); // one room and one seat for all three subjects

    const byRoom = Object.fromEntries(summary.rooms.map((r: { venueCode: string; roomCode: string }) => [`${r.venueCode}/${r.roomCode}`, r]));
    expect(Object.keys(byRoom).sort()).toEqual(['V01/R01', 'V01/R02', 'V02/R01']);
    expect(byRoom['V01/R01']).toMatchObject({ seats: 20, spares: 1, capacity: 19, placed: { ZJSW: 15, CWGL: 15, JJF: 15 }, proctorsRequired: { min: 2, max: 2 }, proctorsAssigned: 2, staffing: 'ok' });
    expect(byRoom['V01/R02']).toMatchObject({ placed: { ZJSW: 15 }, proctorsAssigned: 1, staffing: 'PROCTORS_TOO_FEW' });
    expect(byRoom['V02/R01']).toMatchObject({ capacity: 11, placed: { ZJSW: 0, CWGL: 0, JJF: 11 }, proctorsAssigned: null, staffing: 'UNASSIGNED' });
    expect(await send('GET', '/sittings/ZJ2026/allocation')).toEqual(summary);

    // 准考证号 for every placed registrant, none for those left out
    const tickets = await q<{ id_no: string; ticket_no: string | null }>('SELECT r.id_no, a.ticket_no FROM registrant r LEFT JOIN seat_allocation a USING (registrant_id) ORDER BY r.id_no');
    const unplacedIds = new Set(summary.unplaced.map((u: { idNo: string }) => u.idNo));
    expect(tickets.filter((t) => t.ticket_no === null).map((t) => t.id_no).sort()).toEqual([...unplacedIds].sort());
    expect(tickets.filter((t) => t.ticket_no !== null).every((t) => /^26\d{8}$/.test(t.ticket_no as string))).toBe(true);
    expect((await q("SELECT 1 FROM audit_event WHERE action = 'allocation.run'")).length).toBe(1);
  });

  it('shows a registrant their seats in subject order with times and the venue address', async () => {
    const mine = await send('GET', `/sittings/ZJ2026/registrants/${idOf(1)}/seats`);
    expect(mine.seats.map((s: { subjectName: string; startsAt: string; address: string }) => [s.subjectName, s.startsAt, s.address])).toEqual([
      ['中级会计实务', '2026-09-05T00:30:00.000Z', '贵阳市花溪区'],
      ['财务管理', '2026-09-05T05:30:00.000Z', '贵阳市花溪区'],
      ['经济法', '2026-09-05T10:00:00.000Z', '贵阳市花溪区'],
    ]);
    const none = await fetch(`${api}/sittings/ZJ2026/registrants/110105194912310021/seats`);
    expect(none.status).toBe(404);
  });

  it('re-runs after late changes with minimal moves and keeps ticket numbers', async () => {
    const before = await seats();
    const ticketsOf = () => q<{ id_no: string; ticket_no: string }>('SELECT r.id_no, a.ticket_no FROM registrant r JOIN seat_allocation a USING (registrant_id)');
    const ticketsBefore = await ticketsOf();
    // a late registrant, and one who drops 财务管理
    await importCsv([row(31, '贵阳市', '中级会计实务、经济法'), row(2, '贵阳市', '中级会计实务、经济法')]);
    const summary = await send('POST', '/sittings/ZJ2026/allocation');
    expect(summary).toMatchObject({ candidates: 44, moved: 0, kept: 30 * 3 - 1 + 11, placements: 30 * 3 - 1 + 2 + 11 });
    const after = await seats();
    const seatOf = (r: { venue_code: string; room_code: string; seat_no: number; batch_code: string }) => `${r.batch_code}/${r.venue_code}/${r.room_code}/${r.seat_no}`;
    const afterByKey = new Map(after.map((r) => [`${r.id_no}/${r.subject_code}`, seatOf(r)]));
    const movedRows = before.filter((r) => afterByKey.has(`${r.id_no}/${r.subject_code}`) && afterByKey.get(`${r.id_no}/${r.subject_code}`) !== seatOf(r));
    expect(movedRows).toEqual([]);
    expect(after.filter((r) => r.id_no === idOf(2)).map((r) => r.subject_code).sort()).toEqual(['JJF', 'ZJSW']);
    expect(after.filter((r) => r.id_no === idOf(31))).toHaveLength(2);
    const ticketsAfter = new Map((await ticketsOf()).map((t) => [t.id_no, t.ticket_no]));
    for (const t of ticketsBefore) expect(ticketsAfter.get(t.id_no)).toBe(t.ticket_no);
    expect(ticketsAfter.get(idOf(31))).toMatch(/^26\d{8}$/);
    expect(new Set(ticketsAfter.values()).size).toBe(ticketsAfter.size);
  });

  it('refuses to allocate an unknown sitting and planning data naming a room the venue lacks', async () => {
    expect((await fetch(`${api}/sittings/NOPE/allocation`, { method: 'POST' })).status).toBe(404);
    const bad = await fetch(`${api}/venues/V01/planning`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ regionCode: '520100', address: 'x', proctors: { R09: 2 } }) });
    expect(bad.status).toBe(400);
    expect(await j(bad)).toMatchObject({ code: 'VALIDATION_FAILED', field: 'proctors.R09' });
    const [{ count }] = await q<{ count: number }>("SELECT count(*)::int AS count FROM room_staffing WHERE venue_code = 'V01'");
    expect(count).toBe(2);
  });

  describe('准考证 (admission tickets)', () => {
    const pages = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;

    it('renders a candidate’s ticket with photo and a QR code the venue can verify with the province key', async () => {
      const png = new PNG({ width: 300, height: 400 });
      png.data.fill(200);
      const photos = zipSync({ [`${idOf(1)}.png`]: PNG.sync.write(png, { filterType: 0 }) });
      const up = await fetch(`${api}/sittings/ZJ2026/photos/import`, { method: 'POST', headers: { 'content-type': 'application/zip' }, body: photos });
      expect(up.status).toBe(200);

      const res = await fetch(`${api}/sittings/ZJ2026/registrants/${idOf(1)}/ticket.pdf`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      const pdf = Buffer.from(await res.arrayBuffer());
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      expect(pages(pdf)).toBe(1);
      expect(pdf.toString('latin1')).toContain('/Subtype /Image'); // the photo is on it

      const qr = await planning.server.app.get(AdmissionTicketService).qrOf('ZJ2026', idOf(1));
      const ticket = verifyTicketQr(qr, publicKeysOf(planning.server.ctx.keys));
      const [{ ticket_no, seats: stored }] = await q<{ ticket_no: string; seats: string[] }>('SELECT a.ticket_no, a.seats FROM seat_allocation a JOIN registrant r USING (registrant_id) WHERE r.id_no = $1', [idOf(1)]);
      expect(ticket).toMatchObject({ sittingCode: 'ZJ2026', ticketNo: ticket_no, idNo: idOf(1), name: '考生1', seats: stored });

      const verified = await send('POST', '/tickets/verify', { qr });
      expect(verified).toMatchObject({ valid: true, ticket: { ticketNo: ticket_no } });
      const forged = await fetch(`${api}/tickets/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ qr: qr.replace(ticket_no, '2699999999') }) });
      expect(forged.status).toBe(400);
      expect((await j(forged)).details.reason).toBe('QR_BAD_SIGNATURE');
    });

    it('opens online printing at the configured time, to ID number + name only', async () => {
      const lookup = (idNo: string, name: string) => fetch(`${api}/sittings/ZJ2026/tickets?idNo=${idNo}&name=${encodeURIComponent(name)}`);
      expect((await lookup(idOf(3), '考生3')).status).toBe(403);
      await send('PUT', '/sittings/ZJ2026/ticket-printing', { opensAt: '2026-08-20T02:00:00.000Z' });
      const early = await lookup(idOf(3), '考生3');
      expect(early.status).toBe(403);
      expect((await j(early)).details.opensAt).toBe('2026-08-20T02:00:00.000Z');
      clock.set(new Date('2026-08-20T02:00:00.000Z'));
      expect((await lookup(idOf(3), '考生4')).status).toBe(404);
      const ok = await lookup(idOf(3).toLowerCase(), '考生3');
      expect(ok.status).toBe(200);
      expect(pages(Buffer.from(await ok.arrayBuffer()))).toBe(1);
      expect((await q("SELECT 1 FROM audit_event WHERE action = 'tickets.printing_scheduled'")).length).toBe(1);
    });

    it('prints a venue’s tickets in bulk, one page per placed candidate', async () => {
      const [{ n }] = await q<{ n: number }>(`SELECT count(*)::int AS n FROM seat_allocation WHERE EXISTS (SELECT 1 FROM unnest(seats) e WHERE split_part(e, '/', 3) = 'V01')`);
      expect(n).toBe(31);
      const res = await fetch(`${api}/sittings/ZJ2026/venues/V01/tickets.pdf`);
      expect(res.status).toBe(200);
      expect(pages(Buffer.from(await res.arrayBuffer()))).toBe(31);
      const paged = await fetch(`${api}/sittings/ZJ2026/venues/V01/tickets.pdf?offset=30&limit=10`);
      expect(pages(Buffer.from(await paged.arrayBuffer()))).toBe(1);
      expect((await fetch(`${api}/sittings/ZJ2026/venues/V99/tickets.pdf`)).status).toBe(404);
    });

    it('says which font is missing and how to get one', () => {
      let error: unknown;
      try {
        CjkFont.load('/nonexistent/font.ttc#X');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).field).toBe('KAOWU_CJK_FONT');
      expect((error as DomainError).messageZh).toContain('fonts-wqy-microhei');
    });
  });
});
