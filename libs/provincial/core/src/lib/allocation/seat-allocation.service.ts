import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AllocationSummary, RoomFillRow } from '@kaowu/contracts';
import { AllocationCandidate, AllocationReport, AllocationRoom, Placement, SeatAllocator, checkProctorStaffing, requiredProctors } from '@kaowu/planning-domain';
import { DomainError } from '@kaowu/server-kit';
import { PROVINCIAL_CONTEXT, ProvincialContext } from '../provincial-context';
import { ProvincialAuditLog } from '../store/audit-log';

/** Rows per INSERT of allocation rows. */
const BATCH = 20000;

/** 网上编排考场: runs the SeatAllocator over a sitting's registrants and venues and stores the result. */
@Injectable()
export class SeatAllocationService {
  private readonly allocator = new SeatAllocator();

  constructor(
    @Inject(PROVINCIAL_CONTEXT) private readonly ctx: ProvincialContext,
    @Inject(ProvincialAuditLog) private readonly audit: ProvincialAuditLog,
  ) {}

  /** Allocate (or re-allocate with minimal moves) every registrant × subject of the sitting. */
  async allocate(sittingCode: string, actor: string): Promise<AllocationSummary> {
    return this.ctx.db.dataSource.transaction(async (em) => {
      // One allocation of a sitting at a time, across server instances.
      await em.query(`SELECT pg_advisory_xact_lock(hashtext('kaowu.allocation.' || $1))`, [sittingCode]);
      const batches = await this.batches(em, sittingCode);
      const rooms = await this.rooms(em);
      const registrants: { registrant_id: string; region_code: string; subjects: string[] | null }[] = await em.query(
        `SELECT r.registrant_id, r.region_code, array_agg(s.subject_code) FILTER (WHERE s.subject_code IS NOT NULL) AS subjects
         FROM registrant r LEFT JOIN registrant_subject s USING (registrant_id) WHERE r.sitting_code = $1 GROUP BY r.registrant_id`,
        [sittingCode],
      );
      const candidates: AllocationCandidate[] = registrants.map((r) => ({ candidateId: r.registrant_id, region: r.region_code, subjects: r.subjects ?? [] }));
      const previousRows: { registrant_id: string; subject_code: string; batch_code: string; venue_code: string; room_code: string; seat_no: number }[] = await em.query(
        'SELECT registrant_id, subject_code, batch_code, venue_code, room_code, seat_no FROM seat_allocation WHERE sitting_code = $1',
        [sittingCode],
      );
      const previous: Placement[] = previousRows.map((p) => ({ candidateId: p.registrant_id, subjectCode: p.subject_code, batchCode: p.batch_code, venueCode: p.venue_code, roomCode: p.room_code, seatNo: p.seat_no }));

      const report = this.allocator.allocate({ batches, rooms, candidates, previous });
      await this.store(em, sittingCode, previous, report.placements);
      await this.assignTicketNumbers(em, sittingCode);
      const summary = await this.summarise(em, sittingCode, candidates.length, report);
      await em.query('INSERT INTO allocation_run (sitting_code, run_at, report) VALUES ($1, $2, $3)', [sittingCode, summary.runAt, JSON.stringify(summary)]);
      await this.audit.record(
        { actor, action: 'allocation.run', subject: sittingCode, details: { placements: summary.placements, kept: summary.kept, moved: summary.moved, unplaced: summary.unplaced.length } },
        em,
      );
      return summary;
    });
  }

  /** The report of the sitting's latest allocation. */
  async latestReport(sittingCode: string): Promise<AllocationSummary> {
    const [row] = await this.ctx.db.dataSource.query('SELECT report FROM allocation_run WHERE sitting_code = $1 ORDER BY id DESC LIMIT 1', [sittingCode]);
    if (!row) throw new DomainError('NOT_FOUND', `考试计划 ${sittingCode} 尚未编排考场`, `sitting ${sittingCode} has not been allocated`, 'sittingCode');
    return row.report as AllocationSummary;
  }

