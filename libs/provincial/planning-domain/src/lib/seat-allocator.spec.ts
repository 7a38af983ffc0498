import { AllocationCandidate, AllocationInput, AllocationReport, AllocationRoom, Placement, SeatAllocator } from './seat-allocator';
import { allocatableSeats } from './venue-rules';

const SUBJECTS = ['ZJSW', 'CWGL', 'JJF']; // 中级会计实务 → 财务管理 → 经济法
const BATCHES = [
  { batchCode: 'B1', subjects: SUBJECTS },
  { batchCode: 'B2', subjects: SUBJECTS },
];

/** Small deterministic PRNG (mulberry32) for generated sittings. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generate(seed: number, opts: { regions: number; venuesPerRegion: number; roomsPerVenue: number; candidates: number }): AllocationInput {
  const r = rng(seed);
  const rooms: AllocationRoom[] = [];
  for (let g = 0; g < opts.regions; g++)
    for (let v = 0; v < opts.venuesPerRegion; v++)
      for (let k = 0; k < opts.roomsPerVenue; k++)
        rooms.push({ venueCode: `V${g}${v}`, roomCode: `R${String(k + 1).padStart(2, '0')}`, region: `52${String(g).padStart(2, '0')}00`, seats: 20 + Math.floor(r() * 41) });
  const candidates: AllocationCandidate[] = [];
  for (let i = 0; i < opts.candidates; i++) {
    const picked = SUBJECTS.filter(() => r() < 0.75);
    candidates.push({ candidateId: `C${String(i).padStart(6, '0')}`, region: `52${String(Math.floor(r() * opts.regions)).padStart(2, '0')}00`, subjects: picked.length ? picked : ['JJF'] });
  }
  return { batches: BATCHES, rooms, candidates };
}

function seatKey(p: Placement): string {
  return `${p.batchCode}/${p.subjectCode}/${p.venueCode}/${p.roomCode}/${p.seatNo}`;
}

/** The invariants every allocation keeps, whatever the input; returns the violations found. */
function invariantViolations(input: AllocationInput, report: AllocationReport): string[] {
  const problems: string[] = [];
  const roomOf = new Map(input.rooms.map((r) => [`${r.venueCode}/${r.roomCode}`, r]));
  const candidateOf = new Map(input.candidates.map((c) => [c.candidateId, c]));
  const seats = new Set<string>();
  const perCandidateSubject = new Set<string>();
  const perRoomSubject = new Map<string, number>();
  for (const p of report.placements) {
    const room = roomOf.get(`${p.venueCode}/${p.roomCode}`);
    const c = candidateOf.get(p.candidateId);
    if (!room || !c) {
      problems.push(`unknown room or candidate: ${seatKey(p)} ${p.candidateId}`);
      continue;
    }
    if (room.spare) problems.push(`spare room used: ${seatKey(p)}`);
    if (room.region !== c.region) problems.push(`outside region: ${p.candidateId} ${c.region} in ${room.region}`);
    if (!c.subjects.includes(p.subjectCode)) problems.push(`subject not registered: ${p.candidateId} ${p.subjectCode}`);
    if (p.seatNo < 1 || p.seatNo > allocatableSeats(room.seats)) problems.push(`spare or missing seat: ${seatKey(p)}`);
    if (seats.has(seatKey(p))) problems.push(`two candidates on one seat: ${seatKey(p)}`);
    seats.add(seatKey(p));
    const cs = `${p.candidateId}/${p.subjectCode}`;
    if (perCandidateSubject.has(cs)) problems.push(`placed twice: ${cs}`);
    perCandidateSubject.add(cs);
    const rk = `${p.venueCode}/${p.roomCode}/${p.batchCode}/${p.subjectCode}`;
    perRoomSubject.set(rk, (perRoomSubject.get(rk) ?? 0) + 1);
  }
  for (const [rk, n] of perRoomSubject) {
    const [venue, room] = rk.split('/');
    if (n > allocatableSeats(roomOf.get(`${venue}/${room}`)?.seats ?? 0)) problems.push(`over capacity: ${rk} ${n}`);
  }
  // every candidate × subject is either placed or reported unplaced with a reason
  const unplaced = new Set(report.unplaced.map((u) => `${u.candidateId}/${u.subjectCode}`));
  for (const c of input.candidates)
    for (const s of c.subjects) if (!perCandidateSubject.has(`${c.candidateId}/${s}`) && !unplaced.has(`${c.candidateId}/${s}`)) problems.push(`lost: ${c.candidateId}/${s}`);
  return problems;
}

