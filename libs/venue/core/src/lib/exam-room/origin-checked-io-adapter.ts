import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { IncomingMessage } from 'node:http';
import type { ServerOptions } from 'socket.io';

/**
 * Socket.io for the venue's exam and proctor namespaces, refusing a handshake whose `Origin` is
 * neither the venue's own pages nor a configured console (cross-site WebSocket hijacking: a page on
 * another origin opening the proctor socket with a proctor's browser). Programs without an Origin
 * (the simulated candidates, the load test) still connect; they prove themselves per event.
 */
export class OriginCheckedIoAdapter extends IoAdapter {
  constructor(
    app: INestApplicationContext,
    private readonly allowedOrigins: string[],
    private readonly onRefused: (origin: string) => void,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions) {
    const allowed = new Set(this.allowedOrigins.map((o) => o.replace(/\/+$/, '')));
    const allowRequest = (req: IncomingMessage, callback: (err: string | null | undefined, success: boolean) => void) => {
      const origin = req.headers.origin;
      const host = req.headers.host;
      const own = host ? [`http://${host}`, `https://${host}`] : [];
      if (origin === undefined || (origin !== 'null' && (allowed.has(origin) || own.includes(origin)))) return callback(null, true);
      this.onRefused(origin);
      callback('ORIGIN_FORBIDDEN', false);
    };
    return super.createIOServer(port, { ...options, cors: { origin: [...allowed], credentials: false }, allowRequest } as ServerOptions);
  }
}
