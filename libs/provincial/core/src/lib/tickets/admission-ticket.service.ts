import { Inject, Injectable } from '@nestjs/common';
import { TicketPrinting, TicketPrintingSitting, VerifyTicketQr } from '@kaowu/contracts';
import { beijingDateTimeText } from '@kaowu/planning-domain';
import { publicKeysOf } from '@kaowu/crypto';
import { TicketQrError, signTicketQr, verifyTicketQr } from '@kaowu/exam-domain';
import { DomainError, parseInput } from '@kaowu/server-kit';
import { returnedRows } from '@kaowu/persistence';
import { PROVINCIAL_CONTEXT, ProvincialContext } from '../provincial-context';
import { ProvincialAuditLog } from '../store/audit-log';
import { AdmissionTicket, CjkFont, renderAdmissionTickets } from './admission-ticket-renderer';

interface TicketRow {
  registrant_id: string;
  ticket_no: string;
  name: string;
  gender: 'M' | 'F';
  id_type: string;
  id_no: string;
  seats: string[];
  photo: Buffer | null;
}

/** 准考证: PDFs with a province-signed QR code; online printing from a configured time; bulk per venue. */
@Injectable()
export class AdmissionTicketService {
  constructor(
    @Inject(PROVINCIAL_CONTEXT) private readonly ctx: ProvincialContext,
    @Inject(ProvincialAuditLog) private readonly audit: ProvincialAuditLog,
  ) {}

  private get ds() {
    return this.ctx.db.dataSource;
  }

  /** One candidate's ticket (provincial staff). */
  async ticketPdf(sittingCode: string, idNo: string): Promise<Buffer> {
    const rows = await this.rows(sittingCode, 'r.id_no = $2', [idNo.toUpperCase()]);
    if (rows.length === 0) throw new DomainError('NOT_FOUND', `证件号码 ${idNo} 在考试计划 ${sittingCode} 中没有准考证（尚未编排考场？）`, `no admission ticket for ${idNo} in ${sittingCode}`, 'idNo');
    return this.render(sittingCode, rows);
  }

  /** 网上打印准考证: a candidate looks up their ticket by ID number and name, once printing has opened. */
  async lookup(sittingCode: string, idNo: string | undefined, name: string | undefined): Promise<Buffer> {
    if (!idNo || !name) throw new DomainError('VALIDATION_FAILED', '请输入证件号码和姓名', 'idNo and name are required', idNo ? 'name' : 'idNo');
    const [sitting] = await this.ds.query('SELECT ticket_printing_opens_at FROM sitting WHERE sitting_code = $1', [sittingCode]);
    if (!sitting) throw new DomainError('NOT_FOUND', `考试计划 ${sittingCode} 不存在`, `sitting ${sittingCode} not found`, 'sittingCode');
    const opensAt: Date | null = sitting.ticket_printing_opens_at;
    if (!opensAt || this.ctx.clock.now() < new Date(opensAt))
      throw new DomainError(
        'TICKET_PRINTING_NOT_OPEN',
        opensAt ? `准考证打印将于 ${beijingDateTimeText(opensAt)}（北京时间）开放，请届时再来打印` : '准考证打印尚未开放，开放时间将另行公布',
        opensAt ? `ticket printing opens at ${new Date(opensAt).toISOString()}` : 'ticket printing has not been scheduled yet',
        'sittingCode',
        opensAt ? { opensAt: new Date(opensAt).toISOString() } : undefined,
      );
    const rows = await this.rows(sittingCode, 'r.id_no = $2 AND r.name = $3', [idNo.trim().toUpperCase(), name.trim()]);
    // The same answer for a wrong name and an unknown number: the lookup reveals nobody.
    if (rows.length === 0) throw new DomainError('NOT_FOUND', '证件号码与姓名不匹配，或尚未编排考场', 'no ticket for this ID number and name', 'idNo');
    return this.render(sittingCode, rows);
  }

