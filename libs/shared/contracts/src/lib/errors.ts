import { z } from 'zod';

/**
 * Stable error codes shared by every boundary (HTTP bodies, socket events, package intake).
 * A code never changes meaning once released; clients switch on it, people read the message.
 */
export const ErrorCode = z.enum([
  'VALIDATION_FAILED',
  'NOT_FOUND',
  'CONFLICT',
  'UNAUTHORIZED',
  'FORBIDDEN',
  // staff roles at the province: outside the caller's region, or a change by a read-only role
  'REGION_FORBIDDEN',
  'ROLE_FORBIDDEN',
  // exam machine / candidate
  'MACHINE_NOT_ATTESTED',
  'MACHINE_UNKNOWN',
  'LOGIN_FAILED',
  // too many failed logins for one ticket: locked until the proctor lifts it
  'LOGIN_LOCKED',
  'LOGIN_TOO_EARLY',
  'LOGIN_TOO_LATE',
  'WRONG_SEAT',
  'SESSION_CLOSED',
  'NOT_STARTED',
  'ATTEMPT_NOT_YOURS',
  'ATTEMPT_ENDED',
  'LEASE_SUPERSEDED',
  'SEQ_CONFLICT',
  'SEQ_GAP',
  'UNKNOWN_ITEM',
  'HAND_IN_TOO_EARLY',
  'EXAM_PAUSED',
  'SEAT_TAKEN',
  // proctoring
  'ABSENCE_TOO_EARLY',
  'ANOMALIES_OPEN',
  // 补时 above the threshold: one request per candidate waits for the chief examiner
  'EXTENSION_PENDING',
  'EXTENSION_DECIDED',
  // venue staff sign-in: too many wrong codes for one 工号
  'SIGN_IN_LOCKED',
  // technician
  'CHECKS_FAILED',
  // packages
  'PACKAGE_SIGNATURE_INVALID',
  'PACKAGE_UNKNOWN_SIGNER',
  'PACKAGE_TAMPERED',
  'PACKAGE_TRUNCATED',
  'PACKAGE_REPLAYED',
  'PACKAGE_WRONG_SESSION',
  'PACKAGE_INCOMPLETE',
  'PACKAGE_NOT_RELEASED',
  // planning imports: row-level errors in details.errors
  'IMPORT_HAS_ERRORS',
  // staff tokens past their expiry; online ticket printing before its opening; too many lookups from one address
  'TOKEN_EXPIRED',
  'TICKET_PRINTING_NOT_OPEN',
  'RATE_LIMITED',
  // result upload and intake (issue 6)
  'PACKAGE_KEY_REVOKED',
  'UPLOAD_CHUNK_CORRUPT',
  'UPLOAD_OFFSET_MISMATCH',
  'UPLOAD_INCOMPLETE',
  'UPLOAD_CHECKSUM_MISMATCH',
  // request hygiene (issue 14): a body over the route's limit, a content type the route does not take
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  // deny by default (issue 14): a route that declares no policy, a state change from a page of another origin
  'ROUTE_POLICY_MISSING',
  'ORIGIN_FORBIDDEN',
  // a venue's signed request (package pull, key release, result upload) that does not verify
  'VENUE_SIGNATURE_INVALID',
  // two-person rule for venue key changes; a package must be frozen before a venue may pull it
  'APPROVAL_REQUIRED',
  'KEY_CHANGE_REFUSED',
  'PACKAGE_NOT_FROZEN',
  'INTERNAL',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorBody = z.object({
  code: ErrorCode,
  field: z.string().optional(),
  message: z.string(),
  messageEn: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** Socket acknowledgement envelope: every request event is answered with one of these. */
export const ackOk = <T extends z.ZodTypeAny>(data: T) => z.object({ ok: z.literal(true), data });
export const AckError = z.object({ ok: z.literal(false), error: ErrorBody });
export type AckError = z.infer<typeof AckError>;
export type Ack<T> = { ok: true; data: T } | AckError;

/** Turn a zod failure into the shared error body (first issue names the field). */
export function validationError(error: z.ZodError, where: string): ErrorBody {
  const first = error.issues[0];
  const field = first?.path.join('.') || undefined;
  return {
    code: 'VALIDATION_FAILED',
    field,
    message: `${where}数据格式不正确${field ? `（字段 ${field}）` : ''}：${first?.message ?? ''}`,
    messageEn: `Invalid input${field ? ` (field ${field})` : ''}: ${first?.message ?? ''}`,
  };
}

/** Parse with a schema and return either the value or the shared error body. */
export function parseOrError<T extends z.ZodTypeAny>(
  schema: T,
  input: unknown,
  where: string,
): { ok: true; value: z.infer<T> } | { ok: false; error: ErrorBody } {
  const result = schema.safeParse(input);
  return result.success ? { ok: true, value: result.data } : { ok: false, error: validationError(result.error, where) };
}