describe('SeatAllocator (网上编排考场)', () => {
  const allocator = new SeatAllocator();

  it('places a generated sitting within region and capacity, one candidate per seat, each candidate in one room', () => {
    const input = generate(7, { regions: 4, venuesPerRegion: 3, roomsPerVenue: 6, candidates: 2500 });
    const report = allocator.allocate(input);
    expect(invariantViolations(input, report)).toEqual([]);
    expect(report.unplaced).toEqual([]);
    expect(report.splitAcrossVenues).toBe(0);
    const rooms = new Map<string, Set<string>>();
    for (const p of report.placements) {
      const set = rooms.get(p.candidateId) ?? new Set();
      set.add(`${p.batchCode}/${p.venueCode}/${p.roomCode}`);
      rooms.set(p.candidateId, set);
    }
    expect([...rooms.values()].every((s) => s.size === 1)).toBe(true);
  });

  it('has an invariant check that catches a doubled seat, a foreign region and a spare seat', () => {
    const input = generate(9, { regions: 2, venuesPerRegion: 1, roomsPerVenue: 2, candidates: 50 });
    const report = allocator.allocate(input);
    const [a, b] = report.placements;
    const regionOfA = input.candidates.find((c) => c.candidateId === a.candidateId)?.region;
    const other = input.rooms.find((r) => r.region !== regionOfA) as AllocationRoom;
    const broken = [{ ...b, batchCode: a.batchCode, subjectCode: a.subjectCode, venueCode: a.venueCode, roomCode: a.roomCode, seatNo: a.seatNo }, { ...a, venueCode: other.venueCode, roomCode: other.roomCode, seatNo: other.seats }];
    const problems = invariantViolations(input, { ...report, placements: [a, ...broken] });
    expect(problems.some((p) => p.startsWith('two candidates on one seat'))).toBe(true);
    expect(problems.some((p) => p.startsWith('outside region'))).toBe(true);
    expect(problems.some((p) => p.startsWith('spare or missing seat'))).toBe(true);
  });

  it('balances room fill within a region', () => {
    const input = generate(11, { regions: 2, venuesPerRegion: 2, roomsPerVenue: 5, candidates: 600 });
    const report = allocator.allocate(input);
    for (const region of ['520000', '520100']) {
      const rates = report.rooms.filter((r) => r.region === region).map((r) => r.fillRate);
      // every room of the region within a few seats of the others
      expect(Math.max(...rates) - Math.min(...rates)).toBeLessThan(0.1);
    }
  });

  it('gives the same allocation for the same input in any order', () => {
    const input = generate(3, { regions: 3, venuesPerRegion: 2, roomsPerVenue: 4, candidates: 1200 });
    const a = allocator.allocate(input);
    const shuffled: AllocationInput = { ...input, candidates: [...input.candidates].reverse(), rooms: [...input.rooms].reverse() };
    const b = allocator.allocate(shuffled);
    expect(b.placements).toEqual(a.placements);
    expect(b.unplaced).toEqual(a.unplaced);
  });

  it('reports candidates it cannot place, with the reason, and never overfills', () => {
    const input: AllocationInput = {
      batches: [{ batchCode: 'B1', subjects: ['ZJSW', 'JJF'] }],
      rooms: [
        { venueCode: 'V1', roomCode: 'R01', region: '520100', seats: 21 }, // 2 spares → 19 seats
        { venueCode: 'V1', roomCode: 'R99', region: '520100', seats: 60, spare: true }, // 备用考场
      ],
      candidates: [
        ...Array.from({ length: 25 }, (_, i) => ({ candidateId: `A${String(i).padStart(2, '0')}`, region: '520100', subjects: ['ZJSW', 'JJF'] })),
        { candidateId: 'B01', region: '520300', subjects: ['JJF'] },
        { candidateId: 'B02', region: '520100', subjects: ['CWGL'] },
        { candidateId: 'B03', region: '520100', subjects: [] },
      ],
    };
    const report = allocator.allocate(input);
    expect(invariantViolations(input, report)).toEqual([]);
    expect(report.placements.filter((p) => p.subjectCode === 'ZJSW')).toHaveLength(19);
    expect(report.rooms).toEqual([expect.objectContaining({ roomCode: 'R01', seats: 21, spares: 2, capacity: 19, placed: { ZJSW: 19, JJF: 19 }, fillRate: 1 })]);
    const reasons = report.unplaced.map((u) => `${u.candidateId}:${u.subjectCode ?? '-'}:${u.reason}`);
    expect(reasons).toEqual(expect.arrayContaining(['A19:ZJSW:REGION_FULL', 'A24:JJF:REGION_FULL', 'B01:JJF:NO_ROOMS_IN_REGION', 'B02:CWGL:SUBJECT_NOT_SCHEDULED', 'B03:-:NO_SUBJECTS']));
    expect(report.unplaced).toHaveLength(6 * 2 + 3);
  });

  it('re-runs after late changes with minimal moves', () => {
    const input = generate(5, { regions: 3, venuesPerRegion: 2, roomsPerVenue: 5, candidates: 1500 });
    const first = allocator.allocate(input);
    // late changes: 10 candidates withdraw, 12 register late, 3 move region, 2 add a subject, one room loses seats
    const byId = new Map(input.candidates.map((c) => [c.candidateId, c]));
    const withdrawn = input.candidates.slice(0, 10).map((c) => c.candidateId);
    const movedRegion = input.candidates.slice(100, 103).map((c) => ({ ...c, region: c.region === '520000' ? '520100' : '520000' }));
    const addedSubject = input.candidates.slice(200).filter((c) => c.subjects.length < 3).slice(0, 2).map((c) => ({ ...c, subjects: SUBJECTS }));
    const late = Array.from({ length: 12 }, (_, i) => ({ candidateId: `L${i}`, region: '520200', subjects: ['ZJSW', 'JJF'] }));
    for (const c of [...movedRegion, ...addedSubject]) byId.set(c.candidateId, c);
    for (const id of withdrawn) byId.delete(id);
    const shrunk = input.rooms[0];
    const shrunkSeats = 8;
    const rooms = input.rooms.map((r) => (r === shrunk ? { ...r, seats: shrunkSeats } : r));
    const changed: AllocationInput = { ...input, rooms, candidates: [...byId.values(), ...late], previous: first.placements };
    const second = allocator.allocate(changed);
    expect(invariantViolations(changed, second)).toEqual([]);

    const before = new Map(first.placements.map((p) => [`${p.candidateId}/${p.subjectCode}`, seatKey(p)]));
    const movedPlacements = second.placements.filter((p) => before.has(`${p.candidateId}/${p.subjectCode}`) && before.get(`${p.candidateId}/${p.subjectCode}`) !== seatKey(p));
    // only the region movers and those on the lost seats of the shrunk room move
    const lostSeat = first.placements.filter((p) => p.venueCode === shrunk.venueCode && p.roomCode === shrunk.roomCode && p.seatNo > allocatableSeats(shrunkSeats)).length;
    const regionMoves = first.placements.filter((p) => movedRegion.some((c) => c.candidateId === p.candidateId)).length;
    expect(movedPlacements).toHaveLength(lostSeat + regionMoves);
    expect(second.moved).toBe(lostSeat + regionMoves);
    expect(lostSeat).toBeGreaterThan(0);
    // the added subject joins the candidate's room
    for (const c of addedSubject) {
      const theirs = second.placements.filter((p) => p.candidateId === c.candidateId);
      expect(theirs).toHaveLength(3);
      expect(new Set(theirs.map((p) => `${p.batchCode}/${p.venueCode}/${p.roomCode}`)).size).toBe(1);
    }
    for (const l of late) expect(second.placements.filter((p) => p.candidateId === l.candidateId)).toHaveLength(2);
    // and re-running with nothing changed moves nobody
    const third = allocator.allocate({ ...changed, previous: second.placements });
    expect(third.moved).toBe(0);
    expect(third.placements).toEqual(second.placements);
  });

  it('keeps a candidate in one venue when their room has no seat left for an added subject', () => {
    const input: AllocationInput = {
      batches: [{ batchCode: 'B1', subjects: ['ZJSW', 'JJF'] }],
      rooms: [
        { venueCode: 'V1', roomCode: 'R01', region: 'X', seats: 3 }, // 1 spare → 2 seats
        { venueCode: 'V1', roomCode: 'R02', region: 'X', seats: 3 },
        { venueCode: 'V2', roomCode: 'R01', region: 'X', seats: 30 },
      ],
      candidates: [{ candidateId: 'C1', region: 'X', subjects: ['ZJSW'] }, { candidateId: 'C2', region: 'X', subjects: ['JJF'] }, { candidateId: 'C3', region: 'X', subjects: ['JJF'] }],
    };
    const previous: Placement[] = [
      { candidateId: 'C1', subjectCode: 'ZJSW', batchCode: 'B1', venueCode: 'V1', roomCode: 'R01', seatNo: 1 },
      { candidateId: 'C2', subjectCode: 'JJF', batchCode: 'B1', venueCode: 'V1', roomCode: 'R01', seatNo: 1 },
      { candidateId: 'C3', subjectCode: 'JJF', batchCode: 'B1', venueCode: 'V1', roomCode: 'R01', seatNo: 2 },
    ];
    const report = allocator.allocate({ ...input, candidates: [{ ...input.candidates[0], subjects: ['ZJSW', 'JJF'] }, ...input.candidates.slice(1)], previous });
    expect(report.moved).toBe(0);
    const added = report.placements.find((p) => p.candidateId === 'C1' && p.subjectCode === 'JJF');
    expect(added).toMatchObject({ venueCode: 'V1', roomCode: 'R02' });
    expect(report.splitAcrossVenues).toBe(0);
  });
});
