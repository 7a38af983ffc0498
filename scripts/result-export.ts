/**
 * 离线上报: copy a venue's sealed room packages to removable media, each with its SHA-256
 * checksum file (`sha256sum -c` format). The province imports the `.kwr` file through its
 * console (POST /api/v1/result-files) with the same verification as an upload.
 *   npm run result:export -- --out /media/usb [--url http://127.0.0.1:3200] [--package V001-S1-R01] [--token T] [--ca venue-ca.pem]
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createHash } from 'node:crypto';
import { venueJson } from '@kaowu/testing';
import { VenueStatus, checksumLine } from '@kaowu/venue-core';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:3200' },
    out: { type: 'string' },
    package: { type: 'string' },
    token: { type: 'string' },
    ca: { type: 'string' },
  },
});

function download(url: string, headers: Record<string, string>, ca?: string): Promise<{ bytes: Buffer; sha256: string }> {
  const target = new URL(url);
  return new Promise((resolvePromise, reject) => {
    const done = (res: import('node:http').IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const bytes = Buffer.concat(chunks);
        if ((res.statusCode ?? 500) >= 400) reject(new Error(`HTTP ${res.statusCode} ${target.pathname}: ${bytes.toString('utf8')}`));
        else resolvePromise({ bytes, sha256: String(res.headers['x-package-sha256'] ?? '') });
      });
      res.on('error', reject);
    };
    const req = target.protocol === 'https:' ? httpsRequest(target, { headers, ca }, done) : httpRequest(target, { headers }, done);
    req.on('error', reject);
    req.end();
  });
}

async function main() {
  if (!values.out) {
    console.error('--out <directory> is required (the mounted removable medium)');
    process.exit(2);
  }
  const out = resolve(values.out);
  const ca = values.ca ? readFileSync(values.ca, 'utf8') : undefined;
  const headers: Record<string, string> = values.token ? { authorization: `Bearer ${values.token}` } : {};
  const status = await venueJson<VenueStatus>(`${values.url}/api/v1/status`, { ca, headers });
  const rooms = status.rooms.filter((r) => !values.package || r.packageId === values.package);
  if (rooms.length === 0) {
    console.error(values.package ? `no sealed package ${values.package} at this venue` : 'no sealed room package at this venue yet');
    process.exit(1);
  }
  mkdirSync(out, { recursive: true });
  for (const room of rooms) {
    const { bytes, sha256 } = await download(`${values.url}/api/v1/results/${encodeURIComponent(room.packageId)}/file`, headers, ca);
    const digest = createHash('sha256').update(bytes).digest('hex');
    if (digest !== sha256) throw new Error(`${room.packageId}: the download does not match the venue's digest`);
    const fileName = `${room.packageId}.kwr`;
    const file = join(out, fileName);
    writeFileSync(`${file}.part`, bytes, { flush: true });
    renameSync(`${file}.part`, file);
    writeFileSync(`${file}.sha256`, checksumLine({ sha256: digest, fileName }), { flush: true });
    console.log(`${fileName}  ${bytes.length} bytes  sha256 ${digest}  ${room.receipt ? '(already receipted online)' : ''}`);
  }
}

main().catch((error) => {
  console.error(`result export failed: ${(error as Error).message}`);
  process.exit(1);
});
