import {
  AllocationSummary,
  ErrorBody,
  IntakeSession,
  IntakeStatusRow,
  PhotoError,
  PhotoImportResult,
  RegistrationImportResult,
  RoomPackageDetail,
  RowError,
  ScoreRow,
  SessionCompleteness,
  SignedReceipt,
  StaffIdentity,
} from '@kaowu/contracts';
import { z } from 'zod';

/** A failed call, with a message a person can act on (zh-CN and en) and the server's details. */
export class ApiError extends Error {
  constructor(
    readonly messageZh: string,
    readonly messageEn: string,
    readonly code?: string,
    readonly details?: Record<string, unknown>,
    /** The input field at fault, when the server names one. */
    readonly field?: string,
  ) {
    super(messageEn);
    this.name = 'ApiError';
  }
}

const TOKEN_KEY = 'kaowu.staffToken';
/** The staff token of this browser tab (none on the province's own machine, where loopback is the admin). */
export const staffToken = {
  get: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  set: (token: string | null) => (token ? sessionStorage.setItem(TOKEN_KEY, token) : sessionStorage.removeItem(TOKEN_KEY)),
};

async function call(path: string, init: RequestInit, fetchFn: typeof fetch): Promise<Response> {
  const token = staffToken.get();
  let res: Response;
  try {
    res = await fetchFn(path, { ...init, headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.headers as Record<string, string> | undefined) } });
  } catch {
    throw new ApiError('无法连接省级服务器，请检查网络后重试', 'Cannot reach the provincial server');
  }
  if (!res.ok) {
    const error = ErrorBody.safeParse(await res.json().catch(() => undefined));
    if (error.success) throw new ApiError(error.data.message, error.data.messageEn, error.data.code, error.data.details, error.data.field);
    throw new ApiError(`服务器返回错误（HTTP ${res.status}）`, `Server error (HTTP ${res.status})`);
  }
  return res;
}

export async function json<T extends z.ZodTypeAny>(path: string, schema: T, fetchFn: typeof fetch, init: RequestInit = {}): Promise<z.infer<T>> {
  const body: unknown = await (await call(path, init, fetchFn)).json().catch(() => undefined);
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ApiError('服务器返回的数据格式不正确', 'The server sent malformed data');
  return parsed.data;
}

const enc = encodeURIComponent;

export const fetchIntake = (fetchFn: typeof fetch = fetch) => json('/api/v1/intake', z.array(IntakeStatusRow), fetchFn);
export const fetchScores = (fetchFn: typeof fetch = fetch) => json('/api/v1/scores', z.array(ScoreRow), fetchFn);
export const fetchMe = (fetchFn: typeof fetch = fetch) => json('/api/v1/me', StaffIdentity, fetchFn);

export const SittingListItem = z.object({ sittingCode: z.string(), name: z.string() });
export const fetchSittings = (fetchFn: typeof fetch = fetch) => json('/api/v1/sittings', z.array(SittingListItem), fetchFn);

export const RegistrantRow = z.object({
  idType: z.string(),
  idNo: z.string(),
  name: z.string(),
  gender: z.string(),
  regionCode: z.string(),
  phone: z.string(),
  ticketNo: z.string().nullable(),
  subjects: z.array(z.string()),
  hasPhoto: z.boolean(),
});
export type RegistrantRow = z.infer<typeof RegistrantRow>;
export const RegistrantPage = z.object({ total: z.number().int(), page: z.number().int(), pageSize: z.number().int(), registrants: z.array(RegistrantRow) });
export type RegistrantPage = z.infer<typeof RegistrantPage>;

export function fetchRegistrants(sittingCode: string, q: { page: number; pageSize: number; regionCode?: string; idNo?: string }, fetchFn: typeof fetch = fetch) {
  const params = new URLSearchParams({ page: String(q.page), pageSize: String(q.pageSize) });
  if (q.regionCode) params.set('regionCode', q.regionCode);
  if (q.idNo) params.set('idNo', q.idNo);
  return json(`/api/v1/sittings/${enc(sittingCode)}/registrants?${params}`, RegistrantPage, fetchFn);
}

/** What an import refused: the rows (or photo files) at fault, from IMPORT_HAS_ERRORS. */
export const importProblems = (error: ApiError): { rowErrors: RowError[]; photoErrors: PhotoError[]; errorCount: number } => {
  const errors = Array.isArray(error.details?.['errors']) ? (error.details['errors'] as unknown[]) : [];
  return {
    rowErrors: errors.flatMap((e) => (RowError.safeParse(e).success ? [e as RowError] : [])),
    photoErrors: errors.flatMap((e) => (PhotoError.safeParse(e).success ? [e as PhotoError] : [])),
    errorCount: Number(error.details?.['errorCount'] ?? errors.length),
  };
};

