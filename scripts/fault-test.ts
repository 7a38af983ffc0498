/**
 * 故障注入: kill -9 the venue server again and again while candidates answer, restart it, and
 * prove that every answer the venue acknowledged is still there.
 *   npm run fault-test -- --candidates 1000 --kills 20 [--interval 3] [--bundle] [--json]
 * --bundle: build and run the production bundle (dist/apps/venue-server/main.mjs) as the venue
 * appliance does, instead of the TypeScript source under tsx (slower to start).
 * The venue server runs as its own process (apps/venue-server); the province runs here.
 * DATABASE_URL set → both on throwaway PostgreSQL databases; else embedded.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { initCrypto } from '@kaowu/crypto';
import { runFaultTest } from '@kaowu/testing';

const { values } = parseArgs({
  options: {
    candidates: { type: 'string', default: '200' },
    kills: { type: 'string', default: '20' },
    interval: { type: 'string', default: '3' },
    json: { type: 'boolean', default: false },
    bundle: { type: 'boolean', default: false },
  },
});

async function main() {
  await initCrypto();
  mkdirSync(resolve('var/fault-test'), { recursive: true });
  const workDir = mkdtempSync(join(resolve('var/fault-test'), 'run-'));
  if (values.bundle) {
    if (!values.json) console.log('构建考点服务器 building the venue server bundle…');
    execFileSync('npx', ['nx', 'run', 'venue-server:build'], { stdio: values.json ? 'ignore' : 'inherit', env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' } });
  }
  try {
    const result = await runFaultTest({
      candidates: Number(values.candidates),
      kills: Number(values.kills),
      intervalSeconds: Number(values.interval),
      workDir,
      databaseUrl: process.env['DATABASE_URL'],
      venueEntry: values.bundle ? 'bundle' : 'source',
      onProgress: (line) => !values.json && console.log(line),
    });
    if (!values.json) console.log(`\n结果 result: ${result.acked} acknowledged answers, ${result.lost} lost after ${result.kills} kills`);
    console.log(JSON.stringify(result));
    process.exitCode = result.lost === 0 ? 0 : 1;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: Error) => {
    console.error(`fault test failed: ${error.stack ?? error.message}`);
    process.exit(1);
  },
);