  /** The sittings a candidate may print from, with when printing opens (the public page lists them). */
  async printingSittings(): Promise<TicketPrintingSitting[]> {
    const rows: { sitting_code: string; name: string; opens_at: Date | null }[] = await this.ds.query(
      'SELECT sitting_code, name, ticket_printing_opens_at AS opens_at FROM sitting WHERE ticket_printing_opens_at IS NOT NULL ORDER BY ticket_printing_opens_at DESC, sitting_code',
    );
    const now = this.ctx.clock.now();
    return rows.map((r) => ({ sittingCode: r.sitting_code, name: r.name, opensAt: r.opens_at ? new Date(r.opens_at).toISOString() : null, open: !!r.opens_at && new Date(r.opens_at) <= now }));
  }

  /** Every ticket of a venue, in room and seat order, one page each; `offset`/`limit` page a large venue. */
  async venuePdf(sittingCode: string, venueCode: string, page: { offset?: number; limit?: number } = {}): Promise<Buffer> {
    const rows = await this.rows(sittingCode, `EXISTS (SELECT 1 FROM unnest(a.seats) e WHERE split_part(e, '/', 3) = $2)`, [venueCode], page);
    if (rows.length === 0) throw new DomainError('NOT_FOUND', `考点 ${venueCode} 在考试计划 ${sittingCode} 中没有已编排的考生`, `no placed candidates at venue ${venueCode}`, 'venueCode');
    return this.render(sittingCode, rows);
  }

  async setPrinting(sittingCode: string, input: unknown, actor: string) {
    const p = parseInput(TicketPrinting, input, '准考证打印时间');
    await this.ds.transaction(async (em) => {
      const rows = returnedRows(await em.query('UPDATE sitting SET ticket_printing_opens_at = $2 WHERE sitting_code = $1 RETURNING sitting_code', [sittingCode, p.opensAt]));
      if (rows.length === 0) throw new DomainError('NOT_FOUND', `考试计划 ${sittingCode} 不存在`, `sitting ${sittingCode} not found`, 'sittingCode');
      await this.audit.record({ actor, action: 'tickets.printing_scheduled', subject: sittingCode, details: { opensAt: p.opensAt } }, em);
    });
    return { sittingCode, opensAt: new Date(p.opensAt).toISOString() };
  }

  /** Check a scanned ticket code against the province key (what a venue does offline). */
  verify(input: unknown) {
    const { qr } = parseInput(VerifyTicketQr, input, '准考证二维码');
    try {
      return { valid: true as const, ticket: verifyTicketQr(qr, publicKeysOf(this.ctx.keys)) };
    } catch (error) {
      if (!(error instanceof TicketQrError)) throw error;
      throw new DomainError('VALIDATION_FAILED', error.reason === 'QR_FORMAT' ? '不是本系统的准考证二维码' : '准考证二维码签名无效（被篡改或伪造）', error.message, 'qr', { reason: error.reason });
    }
  }

  /** The signed QR text of a candidate's ticket. */
  async qrOf(sittingCode: string, idNo: string): Promise<string> {
    const [row] = await this.rows(sittingCode, 'r.id_no = $2', [idNo.toUpperCase()]);
    if (!row) throw new DomainError('NOT_FOUND', `证件号码 ${idNo} 没有准考证`, `no admission ticket for ${idNo}`, 'idNo');
    return this.qr(sittingCode, row);
  }

  private qr(sittingCode: string, r: TicketRow): string {
    return signTicketQr(
      { format: 'kaowu.ticket', version: 1, sittingCode, ticketNo: r.ticket_no, idNo: r.id_no, name: r.name, seats: r.seats, issuedAt: this.ctx.clock.now().toISOString() },
      this.ctx.keys,
    );
  }

