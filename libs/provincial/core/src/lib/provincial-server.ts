import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { initCrypto } from '@kaowu/crypto';
import { Clock, systemClock } from '@kaowu/exam-domain';
import { openDatabase } from '@kaowu/persistence';
import { HttpErrorsFilter, originList, requestHygiene, BodyRule, PinoNestLogger, routeNestLogs, createLogger, createMetrics, loadOrCreatePartyKeys } from '@kaowu/server-kit';
import { ProvincialConfig } from './provincial-config';
import { ProvincialContext } from './provincial-context';
import { ProvincialModule } from './provincial.module';
import { provincialMigrations } from './store/migrations';

const MB = 1024 * 1024;
/** JSON bodies of every route not listed below: forms of the console, public lookups. */
const DEFAULT_BODY_LIMIT = 256 * 1024;
const SPREADSHEETS = ['application/octet-stream', 'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'];
/**
 * The routes that take more: 报名 files, photo archives, upload chunks and package files from removable
 * media arrive as raw bytes, and only from someone who names a credential first.
 */
const PROVINCIAL_BODIES: BodyRule[] = [
  { method: 'POST', path: /^\/api\/v1\/sittings\/[^/]+\/registrations\/import$/, limit: 64 * MB, raw: SPREADSHEETS },
  { method: 'POST', path: /^\/api\/v1\/sittings\/[^/]+\/photos\/import$/, limit: 512 * MB, raw: ['application/zip', 'application/octet-stream'] },
  { method: 'POST', path: /^\/api\/v1\/result-files$/, limit: 512 * MB, raw: ['application/octet-stream'] },
  { method: 'PUT', path: /^\/api\/v1\/result-uploads\/[^/]+\/chunks\/\d+$/, limit: 8 * MB + 64 * 1024, raw: ['application/octet-stream'] },
  { method: 'POST', path: /^\/api\/v1\/results$/, limit: 256 * MB },
  { method: 'POST', path: /^\/api\/v1\/candidates$/, limit: 64 * MB },
  { method: 'POST', path: /^\/api\/v1\/papers$/, limit: 16 * MB },
];

export interface ProvincialServer {
  url: string;
  ctx: ProvincialContext;
  app: NestExpressApplication;
  close(): Promise<void>;
}

export async function createProvincialServer(config: ProvincialConfig, opts: { clock?: Clock; keyStrength?: 'interactive' | 'moderate'; quiet?: boolean } = {}): Promise<ProvincialServer> {
  await initCrypto();
  mkdirSync(config.PROVINCIAL_DATA_DIR, { recursive: true });
  const logger = createLogger('provincial-server', opts.quiet ? 'warn' : undefined, opts.quiet ? 2 : 1); // embedded (quiet) servers keep stdout for their host
  const { keys, created } = loadOrCreatePartyKeys(join(config.PROVINCIAL_DATA_DIR, 'keys'), 'province', config.KEY_PASSPHRASE, opts.keyStrength);
  if (created) logger.info({ keyId: keys.keyId }, 'generated province key pair');
  const db = await openDatabase({ url: config.DATABASE_URL, embeddedDir: join(config.PROVINCIAL_DATA_DIR, 'pgdata'), entities: [], migrations: provincialMigrations });
  logger.info({ database: db.location }, 'provincial database ready');
  const ctx: ProvincialContext = { config, db, clock: opts.clock ?? systemClock, keys, logger, metrics: createMetrics('provincial-server') };

  // Every Nest logger (gateways included) writes through pino as JSON.
  const nestLogger = new PinoNestLogger(logger);
  await routeNestLogs(nestLogger);
  const app = await NestFactory.create<NestExpressApplication>(ProvincialModule.forContext(ctx), { logger: nestLogger, bodyParser: false });
  app.use(requestHygiene({ allowedOrigins: originList(config.CONSOLE_ORIGINS), defaultLimit: DEFAULT_BODY_LIMIT, bodies: PROVINCIAL_BODIES, onRefused: (req, error) => logger.warn({ method: req.method, path: req.path, code: error.code }, 'request refused at the door') }));
  app.useGlobalFilters(new HttpErrorsFilter(logger));
  app.enableShutdownHooks();
  const doc = SwaggerModule.createDocument(app, new DocumentBuilder().setTitle('Kaowu provincial API').setDescription('考务省级服务接口').setVersion('1').build());
  SwaggerModule.setup('api/docs', app, doc, { jsonDocumentUrl: 'api/openapi.json' });
  const consoleDir = join(resolve(config.STATIC_DIR), 'provincial-console');
  if (existsSync(consoleDir)) app.useStaticAssets(consoleDir, { prefix: '/console/' });
  await app.listen(config.PROVINCIAL_PORT, config.PROVINCIAL_HOST);
  const port = (app.getHttpServer().address() as AddressInfo).port;
  const url = `http://${config.PROVINCIAL_HOST}:${port}`;
  logger.info({ url }, 'provincial server listening');
  return {
    url,
    ctx,
    app,
    close: async () => {
      await app.close();
      await db.close();
    },
  };
}
