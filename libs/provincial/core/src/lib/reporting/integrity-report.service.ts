import { Inject, Injectable } from '@nestjs/common';
import { AnswerEventRecord, IntegrityCheck, IntegrityReport, IntegrityRoom, IntegrityRoomState, ResultManifest, SignedIntegrityReport } from '@kaowu/contracts';
import { SignedDocument, signDocument } from '@kaowu/crypto';
import { attemptChainHead, finalAnswers, finalAnswersDigest } from '@kaowu/exam-domain';
import { DomainError } from '@kaowu/server-kit';
import { PROVINCIAL_CONTEXT, ProvincialContext } from '../provincial-context';
import { UPLOAD_DEADLINE_MINUTES } from '../intake/completeness.service';
import { ROSTER_CTE, sittingSessions } from './session-roster';
import { CURRENT_DECISION_CTE } from './result-voids';

const UNACCOUNTED_LISTED = 100;
/** Room packages whose answer events are read in one query (a few thousand attempts). */
const CHAIN_BATCH_PACKAGES = 50;

/**
 * 完整性报告: for every planned venue × room × session of a sitting, whether its package arrived
 * verified (or is missing / late / refused), the manifest's counts against the rows imported,
 * every attempt's hash-chain head and final-answers digest recomputed from the stored events,
 * every roster candidate accounted for, and the incidents decided vs open. Signed with the
 * province key.
 */
@Injectable()
export class IntegrityReportService {
  constructor(@Inject(PROVINCIAL_CONTEXT) private readonly ctx: ProvincialContext) {}

  async signed(sittingCode: string): Promise<SignedIntegrityReport> {
    return signDocument(await this.report(sittingCode), this.ctx.keys);
  }

