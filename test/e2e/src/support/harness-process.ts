/**
 * The real servers for the browser tests, in their own Node process (run with tsx, which
 * compiles the legacy parameter decorators of the Nest code that Playwright's loader cannot).
 * The parent talks to it over the IPC channel: it prints nothing on stdout, sends one `ready`
 * message, then answers `clock` and `close` requests. It shuts down when the parent goes away.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initCrypto } from '@kaowu/crypto';
import { ACCOUNTING_PAPER, CuttingProxy, MockExamClock, startSittingHarness, type SittingHarness } from '@kaowu/testing';
import { createVenueServer, type VenueServer } from '@kaowu/venue-core';
import type { HarnessReady, HarnessReply, HarnessRequest } from './harness-protocol';

const send = (message: HarnessReady | HarnessReply) => process.send?.(message);

async function main(): Promise<void> {
  if (!process.send) throw new Error('harness-process must be spawned with an IPC channel');
  const T0 = new Date(process.env.E2E_T0 ?? '2026-09-09T02:00:00Z');
  const durationMinutes = Number(process.env.E2E_DURATION_MINUTES ?? 120);
  const clock = new MockExamClock(new Date(T0.getTime() - 60 * 60_000), 1);
  const workDir = mkdtempSync(join(tmpdir(), 'kaowu-e2e-'));
  await initCrypto();
  // E2E_PROVINCE_LINK=proxy: the venue reaches the province through a proxy the test can take down.
  const link = process.env.E2E_PROVINCE_LINK === 'proxy' ? await CuttingProxy.start() : undefined;
  // Started before the signal handlers run, so a shutdown during startup still closes it.
  const starting: Promise<SittingHarness> = startSittingHarness({
    candidates: Number(process.env.E2E_CANDIDATES ?? 4),
    workDir,
    databaseUrl: process.env.DATABASE_URL || undefined,
    durationMinutes,
    T0,
    clock,
    paper: process.env.E2E_PAPER === 'accounting' ? ACCOUNTING_PAPER : undefined,
    venueEnv: { RESULT_CONFIRMATION_GRACE_MINUTES: process.env.E2E_CONFIRMATION_GRACE_MINUTES ?? '0' },
    provinceUrlForVenue: link
      ? (url) => {
          link.forwardTo(url);
          return link.url;
        }
      : undefined,
  });
  let closing: Promise<void> | undefined;
  /** The venue server started by a restart; the harness closes only the one it started. */
  let restarted: VenueServer | undefined;
  const shutdown = (code: number) => {
    closing ??= starting
      .then(async (harness) => {
        await restarted?.close().catch(() => undefined);
        await harness.close();
        await link?.close();
      }, () => undefined)
      .catch(() => undefined)
      .finally(() => rmSync(workDir, { recursive: true, force: true }));
    void closing.finally(() => process.exit(code));
  };
  process.on('disconnect', () => shutdown(0));
  process.on('SIGTERM', () => shutdown(0));
  process.on('SIGINT', () => shutdown(0));
  const h = await starting.catch((error: unknown) => {
    rmSync(workDir, { recursive: true, force: true });
    throw error;
  });

  /** Graceful stop and start on the same port, data dir and database: what an appliance restart does. */
  const restartVenue = async () => {
    const venue = restarted ?? h.venue;
    const config = { ...venue.ctx.config, VENUE_PORT: Number(new URL(venue.url).port) };
    await venue.close();
    restarted = await createVenueServer(config, { clock, keyStrength: 'interactive', quiet: true });
  };
  const currentAnswers = async (ticketNo: string) => {
    const rows: { item_id: string; value: unknown }[] = await (restarted ?? h.venue).ctx.db.dataSource.query(
      `SELECT ca.item_id, ca.value FROM current_answer ca JOIN attempt a ON a.attempt_id = ca.attempt_id
       JOIN candidate c ON c.candidate_id = a.candidate_id WHERE c.ticket_no = $1`,
      [ticketNo],
    );
    return Object.fromEntries(rows.map((r) => [r.item_id, r.value]));
  };

  process.on('message', (raw: HarnessRequest) => {
    if (raw.type === 'restartVenue') {
      restartVenue().then(
        () => send({ type: 'reply', id: raw.id, now: clock.now().toISOString() }),
        (error: unknown) => send({ type: 'reply', id: raw.id, now: clock.now().toISOString(), error: String(error) }),
      );
    } else if (raw.type === 'answers') {
      currentAnswers(raw.ticketNo).then(
        (answers) => send({ type: 'reply', id: raw.id, now: clock.now().toISOString(), answers }),
        (error: unknown) => send({ type: 'reply', id: raw.id, now: clock.now().toISOString(), error: String(error) }),
      );
    } else if (raw.type === 'provinceLink') {
      if (!link) send({ type: 'reply', id: raw.id, now: clock.now().toISOString(), error: 'start the harness with provinceLink: proxy' });
      else {
        if (raw.up) link.up();
        else link.down();
        send({ type: 'reply', id: raw.id, now: clock.now().toISOString() });
      }
    } else if (raw.type === 'clock') {
      clock.set(new Date(raw.at), raw.speed);
      send({ type: 'reply', id: raw.id, now: clock.now().toISOString() });
    } else if (raw.type === 'now') {
      send({ type: 'reply', id: raw.id, now: clock.now().toISOString() });
    } else if (raw.type === 'close') {
      send({ type: 'reply', id: raw.id, now: clock.now().toISOString() });
      shutdown(0);
    }
  });
  send({
    type: 'ready',
    venueUrl: h.venue.url,
    api: h.api,
    kioskKey: h.kioskKey,
    database: h.database,
    T0: T0.toISOString(),
    durationMinutes,
    candidates: h.roster.candidates.map((c) => ({ ticketNo: c.ticketNo, idNo: c.idNo, name: c.name, roomCode: c.roomCode, seatNo: c.seatNo })),
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
