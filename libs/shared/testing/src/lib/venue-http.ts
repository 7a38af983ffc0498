import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/**
 * JSON over HTTP(S) to a venue server, trusting the venue CA when one is given — the way a
 * technician's tool talks to a venue that serves only its own certificate.
 */
export function venueJson<T>(url: string, opts: { method?: 'GET' | 'POST'; body?: unknown; ca?: string; headers?: Record<string, string> } = {}): Promise<T> {
  const target = new URL(url);
  const payload = opts.body === undefined ? undefined : Buffer.from(JSON.stringify(opts.body));
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  if (payload) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(payload.length);
  }
  return new Promise<T>((resolve, reject) => {
    const done = (res: import('node:http').IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          /* not JSON: keep the text for the error */
        }
        if ((res.statusCode ?? 500) >= 400) reject(new Error(`HTTP ${res.statusCode} ${opts.method ?? 'GET'} ${target.pathname}: ${typeof body === 'string' ? body : JSON.stringify(body)}`));
        else resolve(body as T);
      });
      res.on('error', reject);
    };
    const req = target.protocol === 'https:' ? httpsRequest(target, { method: opts.method ?? 'GET', headers, ca: opts.ca }, done) : httpRequest(target, { method: opts.method ?? 'GET', headers }, done);
    req.on('error', reject);
    req.end(payload);
  });
}