  async report(sittingCode: string): Promise<IntegrityReport> {
    const ds = this.ctx.db.dataSource;
    const sessions = await sittingSessions(ds, sittingCode);
    if (sessions.length === 0) throw new DomainError('NOT_FOUND', `考试计划 ${sittingCode} 还没有安排场次`, `sitting ${sittingCode} has no sessions`, 'sittingCode');
    const ids = sessions.map((s) => s.session_id);
    const planned: { session_id: string; venue_code: string; room_code: string; expected: string; unaccounted: string; present: string; absent: string }[] = await ds.query(
      `WITH ${ROSTER_CTE}
       SELECT p.session_id, p.venue_code, p.room_code, count(*) AS expected,
         count(*) FILTER (WHERE a.attempt_id IS NULL) AS unaccounted,
         count(*) FILTER (WHERE a.status IS NOT NULL AND a.status <> 'absent') AS present,
         count(*) FILTER (WHERE a.status = 'absent') AS absent
       FROM placed p LEFT JOIN attempt_result a ON a.session_id = p.session_id AND a.candidate_id = p.candidate_id
       GROUP BY p.session_id, p.venue_code, p.room_code ORDER BY p.session_id, p.venue_code, p.room_code`,
      [ids],
    );
    const unaccountedTickets: { ticket_no: string }[] = await ds.query(
      `WITH ${ROSTER_CTE}
       SELECT DISTINCT p.ticket_no FROM placed p LEFT JOIN attempt_result a ON a.session_id = p.session_id AND a.candidate_id = p.candidate_id
       WHERE a.attempt_id IS NULL ORDER BY p.ticket_no LIMIT ${UNACCOUNTED_LISTED}`,
      [ids],
    );
    const packages: { package_id: string; session_id: string; venue_code: string; room_code: string; received_at: Date; manifest: SignedDocument<ResultManifest>; attempts: string; answers: string }[] = await ds.query(
      `WITH a AS (SELECT package_id, count(*) AS attempts FROM attempt_result WHERE session_id = ANY($1::text[]) GROUP BY package_id),
         e AS (SELECT a.package_id, count(*) AS answers FROM answer_event e JOIN attempt_result a ON a.attempt_id = e.attempt_id WHERE a.session_id = ANY($1::text[]) GROUP BY a.package_id)
       SELECT r.package_id, r.session_id, r.venue_code, r.room_code, r.received_at, r.manifest, coalesce(a.attempts, 0) AS attempts, coalesce(e.answers, 0) AS answers
       FROM result_package r LEFT JOIN a ON a.package_id = r.package_id LEFT JOIN e ON e.package_id = r.package_id WHERE r.session_id = ANY($1::text[])`,
      [ids],
    );
    const refused: { session_id: string; venue_code: string; room_code: string }[] = await ds.query(
      `SELECT DISTINCT ON (session_id, venue_code, room_code) session_id, venue_code, room_code, state FROM result_upload
       WHERE session_id = ANY($1::text[]) ORDER BY session_id, venue_code, room_code, updated_at DESC`,
      [ids],
    ).then((rows: { session_id: string; venue_code: string; room_code: string; state: string }[]) => rows.filter((r) => r.state === 'refused'));
    const [incidents]: { total: string; decided: string }[] = await ds.query(
      `WITH ${CURRENT_DECISION_CTE}
       SELECT count(*) AS total, count(cur.incident_id) AS decided FROM result_incident i LEFT JOIN cur ON cur.incident_id = i.incident_id WHERE i.session_id = ANY($1::text[])`,
      [ids],
    );

    const key = (s: string, v: string, r: string) => `${s}/${v}/${r}`;
    const pkgBy = new Map(packages.map((p) => [key(p.session_id, p.venue_code, p.room_code), p]));
    const refusedSet = new Set(refused.map((r) => key(r.session_id, r.venue_code, r.room_code)));
    const deadlineOf = new Map(sessions.map((s) => [s.session_id, new Date(s.starts_at).getTime() + (s.duration_minutes + UPLOAD_DEADLINE_MINUTES) * 60_000]));

    const broken = await this.brokenChains(packages.map((p) => p.manifest.body));
    const rooms: IntegrityRoom[] = [];
    for (const p of planned) {
      const pkg = pkgBy.get(key(p.session_id, p.venue_code, p.room_code));
      const problems: string[] = [];
      if (!pkg) {
        const state: IntegrityRoomState = refusedSet.has(key(p.session_id, p.venue_code, p.room_code)) ? 'failed' : 'missing';
        problems.push(state === 'failed' ? '数据包被拒收，尚无通过校验的数据包' : '未收到考场数据包');
        rooms.push({ sessionId: p.session_id, venueCode: p.venue_code, roomCode: p.room_code, state, packageId: null, expectedCandidates: Number(p.expected),
          manifestAttempts: null, importedAttempts: null, manifestAnswers: null, importedAnswers: null, chainsVerified: null, problems });
        continue;
      }
      const m = pkg.manifest.body;
      const manifestAnswers = m.attempts.reduce((n, a) => n + a.answerCount, 0);
      if (Number(pkg.attempts) !== m.attempts.length) problems.push(`清单考生数 ${m.attempts.length} 与入库 ${pkg.attempts} 不符`);
      if (Number(pkg.answers) !== manifestAnswers) problems.push(`清单作答数 ${manifestAnswers} 与入库 ${pkg.answers} 不符`);
      const brokenHere = broken.get(pkg.package_id) ?? [];
      if (brokenHere.length > 0) problems.push(`${brokenHere.length} 名考生的作答记录与签名清单的哈希链不符：${brokenHere.slice(0, 10).join('、')}`);
      if (Number(p.unaccounted) > 0) problems.push(`名册中 ${p.unaccounted} 名考生不在数据包中`);
      const late = new Date(pkg.received_at).getTime() > (deadlineOf.get(p.session_id) ?? Infinity);
      if (late) problems.push('数据包在考后 30 分钟时限之后才接收');
      rooms.push({
        sessionId: p.session_id, venueCode: p.venue_code, roomCode: p.room_code, state: late ? 'late' : 'verified', packageId: pkg.package_id,
        expectedCandidates: Number(p.expected), manifestAttempts: m.attempts.length, importedAttempts: Number(pkg.attempts),
        manifestAnswers, importedAnswers: Number(pkg.answers), chainsVerified: brokenHere.length === 0, problems,
      });
    }

    const sum = (k: 'expected' | 'present' | 'absent' | 'unaccounted') => planned.reduce((n, p) => n + Number(p[k]), 0);
    const missing = rooms.filter((r) => r.state === 'missing' || r.state === 'failed');
    const late = rooms.filter((r) => r.state === 'late');
    const countsOff = rooms.filter((r) => r.packageId && (r.manifestAttempts !== r.importedAttempts || r.manifestAnswers !== r.importedAnswers));
    const chainsOff = rooms.filter((r) => r.chainsVerified === false);
    const open = Number(incidents.total) - Number(incidents.decided);
    const unaccounted = sum('unaccounted');
    const names = (list: IntegrityRoom[]) => list.slice(0, 10).map((r) => `${r.sessionId} ${r.venueCode}/${r.roomCode}`).join('、');
    const checks: IntegrityCheck[] = [
      missing.length === 0
        ? { code: 'packages', passed: true, message: `${rooms.length} 个考场场次均已收到通过校验的数据包${late.length ? `（其中 ${late.length} 个逾期）` : ''}`, messageEn: `all ${rooms.length} room sessions have a verified package${late.length ? ` (${late.length} late)` : ''}` }
        : { code: 'packages', passed: false, message: `${missing.length} 个考场场次缺少数据包：${names(missing)}`, messageEn: `${missing.length} room sessions have no verified package` },
      countsOff.length === 0
        ? { code: 'counts', passed: true, message: '各数据包清单的考生数、作答数与入库记录一致', messageEn: 'manifest counts match the imported rows' }
        : { code: 'counts', passed: false, message: `${countsOff.length} 个数据包的清单数量与入库记录不符：${names(countsOff)}`, messageEn: `${countsOff.length} packages' counts differ from the imported rows` },
      chainsOff.length === 0
        ? { code: 'chains', passed: true, message: '全部作答记录的哈希链与最终答案摘要复核一致', messageEn: 'every hash-chain head and final-answers digest re-verified' }
        : { code: 'chains', passed: false, message: `${chainsOff.length} 个数据包的作答记录与签名清单不符：${names(chainsOff)}`, messageEn: `${chainsOff.length} packages' stored answers do not match their signed chain heads` },
      unaccounted === 0
        ? { code: 'roster', passed: true, message: `名册 ${sum('expected')} 人次全部有着落：实到 ${sum('present')}，缺考 ${sum('absent')}`, messageEn: `every one of ${sum('expected')} roster places is accounted for` }
        : { code: 'roster', passed: false, message: `名册中 ${unaccounted} 人次没有考试数据（数据包未到）`, messageEn: `${unaccounted} roster places have no result` },
      open === 0
        ? { code: 'incidents', passed: true, message: `考场记录 ${incidents.total} 条，均已作出处理决定`, messageEn: `all ${incidents.total} incidents decided` }
        : { code: 'incidents', passed: false, message: `考场记录 ${incidents.total} 条，尚有 ${open} 条未处理`, messageEn: `${open} of ${incidents.total} incidents still open` },
    ];
    return {
      format: 'kaowu.integrity-report',
      version: 1,
      sittingCode,
      provinceKeyId: this.ctx.keys.keyId,
      generatedAt: this.ctx.clock.now().toISOString(),
      passed: checks.every((c) => c.passed),
      checks,
      rooms,
      roster: { expected: sum('expected'), present: sum('present'), absent: sum('absent'), unaccounted, unaccountedTickets: unaccountedTickets.map((t) => t.ticket_no) },
      incidents: { total: Number(incidents.total), decided: Number(incidents.decided), open },
    };
  }

