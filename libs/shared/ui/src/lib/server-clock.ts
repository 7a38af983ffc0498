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

/** Sends one time-sync request stamped with `clientSentAt` and resolves with the server's clock. */
export type TimeSyncPing = (clientSentAt: number) => Promise<{ serverTime: number }>;

/** Keeps the current offset estimate; `sync` runs a few round trips (a lost one is skipped). */
export class ServerClock {
  private offset = 0;
  private synced = false;

  constructor(
    private readonly ping: TimeSyncPing,
    private readonly clientNow: () => number = Date.now,
  ) {}

  get offsetMs(): number {
    return this.offset;
  }

  get isSynced(): boolean {
    return this.synced;
  }

  async sync(rounds = 5): Promise<number> {
    const samples: TimeSyncSample[] = [];
    for (let i = 0; i < rounds; i++) {
      const clientSentAt = this.clientNow();
      try {
        const { serverTime } = await this.ping(clientSentAt);
        samples.push({ clientSentAt, serverTime, clientReceivedAt: this.clientNow() });
      } catch {
        // A lost or refused ping is just a missing sample.
      }
    }
    const estimate = estimateOffset(samples);
    if (estimate !== null) {
      this.offset = estimate;
      this.synced = true;
    }
    return this.offset;
  }

  now(): number {
    return serverNow(this.offset, this.clientNow());
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
