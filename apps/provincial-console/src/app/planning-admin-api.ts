import { AuditLogPage, StaffToken, StaffTokenIssued, TicketPrintingSitting, VenueOverview, type CreateVenue, type StaffRole, type UpdateSitting, type VenuePlanning } from '@kaowu/contracts';
import { z } from 'zod';
import { call, json } from './provincial-api';

const enc = encodeURIComponent;
const query = (q: Record<string, string | number | undefined | null>) => {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const text = params.toString();
  return text ? `?${text}` : '';
};

/** 考试计划 as the server returns it: start instants per batch subject. */
export const SittingPlan = z.object({
  sittingCode: z.string(),
  name: z.string(),
  minMinutesBeforeHandIn: z.number().int(),
  lateLoginCutoffMinutes: z.number().int(),
  subjects: z.array(z.object({ subjectCode: z.string(), subjectName: z.string(), durationMinutes: z.number().int() })),
  batches: z.array(z.object({ batchCode: z.string(), name: z.string(), date: z.string(), subjects: z.array(z.object({ subjectCode: z.string(), startsAt: z.string() })) })),
});
export type SittingPlan = z.infer<typeof SittingPlan>;

export const fetchSitting = (sittingCode: string, fetchFn: typeof fetch = fetch) => json(`/api/v1/sittings/${enc(sittingCode)}`, SittingPlan, fetchFn);
export const updateSitting = (sittingCode: string, plan: UpdateSitting, fetchFn: typeof fetch = fetch) =>
  json(`/api/v1/sittings/${enc(sittingCode)}`, SittingPlan, fetchFn, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(plan) });
export const createSitting = (plan: UpdateSitting & { sittingCode: string }, fetchFn: typeof fetch = fetch) =>
  json('/api/v1/sittings', SittingPlan, fetchFn, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(plan) });

export const setTicketPrinting = (sittingCode: string, opensAt: string, fetchFn: typeof fetch = fetch) =>
  json(`/api/v1/sittings/${enc(sittingCode)}/ticket-printing`, z.object({ sittingCode: z.string(), opensAt: z.string() }), fetchFn, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ opensAt }),
  });
export const fetchTicketPrinting = (fetchFn: typeof fetch = fetch) => json('/api/v1/ticket-printing', z.array(TicketPrintingSitting), fetchFn);

export const Region = z.object({ regionCode: z.string(), name: z.string() });
export type Region = z.infer<typeof Region>;
export const fetchRegions = (fetchFn: typeof fetch = fetch) => json('/api/v1/regions', z.array(Region), fetchFn);
export const fetchVenues = (q: { regionCode?: string; sittingCode?: string }, fetchFn: typeof fetch = fetch) => json(`/api/v1/venues${query(q)}`, z.array(VenueOverview), fetchFn);

/** 新增考点 with its rooms (seat layout rows × columns). */
export const createVenue = (venue: CreateVenue, fetchFn: typeof fetch = fetch) =>
  json('/api/v1/venues', z.object({ venueCode: z.string() }).loose(), fetchFn, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(venue) });

/** A venue's planning data: region, address, spare room, technical contacts, proctors per room. */
export const setVenuePlanning = (venueCode: string, planning: VenuePlanning, fetchFn: typeof fetch = fetch) =>
  json(`/api/v1/venues/${enc(venueCode)}/planning`, z.object({ venueCode: z.string() }).loose(), fetchFn, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(planning) });

export const fetchStaffTokens = (fetchFn: typeof fetch = fetch) => json('/api/v1/staff-tokens', z.array(StaffToken), fetchFn);
export const issueStaffToken = (input: { label: string; role: StaffRole; regionCode?: string; validDays?: number }, fetchFn: typeof fetch = fetch) =>
  json('/api/v1/staff-tokens', StaffTokenIssued, fetchFn, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) });
export const revokeStaffToken = (tokenId: string, fetchFn: typeof fetch = fetch) => json(`/api/v1/staff-tokens/${enc(tokenId)}`, StaffToken, fetchFn, { method: 'DELETE' });

export interface AuditFilters {
  page: number;
  pageSize: number;
  actor?: string;
  action?: string;
  from?: string;
  to?: string;
}
export const fetchAuditLog = (f: AuditFilters, fetchFn: typeof fetch = fetch) => json(`/api/v1/audit-log${query({ ...f })}`, AuditLogPage, fetchFn);
export const fetchAuditActions = (fetchFn: typeof fetch = fetch) => json('/api/v1/audit-log/actions', z.array(z.string()), fetchFn);

/** The export URLs (导出 Excel), with a list's filters. */
export const exportUrls = {
  registrants: (sittingCode: string, f: { regionCode?: string; idNo?: string }) => `/api/v1/sittings/${enc(sittingCode)}/registrants.xlsx${query(f)}`,
  placements: (sittingCode: string, venueCode?: string) => `/api/v1/sittings/${enc(sittingCode)}/allocation/placements.xlsx${query({ venueCode })}`,
  unplaced: (sittingCode: string) => `/api/v1/sittings/${enc(sittingCode)}/allocation/unplaced.xlsx`,
  venues: (f: { regionCode?: string; sittingCode?: string }) => `/api/v1/venues.xlsx${query(f)}`,
  audit: (f: Omit<AuditFilters, 'page' | 'pageSize'>) => `/api/v1/audit-log.xlsx${query({ ...f })}`,
  venueTickets: (sittingCode: string, venueCode: string) => `/api/v1/sittings/${enc(sittingCode)}/venues/${enc(venueCode)}/tickets.pdf`,
};

/**
 * Download a file the server makes (sent with the staff token, so it cannot be a plain link):
 * the browser saves it under the server's file name.
 */
export async function downloadFile(path: string, fallbackName: string, fetchFn: typeof fetch = fetch): Promise<string> {
  const res = await call(path, { headers: { accept: '*/*' } }, fetchFn);
  const disposition = res.headers.get('content-disposition') ?? '';
  const match = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  const name = match ? decodeURIComponent(match[1]) : fallbackName;
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return name;
}