  /**
   * Per package, the ticket numbers whose stored events no longer give the chain head / final
   * answers the venue signed. Read a batch of packages at a time: one query each would be a
   * round trip per room, all at once too much memory for a large sitting.
   */
  private async brokenChains(manifests: ResultManifest[]): Promise<Map<string, string[]>> {
    const broken = new Map<string, string[]>();
    for (let i = 0; i < manifests.length; i += CHAIN_BATCH_PACKAGES) {
      const batch = manifests.slice(i, i + CHAIN_BATCH_PACKAGES);
      const events: { attempt_id: string; seq: number; item_id: string; value: AnswerEventRecord['value']; received_at: Date }[] = await this.ctx.db.dataSource.query(
        `SELECT e.attempt_id, e.seq, e.item_id, e.value, e.received_at FROM answer_event e JOIN attempt_result a ON a.attempt_id = e.attempt_id
         WHERE a.package_id = ANY($1::text[]) ORDER BY e.attempt_id, e.seq`,
        [batch.map((m) => m.packageId)],
      );
      const byAttempt = new Map<string, AnswerEventRecord[]>();
      for (const e of events) {
        const list = byAttempt.get(e.attempt_id) ?? [];
        list.push({ seq: Number(e.seq), itemId: e.item_id, value: e.value, receivedAt: new Date(e.received_at).toISOString() });
        byAttempt.set(e.attempt_id, list);
      }
      for (const m of batch)
        broken.set(
          m.packageId,
          m.attempts
            .filter((a) => {
              const list = byAttempt.get(a.attemptId) ?? [];
              return attemptChainHead(list) !== a.chainHead || finalAnswersDigest(finalAnswers(list)) !== a.finalAnswersSha256;
            })
            .map((a) => a.ticketNo),
        );
    }
    return broken;
  }
}
