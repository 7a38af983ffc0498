import { z } from 'zod';
import { describe, expect, it, vi } from 'vitest';
import { ChannelUnavailableError, onConnectionChange, onParsedPush, requestAck } from './client-socket';
import { FakeClientSocket } from './fake-client-socket';

const Pong = z.object({ n: z.number() });

describe('requestAck', () => {
  it('parses ok and error acknowledgements with the contract schemas', async () => {
    const socket = new FakeClientSocket();
    socket.serverConnect();
    socket.handlers.ping = (p: { n: number }) => (p.n > 0 ? { ok: true, data: { n: p.n + 1 } } : { ok: false, error: { code: 'CONFLICT', message: '冲突', messageEn: 'Conflict' } });
    await expect(requestAck(socket, 'ping', { n: 1 }, Pong, 100)).resolves.toEqual({ ok: true, data: { n: 2 } });
    await expect(requestAck(socket, 'ping', { n: 0 }, Pong, 100)).resolves.toEqual({ ok: false, error: { code: 'CONFLICT', message: '冲突', messageEn: 'Conflict' } });
  });

  it('turns a malformed acknowledgement into VALIDATION_FAILED', async () => {
    const socket = new FakeClientSocket();
    socket.serverConnect();
    socket.handlers.ping = () => ({ ok: true, data: { n: 'one' } });
    const reply = await requestAck(socket, 'ping', {}, Pong, 100);
    expect(reply.ok).toBe(false);
    expect(!reply.ok && reply.error.code).toBe('VALIDATION_FAILED');
  });

  it('throws ChannelUnavailableError when offline or unanswered, sending nothing while offline', async () => {
    const socket = new FakeClientSocket();
    await expect(requestAck(socket, 'ping', {}, Pong, 100)).rejects.toBeInstanceOf(ChannelUnavailableError);
    expect(socket.sent).toEqual([]);
    socket.serverConnect();
    await expect(requestAck(socket, 'nobody-answers', {}, Pong, 100)).rejects.toBeInstanceOf(ChannelUnavailableError);
  });
});

describe('socket listeners', () => {
  it('reports link changes and delivers only pushes that match their schema', () => {
    const socket = new FakeClientSocket();
    const links: [boolean, string?][] = [];
    const pushes: unknown[] = [];
    const offLink = onConnectionChange(socket, (up, reason) => links.push(reason ? [up, reason] : [up]));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const offPush = onParsedPush(socket, 'pong', Pong, (p) => pushes.push(p));
    socket.serverConnect();
    socket.push('pong', { n: 1 });
    socket.push('pong', { n: 'x' });
    socket.serverDisconnect();
    offLink();
    offPush();
    socket.serverConnect();
    socket.push('pong', { n: 2 });
    expect(links).toEqual([[true], [false, 'transport close']]);
    expect(pushes).toEqual([{ n: 1 }]);
    expect(warn).toHaveBeenCalledOnce();
    warn.mockRestore();
  });
});
