import { MinHeap } from './min-heap';
import { allocatableSeats, spareMachines } from './venue-rules';

/** A batch (批次) and the subjects it sits, in order. */
export interface AllocationBatch {
  batchCode: string;
  subjects: string[];
}

/** A room (考场) of a venue (考点); its highest-numbered seats are its spare machines (备用考试机). */
export interface AllocationRoom {
  venueCode: string;
  roomCode: string;
  /** Region (地区) of the venue: candidates sit only in their own region. */
  region: string;
  seats: number;
  /** 备用考场: kept empty for emergencies, never allocated. */
  spare?: boolean;
}

export interface AllocationCandidate {
  candidateId: string;
  region: string;
  subjects: string[];
}

/** One candidate × subject on one seat. */
export interface Placement {
  candidateId: string;
  subjectCode: string;
  batchCode: string;
  venueCode: string;
  roomCode: string;
  seatNo: number;
}

export type UnplacedReason = 'NO_SUBJECTS' | 'SUBJECT_NOT_SCHEDULED' | 'NO_ROOMS_IN_REGION' | 'REGION_FULL';

export interface Unplaced {
  candidateId: string;
  /** Absent when the candidate as a whole could not be placed (NO_SUBJECTS). */
  subjectCode?: string;
  region: string;
  reason: UnplacedReason;
}

export interface RoomFill {
  batchCode: string;
  venueCode: string;
  roomCode: string;
  region: string;
  seats: number;
  spares: number;
  /** Seats available to candidates per subject: seats minus spares. */
  capacity: number;
  placed: Record<string, number>;
  /** Share of the room's candidate seats in use over the batch's subjects, 0–1. */
  fillRate: number;
}

export interface AllocationReport {
  placements: Placement[];
  unplaced: Unplaced[];
  rooms: RoomFill[];
  /** Placements of the previous allocation kept as they were. */
  kept: number;
  /** Placements of the previous allocation (still requested) that moved. */
  moved: number;
  /** Candidates whose subjects sit in more than one venue (only when a region is nearly full). */
  splitAcrossVenues: number;
}

export interface AllocationInput {
  batches: AllocationBatch[];
  rooms: AllocationRoom[];
  candidates: AllocationCandidate[];
  /** The last allocation, to re-run after late changes with as few moves as possible. */
  previous?: Placement[];
}

interface Unit {
  batch: number;
  room: AllocationRoom;
  venueKey: string;
  capacity: number;
  /** Bitmask of the subjects the batch sits. */
  subjectMask: number;
  subjectCount: number;
  used: number;
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * 网上编排考场: places every candidate × subject on a seat of a room in the candidate's region.
 *
 * - capacity per room and subject is seats minus the 5% spares; a spare room is never used;
 * - a seat holds one candidate per batch and subject, never two;
 * - a candidate sits all subjects in one batch and room (same seat when it can), else in one venue;
 * - rooms fill evenly: each candidate goes to the least-filled room (batch × room) that fits;
 * - the same input gives the same output, whatever the order of the arrays;
 * - with `previous`, every placement still valid stays put; only the rest is placed anew.
 */
export class SeatAllocator {
  allocate(input: AllocationInput): AllocationReport {
    return new AllocationRun(input).run();
  }
}

class AllocationRun {
  private readonly subjectIndex = new Map<string, number>();
  private readonly subjectCodes: string[] = [];
  private readonly units: Unit[] = [];
  private readonly unitByKey = new Map<string, number>();
  private readonly unitsByRegion = new Map<string, number[]>();
  private readonly unitsByVenue = new Map<string, number[]>();
  /** used[u × S + s]: candidates seated in unit u for subject s. */
  private used!: Int32Array;
  /** seatTaken[u][s × capacity + i]: seat i + 1 of unit u taken for subject s. */
  private seatTaken: Uint8Array[] = [];
  /** firstFree[u × S + s]: no free seat below this index. */
  private firstFree!: Int32Array;
  private readonly heaps = new Map<string, MinHeap>();
  private readonly placements = new Map<string, Placement[]>();
  private readonly unplaced: Unplaced[] = [];

  constructor(private readonly input: AllocationInput) {}

  run(): AllocationReport {
    this.buildUnits();
    const candidates = [...this.input.candidates].sort((a, b) => byString(a.candidateId, b.candidateId));
    const requested = new Map(candidates.map((c) => [c.candidateId, c]));
    const { kept, previousRequested } = this.keepPrevious(requested);

    for (const c of candidates) this.placeCandidate(c);

    const placements: Placement[] = [];
    let split = 0;
    for (const c of candidates) {
      const list = this.placements.get(c.candidateId) ?? [];
      const order = (p: Placement) => c.subjects.indexOf(p.subjectCode);
      list.sort((a, b) => order(a) - order(b));
      placements.push(...list);
      if (new Set(list.map((p) => p.venueCode)).size > 1) split++;
    }
    return { placements, unplaced: this.unplaced, rooms: this.roomFill(), kept, moved: previousRequested - kept, splitAcrossVenues: split };
  }

