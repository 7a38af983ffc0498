import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { PartyPublicKeys } from '@kaowu/contracts';
import { initCrypto } from '@kaowu/crypto';
import { Clock, systemClock } from '@kaowu/exam-domain';
import { openDatabase } from '@kaowu/persistence';
import { OriginCheckedIoAdapter } from './exam-room/origin-checked-io-adapter';
import { HttpErrorsFilter, originList, requestHygiene, PinoNestLogger, routeNestLogs, createLogger, createMetrics, loadOrCreatePartyKeys } from '@kaowu/server-kit';
import { VenueConfig } from './venue-config';
import { VenueContext } from './venue-context';
import { VenueModule } from './venue.module';
import { venueMigrations } from './store/migrations';
import { SessionScheduler } from './exam-room/session-scheduler';
import { VenueTls, ensureVenueTls, isLoopbackHost } from './tls/venue-tls';
import { expectedKioskKey } from './kiosk/kiosk-key';

export interface VenueServer {
  url: string;
  /** The venue CA and server certificate when serving HTTPS/WSS. */
  tls?: VenueTls;
  ctx: VenueContext;
  app: NestExpressApplication;
  scheduler: SessionScheduler;
  close(): Promise<void>;
}

/** The province's public keys: pinned on first contact under the data dir, then trusted from disk. */
async function pinProvinceKeys(dataDir: string, provinceUrl: string): Promise<PartyPublicKeys> {
  const path = join(dataDir, 'province.pub.json');
  if (existsSync(path)) return PartyPublicKeys.parse(JSON.parse(readFileSync(path, 'utf8')));
  let lastError: unknown;
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      const res = await fetch(`${provinceUrl}/api/v1/province-keys`);
      if (res.ok) {
        const keys = PartyPublicKeys.parse(await res.json());
        writeFileSync(path, JSON.stringify(keys, null, 2));
        return keys;
      }
      lastError = new Error(`HTTP ${res.status}`);
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`Cannot reach the provincial server at ${provinceUrl} to pin its public key (${(lastError as Error)?.message}). Set PROVINCE_URL or place province.pub.json in ${dataDir}.`);
}

export async function createVenueServer(config: VenueConfig, opts: { clock?: Clock; keyStrength?: 'interactive' | 'moderate'; quiet?: boolean } = {}): Promise<VenueServer> {
  await initCrypto();
  mkdirSync(config.VENUE_DATA_DIR, { recursive: true });
  // before anything is opened: a missing kiosk configuration stops the boot with its fix
  const kioskKey = expectedKioskKey(config);
  const useTls = config.VENUE_TLS === 'on' || (config.VENUE_TLS === 'auto' && !isLoopbackHost(config.VENUE_HOST));
  if (!useTls && !isLoopbackHost(config.VENUE_HOST))
    throw new Error(`VENUE_TLS=off is allowed only on loopback (VENUE_HOST=${config.VENUE_HOST}): exam machines must reach the venue over HTTPS/WSS with the venue certificate.`);
  const logger = createLogger('venue-server', opts.quiet ? 'warn' : undefined, opts.quiet ? 2 : 1); // embedded (quiet) servers keep stdout for their host
  const { keys, created } = loadOrCreatePartyKeys(join(config.VENUE_DATA_DIR, 'keys'), `venue-${config.VENUE_CODE}`, config.KEY_PASSPHRASE, opts.keyStrength);
  if (created) logger.info({ keyId: keys.keyId }, 'generated venue key pair');
  const province = await pinProvinceKeys(config.VENUE_DATA_DIR, config.PROVINCE_URL);
  const db = await openDatabase({ url: config.DATABASE_URL, embeddedDir: join(config.VENUE_DATA_DIR, 'pgdata'), entities: [], migrations: venueMigrations });
  logger.info({ database: db.location }, 'venue database ready');
  const tls = useTls ? await ensureVenueTls(join(config.VENUE_DATA_DIR, 'tls'), config.VENUE_TLS_HOSTNAMES, config.VENUE_CODE) : undefined;
  if (tls) logger.info({ issued: tls.issued, hostnames: tls.hostnames, caFingerprint: tls.caFingerprint }, 'venue TLS certificate ready');
  const ctx: VenueContext = { config, db, clock: opts.clock ?? systemClock, keys, province, kioskKey, tlsCaPem: tls?.caPem, logger, metrics: createMetrics('venue-server') };

  // Every Nest logger (gateways included) writes through pino as JSON.
  const nestLogger = new PinoNestLogger(logger);
  await routeNestLogs(nestLogger);
  const app = await NestFactory.create<NestExpressApplication>(VenueModule.forContext(ctx), { logger: nestLogger, bodyParser: false, httpsOptions: tls ? { key: tls.keyPem, cert: tls.certPem } : undefined });
  // JSON only, small bodies, no state change from another origin's page; a package file from removable media is the one large body.
  app.use(requestHygiene({
    allowedOrigins: originList(config.CONSOLE_ORIGINS),
    defaultLimit: 256 * 1024,
    bodies: [{ method: 'POST', path: /^\/api\/v1\/packages$/, limit: 64 * 1024 * 1024 }],
    onRefused: (req, error) => logger.warn({ method: req.method, path: req.path, code: error.code }, 'request refused at the door'),
  }));
  app.useWebSocketAdapter(new OriginCheckedIoAdapter(app, originList(config.CONSOLE_ORIGINS), (origin) => logger.warn({ origin }, 'socket handshake from another origin refused')));
  app.useGlobalFilters(new HttpErrorsFilter(logger));
  app.enableShutdownHooks();
  const staticRoot = resolve(config.STATIC_DIR);
  if (existsSync(join(staticRoot, 'proctor-console'))) app.useStaticAssets(join(staticRoot, 'proctor-console'), { prefix: '/proctor/' });
  if (existsSync(join(staticRoot, 'candidate-client'))) app.useStaticAssets(join(staticRoot, 'candidate-client'), { prefix: '/' });
  // A whole venue's machines reconnect at once after a restart or a network blip: a deep accept
  // queue keeps the kernel from resetting connections the event loop has not accepted yet.
  await app.init();
  await new Promise<void>((resolveListen, rejectListen) => {
    const server = app.getHttpServer();
    server.once('error', rejectListen);
    server.listen({ port: config.VENUE_PORT, host: config.VENUE_HOST, backlog: 8192 }, () => {
      server.off('error', rejectListen);
      resolveListen();
    });
  });
  const port = (app.getHttpServer().address() as AddressInfo).port;
  const url = `${tls ? 'https' : 'http'}://${config.VENUE_HOST}:${port}`;
  logger.info({ url }, 'venue server listening');
  let closing: Promise<void> | undefined;
  return {
    url,
    tls,
    ctx,
    app,
    scheduler: app.get(SessionScheduler),
    // once: a second close (a harness that restarted the server) must not run the shutdown hooks again
    close: () =>
      (closing ??= (async () => {
        await app.close();
        await db.close();
      })()),
  };
}
