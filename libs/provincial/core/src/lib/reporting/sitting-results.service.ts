import { Inject, Injectable } from '@nestjs/common';
import { CandidateResultPage, CandidateResultQuery, ResultCounts, SittingSummary, SubjectSummary, VenueSummary } from '@kaowu/contracts';
import { meanScore, scoreDistribution, subjectResultStatus } from '@kaowu/planning-domain';
import { DomainError, parseInput } from '@kaowu/server-kit';
import { PROVINCIAL_CONTEXT, ProvincialContext } from '../provincial-context';
import { RegionScope } from '../auth/region-scope.service';
import type { StaffPrincipal } from '../auth/staff-principal';
import { ROSTER_CTE, SittingSession, sittingSessions } from './session-roster';
import { voidedResultsOfSitting } from './result-voids';

const COUNT_KEYS = ['expected', 'present', 'absent', 'submitted', 'scored', 'voided', 'notReceived'] as const;
const zero = (): ResultCounts => ({ expected: 0, present: 0, absent: 0, submitted: 0, scored: 0, voided: 0, notReceived: 0 });
const add = (into: ResultCounts, from: ResultCounts) => COUNT_KEYS.forEach((k) => (into[k] += from[k]));

// Every roster place of the sitting's sessions ($1) with its attempt, score and whether it is voided
// ($2/$3: the voided (session, candidate) pairs), narrowed to a region ($4) and a venue ($5).
const PLACES_CTE = `${ROSTER_CTE},
  voided AS (SELECT * FROM unnest($2::text[], $3::text[]) AS v(session_id, candidate_id)),
  places AS (
    SELECT p.session_id, p.candidate_id, p.ticket_no, p.name, p.venue_code, p.room_code, a.status, sc.objective_score,
      EXISTS (SELECT 1 FROM voided v WHERE v.session_id = p.session_id AND v.candidate_id = p.candidate_id) AS is_voided
    FROM placed p LEFT JOIN attempt_result a ON a.session_id = p.session_id AND a.candidate_id = p.candidate_id
    LEFT JOIN score sc ON sc.session_id = p.session_id AND sc.candidate_id = p.candidate_id
    WHERE ($4::text IS NULL OR p.venue_code IN (SELECT venue_code FROM venue WHERE region_code = $4)) AND ($5::text IS NULL OR p.venue_code = $5))`;

/**
 * 汇总: a sitting over all its sessions (batches × subjects) — per subject and per venue the
 * expected, present, absent, handed-in, scored and voided candidates with the score
 * distribution, and per candidate every subject's score or status. A municipal admin sees
 * their region's venues only.
 */
@Injectable()
export class SittingResultsService {
  constructor(
    @Inject(PROVINCIAL_CONTEXT) private readonly ctx: ProvincialContext,
    @Inject(RegionScope) private readonly regions: RegionScope,
  ) {}

  private async sessionsOf(sittingCode: string): Promise<SittingSession[]> {
    const sessions = await sittingSessions(this.ctx.db.dataSource, sittingCode);
    if (sessions.length === 0) throw new DomainError('NOT_FOUND', `考试计划 ${sittingCode} 还没有安排场次`, `sitting ${sittingCode} has no sessions`, 'sittingCode');
    return sessions;
  }

