import { Logger as NestLogger, LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';

/** Structured JSON logs (pino) for the servers, with Nest's own log calls routed through them. */
export function createLogger(name: string, level = process.env['LOG_LEVEL'] ?? 'info', fd: 1 | 2 = 1): Logger {
  return pino({ name, level, base: { app: name }, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination(fd));
}

export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, context?: string) {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, String(message));
  }
}

/**
 * Send every Nest log line (gateways and routers included) through pino. Under a CommonJS
 * loader (tsx, Jest) Nest's ESM build is loaded a second time by the ESM loader, with its own
 * static logger, so both copies are told.
 */
export async function routeNestLogs(nestLogger: LoggerService): Promise<void> {
  NestLogger.overrideLogger(nestLogger);
  const esm = await import('@nestjs/common');
  esm.Logger.overrideLogger(nestLogger);
}

/**
 * Run a server's composition root: start it, stop it cleanly on SIGINT/SIGTERM, and turn a
 * failed start into one line a technician can act on (bad config, unreachable database…).
 */
export function runServer(name: string, start: () => Promise<{ close(): Promise<void> }>): void {
  start()
    .then((server) => {
      const stop = async () => {
        await server.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    })
    .catch((error: Error) => {
      console.error(`${name} failed to start: ${error.message}`);
      process.exit(1);
    });
}
