import { CandidateResultPage, DecideIncident, IncidentDetail, IncidentPage, IncidentReviewStatus, MinistryExport, SignedIntegrityReport, SittingSummary } from '@kaowu/contracts';
import { z } from 'zod';
import { ApiError, json } from '../provincial-api';

const enc = encodeURIComponent;
const base = (sittingCode: string) => `/api/v1/sittings/${enc(sittingCode)}`;

export interface IncidentFilter {
  page: number;
  pageSize: number;
  venueCode?: string;
  subjectCode?: string;
  status?: IncidentReviewStatus;
}

export function fetchIncidents(sittingCode: string, f: IncidentFilter, fetchFn: typeof fetch = fetch) {
  const params = new URLSearchParams({ page: String(f.page), pageSize: String(f.pageSize) });
  for (const k of ['venueCode', 'subjectCode', 'status'] as const) if (f[k]) params.set(k, f[k] as string);
  return json(`${base(sittingCode)}/incidents?${params}`, IncidentPage, fetchFn);
}

export const fetchIncident = (sittingCode: string, incidentId: string, fetchFn: typeof fetch = fetch) =>
  json(`${base(sittingCode)}/incidents/${enc(incidentId)}`, IncidentDetail, fetchFn);

export const decideIncident = (sittingCode: string, incidentId: string, decision: DecideIncident, fetchFn: typeof fetch = fetch) =>
  json(`${base(sittingCode)}/incidents/${enc(incidentId)}/decisions`, IncidentDetail, fetchFn, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(decision),
  });

export const fetchSittingSummary = (sittingCode: string, fetchFn: typeof fetch = fetch) => json(`${base(sittingCode)}/summary`, SittingSummary, fetchFn);

export function fetchCandidateResults(sittingCode: string, q: { page: number; pageSize: number; ticketNo?: string; venueCode?: string }, fetchFn: typeof fetch = fetch) {
  const params = new URLSearchParams({ page: String(q.page), pageSize: String(q.pageSize) });
  if (q.ticketNo) params.set('ticketNo', q.ticketNo);
  if (q.venueCode) params.set('venueCode', q.venueCode);
  return json(`${base(sittingCode)}/candidate-results?${params}`, CandidateResultPage, fetchFn);
}

export const fetchIntegrityReport = (sittingCode: string, fetchFn: typeof fetch = fetch) => json(`${base(sittingCode)}/integrity-report`, SignedIntegrityReport, fetchFn);

const SittingSubjects = z.object({ subjects: z.array(z.object({ subjectCode: z.string(), subjectName: z.string() })) });
/** The sitting's subjects in order (for the filters). */
export const fetchSittingSubjects = (sittingCode: string, fetchFn: typeof fetch = fetch) => json(base(sittingCode), SittingSubjects, fetchFn).then((s) => s.subjects);

export const fetchMinistryExport = (sessionId: string, fetchFn: typeof fetch = fetch) => json(`/api/v1/sessions/${enc(sessionId)}/ministry-export`, MinistryExport, fetchFn);

/** A failed call as a message in the reader's language. */
export const errorText = (e: unknown, lang: string) => (e instanceof ApiError ? (lang === 'en' ? e.messageEn : e.messageZh) : String(e));
