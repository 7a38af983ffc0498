import { ErrorBody, IntakeSession, IntakeStatusRow, RoomPackageDetail, ScoreRow, SessionCompleteness, SignedReceipt } from '@kaowu/contracts';
import { z } from 'zod';

/** A failed call, with a message a person can act on (zh-CN and en). */
export class ApiError extends Error {
  constructor(
    readonly messageZh: string,
    readonly messageEn: string,
  ) {
    super(messageEn);
    this.name = 'ApiError';
  }
}

async function getJson<T extends z.ZodTypeAny>(path: string, schema: T, fetchFn: typeof fetch): Promise<z.infer<T>> {
  let res: Response;
  try {
    res = await fetchFn(path, { headers: { accept: 'application/json' } });
  } catch {
    throw new ApiError('无法连接省级服务器，请检查网络后重试', 'Cannot reach the provincial server');
  }
  const body: unknown = await res.json().catch(() => undefined);
  if (!res.ok) {
    const error = ErrorBody.safeParse(body);
    if (error.success) throw new ApiError(error.data.message, error.data.messageEn);
    throw new ApiError(`服务器返回错误（HTTP ${res.status}）`, `Server error (HTTP ${res.status})`);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ApiError('服务器返回的数据格式不正确', 'The server sent malformed data');
  return parsed.data;
}

export const fetchIntake = (fetchFn: typeof fetch = fetch) => getJson('/api/v1/intake', z.array(IntakeStatusRow), fetchFn);
export const fetchScores = (fetchFn: typeof fetch = fetch) => getJson('/api/v1/scores', z.array(ScoreRow), fetchFn);

/** A refusal from the intake: its stable code with the messages. */
export class IntakeRefusal extends ApiError {
  constructor(
    readonly code: string,
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
      headers: { accept: 'application/json', 'content-type': 'application/octet-stream', 'x-package-sha256': checksumFileText.trim().split(/\s+/)[0] ?? '' },
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

export const fetchIntakeSessions = (fetchFn: typeof fetch = fetch) => getJson('/api/v1/completeness/sessions', z.array(IntakeSession), fetchFn);
export const fetchCompleteness = (sessionId: string, fetchFn: typeof fetch = fetch) =>
  getJson(`/api/v1/sessions/${encodeURIComponent(sessionId)}/completeness`, SessionCompleteness, fetchFn);
export const fetchPackageDetail = (packageId: string, fetchFn: typeof fetch = fetch) =>
  getJson(`/api/v1/result-packages/${encodeURIComponent(packageId)}`, RoomPackageDetail, fetchFn);
