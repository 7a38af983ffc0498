import { ErrorBody, ErrorCode } from '@kaowu/contracts';
import { ZodError, ZodType } from 'zod';
import { validationError } from '@kaowu/contracts';

const HTTP_STATUS: Partial<Record<ErrorCode, number>> = {
  VALIDATION_FAILED: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  REGION_FORBIDDEN: 403,
  ROLE_FORBIDDEN: 403,
  PACKAGE_SIGNATURE_INVALID: 422,
  PACKAGE_UNKNOWN_SIGNER: 422,
  PACKAGE_TAMPERED: 422,
  PACKAGE_TRUNCATED: 422,
  PACKAGE_REPLAYED: 409,
  PACKAGE_WRONG_SESSION: 422,
  PACKAGE_INCOMPLETE: 422,
  PACKAGE_NOT_RELEASED: 403,
  IMPORT_HAS_ERRORS: 422,
  TOKEN_EXPIRED: 401,
  TICKET_PRINTING_NOT_OPEN: 403,
  RATE_LIMITED: 429,
  PACKAGE_KEY_REVOKED: 422,
  UPLOAD_CHUNK_CORRUPT: 422,
  UPLOAD_OFFSET_MISMATCH: 409,
  UPLOAD_INCOMPLETE: 409,
  UPLOAD_CHECKSUM_MISMATCH: 422,
  CHECKS_FAILED: 409,
  EXTENSION_PENDING: 409,
  EXTENSION_DECIDED: 409,
  SIGN_IN_LOCKED: 429,
  LOGIN_LOCKED: 429,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  ROUTE_POLICY_MISSING: 403,
  ORIGIN_FORBIDDEN: 403,
  VENUE_SIGNATURE_INVALID: 401,
  APPROVAL_REQUIRED: 409,
  KEY_CHANGE_REFUSED: 409,
  PACKAGE_NOT_FROZEN: 409,
  INTERNAL: 500,
};

/** A typed domain failure: a stable code, the field at fault, and zh-CN/en messages. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly messageZh: string,
    readonly messageEn: string,
    readonly field?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(`${code}: ${messageEn}`);
  }

  static fromBody(body: ErrorBody): DomainError {
    return new DomainError(body.code, body.message, body.messageEn, body.field, body.details);
  }

  get httpStatus(): number {
    return HTTP_STATUS[this.code] ?? 400;
  }

  toBody(): ErrorBody {
    return { code: this.code, field: this.field, message: this.messageZh, messageEn: this.messageEn, ...(this.details ? { details: this.details } : {}) };
  }
}

/** Parse an inbound body with its contracts schema or throw VALIDATION_FAILED naming the field. */
export function parseInput<T>(schema: ZodType<T>, input: unknown, where: string): T {
  const result = schema.safeParse(input);
  if (!result.success) throw DomainError.fromBody(validationError(result.error as ZodError, where));
  return result.data;
}

export function toErrorBody(error: unknown): ErrorBody {
  if (error instanceof DomainError) return error.toBody();
  return { code: 'INTERNAL', message: '服务器内部错误，请联系技术负责人', messageEn: 'Internal server error; contact the technician' };
}