  /** A registrant's seats, subject by subject in sitting order (for the admission ticket). */
  async seatsOf(sittingCode: string, idNo: string) {
    const rows: { ticket_no: string | null; name: string; subject_code: string; subject_name: string; batch_code: string; starts_at: Date; venue_code: string; venue_name: string; address: string | null; room_code: string; seat_no: number }[] =
      await this.ctx.db.dataSource.query(
        `SELECT r.ticket_no, r.name, a.subject_code, ss.subject_name, a.batch_code, bs.starts_at, a.venue_code, v.name AS venue_name, v.address, a.room_code, a.seat_no
         FROM registrant r JOIN seat_allocation a ON a.registrant_id = r.registrant_id AND a.sitting_code = r.sitting_code
         JOIN sitting_subject ss ON ss.sitting_code = a.sitting_code AND ss.subject_code = a.subject_code
         JOIN batch_subject bs ON bs.sitting_code = a.sitting_code AND bs.batch_code = a.batch_code AND bs.subject_code = a.subject_code
         JOIN venue v ON v.venue_code = a.venue_code
         WHERE r.sitting_code = $1 AND r.id_no = $2 ORDER BY ss.seq`,
        [sittingCode, idNo.toUpperCase()],
      );
    if (rows.length === 0) throw new DomainError('NOT_FOUND', `证件号码 ${idNo} 在考试计划 ${sittingCode} 中没有编排座位`, `no seats for ID number ${idNo} in sitting ${sittingCode}`, 'idNo');
    return {
      idNo: idNo.toUpperCase(),
      name: rows[0].name,
      ticketNo: rows[0].ticket_no,
      seats: rows.map((r) => ({
        subjectCode: r.subject_code, subjectName: r.subject_name, batchCode: r.batch_code, startsAt: new Date(r.starts_at).toISOString(),
        venueCode: r.venue_code, venueName: r.venue_name, address: r.address, roomCode: r.room_code, seatNo: r.seat_no,
      })),
    };
  }

  private async batches(em: EntityManager, sittingCode: string) {
    const rows: { batch_code: string; subjects: string[] }[] = await em.query(
      `SELECT b.batch_code, array_agg(bs.subject_code ORDER BY s.seq) AS subjects FROM sitting_batch b
       JOIN batch_subject bs ON bs.sitting_code = b.sitting_code AND bs.batch_code = b.batch_code
       JOIN sitting_subject s ON s.sitting_code = bs.sitting_code AND s.subject_code = bs.subject_code
       WHERE b.sitting_code = $1 GROUP BY b.batch_code, b.seq ORDER BY b.seq`,
      [sittingCode],
    );
    if (rows.length === 0) throw new DomainError('NOT_FOUND', `考试计划 ${sittingCode} 不存在或没有批次`, `sitting ${sittingCode} not found or has no batches`, 'sittingCode');
    return rows.map((r) => ({ batchCode: r.batch_code, subjects: r.subjects }));
  }

  /** Rooms of every venue with a region; the venue's spare room is marked. */
  private async rooms(em: EntityManager): Promise<AllocationRoom[]> {
    const venues: { venue_code: string; region_code: string; spare_room_code: string | null; rooms: { roomCode: string; seats: unknown[] }[] }[] = await em.query(
      'SELECT venue_code, region_code, spare_room_code, rooms FROM venue WHERE region_code IS NOT NULL',
    );
    return venues.flatMap((v) => v.rooms.map((r) => ({ venueCode: v.venue_code, roomCode: r.roomCode, region: v.region_code, seats: r.seats.length, spare: r.roomCode === v.spare_room_code })));
  }