  private async rows(sittingCode: string, where: string, params: unknown[], page: { offset?: number; limit?: number } = {}): Promise<TicketRow[]> {
    const limit = Math.min(Math.max(Math.trunc(page.limit ?? 2000), 1), 5000);
    const offset = Math.max(Math.trunc(page.offset ?? 0), 0);
    return this.ds.query(
      `SELECT r.registrant_id::text, a.ticket_no, r.name, r.gender, r.id_type, r.id_no, a.seats, p.data AS photo
       FROM seat_allocation a JOIN registrant r ON r.registrant_id = a.registrant_id
       LEFT JOIN registrant_photo p ON p.registrant_id = r.registrant_id
       WHERE a.sitting_code = $1 AND ${where} ORDER BY a.seats[1], a.ticket_no LIMIT ${limit} OFFSET ${offset}`,
      [sittingCode, ...params],
    );
  }

  private async render(sittingCode: string, rows: TicketRow[]): Promise<Buffer> {
    const font = CjkFont.load(this.ctx.config.KAOWU_CJK_FONT);
    const [sitting] = await this.ds.query('SELECT name, late_login_cutoff_minutes, min_minutes_before_hand_in FROM sitting WHERE sitting_code = $1', [sittingCode]);
    const subjects: { subject_code: string; subject_name: string; duration_minutes: number }[] = await this.ds.query('SELECT subject_code, subject_name, duration_minutes FROM sitting_subject WHERE sitting_code = $1', [sittingCode]);
    const batches: { batch_code: string; name: string; subject_code: string; starts_at: Date }[] = await this.ds.query(
      'SELECT b.batch_code, b.name, bs.subject_code, bs.starts_at FROM sitting_batch b JOIN batch_subject bs USING (sitting_code, batch_code) WHERE b.sitting_code = $1',
      [sittingCode],
    );
    const venueCodes = [...new Set(rows.flatMap((r) => r.seats.map((s) => s.split('/')[2])))];
    const venues: { venue_code: string; name: string; address: string | null; rooms: { roomCode: string; name: string }[] }[] = await this.ds.query(
      'SELECT venue_code, name, address, rooms FROM venue WHERE venue_code = ANY($1::text[])',
      [venueCodes],
    );
    const subjectOf = new Map(subjects.map((s) => [s.subject_code, s]));
    const batchOf = new Map(batches.map((b) => [`${b.batch_code}/${b.subject_code}`, b]));
    const venueOf = new Map(venues.map((v) => [v.venue_code, { ...v, roomNames: new Map(v.rooms.map((r) => [r.roomCode, r.name])) }]));
    const tickets: AdmissionTicket[] = rows.map((r) => ({
      sittingName: sitting.name,
      ticketNo: r.ticket_no,
      name: r.name,
      gender: r.gender,
      idType: r.id_type,
      idNo: r.id_no,
      photo: r.photo ?? undefined,
      lateLoginCutoffMinutes: sitting.late_login_cutoff_minutes,
      minMinutesBeforeHandIn: sitting.min_minutes_before_hand_in,
      qr: this.qr(sittingCode, r),
      subjects: r.seats.map((seat) => {
        const [subjectCode, batchCode, venueCode, roomCode, seatNo] = seat.split('/');
        const venue = venueOf.get(venueCode);
        const batch = batchOf.get(`${batchCode}/${subjectCode}`);
        return {
          subjectName: subjectOf.get(subjectCode)?.subject_name ?? subjectCode,
          batchName: batch?.name ?? batchCode,
          startsAt: batch ? new Date(batch.starts_at).toISOString() : '',
          durationMinutes: subjectOf.get(subjectCode)?.duration_minutes ?? 0,
          venueName: venue?.name ?? venueCode,
          address: venue?.address ?? '',
          roomName: venue?.roomNames.get(roomCode) ?? roomCode,
          seatNo: Number(seatNo),
        };
      }),
    }));
    return renderAdmissionTickets(tickets, font);
  }
}