export function importRegistrants(sittingCode: string, file: File, importCleanRowsOnly: boolean, fetchFn: typeof fetch = fetch) {
  const format = file.name.toLowerCase().endsWith('.csv') ? 'csv' : 'xlsx';
  return json(`/api/v1/sittings/${enc(sittingCode)}/registrations/import?format=${format}&importCleanRowsOnly=${importCleanRowsOnly}`, RegistrationImportResult, fetchFn, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body: file,
  });
}

export function importPhotos(sittingCode: string, file: File, importCleanRowsOnly: boolean, fetchFn: typeof fetch = fetch) {
  return json(`/api/v1/sittings/${enc(sittingCode)}/photos/import?importCleanRowsOnly=${importCleanRowsOnly}`, PhotoImportResult, fetchFn, {
    method: 'POST',
    headers: { 'content-type': 'application/zip' },
    body: file,
  });
}

export const runAllocation = (sittingCode: string, fetchFn: typeof fetch = fetch) => json(`/api/v1/sittings/${enc(sittingCode)}/allocation`, AllocationSummary, fetchFn, { method: 'POST' });

/** The latest allocation report, or null while the sitting has none. */
export async function fetchAllocation(sittingCode: string, fetchFn: typeof fetch = fetch): Promise<AllocationSummary | null> {
  try {
    return await json(`/api/v1/sittings/${enc(sittingCode)}/allocation`, AllocationSummary, fetchFn);
  } catch (e) {
    if (e instanceof ApiError && e.code === 'NOT_FOUND') return null;
    throw e;
  }
}

export const RegistrantSeats = z.object({
  idNo: z.string(),
  name: z.string(),
  ticketNo: z.string(),
  seats: z.array(z.object({ subjectCode: z.string(), subjectName: z.string(), batchCode: z.string(), startsAt: z.string(), venueCode: z.string(), venueName: z.string(), address: z.string().nullable(), roomCode: z.string(), seatNo: z.number().int() })),
});
export type RegistrantSeats = z.infer<typeof RegistrantSeats>;
export const fetchSeats = (sittingCode: string, idNo: string, fetchFn: typeof fetch = fetch) => json(`/api/v1/sittings/${enc(sittingCode)}/registrants/${enc(idNo)}/seats`, RegistrantSeats, fetchFn);

/** The ticket PDF as a blob (sent with the staff token, so it cannot be a plain link). */
export async function fetchTicketPdf(sittingCode: string, idNo: string, fetchFn: typeof fetch = fetch): Promise<Blob> {
  return (await call(`/api/v1/sittings/${enc(sittingCode)}/registrants/${enc(idNo)}/ticket.pdf`, { headers: { accept: 'application/pdf' } }, fetchFn)).blob();
}

/** A refusal from the intake: its stable code with the messages. */
export class IntakeRefusal extends ApiError {
  constructor(
    override readonly code: string,
    messageZh: string,
    messageEn: string,
  ) {
    super(messageZh, messageEn);
    this.name = 'IntakeRefusal';
  }
}

/**
 * 离线导入: a room package file (.kwr) from removable media with the digest from its checksum
 * file (.sha256); the province verifies both exactly as it verifies an upload.
 */
export async function importResultFile(bytes: ArrayBuffer, checksumFileText: string, fetchFn: typeof fetch = fetch): Promise<SignedReceipt> {
  let res: Response;
  try {
    res = await fetchFn('/api/v1/result-files', {
      method: 'POST',
      headers: {
        accept: 'application/json',
        'content-type': 'application/octet-stream',
        'x-package-sha256': checksumFileText.trim().split(/\s+/)[0] ?? '',
        ...(staffToken.get() ? { authorization: `Bearer ${staffToken.get()}` } : {}),
      },
      body: bytes,
    });
  } catch {
    throw new ApiError('无法连接省级服务器，请检查网络后重试', 'Cannot reach the provincial server');
  }
  const body: unknown = await res.json().catch(() => undefined);
  if (!res.ok) {
    const error = ErrorBody.safeParse(body);
    if (error.success) throw new IntakeRefusal(error.data.code, error.data.message, error.data.messageEn);
    throw new ApiError(`服务器返回错误（HTTP ${res.status}）`, `Server error (HTTP ${res.status})`);
  }
  const receipt = SignedReceipt.safeParse(body);
  if (!receipt.success) throw new ApiError('服务器返回的回执格式不正确', 'The server sent a malformed receipt');
  return receipt.data;
}

export const fetchIntakeSessions = (fetchFn: typeof fetch = fetch) => json('/api/v1/completeness/sessions', z.array(IntakeSession), fetchFn);
export const fetchCompleteness = (sessionId: string, fetchFn: typeof fetch = fetch) =>
  json(`/api/v1/sessions/${encodeURIComponent(sessionId)}/completeness`, SessionCompleteness, fetchFn);
export const fetchPackageDetail = (packageId: string, fetchFn: typeof fetch = fetch) =>
  json(`/api/v1/result-packages/${encodeURIComponent(packageId)}`, RoomPackageDetail, fetchFn);
