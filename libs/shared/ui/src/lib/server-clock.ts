import { useEffect, useState } from 'react';

/** One time-sync round trip, all times in epoch milliseconds. */
export interface TimeSyncSample {
  clientSentAt: number;
  serverTime: number;
  clientReceivedAt: number;
}

/**
 * Offset (server − client, ms) from time-sync round trips, NTP style: the server read its clock
 * somewhere inside the round trip, assumed at the midpoint. The fastest round trip bounds that
 * error best, so only it is used. Returns null when no usable sample exists.
 */
export function estimateOffset(samples: readonly TimeSyncSample[]): number | null {
  let best: TimeSyncSample | undefined;
  let bestRtt = Number.POSITIVE_INFINITY;
  for (const sample of samples) {
    const rtt = sample.clientReceivedAt - sample.clientSentAt;
    // A negative round trip means the client clock jumped mid-sample: unusable.
    if (!Number.isFinite(rtt) || rtt < 0 || !Number.isFinite(sample.serverTime)) continue;
    if (rtt < bestRtt) {
      best = sample;
      bestRtt = rtt;
    }
  }
  if (!best) return null;
  return Math.round(best.serverTime - (best.clientSentAt + bestRtt / 2));
}

/** The server's "now" as this client estimates it. Display only: the server decides. */
export function serverNow(offsetMs: number, clientNow: number = Date.now()): number {
  return clientNow + offsetMs;
}

/** How far a one-way server timestamp may disagree with the round-trip estimate before it wins. */
export const ONE_WAY_TOLERANCE_MS = 2_000;

/**
 * Correction from a server timestamp that arrived without a round trip (e.g. the `serverTime` of
 * a push). Its offset, serverTime − clientReceivedAt, reads low by the one-way transit time, so it
 * is less exact than a round-trip estimate and only replaces one that is off by more than
 * `toleranceMs` (the server clock was set, or the client's jumped). Returns the new offset, or
 * null to keep `current`; with no estimate yet (`current` null) any usable sample is taken.
 */
export function correctOffset(
  current: number | null,
  serverTime: number,
  clientReceivedAt: number,
  toleranceMs: number = ONE_WAY_TOLERANCE_MS,
): number | null {
  if (!Number.isFinite(serverTime) || !Number.isFinite(clientReceivedAt)) return null;
  const oneWay = Math.round(serverTime - clientReceivedAt);
  if (current === null || Math.abs(oneWay - current) > toleranceMs) return oneWay;
  return null;
}

/** Sends one time-sync request stamped with `clientSentAt` and resolves with the server's clock. */
export type TimeSyncPing = (clientSentAt: number) => Promise<{ serverTime: number }>;

/**
 * Keeps the current offset estimate. `sync` runs a few round trips (a lost one is skipped; a sync
 * already running is shared, not doubled); `observe` checks it against a one-way server timestamp.
 */
export class ServerClock {
  private offset = 0;
  private estimated = false;
  private synced = false;
  /** Bumped by every one-way correction: round trips begun before it describe the old clock. */
  private generation = 0;
  private running: Promise<number> | null = null;

  constructor(
    private readonly ping: TimeSyncPing,
    private readonly clientNow: () => number = Date.now,
  ) {}

  get offsetMs(): number {
    return this.offset;
  }

  /** True once a round-trip sync succeeded. */
  get isSynced(): boolean {
    return this.synced;
  }

  sync(rounds = 5): Promise<number> {
    this.running ??= this.runSync(rounds).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /**
   * A server timestamp (epoch ms) received just now, outside a round trip. Returns true when it
   * changed the offset (see correctOffset); a sync running meanwhile then drops its older samples.
   */
  observe(serverTime: number, clientReceivedAt: number = this.clientNow()): boolean {
    const corrected = correctOffset(this.estimated ? this.offset : null, serverTime, clientReceivedAt);
    if (corrected === null) return false;
    this.offset = corrected;
    this.estimated = true;
    this.generation++;
    return true;
  }

  now(): number {
    return serverNow(this.offset, this.clientNow());
  }

  private async runSync(rounds: number): Promise<number> {
    const samples: (TimeSyncSample & { generation: number })[] = [];
    for (let i = 0; i < rounds; i++) {
      const generation = this.generation;
      const clientSentAt = this.clientNow();
      try {
        const { serverTime } = await this.ping(clientSentAt);
        samples.push({ clientSentAt, serverTime, clientReceivedAt: this.clientNow(), generation });
      } catch {
        // A lost or refused ping is just a missing sample.
      }
    }
    const estimate = estimateOffset(samples.filter((s) => s.generation === this.generation));
    if (estimate !== null) {
      this.offset = estimate;
      this.estimated = true;
      this.synced = true;
    }
    return this.offset;
  }
}

/**
 * React binding of ServerClock: syncs on mount and every `resyncMs`. Pass a stable `ping`
 * (module-level or memoized); null waits until one is available.
 */
export function useServerClock(
  ping: TimeSyncPing | null,
  { rounds = 5, resyncMs = 60_000 }: { rounds?: number; resyncMs?: number } = {},
): { offsetMs: number; synced: boolean } {
  const [state, setState] = useState({ offsetMs: 0, synced: false });
  useEffect(() => {
    if (!ping) return;
    const clock = new ServerClock(ping);
    let alive = true;
    const run = () =>
      void clock.sync(rounds).then((offsetMs) => {
        if (alive && clock.isSynced) setState({ offsetMs, synced: true });
      });
    run();
    const timer = setInterval(run, resyncMs);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, [ping, rounds, resyncMs]);
  return state;
}
