/**
 * One load-test process: drives its share of simulated exam machines over socket.io and
 * reports per-second latencies to the parent (scripts/load-test.ts). Commands arrive by IPC.
 */
import { AckRefused, SeatAssignment, SimulatedCandidate, randomAnswer, seededRandom } from '@kaowu/testing';

type Command =
  | { type: 'login'; venueUrl: string; kioskKey: string; ca?: string; seats: SeatAssignment[]; seed: number }
  | { type: 'answer'; saveEverySeconds: number; durationSeconds: number; startTimeoutSeconds?: number }
  | { type: 'verify' }
  | { type: 'submit' };

let people: SimulatedCandidate[] = [];
let rnd = seededRandom(1);
let second = { saves: 0, errors: 0, latencies: [] as number[] };
const errors: Record<string, number> = {};
const send = (m: unknown) => process.send?.(m);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const errorSamples: Record<string, string> = {};

function countError(error: unknown) {
  const code = error instanceof AckRefused ? error.code : (error as Error).message.includes('timed out') ? 'TIMEOUT' : 'CLIENT_ERROR';
  errors[code] = (errors[code] ?? 0) + 1;
  // one example message per code, for the report
  errorSamples[code] ??= `${(error as Error).message}${(error as { description?: { message?: string } }).description?.message ? ` (${(error as { description: { message: string } }).description.message})` : ''}`.slice(0, 200);
  second.errors++;
}

const ticker = setInterval(() => {
  send({ type: 'second', ...second });
  second = { saves: 0, errors: 0, latencies: [] };
}, 1000);

async function login(c: Extract<Command, { type: 'login' }>) {
  rnd = seededRandom(c.seed);
  people = c.seats.map((s) => new SimulatedCandidate(c.venueUrl, s, c.kioskKey, undefined, { ca: c.ca }));
  // 开考前集中登录: everyone at once
  await Promise.all(
    people.map(async (p) => {
      try {
        await p.connect({ retryForMs: 60_000 });
        await p.logIn();
      } catch (error) {
        countError(error);
      }
    }),
  );
  send({ type: 'loggedIn', count: people.filter((p) => p.login).length });
}

let started: number | undefined;

async function answer(c: Extract<Command, { type: 'answer' }>) {
  // a venue this command did not start opens the paper on its own clock: wait for it
  const startTimeoutMs = (c.startTimeoutSeconds ?? 15) * 1000;
  await Promise.all(
    people
      .filter((p) => p.login)
      .map(async (p) => {
        try {
          await p.waitForStartAndFetch(c.startTimeoutSeconds ? 500 : 20, startTimeoutMs);
        } catch (error) {
          countError(error);
          return;
        }
        started ??= Date.now();
        const until = started + c.durationSeconds * 1000;
        // spread the first saves over one interval so the steady state has no lockstep
        if (c.saveEverySeconds > 0) await sleep(rnd() * c.saveEverySeconds * 1000);
        while (Date.now() < until) {
          const item = p.items[Math.floor(rnd() * p.items.length)];
          const started = performance.now();
          try {
            await p.answer(item.itemId, randomAnswer(item, rnd));
            second.saves++;
            second.latencies.push(performance.now() - started);
          } catch (error) {
            countError(error);
          }
          if (c.saveEverySeconds > 0) await sleep(c.saveEverySeconds * 1000 * (0.8 + 0.4 * rnd()));
        }
      }),
  );
  send({ type: 'answered' });
}

/**
 * Proof over the protocol alone (for a venue whose database we cannot read): each machine logs
 * in again and the venue names the highest contiguous seq it holds for the attempt; any seq the
 * machine saw acknowledged above it is lost.
 */
async function verify() {
  let lost = 0;
  let checked = 0;
  await Promise.all(
    people
      .filter((p) => p.login)
      .map(async (p) => {
        const highestAcked = Math.max(0, ...p.ackedEvents.map((e) => e.seq));
        try {
          const again = await p.logIn();
          checked++;
          lost += p.ackedEvents.filter((e) => e.seq > again.lastAckedSeq).length;
        } catch (error) {
          countError(error);
          if (highestAcked > 0) lost += p.ackedEvents.length; // cannot prove them: count them
        }
      }),
  );
  send({ type: 'verified', lost, checked });
}

async function submit() {
  // 集中交卷: everyone hands in at once
  await Promise.all(
    people
      .filter((p) => p.login)
      .map(async (p) => {
        try {
          await p.submit();
        } catch (error) {
          countError(error);
        }
      }),
  );
  await sleep(1100); // let the last second report
  clearInterval(ticker);
  people.forEach((p) => p.close());
  // exit only once the last report has left (the parent reads it before our exit)
  process.send?.({ type: 'done', errors, errorSamples, acked: people.flatMap((p) => p.ackedEvents.map((e) => [p.login!.attemptId, e.seq] as const)) }, () => process.disconnect());
}

process.on('message', (c: Command) => {
  const run = c.type === 'login' ? login(c) : c.type === 'answer' ? answer(c) : c.type === 'verify' ? verify() : submit();
  run.catch((error: Error) => {
    send({ type: 'fatal', message: error.stack ?? error.message });
    process.exit(1);
  });
});
