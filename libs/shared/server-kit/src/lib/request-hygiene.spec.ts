import express from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { requestHygiene } from './request-hygiene';

/** The door in front of both servers, on a bare Express app. */
describe('requestHygiene', () => {
  let server: Server;
  let url: string;
  const seen: unknown[] = [];

  beforeAll(async () => {
    const app = express();
    app.use(
      requestHygiene({
        allowedOrigins: ['http://127.0.0.1:4320'],
        defaultLimit: 1024,
        bodies: [{ method: 'POST', path: /^\/files$/, limit: 4096, raw: ['application/octet-stream'], credentialFirst: true }],
      }),
    );
    app.all(/.*/, (req, res) => {
      seen.push(req.body);
      res.json({ ok: true, bytes: Buffer.isBuffer(req.body) ? req.body.length : null });
    });
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const post = (path: string, body: string | Uint8Array, headers: Record<string, string>) => fetch(url + path, { method: 'POST', headers, body });

  it('takes raw bytes only on a file route, and only from someone who names a credential first', async () => {
    const file = new Uint8Array(2000);
    const anonymous = await post('/files', file, { 'content-type': 'application/octet-stream' });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ code: 'UNAUTHORIZED', field: 'authorization' });
    const named = await post('/files', file, { 'content-type': 'application/octet-stream', authorization: 'Bearer x' });
    expect(await named.json()).toEqual({ ok: true, bytes: 2000 });
    const elsewhere = await post('/other', new Uint8Array(500), { 'content-type': 'application/octet-stream' });
    expect(elsewhere.status).toBe(415);
    const tooBig = await post('/files', new Uint8Array(5000), { 'content-type': 'application/octet-stream', authorization: 'Bearer x' });
    expect(tooBig.status).toBe(413);
  });

  it('lets configured consoles and the server itself change state, nobody else', async () => {
    const body = JSON.stringify({ a: 1 });
    expect((await post('/x', body, { 'content-type': 'application/json', origin: 'http://127.0.0.1:4320' })).status).toBe(200);
    expect((await post('/x', body, { 'content-type': 'application/json', origin: url })).status).toBe(200);
    expect((await post('/x', body, { 'content-type': 'application/json', origin: 'http://127.0.0.1:9999' })).status).toBe(403);
    // reads are never blocked by origin
    expect((await fetch(`${url}/x`, { headers: { origin: 'https://evil.example' } })).status).toBe(200);
  });
});
