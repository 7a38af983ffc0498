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
      const code = status === 404 ? 'NOT_FOUND' : status === 401 ? 'UNAUTHORIZED' : status === 403 ? 'FORBIDDEN' : status === 413 ? 'VALIDATION_FAILED' : 'VALIDATION_FAILED';
      res.status(status).json({ code, message: status === 404 ? '请求的资源不存在' : '请求无效', messageEn: exception.message });
      return;
    }
    this.logger.error({ err: exception }, 'unhandled error');
    res.status(500).json(toErrorBody(exception));
  }
}