  /** Write only what changed: rows that moved or went away are deleted first, so their seats are free for the new rows. */
  private async store(em: EntityManager, sittingCode: string, previous: Placement[], next: Placement[]): Promise<void> {
    const key = (p: Placement) => `${p.candidateId}\u0000${p.subjectCode}`;
    const seat = (p: Placement) => `${p.batchCode}\u0000${p.venueCode}\u0000${p.roomCode}\u0000${p.seatNo}`;
    const before = new Map(previous.map((p) => [key(p), seat(p)]));
    const after = new Map(next.map((p) => [key(p), seat(p)]));
    const stale = previous.filter((p) => after.get(key(p)) !== seat(p));
    const fresh = next.filter((p) => before.get(key(p)) !== seat(p));
    for (let i = 0; i < stale.length; i += BATCH) {
      const chunk = stale.slice(i, i + BATCH);
      await em.query('DELETE FROM seat_allocation WHERE sitting_code = $1 AND (registrant_id, subject_code) IN (SELECT * FROM unnest($2::text[], $3::text[]))', [
        sittingCode, chunk.map((p) => p.candidateId), chunk.map((p) => p.subjectCode),
      ]);
    }
    for (let i = 0; i < fresh.length; i += BATCH) {
      const chunk = fresh.slice(i, i + BATCH);
      await em.query(
        `INSERT INTO seat_allocation (sitting_code, registrant_id, subject_code, batch_code, venue_code, room_code, seat_no)
         SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[])`,
        [sittingCode, chunk.map((p) => p.candidateId), chunk.map((p) => p.subjectCode), chunk.map((p) => p.batchCode), chunk.map((p) => p.venueCode), chunk.map((p) => p.roomCode), chunk.map((p) => p.seatNo)],
      );
    }
  }

  /**
   * 准考证号 for every placed registrant that has none yet: the sitting's year (2 digits) and a
   * sequence in (region, ID number) order. A number once given never changes.
   */
  private async assignTicketNumbers(em: EntityManager, sittingCode: string): Promise<void> {
    await em.query(
      `WITH base AS (
         SELECT to_char(min(batch_date), 'YY') AS yy,
                coalesce((SELECT max(substr(ticket_no, 3)::bigint) FROM registrant WHERE sitting_code = $1 AND ticket_no IS NOT NULL), 0) AS last
         FROM sitting_batch WHERE sitting_code = $1),
       numbered AS (
         SELECT r.registrant_id, row_number() OVER (ORDER BY r.region_code, r.id_no) AS n FROM registrant r
         WHERE r.sitting_code = $1 AND r.ticket_no IS NULL AND EXISTS (SELECT 1 FROM seat_allocation a WHERE a.sitting_code = $1 AND a.registrant_id = r.registrant_id))
       UPDATE registrant r SET ticket_no = base.yy || lpad((base.last + numbered.n)::text, 8, '0')
       FROM numbered, base WHERE r.registrant_id = numbered.registrant_id`,
      [sittingCode],
    );
  }

  private async summarise(em: EntityManager, sittingCode: string, candidates: number, report: AllocationReport): Promise<AllocationSummary> {
    const staffing: { venue_code: string; room_code: string; proctors: number }[] = await em.query('SELECT venue_code, room_code, proctors FROM room_staffing');
    const assigned = new Map(staffing.map((s) => [`${s.venue_code}/${s.room_code}`, s.proctors]));
    const rooms: RoomFillRow[] = report.rooms.map((r) => {
      const busiest = Math.max(0, ...Object.values(r.placed));
      const proctorsAssigned = assigned.get(`${r.venueCode}/${r.roomCode}`) ?? null;
      const check = proctorsAssigned === null ? undefined : checkProctorStaffing(busiest, proctorsAssigned);
      return {
        ...r,
        fillRate: Math.round(r.fillRate * 10000) / 10000,
        proctorsRequired: requiredProctors(busiest),
        proctorsAssigned,
        staffing: check === undefined ? (busiest === 0 ? 'ok' : 'UNASSIGNED') : check.ok ? 'ok' : check.reason,
      };
    });
    const unplacedIds = [...new Set(report.unplaced.map((u) => u.candidateId))];
    const people: { registrant_id: string; id_no: string; name: string }[] = unplacedIds.length
      ? await em.query('SELECT registrant_id, id_no, name FROM registrant WHERE registrant_id = ANY($1::text[])', [unplacedIds])
      : [];
    const who = new Map(people.map((p) => [p.registrant_id, p]));
    return {
      sittingCode,
      runAt: this.ctx.clock.now().toISOString(),
      candidates,
      placements: report.placements.length,
      kept: report.kept,
      moved: report.moved,
      splitAcrossVenues: report.splitAcrossVenues,
      unplaced: report.unplaced.map((u) => ({ idNo: who.get(u.candidateId)?.id_no ?? '', name: who.get(u.candidateId)?.name ?? '', region: u.region, subjectCode: u.subjectCode, reason: u.reason })),
      rooms,
    };
  }
}