  private buildUnits(): void {
    const batches = this.input.batches;
    for (const b of batches)
      for (const s of b.subjects)
        if (!this.subjectIndex.has(s)) {
          this.subjectIndex.set(s, this.subjectCodes.length);
          this.subjectCodes.push(s);
        }
    if (this.subjectCodes.length > 30) throw new RangeError('at most 30 subjects per sitting');
    const rooms = this.input.rooms.filter((r) => !r.spare).sort((a, b) => byString(a.venueCode, b.venueCode) || byString(a.roomCode, b.roomCode));
    batches.forEach((b, bi) => {
      let mask = 0;
      for (const s of b.subjects) mask |= 1 << (this.subjectIndex.get(s) ?? 0);
      for (const room of rooms) {
        const capacity = allocatableSeats(room.seats);
        if (capacity <= 0) continue;
        const u = this.units.length;
        const venueKey = room.venueCode;
        this.units.push({ batch: bi, room, venueKey, capacity, subjectMask: mask, subjectCount: new Set(b.subjects).size, used: 0 });
        this.unitByKey.set(`${b.batchCode}\u0000${room.venueCode}\u0000${room.roomCode}`, u);
        push(this.unitsByRegion, room.region, u);
        push(this.unitsByVenue, venueKey, u);
      }
    });
    const S = this.subjectCodes.length;
    this.used = new Int32Array(this.units.length * S);
    this.firstFree = new Int32Array(this.units.length * S);
    this.seatTaken = this.units.map((u) => new Uint8Array(u.capacity * S));
  }

  /** Keep every previous placement that is still valid (candidate, subject, region, room, seat). */
  private keepPrevious(requested: Map<string, AllocationCandidate>): { kept: number; previousRequested: number } {
    const previous = [...(this.input.previous ?? [])].sort(
      (a, b) => byString(a.candidateId, b.candidateId) || byString(a.subjectCode, b.subjectCode) || byString(a.batchCode, b.batchCode),
    );
    let kept = 0;
    let previousRequested = 0;
    const seen = new Set<string>();
    for (const p of previous) {
      const c = requested.get(p.candidateId);
      const key = `${p.candidateId}\u0000${p.subjectCode}`;
      if (!c || !c.subjects.includes(p.subjectCode) || seen.has(key)) continue;
      seen.add(key);
      previousRequested++;
      const u = this.unitByKey.get(`${p.batchCode}\u0000${p.venueCode}\u0000${p.roomCode}`);
      const s = this.subjectIndex.get(p.subjectCode);
      if (u === undefined || s === undefined) continue;
      const unit = this.units[u];
      if (unit.room.region !== c.region || !(unit.subjectMask & (1 << s))) continue;
      const seat = p.seatNo - 1;
      if (!Number.isInteger(seat) || seat < 0 || seat >= unit.capacity || this.isTaken(u, s, seat)) continue;
      this.take(u, s, seat, c.candidateId);
      kept++;
    }
    return { kept, previousRequested };
  }

  private placeCandidate(c: AllocationCandidate): void {
    const subjects = [...new Set(c.subjects)];
    if (subjects.length === 0) {
      this.unplaced.push({ candidateId: c.candidateId, region: c.region, reason: 'NO_SUBJECTS' });
      return;
    }
    const done = new Set((this.placements.get(c.candidateId) ?? []).map((p) => p.subjectCode));
    const pending: number[] = [];
    for (const code of subjects) {
      if (done.has(code)) continue;
      const s = this.subjectIndex.get(code);
      if (s === undefined) this.unplaced.push({ candidateId: c.candidateId, subjectCode: code, region: c.region, reason: 'SUBJECT_NOT_SCHEDULED' });
      else pending.push(s);
    }
    if (pending.length === 0) return;
    const regionUnits = this.unitsByRegion.get(c.region);
    if (!regionUnits) {
      for (const s of pending) this.unplaced.push({ candidateId: c.candidateId, subjectCode: this.subjectCodes[s], region: c.region, reason: 'NO_ROOMS_IN_REGION' });
      return;
    }

    // A candidate with nothing kept goes whole into the least-filled room that fits every subject.
    if (done.size === 0) {
      const mask = pending.reduce((m, s) => m | (1 << s), 0);
      const u = this.bestUnit(c.region, mask);
      if (u !== undefined) {
        this.seatInUnit(u, pending, c.candidateId);
        return;
      }
    }
    // Otherwise subject by subject: the room already used, then its venue, then the region.
    for (const s of pending) {
      const mine = (this.placements.get(c.candidateId) ?? []).map((p) => this.unitOf(p));
      let u = mine.find((m) => this.fits(m, 1 << s));
      if (u === undefined && mine.length > 0) u = this.leastFilled(this.unitsByVenue.get(this.units[mine[0]].venueKey) ?? [], 1 << s);
      if (u === undefined) u = this.bestUnit(c.region, 1 << s);
      if (u === undefined) this.unplaced.push({ candidateId: c.candidateId, subjectCode: this.subjectCodes[s], region: c.region, reason: 'REGION_FULL' });
      else this.seatInUnit(u, [s], c.candidateId);
    }
  }

