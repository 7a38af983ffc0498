import type { ProctorSocket } from '../app/proctor-channel';

type Listener = (...args: unknown[]) => void;

/** Stand-in for the socket.io client socket; the test plays the venue server. */
export class FakeProctorSocket implements ProctorSocket {
  connected = false;
  readonly sent: { event: string; payload: unknown }[] = [];
  onJoin: (payload: unknown) => unknown = () => ({ ok: false, error: { code: 'UNAUTHORIZED', message: '监考口令错误', messageEn: 'Wrong access code' } });
  private readonly listeners = new Map<string, Set<Listener>>();

  on(event: string, listener: Listener) {
    const set = this.listeners.get(event) ?? new Set();
    set.add(listener);
    this.listeners.set(event, set);
    return this;
  }

  off(event: string, listener: Listener) {
    this.listeners.get(event)?.delete(listener);
    return this;
  }

  timeout(_ms: number) {
    return {
      emitWithAck: async (event: string, payload: unknown) => {
        if (!this.connected) throw new Error('socket has been disconnected');
        this.sent.push({ event, payload });
        if (event !== 'proctor:join') throw new Error('operation has timed out');
        return this.onJoin(payload);
      },
    };
  }

  connect() {
    queueMicrotask(() => this.serverConnect());
    return this;
  }

  disconnect() {
    this.serverDisconnect();
    return this;
  }

  serverConnect() {
    this.connected = true;
    this.emit('connect');
  }

  serverDisconnect() {
    if (!this.connected) return;
    this.connected = false;
    this.emit('disconnect', 'transport close');
  }

  emit(event: string, ...args: unknown[]) {
    for (const listener of [...(this.listeners.get(event) ?? [])]) listener(...args);
  }
}