  async summary(sittingCode: string, staff: StaffPrincipal): Promise<SittingSummary> {
    const ds = this.ctx.db.dataSource;
    const sessions = await this.sessionsOf(sittingCode);
    const region = this.regions.listRegion(staff, undefined) ?? null;
    const voided = await voidedResultsOfSitting(ds, sittingCode);
    const params = [sessions.map((s) => s.session_id), voided.sessionIds, voided.candidateIds, region, null];
    const groups: { session_id: string; venue_code: string; expected: string; present: string; absent: string; submitted: string; scored: string; voided: string; not_received: string }[] = await ds.query(
      `WITH ${PLACES_CTE}
       SELECT session_id, venue_code, count(*) AS expected,
         count(*) FILTER (WHERE status IS NOT NULL AND status <> 'absent') AS present,
         count(*) FILTER (WHERE status = 'absent') AS absent,
         count(*) FILTER (WHERE status IN ('submitted', 'ended')) AS submitted,
         count(*) FILTER (WHERE status IS NOT NULL AND status <> 'absent' AND NOT is_voided) AS scored,
         count(*) FILTER (WHERE status IS NOT NULL AND status <> 'absent' AND is_voided) AS voided,
         count(*) FILTER (WHERE status IS NULL) AS not_received
       FROM places GROUP BY session_id, venue_code`,
      params,
    );
    const scores: { session_id: string; objective_score: string }[] = await ds.query(
      `WITH ${PLACES_CTE} SELECT session_id, objective_score FROM places WHERE status IS NOT NULL AND status <> 'absent' AND NOT is_voided AND objective_score IS NOT NULL`,
      params,
    );
    const fullMarks: { paper_id: string; full: string | null }[] = await ds.query(
      `SELECT p.paper_id, sum((it->>'score')::numeric) AS full FROM paper p CROSS JOIN LATERAL jsonb_array_elements(p.items) AS it
       WHERE p.paper_id = ANY($1::text[]) AND it->>'type' NOT IN ('calculation', 'comprehensive') GROUP BY p.paper_id`,
      [[...new Set(sessions.map((s) => s.paper_id))]],
    );
    const venues: { venue_code: string; name: string; region_code: string | null }[] = await ds.query('SELECT venue_code, name, region_code FROM venue');
    const venueOf = new Map(venues.map((v) => [v.venue_code, v]));
    const fullOf = new Map(fullMarks.map((f) => [f.paper_id, Number(f.full ?? 0)]));
    const sessionOf = new Map(sessions.map((s) => [s.session_id, s]));
    const countsOf = (g: (typeof groups)[number]): ResultCounts => ({
      expected: Number(g.expected), present: Number(g.present), absent: Number(g.absent), submitted: Number(g.submitted),
      scored: Number(g.scored), voided: Number(g.voided), notReceived: Number(g.not_received),
    });

    const totals = zero();
    const bySubject = new Map<string, ResultCounts>();
    const byVenue = new Map<string, ResultCounts>();
    const into = (map: Map<string, ResultCounts>, key: string) => {
      const found = map.get(key) ?? zero();
      map.set(key, found);
      return found;
    };
    for (const g of groups) {
      const c = countsOf(g);
      add(totals, c);
      add(into(bySubject, sessionOf.get(g.session_id)?.subject_code ?? ''), c);
      add(into(byVenue, g.venue_code), c);
    }
    const subjectOrder = [...new Map(sessions.map((s) => [s.subject_code, s])).values()];
    const subjects: SubjectSummary[] = subjectOrder.map((first) => {
      const own = sessions.filter((s) => s.subject_code === first.subject_code);
      const full = Math.max(0, ...own.map((s) => fullOf.get(s.paper_id) ?? 0));
      const ids = new Set(own.map((s) => s.session_id));
      const list = scores.filter((s) => ids.has(s.session_id)).map((s) => Number(s.objective_score));
      return {
        subjectCode: first.subject_code,
        subjectName: first.subject_name,
        sessions: own.map((s) => ({ sessionId: s.session_id, batchCode: s.batch_code, startsAt: new Date(s.starts_at).toISOString() })),
        ...(bySubject.get(first.subject_code) ?? zero()),
        fullMarks: full,
        meanScore: meanScore(list),
        distribution: scoreDistribution(list, full),
      };
    });
    const venueRows: VenueSummary[] = [...byVenue.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([code, c]) => ({ venueCode: code, venueName: venueOf.get(code)?.name ?? code, regionCode: venueOf.get(code)?.region_code ?? null, ...c }));
    return { sittingCode, generatedAt: this.ctx.clock.now().toISOString(), regionCode: region, totals, subjects, venues: venueRows };
  }

  async candidates(sittingCode: string, query: unknown, staff: StaffPrincipal): Promise<CandidateResultPage> {
    const q = parseInput(CandidateResultQuery, query, '考生成绩查询');
    if (q.venueCode) await this.regions.venue(staff, q.venueCode);
    const ds = this.ctx.db.dataSource;
    const sessions = await this.sessionsOf(sittingCode);
    const region = this.regions.listRegion(staff, undefined) ?? null;
    const voided = await voidedResultsOfSitting(ds, sittingCode);
    const params = [sessions.map((s) => s.session_id), voided.sessionIds, voided.candidateIds, region, q.venueCode ?? null, q.ticketNo || null];
    const [{ total }]: { total: string }[] = await ds.query(
      `WITH ${PLACES_CTE} SELECT count(DISTINCT ticket_no) AS total FROM places WHERE ($6::text IS NULL OR starts_with(ticket_no, $6))`,
      params,
    );
    const rows: { session_id: string; ticket_no: string; name: string; venue_code: string; room_code: string; status: string | null; objective_score: string | null; is_voided: boolean }[] = await ds.query(
      `WITH ${PLACES_CTE},
       page AS (SELECT DISTINCT ticket_no FROM places WHERE ($6::text IS NULL OR starts_with(ticket_no, $6)) ORDER BY ticket_no LIMIT $7 OFFSET $8)
       SELECT p.session_id, p.ticket_no, p.name, p.venue_code, p.room_code, p.status, p.objective_score, p.is_voided
       FROM places p JOIN page USING (ticket_no) ORDER BY p.ticket_no`,
      [...params, q.pageSize, (q.page - 1) * q.pageSize],
    );
    const order = new Map(sessions.map((s, i) => [s.session_id, i]));
    const subjectOf = new Map(sessions.map((s) => [s.session_id, s.subject_code]));
    const byTicket = new Map<string, CandidateResultPage['candidates'][number]>();
    for (const r of rows.sort((a, b) => (order.get(a.session_id) ?? 0) - (order.get(b.session_id) ?? 0))) {
      const entry = byTicket.get(r.ticket_no) ?? { ticketNo: r.ticket_no, name: r.name, subjects: [] };
      const status = subjectResultStatus(r.status, r.is_voided);
      entry.subjects.push({
        subjectCode: subjectOf.get(r.session_id) ?? '', sessionId: r.session_id, venueCode: r.venue_code, roomCode: r.room_code, status,
        score: status === 'scored' && r.objective_score !== null ? Number(r.objective_score) : null,
      });
      byTicket.set(r.ticket_no, entry);
    }
    const candidates = [...byTicket.values()].sort((a, b) => (a.ticketNo < b.ticketNo ? -1 : 1));
    return { total: Number(total), page: q.page, pageSize: q.pageSize, candidates };
  }
}
