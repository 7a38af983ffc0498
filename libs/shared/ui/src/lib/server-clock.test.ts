import { describe, expect, it } from 'vitest';
import { ServerClock, estimateOffset, serverNow } from './server-clock';

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
});