  /** The unit of a placement made in this run (always known). */
  private unitOf(p: Placement): number {
    return this.unitByKey.get(`${p.batchCode}\u0000${p.venueCode}\u0000${p.roomCode}`) ?? -1;
  }

  private load(u: number): number {
    const unit = this.units[u];
    return unit.used / (unit.capacity * unit.subjectCount);
  }

  private fits(u: number, mask: number): boolean {
    const unit = this.units[u];
    if ((unit.subjectMask & mask) !== mask) return false;
    const S = this.subjectCodes.length;
    for (let s = 0; s < S; s++) if (mask & (1 << s) && this.used[u * S + s] >= unit.capacity) return false;
    return true;
  }

  private leastFilled(candidates: number[], mask: number): number | undefined {
    let best: number | undefined;
    let bestLoad = Infinity;
    for (const u of candidates) {
      if (!this.fits(u, mask)) continue;
      const l = this.load(u);
      if (l < bestLoad) {
        best = u;
        bestLoad = l;
      }
    }
    return best;
  }

  /** The least-filled unit of the region fitting `mask`; one lazy heap per region and subject set. */
  private bestUnit(region: string, mask: number): number | undefined {
    const key = `${region}\u0000${mask}`;
    let heap = this.heaps.get(key);
    if (!heap) {
      heap = new MinHeap();
      for (const u of this.unitsByRegion.get(region) ?? []) if (this.fits(u, mask)) heap.push(this.load(u), u);
      this.heaps.set(key, heap);
    }
    // Loads only grow during a run: a stale (smaller) key is re-pushed with the current load;
    // a unit that no longer fits this subject set never will again.
    while (heap.size > 0) {
      const u = heap.peekId() ?? -1;
      const stored = heap.peekKey() ?? -1;
      if (!this.fits(u, mask)) {
        heap.pop();
        continue;
      }
      const current = this.load(u);
      if (current !== stored) {
        heap.pop();
        heap.push(current, u);
        continue;
      }
      return u;
    }
    return undefined;
  }

  /** Seat a candidate in unit u for the given subjects: one seat number for all when possible. */
  private seatInUnit(u: number, subjects: number[], candidateId: string): void {
    const unit = this.units[u];
    const S = this.subjectCodes.length;
    const preferred = (this.placements.get(candidateId) ?? []).find((p) => this.unitOf(p) === u);
    const freeForAll = (i: number) => subjects.every((s) => !this.isTaken(u, s, i));
    let seat = -1;
    if (preferred && freeForAll(preferred.seatNo - 1)) seat = preferred.seatNo - 1;
    if (seat < 0) {
      let from = unit.capacity;
      for (const s of subjects) from = Math.min(from, this.firstFree[u * S + s]);
      for (let i = from; i < unit.capacity; i++)
        if (freeForAll(i)) {
          seat = i;
          break;
        }
    }
    for (const s of subjects) {
      let i = seat;
      if (i < 0) {
        i = this.firstFree[u * S + s];
        while (this.isTaken(u, s, i)) i++;
      }
      this.take(u, s, i, candidateId);
    }
  }

  private isTaken(u: number, s: number, seat: number): boolean {
    return this.seatTaken[u][s * this.units[u].capacity + seat] === 1;
  }

  private take(u: number, s: number, seat: number, candidateId: string): void {
    const unit = this.units[u];
    const S = this.subjectCodes.length;
    // Never two candidates on one seat: every caller picks a free seat; this makes it a hard stop.
    if (seat < 0 || seat >= unit.capacity || this.isTaken(u, s, seat)) throw new Error(`seat ${seat + 1} of ${unit.room.venueCode}/${unit.room.roomCode} taken twice`);
    this.seatTaken[u][s * unit.capacity + seat] = 1;
    this.used[u * S + s]++;
    unit.used++;
    let f = this.firstFree[u * S + s];
    while (f < unit.capacity && this.isTaken(u, s, f)) f++;
    this.firstFree[u * S + s] = f;
    push(this.placements, candidateId, {
      candidateId,
      subjectCode: this.subjectCodes[s],
      batchCode: this.input.batches[unit.batch].batchCode,
      venueCode: unit.room.venueCode,
      roomCode: unit.room.roomCode,
      seatNo: seat + 1,
    });
  }

  private roomFill(): RoomFill[] {
    const S = this.subjectCodes.length;
    return this.units.map((unit, u) => {
      const placed: Record<string, number> = {};
      for (let s = 0; s < S; s++) if (unit.subjectMask & (1 << s)) placed[this.subjectCodes[s]] = this.used[u * S + s];
      return {
        batchCode: this.input.batches[unit.batch].batchCode,
        venueCode: unit.room.venueCode,
        roomCode: unit.room.roomCode,
        region: unit.room.region,
        seats: unit.room.seats,
        spares: spareMachines(unit.room.seats),
        capacity: unit.capacity,
        placed,
        fillRate: this.load(u),
      };
    });
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
