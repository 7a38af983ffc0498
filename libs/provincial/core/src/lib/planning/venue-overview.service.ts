import { Inject, Injectable } from '@nestjs/common';
import { keyFingerprint } from '@kaowu/crypto';
import type { AllocationSummary, VenueOverview, VenueRoomOverview } from '@kaowu/contracts';
import { allocatableSeats, checkProctorStaffing, managementMachines, requiredProctors, spareMachines } from '@kaowu/planning-domain';
import { PROVINCIAL_CONTEXT, ProvincialContext } from '../provincial-context';

interface VenueRow {
  venue_code: string;
  name: string;
  region_code: string | null;
  region_name: string | null;
  address: string | null;
  spare_room_code: string | null;
  technical_contacts: VenueOverview['technicalContacts'];
  key_id: string | null;
  signing_public_key: string | null;
  box_public_key: string | null;
  rooms: { roomCode: string; name: string; seats: { seatNo: number; row: number; col: number }[] }[];
}

/**
 * 考点与考场: every venue of a region with its rooms, layouts, 5% spare machines, spare room,
 * management machines, technical contacts, registered key, and proctors assigned against the
 * work plan's rule for the candidates a sitting's latest allocation put in each room.
 */
@Injectable()
export class VenueOverviewService {
  constructor(@Inject(PROVINCIAL_CONTEXT) private readonly ctx: ProvincialContext) {}

  async regions(): Promise<{ regionCode: string; name: string }[]> {
    const rows: { region_code: string; name: string }[] = await this.ctx.db.dataSource.query('SELECT region_code, name FROM region ORDER BY region_code');
    return rows.map((r) => ({ regionCode: r.region_code, name: r.name }));
  }

  async list(opts: { regionCode?: string; sittingCode?: string }): Promise<VenueOverview[]> {
    const ds = this.ctx.db.dataSource;
    const venues: VenueRow[] = await ds.query(
      `SELECT v.venue_code, v.name, v.region_code, r.name AS region_name, v.address, v.spare_room_code, v.technical_contacts, v.key_id, v.signing_public_key, v.box_public_key, v.rooms
       FROM venue v LEFT JOIN region r ON r.region_code = v.region_code WHERE ($1::text IS NULL OR v.region_code = $1) ORDER BY v.region_code NULLS LAST, v.venue_code`,
      [opts.regionCode ?? null],
    );
    const staffing: { venue_code: string; room_code: string; proctors: number }[] = await ds.query('SELECT venue_code, room_code, proctors FROM room_staffing');
    const assigned = new Map(staffing.map((s) => [`${s.venue_code}/${s.room_code}`, s.proctors]));
    // The busiest subject of any batch in each room, from the sitting's latest allocation.
    // Nothing is checked against a sitting that has not been allocated yet.
    const busiest = new Map<string, number>();
    const [run]: { report: AllocationSummary }[] = opts.sittingCode
      ? await ds.query('SELECT report FROM allocation_run WHERE sitting_code = $1 ORDER BY id DESC LIMIT 1', [opts.sittingCode])
      : [];
    if (run) {
      for (const r of run.report.rooms) {
        const key = `${r.venueCode}/${r.roomCode}`;
        busiest.set(key, Math.max(busiest.get(key) ?? 0, ...Object.values(r.placed)));
      }
    }
    return venues.map((v) => ({
      venueCode: v.venue_code,
      name: v.name,
      regionCode: v.region_code,
      regionName: v.region_name,
      address: v.address,
      spareRoomCode: v.spare_room_code,
      technicalContacts: v.technical_contacts ?? [],
      keyRegistered: !!v.signing_public_key,
      keyId: v.key_id,
      keyFingerprint: v.signing_public_key && v.box_public_key ? keyFingerprint({ signingPublicKey: v.signing_public_key, boxPublicKey: v.box_public_key }) : null,
      managementMachines: managementMachines(v.rooms.length),
      rooms: v.rooms.map((room): VenueRoomOverview => {
        const key = `${v.venue_code}/${room.roomCode}`;
        const seats = room.seats.length;
        const proctorsAssigned = assigned.get(key) ?? null;
        const candidates = run ? (busiest.get(key) ?? 0) : null;
        const check = candidates === null || proctorsAssigned === null ? undefined : checkProctorStaffing(candidates, proctorsAssigned);
        return {
          roomCode: room.roomCode,
          name: room.name,
          rows: Math.max(0, ...room.seats.map((s) => s.row)),
          cols: Math.max(0, ...room.seats.map((s) => s.col)),
          seats,
          spareMachines: spareMachines(seats),
          allocatable: allocatableSeats(seats),
          spareRoom: room.roomCode === v.spare_room_code,
          proctorsAssigned,
          candidates,
          proctorsRequired: candidates === null ? null : requiredProctors(candidates),
          staffing: candidates === null ? null : check === undefined ? (candidates === 0 ? 'ok' : 'UNASSIGNED') : check.ok ? 'ok' : check.reason,
        };
      }),
    }));
  }
}
