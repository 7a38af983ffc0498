import { AckError, ackOk, validationError, type Ack } from '@kaowu/contracts';
import { z } from 'zod';

/** The part of a socket.io client socket the browser apps use (FakeClientSocket in tests). */
export interface ClientSocket {
  readonly connected: boolean;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  off(event: string, listener: (...args: unknown[]) => void): unknown;
  timeout(ms: number): { emitWithAck(event: string, payload: unknown): Promise<unknown> };
  connect(): unknown;
  disconnect(): unknown;
}

/** The request never reached the server or its answer never came back. */
export class ChannelUnavailableError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'ChannelUnavailableError';
  }
}

/** `reason` is socket.io's disconnect reason; after 'io server disconnect' it does not reconnect by itself. */
export function onConnectionChange(socket: ClientSocket, listener: (connected: boolean, reason?: string) => void): () => void {
  const up = () => listener(true);
  const down = (reason: unknown) => listener(false, typeof reason === 'string' ? reason : undefined);
  socket.on('connect', up);
  socket.on('disconnect', down);
  return () => {
    socket.off('connect', up);
    socket.off('disconnect', down);
  };
}

/** Listen to a server push; a payload that fails its schema is dropped (and logged), never delivered. */
export function onParsedPush<T extends z.ZodTypeAny>(socket: ClientSocket, event: string, schema: T, listener: (push: z.infer<T>) => void): () => void {
  const handler = (raw: unknown) => {
    const parsed = schema.safeParse(raw);
    if (parsed.success) listener(parsed.data);
    else console.warn(`dropped malformed ${event} push`, parsed.error.issues);
  };
  socket.on(event, handler);
  return () => socket.off(event, handler);
}

/**
 * Emit a request and parse its acknowledgement (`{ok:true,data}` | `{ok:false,error}`).
 * Throws ChannelUnavailableError when offline or unanswered; nothing is buffered while offline,
 * because socket.io would replay it ahead of the handshake on reconnect.
 */
export async function requestAck<T extends z.ZodTypeAny>(
  socket: ClientSocket,
  event: string,
  body: unknown,
  ackSchema: T,
  timeoutMs: number,
): Promise<Ack<z.infer<T>>> {
  if (!socket.connected) throw new ChannelUnavailableError('offline');
  let raw: unknown;
  try {
    raw = await socket.timeout(timeoutMs).emitWithAck(event, body);
  } catch {
    throw new ChannelUnavailableError('no acknowledgement');
  }
  const parsed = z.union([ackOk(ackSchema), AckError]).safeParse(raw);
  if (!parsed.success) return { ok: false, error: validationError(parsed.error, `${event} 应答`) };
  return parsed.data as Ack<z.infer<T>>;
}
