import type { ClientSocket } from './client-socket';

type Listener = (...args: unknown[]) => void;

/**
 * For tests: an in-memory ClientSocket where the test plays the server. Requests go to
 * `handlers[event]` (none → the ack times out); pushes and link changes are driven by hand.
 */
export class FakeClientSocket implements ClientSocket {
  connected = false;
  readonly sent: { event: string; payload: unknown }[] = [];
  handlers: Record<string, (payload: never) => unknown> = {};
  private readonly listeners = new Map<string, Set<Listener>>();
  private link = 0;

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
        const link = this.link;
        this.sent.push({ event, payload });
        const handler = this.handlers[event] as ((p: unknown) => unknown) | undefined;
        if (!handler) throw new Error('operation has timed out');
        const reply = await handler(payload);
        // An ack cannot come back over a link that dropped meanwhile.
        if (link !== this.link) throw new Error('socket has been disconnected');
        return reply;
      },
    };
  }

  connect() {
    queueMicrotask(() => this.serverConnect());
    return this;
  }

  disconnect() {
    this.serverDisconnect('io client disconnect');
    return this;
  }

  serverConnect() {
    this.connected = true;
    this.link++;
    this.emitLocal('connect');
  }

  serverDisconnect(reason = 'transport close') {
    if (!this.connected) return;
    this.connected = false;
    this.link++;
    this.emitLocal('disconnect', reason);
  }

  /** A server push. */
  push(event: string, payload: unknown) {
    this.emitLocal(event, payload);
  }

  sentOf(event: string): unknown[] {
    return this.sent.filter((s) => s.event === event).map((s) => s.payload);
  }

  private emitLocal(event: string, ...args: unknown[]) {
    for (const listener of [...(this.listeners.get(event) ?? [])]) listener(...args);
  }
}
