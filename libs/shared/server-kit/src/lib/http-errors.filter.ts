import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import type { Response } from 'express';
import type { Logger } from 'pino';
import { DomainError, toErrorBody } from './domain-error';

/** Maps every failure to the shared error body once, for every controller. */
@Catch()
export class HttpErrorsFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (exception instanceof DomainError) {
      const retryAfter = exception.details?.['retryAfterSeconds'];
      if (typeof retryAfter === 'number') res.set('retry-after', String(retryAfter));
      res.status(exception.httpStatus).json(exception.toBody());
      return;
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code = status === 404 ? 'NOT_FOUND' : status === 401 ? 'UNAUTHORIZED' : status === 403 ? 'FORBIDDEN' : status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'VALIDATION_FAILED';
      const message = status === 404 ? '请求的资源不存在' : status === 413 ? '请求内容超过本接口上限' : status === 415 ? '请求内容类型不被接受' : '请求无效';
      res.status(status).json({ code, message, messageEn: exception.message });
      return;
    }
    // A value PostgreSQL cannot take (SQLSTATE class 22: bad number, NUL byte, bad encoding, out of range)
    // is bad input that slipped past a schema: 400, never 500 — and logged, so the schema gets fixed.
    const sqlState = (exception as { code?: unknown; driverError?: { code?: unknown } } | null)?.driverError?.code ?? (exception as { code?: unknown } | null)?.code;
    if (typeof sqlState === 'string' && /^22[0-9A-Z]{3}$/.test(sqlState)) {
      this.logger.warn({ err: exception }, 'bad input reached the database');
      res.status(400).json({ code: 'VALIDATION_FAILED', message: '请求参数不正确', messageEn: 'a request parameter is not valid' });
      return;
    }
    this.logger.error({ err: exception }, 'unhandled error');
    res.status(500).json(toErrorBody(exception));
  }
}
