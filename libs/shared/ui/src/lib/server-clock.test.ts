import { describe, expect, it, vi } from 'vitest';
import { ServerClock, correctOffset, estimateOffset, serverNow } from './server-clock';

describe('estimateOffset', () => {
  it('uses the sample with the smallest round trip, server time at its midpoint', () => {
    const offset = estimateOffset([
      // rtt 400: would give 10_000 - 1_200 = 8_800
      { clientSentAt: 1_000, serverTime: 10_000, clientReceivedAt: 1_400 },
      // rtt 20: 20_000 - (5_000 + 10) = 14_990
      { clientSentAt: 5_000, serverTime: 20_000, clientReceivedAt: 5_020 },
      // rtt 100
      { clientSentAt: 7_000, serverTime: 30_000, clientReceivedAt: 7_100 },
    ]);
    expect(offset).toBe(14_990);
  });

  it('handles a server clock behind the client (negative offset)', () => {
    expect(estimateOffset([{ clientSentAt: 100_000, serverTime: 40_010, clientReceivedAt: 100_020 }])).toBe(-60_000);
  });

  it('ignores samples whose round trip is negative (client clock jumped) and returns null when nothing is usable', () => {
    expect(estimateOffset([])).toBeNull();
    expect(estimateOffset([{ clientSentAt: 2_000, serverTime: 9_999, clientReceivedAt: 1_000 }])).toBeNull();
    expect(
      estimateOffset([
        { clientSentAt: 2_000, serverTime: 9_999, clientReceivedAt: 1_000 },
        { clientSentAt: 2_000, serverTime: 3_050, clientReceivedAt: 2_100 },
      ]),
    ).toBe(1_000);
  });
});

describe('serverNow', () => {
  it('adds the offset to the client clock', () => {
    expect(serverNow(1_500, 10_000)).toBe(11_500);
    expect(serverNow(-500, 10_000)).toBe(9_500);
  });
});

describe('correctOffset', () => {
  it('keeps the round-trip estimate while a one-way sample agrees within the tolerance', () => {
    // one-way: 10_500 - 9_000 = 1_500, estimate 3_000: 1.5 s apart
    expect(correctOffset(3_000, 10_500, 9_000)).toBeNull();
    expect(correctOffset(3_000, 11_000, 9_000, 2_000)).toBeNull();
  });

  it('takes the one-way offset when it disagrees by more than the tolerance, either way', () => {
    // the server clock was set 10 minutes ahead
    expect(correctOffset(3_000, 600_000 + 12_000, 9_000)).toBe(603_000);
    // the client clock jumped forward an hour
    expect(correctOffset(3_000, 12_000, 3_609_000)).toBe(-3_597_000);
    expect(correctOffset(0, 2_501, 0, 2_500)).toBe(2_501);
  });

  it('takes any usable sample when there is no estimate yet and ignores unusable ones', () => {
    expect(correctOffset(null, 10_000, 9_990)).toBe(10);
    expect(correctOffset(null, Number.NaN, 9_990)).toBeNull();
    expect(correctOffset(0, Date.parse('not a date'), 9_990)).toBeNull();
  });
});

describe('ServerClock', () => {
  it('syncs over several pings, skipping lost ones, and then reports server time', async () => {
    let clientTime = 0;
    const serverAhead = 5_000;
    let call = 0;
    const clock = new ServerClock(
      async (sentAt) => {
        call++;
        if (call === 2) throw new Error('lost');
        const rtt = call === 3 ? 10 : 200;
        clientTime = sentAt + rtt;
        return { serverTime: sentAt + rtt / 2 + serverAhead };
      },
      () => clientTime,
    );
    expect(clock.isSynced).toBe(false);
    await clock.sync(4);
    expect(call).toBe(4);
    expect(clock.isSynced).toBe(true);
    expect(clock.offsetMs).toBe(serverAhead);
    clientTime = 1_000_000;
    expect(clock.now()).toBe(1_005_000);
  });

  it('keeps the previous offset when every ping fails', async () => {
    const clock = new ServerClock(() => Promise.reject(new Error('offline')), () => 0);
    await clock.sync(3);
    expect(clock.isSynced).toBe(false);
    expect(clock.offsetMs).toBe(0);
  });

  it('corrects a round-trip estimate from a one-way server time only when it is off by more than 2 s', async () => {
    let clientTime = 1_000;
    let serverAhead = 5_000;
    const clock = new ServerClock(
      async (sentAt) => {
        clientTime = sentAt + 20;
        return { serverTime: sentAt + 10 + serverAhead };
      },
      () => clientTime,
    );
    await clock.sync(2);
    expect(clock.offsetMs).toBe(5_000);
    // a push taking 40 ms: within tolerance, the round-trip estimate stays
    clientTime = 50_000;
    expect(clock.observe(50_000 + 5_000 - 40)).toBe(false);
    expect(clock.offsetMs).toBe(5_000);
    // the server clock was set 10 minutes ahead: the push's time wins at once
    serverAhead = 605_000;
    expect(clock.observe(clientTime + serverAhead - 40)).toBe(true);
    expect(clock.offsetMs).toBe(604_960);
    expect(clock.now()).toBe(clientTime + 604_960);
    // and the next round trips refine it
    await clock.sync(2);
    expect(clock.offsetMs).toBe(605_000);
    expect(clock.isSynced).toBe(true);
  });

  it('starts from a one-way time before any round trip, without claiming to be synced', () => {
    const clock = new ServerClock(() => Promise.reject(new Error('offline')), () => 1_000);
    expect(clock.observe(4_000)).toBe(true);
    expect(clock.offsetMs).toBe(3_000);
    expect(clock.isSynced).toBe(false);
    expect(clock.observe(4_500)).toBe(false);
  });

  it('drops round trips begun before a one-way correction', async () => {
    let clientTime = 0;
    let serverAhead = 1_000;
    const replies: (() => void)[] = [];
    const clock = new ServerClock(
      (sentAt) => {
        // the server reads its clock as the request arrives; the first round trip is the fastest
        const ahead = serverAhead;
        const rtt = replies.length === 0 && sentAt === 0 ? 4 : 10;
        return new Promise((resolve) =>
          replies.push(() => {
            clientTime = sentAt + rtt;
            resolve({ serverTime: sentAt + rtt / 2 + ahead });
          }),
        );
      },
      () => clientTime,
    );
    const syncing = clock.sync(2);
    await vi.waitFor(() => expect(replies).toHaveLength(1));
    // the server clock is set while the first reply (read from the old clock) is on its way
    serverAhead = 900_000;
    expect(clock.observe(clientTime + serverAhead)).toBe(true);
    replies.shift()?.();
    await vi.waitFor(() => expect(replies).toHaveLength(1));
    replies.shift()?.();
    await expect(syncing).resolves.toBe(900_000);
  });

  it('shares a sync already running instead of starting another', async () => {
    let pings = 0;
    const clock = new ServerClock(async (sentAt) => {
      pings++;
      return { serverTime: sentAt };
    }, () => 0);
    const [a, b] = await Promise.all([clock.sync(3), clock.sync(3)]);
    expect(a).toBe(b);
    expect(pings).toBe(3);
    await clock.sync(3);
    expect(pings).toBe(6);
  });
});
