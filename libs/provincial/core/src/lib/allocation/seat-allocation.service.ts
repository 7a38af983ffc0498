import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AllocationSummary, RoomFillRow } from '@kaowu/contracts';
import { AllocationCandidate, AllocationReport, AllocationRoom, Placement, SeatAllocator, checkProctorStaffing, requiredProctors } from '@kaowu/planning-domain';
import { DomainError } from '@kaowu/server-kit';
import { PROVINCIAL_CONTEXT, ProvincialContext } from '../provincial-context';
import { ProvincialAuditLog } from '../store/audit-log';

/** Rows per INSERT of allocation rows. */
const BATCH = 20000;

type SeatOfSubject = Omit<Placement, 'candidateId'>;
interface StoredAllocation {
  registrant_id: string;
  ticket_no: string;
  seats: SeatOfSubject[];
}

/**
 * A seat as stored: 'subject/batch/venue/room/seat' (codes are [A-Za-z0-9_-]). Compact on purpose:
 * 300,000 seats a sitting are written in one go.
 */
const encodeSeat = (s: SeatOfSubject) => `${s.subjectCode}/${s.batchCode}/${s.venueCode}/${s.roomCode}/${s.seatNo}`;
function decodeSeat(text: string): SeatOfSubject {
  const [subjectCode, batchCode, venueCode, roomCode, seatNo] = text.split('/');
  return { subjectCode, batchCode, venueCode, roomCode, seatNo: Number(seatNo) };
}
const seatsKey = (seats: SeatOfSubject[]) => seats.map(encodeSeat).join('|');

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
      // Subjects as one string: the driver's array parser is the slow part of reading 100,000 rows.
      const registrants: { registrant_id: string; id_no: string; region_code: string; subjects: string }[] = await em.query(
        `SELECT registrant_id::text, id_no, region_code, array_to_string(subjects, ',') AS subjects FROM registrant WHERE sitting_code = $1`,
        [sittingCode],
      );
      const candidates: AllocationCandidate[] = registrants.map((r) => ({ candidateId: r.registrant_id, region: r.region_code, subjects: r.subjects ? r.subjects.split(',') : [] }));
      const stored: StoredAllocation[] = (await em.query('SELECT registrant_id::text, ticket_no, seats FROM seat_allocation WHERE sitting_code = $1', [sittingCode])).map(
        (r: { registrant_id: string; ticket_no: string; seats: string[] }) => ({ ...r, seats: r.seats.map(decodeSeat) }),
      );
      const previous: Placement[] = stored.flatMap((row) => row.seats.map((p) => ({ candidateId: row.registrant_id, ...p })));

      const report = this.allocator.allocate({ batches, rooms, candidates, previous });
      await this.store(em, sittingCode, stored, report.placements, registrants);
      const summary = await this.summarise(em, sittingCode, candidates.length, report);
      await em.query('INSERT INTO allocation_run (sitting_code, run_at, report) VALUES ($1, $2, $3)', [sittingCode, summary.runAt, JSON.stringify(summary)]);
      await this.audit.record(
        { actor, action: 'allocation.run', subject: sittingCode, details: { placements: summary.placements, kept: summary.kept, moved: summary.moved, unplaced: summary.unplaced.length } },
        em,
      );
      return summary;
    });
  }

  /**
   * The report of the sitting's latest allocation; for one region (a 市、州 考办) only that region's
   * rooms and unplaced candidates, with candidates and placements counted for the region.
   */
  async latestReport(sittingCode: string, regionCode?: string): Promise<AllocationSummary> {
    const [row] = await this.ctx.db.dataSource.query('SELECT report FROM allocation_run WHERE sitting_code = $1 ORDER BY id DESC LIMIT 1', [sittingCode]);
    if (!row) throw new DomainError('NOT_FOUND', `考试计划 ${sittingCode} 尚未编排考场`, `sitting ${sittingCode} has not been allocated`, 'sittingCode');
    const report = row.report as AllocationSummary;
    if (!regionCode) return report;
    const [{ candidates }] = await this.ctx.db.dataSource.query('SELECT count(*)::int AS candidates FROM registrant WHERE sitting_code = $1 AND region_code = $2', [sittingCode, regionCode]);
    const rooms = report.rooms.filter((r) => r.region === regionCode);
    return {
      ...report,
      regionCode,
      candidates,
      placements: rooms.reduce((sum, r) => sum + Object.values(r.placed).reduce((a, b) => a + b, 0), 0),
      unplaced: report.unplaced.filter((u) => u.region === regionCode),
      rooms,
    };
  }

  /** A registrant's seats, subject by subject in sitting order (for the admission ticket). */
  async seatsOf(sittingCode: string, idNo: string) {
    const rows: { ticket_no: string; name: string; subject_code: string; subject_name: string; batch_code: string; starts_at: Date; venue_code: string; venue_name: string; address: string | null; room_code: string; seat_no: number }[] =
      await this.ctx.db.dataSource.query(
        `SELECT a.ticket_no, r.name, s."subjectCode" AS subject_code, ss.subject_name, s."batchCode" AS batch_code, bs.starts_at,
                s."venueCode" AS venue_code, v.name AS venue_name, v.address, s."roomCode" AS room_code, s."seatNo" AS seat_no
         FROM registrant r JOIN seat_allocation a ON a.registrant_id = r.registrant_id AND a.sitting_code = r.sitting_code
         CROSS JOIN LATERAL (SELECT p[1] AS "subjectCode", p[2] AS "batchCode", p[3] AS "venueCode", p[4] AS "roomCode", p[5]::int AS "seatNo"
                             FROM unnest(a.seats) AS e, string_to_array(e, '/') AS p) AS s
         JOIN sitting_subject ss ON ss.sitting_code = a.sitting_code AND ss.subject_code = s."subjectCode"
         JOIN batch_subject bs ON bs.sitting_code = a.sitting_code AND bs.batch_code = s."batchCode" AND bs.subject_code = s."subjectCode"
         JOIN venue v ON v.venue_code = s."venueCode"
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

  /**
   * One row per placed registrant. Only registrants whose seats changed are rewritten; a
   * registrant keeps their 准考证号 while placed. New numbers: the sitting's year (2 digits) and
   * a sequence continuing the highest given, in (region, ID number) order.
   */
  private async store(em: EntityManager, sittingCode: string, stored: StoredAllocation[], placements: Placement[], registrants: { registrant_id: string; id_no: string; region_code: string }[]): Promise<void> {
    const seatsOf = new Map<string, SeatOfSubject[]>();
    for (const p of placements) {
      const list = seatsOf.get(p.candidateId) ?? [];
      list.push({ subjectCode: p.subjectCode, batchCode: p.batchCode, venueCode: p.venueCode, roomCode: p.roomCode, seatNo: p.seatNo });
      seatsOf.set(p.candidateId, list);
    }
    const before = new Map(stored.map((r) => [r.registrant_id, r]));
    const gone = stored.filter((r) => !seatsOf.has(r.registrant_id)).map((r) => r.registrant_id);
    const changed: { id: string; ticketNo: string; seats: SeatOfSubject[] }[] = [];
    const unnumbered: string[] = [];
    for (const [id, seats] of seatsOf) {
      const old = before.get(id);
      if (!old) unnumbered.push(id);
      else if (seatsKey(old.seats) !== seatsKey(seats)) changed.push({ id, ticketNo: old.ticket_no, seats });
    }
    const [{ yy }] = await em.query(`SELECT to_char(min(batch_date), 'YY') AS yy FROM sitting_batch WHERE sitting_code = $1`, [sittingCode]);
    let last = stored.reduce((max, r) => Math.max(max, Number(r.ticket_no.slice(2))), 0);
    const order = new Map(registrants.map((r) => [r.registrant_id, `${r.region_code}\u0000${r.id_no}`]));
    unnumbered.sort((a, b) => ((order.get(a) ?? '') < (order.get(b) ?? '') ? -1 : 1));
    for (const id of unnumbered) changed.push({ id, ticketNo: `${yy}${String(++last).padStart(8, '0')}`, seats: seatsOf.get(id) ?? [] });

    const rewrite = [...gone, ...changed.filter((c) => before.has(c.id)).map((c) => c.id)];
    for (let i = 0; i < rewrite.length; i += BATCH)
      await em.query('DELETE FROM seat_allocation WHERE sitting_code = $1 AND registrant_id = ANY($2::uuid[])', [sittingCode, rewrite.slice(i, i + BATCH)]);
    for (let i = 0; i < changed.length; i += BATCH) {
      const chunk = changed.slice(i, i + BATCH);
      await em.query(
        `INSERT INTO seat_allocation (sitting_code, registrant_id, ticket_no, seats)
         SELECT $1, r::uuid, t, string_to_array(s, ',') FROM unnest($2::text[], $3::text[], $4::text[]) AS u(r, t, s)`,
        [sittingCode, chunk.map((c) => c.id), chunk.map((c) => c.ticketNo), chunk.map((c) => c.seats.map(encodeSeat).join(','))],
      );
    }
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
      ? await em.query('SELECT registrant_id::text, id_no, name FROM registrant WHERE registrant_id = ANY($1::uuid[])', [unplacedIds])
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
