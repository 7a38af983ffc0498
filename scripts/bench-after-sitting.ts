/**
 * After-the-sitting benchmark: a generated sitting (2 batches × 2 subjects) whose every room
 * package arrives at a real provincial server, then the province's reports are timed —
 * 汇总 (summary), one page of candidate results, the incident list, the signed 完整性报告
 * (every chain head re-verified) and one session's 部级上报 export.
 *   npm run bench:after-sitting -- [--candidates 10000] [--rooms 140] [--json]
 * Embedded database by default; a throwaway database on DATABASE_URL. One JSON line at the end.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import type { AttemptResult, VenuePackage } from '@kaowu/contracts';
import { decryptBlob, fromBase64, fromUtf8, generatePartyKeys, initCrypto, openSealedDataKey, publicKeysOf, type PartyKeys } from '@kaowu/crypto';
import { ManualClock, withResidentIdCheck } from '@kaowu/exam-domain';
import { createScratchDatabase } from '@kaowu/persistence';
import { ProvincialConfigSchema, createProvincialServer } from '@kaowu/provincial-core';
import { OPTION_KEYS, TWO_BATCHES, TWO_BATCH_SUBJECTS, buildRoomPackage, fourItemPaper, venueSignedFetch } from '@kaowu/testing';

const { values } = parseArgs({ options: { candidates: { type: 'string', default: '10000' }, rooms: { type: 'string', default: '140' }, json: { type: 'boolean', default: false } } });
const candidates = Number(values.candidates);
const roomCount = Number(values.rooms);
if (!Number.isInteger(candidates) || candidates < 10 || candidates > 200_000) fail('--candidates must be a whole number from 10 to 200000');
if (!Number.isInteger(roomCount) || roomCount < 10 || roomCount % 10 !== 0) fail('--rooms must be a multiple of 10 (ten rooms a venue)');
function fail(message: string): never {
  console.error(message);
  process.exit(2);
}
const log = (m: string) => values.json || console.error(m);

const SUBJECTS = TWO_BATCH_SUBJECTS;
const BATCHES = TWO_BATCHES;
const KEYS = OPTION_KEYS;
const venues = Array.from({ length: roomCount / 10 }, (_, v) => `V${String(v + 1).padStart(3, '0')}`);

async function main() {
  await initCrypto();
  const workDir = mkdtempSync(join(tmpdir(), 'kaowu-bench-after-'));
  const scratch = process.env['DATABASE_URL'] ? await createScratchDatabase(process.env['DATABASE_URL'], 'kaowu_bench_after_sitting') : undefined;
  const clock = new ManualClock(new Date('2026-08-01T00:00:00Z'));
  const server = await createProvincialServer(ProvincialConfigSchema.parse({ PROVINCIAL_PORT: '0', PROVINCIAL_DATA_DIR: join(workDir, 'provincial'), DATABASE_URL: scratch?.url }), { clock, keyStrength: 'interactive', quiet: true });
  const api = `${server.url}/api/v1`;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies are used as the API documents them
  const send = async (method: string, path: string, body?: unknown, type = 'application/json'): Promise<any> => {
    const res = await fetch(api + path, { method, headers: { 'content-type': type }, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  const timed = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
    const t = performance.now();
    const r = await fn();
    return [r, Math.round(performance.now() - t) / 1000];
  };
  try {
    log(`planning: ${candidates} candidates, ${venues.length} venues × 10 rooms, 2 batches × 2 subjects`);
    await send('PUT', '/regions', { regions: [{ regionCode: '520100', name: '贵阳市' }] });
    await send('POST', '/sittings', { sittingCode: 'ZJ2026', name: '2026年度中级会计资格', subjects: SUBJECTS, batches: BATCHES });
    const venueKeys: Record<string, PartyKeys> = {};
    for (const v of venues) {
      await send('POST', '/venues', { venueCode: v, name: `考点${v}`, rooms: Array.from({ length: 10 }, (_, r) => ({ roomCode: `R${String(r + 1).padStart(2, '0')}`, name: `第${r + 1}考场`, rows: 5, cols: 8 })) });
      await send('PUT', `/venues/${v}/planning`, { regionCode: '520100', address: '贵阳市' });
      venueKeys[v] = generatePartyKeys(`venue-${v}`);
      await send('POST', `/venues/${v}/keys`, publicKeysOf(venueKeys[v]));
    }
    const rows = Array.from({ length: candidates }, (_, i) => {
      const idNo = withResidentIdCheck(`520102${new Date(Date.UTC(1975, 0, 1) + Math.floor(i / 1000) * 86_400_000 * 3).toISOString().slice(0, 10).replace(/-/g, '')}${String(i % 1000).padStart(3, '0')}`);
      return `考生${i},${Number(idNo[16]) % 2 === 1 ? '男' : '女'},居民身份证,${idNo},贵阳市,"中级会计实务、经济法",138${String(i).padStart(8, '0')}`;
    });
    await send('POST', '/sittings/ZJ2026/registrations/import?format=csv', ['姓名,性别,证件类型,证件号码,地区,报考科目,手机号', ...rows].join('\n'), 'text/csv');
    await send('POST', '/sittings/ZJ2026/allocation');
    const sessions: { sessionId: string; startsAt: Date; minutes: number; subjectCode: string }[] = [];
    for (const s of SUBJECTS) {
      await send('POST', '/exams', { examCode: `ZJ2026-${s.subjectCode}`, examName: '2026年度中级会计资格', subjectCode: s.subjectCode, subjectName: s.subjectName, durationMinutes: s.durationMinutes });
      await send('POST', '/papers', fourItemPaper(s.subjectCode));
    }
    for (const b of BATCHES)
      for (const s of SUBJECTS) {
        const sessionId = `${b.batchCode}-${s.subjectCode}`;
        const r = await send('POST', '/sittings/ZJ2026/sessions', { sessionId, batchCode: b.batchCode, subjectCode: s.subjectCode, paperId: `P-${s.subjectCode}`, releaseAt: '2026-09-01T00:00:00Z' });
        sessions.push({ sessionId, startsAt: new Date(r.startsAt), minutes: s.durationMinutes, subjectCode: s.subjectCode });
      }

    // Every room of every session: 5% absent, a violation in every tenth room, answers by a fixed pattern.
    log('sealing and uploading every room package');
    let k = 0;
    let packages = 0;
    let attempts = 0;
    let incidents = 0;
    const [, intakeSeconds] = await timed(async () => {
      for (const s of sessions) {
        clock.set(new Date(s.startsAt.getTime() + (s.minutes + 10) * 60_000));
        const at = (m: number) => new Date(s.startsAt.getTime() + m * 60_000).toISOString();
        for (const v of venues) {
          const frozen = await send('POST', `/venue-packages/${v}/${s.sessionId}/freeze`, {}).catch(() => null);
          if (!frozen) continue;
          const pulled = await venueSignedFetch(venueKeys[v], clock.now().getTime(), 'GET', `${api}/venue-packages/${v}/${s.sessionId}`);
          if (!pulled.ok) continue;
          const pkg = (await pulled.json()) as VenuePackage;
          const roster: { candidates: { candidateId: string; ticketNo: string; roomCode: string }[] } = JSON.parse(fromUtf8(decryptBlob(fromBase64(pkg.roster), openSealedDataKey(pkg.manifest.body.roster.sealedKey, venueKeys[v]))));
          const byRoom = new Map<string, typeof roster.candidates>();
          for (const c of roster.candidates) byRoom.set(c.roomCode, [...(byRoom.get(c.roomCode) ?? []), c]);
          for (const [roomCode, people] of byRoom) {
            const list: AttemptResult[] = people.map((c) => {
              const n = k++;
              const absent = n % 20 === 7;
              return {
                attemptId: absent ? `absent-${s.sessionId}-${c.candidateId}` : `att-${s.sessionId}-${c.candidateId}`, candidateId: c.candidateId, ticketNo: c.ticketNo,
                status: absent ? 'absent' : n % 3 === 0 ? 'submitted' : 'ended', loggedInAt: absent ? null : at(-20), endedAt: absent ? null : at(100),
                events: absent ? [] : KEYS.map((correct, i) => ({ seq: i + 1, itemId: `S${i + 1}`, value: { kind: 'choice' as const, selected: [i < n % 5 ? correct : KEYS[(i + 1) % 4]] }, receivedAt: at(10 + i) })),
              };
            });
            const withIncident = packages % 10 === 0 && list.some((a) => a.status !== 'absent');
            const culprit = list.find((a) => a.status !== 'absent');
            const room = buildRoomPackage({
              venueKeys: venueKeys[v], provinceBoxPublicKey: server.ctx.keys.box.publicKey, venueCode: v, roomCode, sessionId: s.sessionId, paperId: `P-${s.subjectCode}`, closedAt: at(s.minutes), attempts: list,
              incidents: withIncident && culprit ? [{ auditId: 1, at: at(50), action: 'incident.violation', actor: `proctor:${roomCode}`, ticketNo: culprit.ticketNo, reason: '交头接耳', category: 'communication' }] : [],
            });
            const uploaded = await venueSignedFetch(venueKeys[v], clock.now().getTime(), 'POST', `${api}/results`, room);
            if (!uploaded.ok) throw new Error(`POST /results: ${uploaded.status} ${await uploaded.text()}`);
            packages++;
            attempts += list.length;
            if (withIncident) incidents++;
          }
        }
      }
    });
    log(`${packages} packages, ${attempts} attempts in ${intakeSeconds} s; timing the reports`);
    clock.set(new Date('2026-09-08T02:00:00Z'));
    const [summary, summarySeconds] = await timed(() => send('GET', '/sittings/ZJ2026/summary'));
    const [, candidatePageSeconds] = await timed(() => send('GET', '/sittings/ZJ2026/candidate-results?page=50&pageSize=50'));
    const [list, incidentListSeconds] = await timed(() => send('GET', '/sittings/ZJ2026/incidents?status=open&pageSize=50'));
    const [, decideSeconds] = await timed(() => send('POST', `/sittings/ZJ2026/incidents/${encodeURIComponent(list.incidents[0].incidentId)}/decisions`, { decision: 'void_sitting', basis: '第六条', expectedRevision: 0 }));
    const [report, integritySeconds] = await timed(() => send('GET', '/sittings/ZJ2026/integrity-report'));
    const [exported, ministryExportSeconds] = await timed(() => send('GET', '/sessions/B1-ZJSW/ministry-export'));
    const result = {
      candidates, venues: venues.length, rooms: roomCount, sessions: sessions.length, packages, attempts, incidents, database: scratch ? 'postgres' : 'embedded',
      intakeSeconds, summarySeconds, candidatePageSeconds, incidentListSeconds, decideSeconds, integritySeconds, ministryExportSeconds,
      expected: summary.totals.expected, voided: summary.totals.voided, integrityPassed: report.body.passed, exportCandidates: exported.results.length, exportBytes: JSON.stringify(exported).length,
    };
    console.log(JSON.stringify(result));
  } finally {
    await server.close();
    await scratch?.drop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
