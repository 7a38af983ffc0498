import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { HarnessReady, HarnessReply, HarnessRequest } from './harness-protocol';

/** The workspace root: the venue server serves dist/apps/* relative to it. */
export const WORKSPACE_ROOT = resolve(__dirname, '../../../..');

export interface E2eHarness extends Omit<HarnessReady, 'type' | 'T0'> {
  T0: Date;
  /** T0 plus `minutes`. */
  at(minutes: number): Date;
  /** `clock.set(at, speed)` on the servers' MockExamClock. */
  setClock(at: Date, speed?: number): Promise<void>;
  /** What the servers' clock says now. */
  now(): Promise<Date>;
  /** Stop the venue server and start it again on the same port and data (a restart mid-exam). */
  restartVenue(): Promise<void>;
  /** The candidate's current answers in the venue database: item id → value. */
  answersAtVenue(ticketNo: string): Promise<Record<string, unknown>>;
  /** Take the venue's link to the province down or up (needs `provinceLink: 'proxy'`). */
  setProvinceLink(up: boolean): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts startSittingHarness (both real servers, embedded PGlite or DATABASE_URL) in a child
 * process run by tsx, and resolves once the venue package is imported.
 */
export async function startHarness(opts: {
  durationMinutes: number;
  candidates: number;
  /** 'accounting' adds a 计算分析题 and a 综合题 to the paper. */
  paper?: 'objective' | 'accounting';
  /** 'proxy': the venue reaches the province through a proxy the test can take down. */
  provinceLink?: 'direct' | 'proxy';
  /** Minutes a closed room waits for the proctors' 核查无误 before it is sealed anyway (0 by default: no proctor in most tests). */
  confirmationGraceMinutes?: number;
}): Promise<E2eHarness> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'harness-process.ts')], {
    cwd: WORKSPACE_ROOT,
    env: {
      ...process.env,
      TSX_TSCONFIG_PATH: join(WORKSPACE_ROOT, 'tsconfig.base.json'),
      E2E_DURATION_MINUTES: String(opts.durationMinutes),
      E2E_CANDIDATES: String(opts.candidates),
      E2E_PAPER: opts.paper ?? 'objective',
      E2E_PROVINCE_LINK: opts.provinceLink ?? 'direct',
      E2E_CONFIRMATION_GRACE_MINUTES: String(opts.confirmationGraceMinutes ?? 0),
    },
    // Nest logs its routes on stdout; E2E_VERBOSE=1 shows them.
    stdio: ['ignore', process.env.E2E_VERBOSE ? 'inherit' : 'ignore', 'inherit', 'ipc'],
  });

  const ready = await new Promise<HarnessReady>((resolveReady, reject) => {
    const onExit = (code: number | null) => reject(new Error(`harness process exited (${code}) before it was ready`));
    child.once('exit', onExit);
    child.once('error', reject);
    child.once('message', (m: HarnessReady) => {
      child.off('exit', onExit);
      resolveReady(m);
    });
  });

  let nextId = 1;
  type RequestBody = HarnessRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;
  const request = (body: RequestBody) =>
    new Promise<HarnessReply>((resolveReply, reject) => {
      const id = nextId++;
      const onMessage = (m: HarnessReply) => {
        if (m.type !== 'reply' || m.id !== id) return;
        child.off('message', onMessage);
        if (m.error) reject(new Error(m.error));
        else resolveReply(m);
      };
      child.on('message', onMessage);
      child.send({ ...body, id } as HarnessRequest, (error) => error && reject(error));
    });

  const T0 = new Date(ready.T0);
  return {
    ...ready,
    T0,
    at: (minutes) => new Date(T0.getTime() + minutes * 60_000),
    async setClock(at, speed = 1) {
      await request({ type: 'clock', at: at.toISOString(), speed });
    },
    async now() {
      return new Date((await request({ type: 'now' })).now);
    },
    async restartVenue() {
      await request({ type: 'restartVenue' });
    },
    async answersAtVenue(ticketNo) {
      return (await request({ type: 'answers', ticketNo })).answers ?? {};
    },
    async setProvinceLink(up) {
      await request({ type: 'provinceLink', up });
    },
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      // The harness closes both servers (and drops its scratch databases) before it exits.
      if (child.connected) child.send({ type: 'close', id: nextId++ } satisfies HarnessRequest);
      else child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
